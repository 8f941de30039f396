"""Checks of the committee: who votes, and quorums and sizes that can be met.

A group's ``seats`` is how many members it may have. When every group that
matters declares its seats, a quorum of ``at_least`` N votes, or a
``committee_size`` condition, that asks for more members than there can be is
reported: the plan would wait on it forever.
"""

from __future__ import annotations

import bisect

from definitions import schema
from definitions.checks_conditions import Known, all_conditions, unknown
from definitions.errors import Problem
from definitions.messages import say
from definitions.problems import Reporter


def check_voters(defn: schema.Definition, report: Reporter) -> list[Problem]:
    """Report every decision's ``voters`` entry that names no group of the committee."""
    groups = Known.of(defn).groups
    return [
        problem
        for i, decision in enumerate(defn.committee.decisions)
        for k, group in enumerate(decision.voters)
        for problem in unknown(report, ("committee", "decisions", i, "voters", k), "group",
                               group, groups)
    ]


def check_quorum_rules(defn: schema.Definition, report: Reporter) -> list[Problem]:
    """Report an ``at_least`` quorum without ``count``, and a ``count`` given to another rule."""
    problems: list[Problem] = []
    for i, decision in enumerate(defn.committee.decisions):
        quorum, path = decision.quorum, ("committee", "decisions", i, "quorum")
        if quorum.rule == "at_least" and quorum.count is None:
            problems.append(report.problem(path, "quorum_count_missing"))
        if quorum.rule != "at_least" and quorum.count is not None:
            problems.append(report.problem((*path, "count"), "quorum_count_unused",
                                           rule=quorum.rule))
    return problems


def check_quorum_reach(defn: schema.Definition, report: Reporter) -> list[Problem]:
    """Report an ``at_least`` quorum that asks for more votes than the voters' seats."""
    problems: list[Problem] = []
    voters = VoterSeats(defn.committee)
    for i, decision in enumerate(defn.committee.decisions):
        count, seats = decision.quorum.count, voters.of(decision)
        if decision.quorum.rule != "at_least" or count is None or seats is None:
            continue
        if count > seats:
            who = say(report.locale, "definition.who_voters" if decision.voters
                      else "definition.who_committee", committee=defn.committee.name)
            problems.append(report.problem(
                ("committee", "decisions", i, "quorum", "count"), "quorum_unreachable",
                count=count, seats=seats, who=who))
    return problems


def check_committee_sizes(defn: schema.Definition, report: Reporter) -> list[Problem]:
    """Report a ``committee_size`` condition asking for more members than the seats allow."""
    groups = defn.committee.groups
    total = sum(g.seats or 0 for g in groups) if all(g.seats for g in groups) else None
    keys, lows = _record_lows(groups)
    problems: list[Problem] = []
    for cond, site in all_conditions(defn):
        if not isinstance(cond, schema.CommitteeSize):
            continue
        if total is not None and cond.min_members > total:
            problems.append(report.problem((*site.path, "min_members"), "min_members_unreachable",
                                           count=cond.min_members, seats=total,
                                           committee=defn.committee.name))
        first = bisect.bisect_right(keys, -cond.per_group)  # the first group with fewer seats
        short = lows[first] if first < len(lows) else None
        if short is not None:
            problems.append(report.problem((*site.path, "per_group"), "per_group_unreachable",
                                           count=cond.per_group, group=short.id, seats=short.seats))
    return problems


def _record_lows(groups: tuple[schema.Group, ...]) -> tuple[list[int], list[schema.Group]]:
    """Return the groups with seats fewer than every group before them, and their seats negated.

    The first group with fewer than N seats is one of these; the negated seats go up,
    so it is found by bisection.
    """
    keys: list[int] = []
    lows: list[schema.Group] = []
    for group in groups:
        if group.seats and (not keys or group.seats < -keys[-1]):
            keys.append(-group.seats)
            lows.append(group)
    return keys, lows


class VoterSeats:
    """The seats of the groups voting on each decision of one committee."""

    def __init__(self, committee: schema.Committee) -> None:
        self.by_id: dict[str, list[schema.Group]] = {}
        for group in committee.groups:
            self.by_id.setdefault(group.id, []).append(group)
        self.everyone = self._sum(list(committee.groups))

    def of(self, decision: schema.Decision) -> int | None:
        """Return the seats of the groups voting on ``decision``; None if some are not declared."""
        if not decision.voters:
            return self.everyone
        return self._sum([g for v in dict.fromkeys(decision.voters) for g in self.by_id.get(v, [])])

    @staticmethod
    def _sum(voting: list[schema.Group]) -> int | None:
        if not voting or any(g.seats is None for g in voting):
            return None
        return sum(g.seats or 0 for g in voting)
