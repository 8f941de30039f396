"""Quorum rules: how many approving votes a decision needs, whether it has them, and its status.

A decision's status, the one word every reader shows (``plan show``, the API,
the simulation's summary, unmet conditions and notices), comes from its tally:

    approved     it passed (final: it takes no more votes)
    waiting      no member may vote on it yet (nobody seated in its voting groups)
    unreachable  fewer members may vote than the approvals it needs (an ``at_least``
                 quorum above the members seated): it cannot pass until more join
    rejected     with the votes cast it can no longer pass, even if everyone yet to
                 vote approves (members may still change their votes)
    open         it may still pass: voting goes on
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, get_args

from definitions.messages import say
from definitions.schema import Decision, Definition
from workflow.domain.state import DecisionState, Member

Status = Literal["approved", "open", "rejected", "unreachable", "waiting"]
STATUSES: tuple[Status, ...] = get_args(Status)
BLOCKED: tuple[Status, ...] = ("rejected", "unreachable", "waiting")
"""The statuses of a decision that cannot pass as things stand; each has its reason in words."""


@dataclass(frozen=True)
class Tally:
    """The count of a decision's votes among the members entitled to vote."""

    approvals: int
    rejections: int
    voters: int
    needed: int

    @property
    def passed(self) -> bool:
        """Whether the approvals meet the quorum."""
        return self.voters > 0 and self.approvals >= self.needed

    @property
    def hopeless(self) -> bool:
        """Whether the decision cannot pass even if every member yet to vote approves.

        With nobody entitled to vote yet, a decision is waiting, not hopeless.
        """
        pending = self.voters - self.approvals - self.rejections
        return self.voters > 0 and not self.passed and self.approvals + pending < self.needed


def needed(decision: Decision, voters: int) -> int:
    """Return the approvals ``decision`` needs when ``voters`` members may vote."""
    rule = decision.quorum.rule
    if rule == "majority":
        return voters // 2 + 1
    if rule == "two_thirds":
        return max(1, math.ceil(2 * voters / 3))
    if rule == "unanimity":
        return max(1, voters)
    return decision.quorum.count or 1


def eligible(decision: Decision, members: Mapping[str, Member]) -> set[str]:
    """Return the ids of the members whose group may vote on ``decision``."""
    groups = set(decision.voters)
    return {m.member_id for m in members.values() if not groups or m.group in groups}


def tally(decision: Decision, votes: Mapping[str, bool], members: Mapping[str, Member]) -> Tally:
    """Count the votes of entitled members on ``decision``."""
    allowed = eligible(decision, members)
    cast = [approve for member, approve in votes.items() if member in allowed]
    approvals = sum(cast)
    return Tally(approvals, len(cast) - approvals, len(allowed), needed(decision, len(allowed)))


def status(t: Tally, approved: bool) -> Status:
    """Return a decision's status from its tally and whether it passed (see the module)."""
    if approved:
        return "approved"
    if t.voters == 0:
        return "waiting"
    if t.voters < t.needed:
        return "unreachable"
    return "rejected" if t.hopeless else "open"


@dataclass(frozen=True)
class Standing:
    """Where a decision stands: its status and its tally."""

    status: Status
    tally: Tally


def standing(decision: Decision, state: DecisionState, members: Mapping[str, Member]) -> Standing:
    """Return where ``decision`` stands, given its votes and the current members."""
    t = tally(decision, state.votes, members)
    return Standing(status(t, state.approved), t)


def reason(where: Standing, definition: Definition) -> str | None:
    """Say why a decision cannot pass as things stand, in the plan's language; else None."""
    if where.status not in BLOCKED:
        return None
    return why(definition.locale, where.status, where.tally, definition.committee.name)


def why(locale: str, status_: Status, t: Tally, committee: str) -> str:
    """Say why a decision in a :data:`BLOCKED` status cannot pass (``committee``: its name)."""
    return say(locale, f"decision_why.{status_}",
               needed=say(locale, "count.approvals", count=t.needed),
               voters=say(locale, "count.voters", count=t.voters),
               rejections=say(locale, "count.rejections", count=t.rejections),
               committee=committee)
