"""Checks of the notification rules: what they name, and audiences that fit their moments.

``pending_voters`` only exist while a decision waits, a ``proponent`` only when a
proposal is answered, the ``implementing_agency`` only at a commitment's moments
(of a process that has commitments), and the ``public`` is reached by webhook and
by nothing else; ``phases`` and ``decisions`` narrow a rule only to moments about them.
"""

from __future__ import annotations

from definitions import schema
from definitions.checks_conditions import Known, unknown
from definitions.errors import Problem
from definitions.problems import Reporter

AUDIENCE_NEEDS: dict[str, tuple[str, ...]] = {
    "pending_voters": ("decision_waiting",),
    "proponent": ("proposal_answered",),
    "implementing_agency": schema.COMMITMENT_EVENTS,
}
"""Audiences that exist only at some moments."""


def check_notice_rules(defn: schema.Definition, report: Reporter) -> list[Problem]:
    """Report every rule naming an unknown id or an audience its moments or channel lack."""
    problems: list[Problem] = []
    known = Known.of(defn)
    phases, decisions = known.phases, known.decisions
    for i, rule in enumerate(defn.notifications):
        at = ("notifications", i)
        for k, phase in enumerate(rule.phases):
            problems += unknown(report, (*at, "phases", k), "phase", phase, phases)
        for k, decision in enumerate(rule.decisions):
            problems += unknown(report, (*at, "decisions", k), "decision", decision, decisions)
        problems += _narrowing(rule, at, report)
        problems += _audiences(rule, at, report)
        if defn.commitments is None:
            problems += [report.problem((*at, "events", k), "commitments_not_declared",
                                        name=event)
                         for k, event in enumerate(rule.events)
                         if event in schema.COMMITMENT_EVENTS]
    return problems


def _narrowing(rule: schema.NoticeRule, at: tuple[str | int, ...],
               report: Reporter) -> list[Problem]:
    problems = []
    for key, moments in (("phases", schema.PHASE_EVENTS), ("decisions", schema.DECISION_EVENTS)):
        if getattr(rule, key) and not set(rule.events) & set(moments):
            problems.append(report.problem((*at, key), "notice_narrowing_unused", key=key,
                                           moments=", ".join(moments)))
    return problems


def _audiences(rule: schema.NoticeRule, at: tuple[str | int, ...],
               report: Reporter) -> list[Problem]:
    problems = []
    for k, audience in enumerate(rule.to):
        needs = AUDIENCE_NEEDS.get(audience)
        if needs is not None and any(moment not in needs for moment in rule.events):
            problems.append(report.problem((*at, "to", k), "notice_audience_moment",
                                           audience=audience, moments=", ".join(needs)))
        if (audience == "public") != (rule.by == "webhook") and rule.by != "log":
            problems.append(report.problem((*at, "to", k), "notice_audience_channel",
                                           audience=audience, by=rule.by))
    return problems
