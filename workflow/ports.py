"""What the services need from storage, as interfaces (storage implements them).

The domain and services import no SQLAlchemy: a service opens a unit of work,
loads aggregates through it, lets them record events, and commits once.
"""

from __future__ import annotations

import datetime as dt
from types import TracebackType
from typing import Protocol, Self

from workflow.domain.deadlines import Deadline
from workflow.domain.events import RecordedEvent
from workflow.domain.guards import ProposalCensus
from workflow.domain.plan import Plan
from workflow.domain.proposal import Proposal
from workflow.domain.state import ProposalState


class UnitOfWork(Protocol):
    """One command's transaction: load, change, then commit everything or nothing."""

    census: ProposalCensus

    def __enter__(self) -> Self:
        """Begin the transaction (taking the write lock)."""
        ...

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        """Roll back unless committed."""
        ...

    def plan(self, plan_id: str) -> Plan:
        """Load a plan to change it (NotFound when there is none)."""
        ...

    def plan_context(self, plan_id: str) -> Plan:
        """Load a plan only to read it (may be shared: never change it)."""
        ...

    def save_contact(self, plan_id: str, kind: str, subject: str, email: str,
                     now: dt.datetime) -> None:
        """Keep the address of a member or a consenting proponent (outside the log)."""
        ...

    def plan_exists(self, plan_id: str) -> bool:
        """Whether a plan with this id exists."""
        ...

    def proposal(self, proposal_id: str) -> Proposal:
        """Load a proposal (NotFound when there is none)."""
        ...

    def proposal_state(self, proposal_id: str) -> ProposalState | None:
        """Read a proposal's state, or None."""
        ...

    def claim_deadline(self, deadline_id: str, now: dt.datetime, claimer: str) -> Deadline | None:
        """Claim a pending deadline (None when another process fired it, or it was cancelled)."""
        ...

    def note_deadline(self, deadline_id: str, outcome: str) -> None:
        """Record what firing a claimed deadline did."""
        ...

    def add(self, aggregate: Plan | Proposal) -> None:
        """Track an aggregate whose pending events commit() must write."""
        ...

    def commit(self) -> list[RecordedEvent]:
        """Append the tracked aggregates' events, write projections, and commit."""
        ...
