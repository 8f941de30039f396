"""What the services need from storage: the unit of work, an interface storage implements.

A handler opens a unit of work, loads aggregates through it, lets them record
events, then (:func:`workflow.services.commit`) asks it to write the aggregates'
events and projections (:meth:`UnitOfWork.flush`), writes the deadline changes and
notices the domain decides from them, and commits once. The unit of work decides
nothing: it writes what it is handed. Fakes for tests subclass this class.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from types import TracebackType
from typing import Self

from workflow.domain.commitment import Commitment
from workflow.domain.deadlines import Deadline, Schedule
from workflow.domain.events import RecordedEvent
from workflow.domain.guards import ProposalCensus
from workflow.domain.imports import OriginKey
from workflow.domain.library import PinnedPlan, StoredDefinition
from workflow.domain.notices import Notice
from workflow.domain.plan import Plan
from workflow.domain.proposal import Proposal
from workflow.domain.state import ProposalState

Aggregate = Plan | Proposal | Commitment
Flushed = list[tuple[Aggregate, list[RecordedEvent]]]
"""Each aggregate written by :meth:`UnitOfWork.flush`, with the events it recorded."""


class UnitOfWork(ABC):
    """One command's transaction: load, change, write what is handed, commit or nothing."""

    census: ProposalCensus
    """Counts the plan's proposals by state, as this transaction sees them."""

    @abstractmethod
    def __enter__(self) -> Self:
        """Begin the transaction (taking the write lock)."""

    @abstractmethod
    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        """Roll back unless committed."""

    @abstractmethod
    def plan(self, plan_id: str) -> Plan:
        """Load a plan to change it (NotFound when there is none)."""

    @abstractmethod
    def plan_context(self, plan_id: str) -> Plan:
        """Load a plan only to read it (may be shared: never change it)."""

    @abstractmethod
    def plan_exists(self, plan_id: str) -> bool:
        """Whether a plan with this id exists."""

    @abstractmethod
    def proposal(self, proposal_id: str) -> Proposal:
        """Load a proposal (NotFound when there is none)."""

    @abstractmethod
    def proposal_state(self, proposal_id: str) -> ProposalState | None:
        """Read a proposal's state, or None."""

    @abstractmethod
    def commitment(self, commitment_id: str) -> Commitment:
        """Load a commitment with its plan as read-only context (NotFound when there is none)."""

    @abstractmethod
    def has_support(self, proposal_id: str, supporter: str) -> bool:
        """Whether this supporter (its digest) already backed the proposal."""

    @abstractmethod
    def imported_origins(self, plan_id: str) -> set[OriginKey]:
        """Return the origins of the plan's imported proposals (source, host, id there)."""

    @abstractmethod
    def save_contact(self, plan_id: str, kind: str, subject: str, email: str,
                     now: dt.datetime) -> None:
        """Keep the address of a member, a consenting proponent or an agency (outside the log)."""

    @abstractmethod
    def claim_deadline(self, deadline_id: str, now: dt.datetime, claimer: str) -> Deadline | None:
        """Claim a deadline due by ``now`` (None: another process fired it, or not pending)."""

    @abstractmethod
    def note_deadline(self, deadline_id: str, outcome: str) -> None:
        """Record what firing a claimed deadline did (the type of the event it recorded)."""

    @abstractmethod
    def add(self, aggregate: Aggregate) -> None:
        """Track an aggregate whose pending events :meth:`flush` writes."""

    @abstractmethod
    def flush(self) -> Flushed:
        """Append the tracked aggregates' pending events and write their projections."""

    @abstractmethod
    def write_schedule(self, schedule: Schedule) -> None:
        """Cancel and add deadlines as ``schedule`` says."""

    @abstractmethod
    def write_notices(self, notices: list[Notice], now: dt.datetime) -> None:
        """Put ``notices`` in the outbox, due at ``now``."""

    @abstractmethod
    def commit(self) -> None:
        """Commit everything written in this unit of work, durably."""

    # -- the definition library (stored definitions, outside the log) ---------------------

    @abstractmethod
    def stored_definition(self, definition_id: str, version: int) -> StoredDefinition | None:
        """Read a stored definition's id@version, or None."""

    @abstractmethod
    def save_definition(self, stored: StoredDefinition) -> None:
        """Store a definition (its id@version is not stored yet)."""

    @abstractmethod
    def delete_definition(self, definition_id: str, version: int) -> None:
        """Remove a stored definition's id@version."""

    @abstractmethod
    def plans_pinning(self, definition_id: str) -> list[PinnedPlan]:
        """Return the plans made from any version of a definition id (version and hash)."""
