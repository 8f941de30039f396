"""The meaning of a definition: every check beyond the shape of its fields.

:func:`check_definition` runs them all on a definition whose shape is valid
and returns every problem found, each with its YAML path and line. The checks
are small functions, grouped by the part of the definition they look at:

    checks.py              ids used twice; the time zone
    checks_conditions.py   what conditions name, and where each kind may stand
    checks_phases.py       dates, reminders, activities' decisions, cycles between phases
    checks_committee.py    voters, quorum rules, quorums and sizes that can be met
    checks_proposals.py    states named, states reachable, triggers that dead-end
    checks_commitments.py  OGP's template as asked for, the commitment lifecycle
    checks_notices.py      notification rules: ids named, audiences that fit
"""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from definitions import (
    checks_commitments,
    checks_committee,
    checks_conditions,
    checks_fields,
    checks_notices,
    checks_ogp,
    checks_phases,
    checks_proposals,
)
from definitions.errors import Problem
from definitions.problems import Reporter
from definitions.problems import repeats as _repeats
from definitions.schema import Definition

Check = Callable[[Definition, Reporter], list[Problem]]


def check_definition(defn: Definition, report: Reporter) -> list[Problem]:
    """Return every problem in the meaning of ``defn`` (whose shape is already valid)."""
    return [problem for check in CHECKS for problem in check(defn, report)]


def check_duplicates(defn: Definition, report: Reporter) -> list[Problem]:
    """Report every id, phase number, state and trigger declared twice, at the second one."""
    groups, decisions = defn.committee.groups, defn.committee.decisions
    phases, lifecycle = defn.phases, defn.proposals
    return [
        *_repeats(report, "duplicate_id", (
            (("committee", "groups", i, "id"), g.id) for i, g in enumerate(groups))),
        *_repeats(report, "duplicate_id", (
            (("committee", "decisions", i, "id"), d.id) for i, d in enumerate(decisions))),
        *_repeats(report, "duplicate_id", (
            (("phases", i, "id"), p.id) for i, p in enumerate(phases))),
        *_repeats(report, "duplicate_number", (
            (("phases", i, "number"), p.number) for i, p in enumerate(phases))),
        *_repeats(report, "duplicate_id", (
            (("phases", i, "activities", j, "id"), a.id)
            for i, p in enumerate(phases) for j, a in enumerate(p.activities))),
        *_repeats(report, "duplicate_id", (
            (("proposals", "channels", i, "id"), c.id)
            for i, c in enumerate(lifecycle.channels))),
        *_repeats(report, "duplicate_state", (
            (("proposals", "states", i), s) for i, s in enumerate(lifecycle.states))),
        *_repeats(report, "duplicate_trigger", (
            (("proposals", "transitions", i, "trigger"), t.trigger)
            for i, t in enumerate(lifecycle.transitions))),
    ]


def check_timezone(defn: Definition, report: Reporter) -> list[Problem]:
    """Report a ``timezone`` that is not a known IANA time zone name."""
    try:
        ZoneInfo(defn.timezone)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return [report.problem(("timezone",), "bad_timezone", timezone=defn.timezone)]
    return []


CHECKS: tuple[Check, ...] = (
    check_duplicates,
    checks_ogp.check_ogp_links,
    check_timezone,
    checks_conditions.check_conditions,
    checks_phases.check_dates,
    checks_phases.check_reminders,
    checks_phases.check_activity_decisions,
    checks_phases.check_cycles,
    checks_committee.check_voters,
    checks_committee.check_quorum_rules,
    checks_committee.check_quorum_reach,
    checks_committee.check_committee_sizes,
    checks_proposals.check_state_names,
    checks_proposals.check_reachable,
    checks_proposals.check_dead_ends,
    checks_fields.check_fields,
    checks_fields.check_supports,
    checks_notices.check_notice_rules,
    checks_commitments.check_template,
    checks_commitments.check_commitment_states,
    checks_commitments.check_commitment_graph,
    checks_commitments.check_commitment_fields,
)
