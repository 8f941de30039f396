"""Public supports: citizens back a proposal through the intake platform, anonymously.

The platform relays each support with a supporter key of its own (never a name or
an address). cocrea keeps only a digest of the plan and the key, so the same person
counts once per proposal and cannot be followed from one plan to another. A
definition says in which proposal states and while which phases supports count
(``proposals.supports``); without that rule a process takes none.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from definitions.messages import say
from definitions.schema import PhaseOpen
from workflow.domain.catalog import Catalog
from workflow.domain.errors import AlreadyExists, IllegalEvent
from workflow.domain.events import SYSTEM
from workflow.domain.failures import said_in
from workflow.domain.guards import GuardContext, compile_conditions, unmet
from workflow.domain.state import PlanState, ProposalState

DIGEST_CHARS = 32
"""A supporter is kept as 32 hex digits (128 bits) of SHA-256 of the plan and the key."""


def supporter_id(plan_id: str, key: str) -> str:
    """Return what the log keeps of a supporter key: a digest of the plan and the key."""
    return hashlib.sha256(f"{plan_id}\n{key}".encode()).hexdigest()[:DIGEST_CHARS]


def unmet_support(state: ProposalState, catalog: Catalog, plan: PlanState) -> list[str]:
    """Return why the proposal cannot be supported now, in words (empty when it can)."""
    locale = plan.definition.locale
    rule = catalog.definition.proposals.supports
    if rule is None:
        return [say(locale, "guard.no_supports")]
    problems = [] if state.state in rule.states else [say(
        locale, "guard.support_state", state=state.state, states=", ".join(rule.states))]
    running = compile_conditions(tuple(PhaseOpen(kind="phase_open", phase=p)
                                       for p in rule.phases))
    return problems + unmet(running, GuardContext(plan, SYSTEM))


def already_supported(locale: str, proposal_id: str) -> AlreadyExists:
    """Return the error of a supporter who already backed the proposal."""
    message = say(locale, "error.already_supported", proposal=proposal_id)
    return said_in(locale, AlreadyExists(message, "support", proposal_id))


def count_support(state: ProposalState, catalog: Catalog, plan: PlanState, version: int,
                  data: Mapping[str, Any]) -> None:
    """Apply a recorded support to ``state``, or raise IllegalEvent if it does not fit."""
    if version != state.version + 1 or data["supports"] != state.supports + 1:
        raise IllegalEvent("illegal.support_order", proposal=state.proposal_id,
                           version=version, current=state.version)
    if unmet_support(state, catalog, plan):
        raise IllegalEvent("illegal.support_conditions", proposal=state.proposal_id)
    state.version, state.supports = version, state.supports + 1

