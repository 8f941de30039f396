"""Quorum rules: how many approving votes a decision needs, and whether it has them."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from definitions.schema import Decision
from workflow.domain.state import Member


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
