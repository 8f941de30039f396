"""Checks of the dated phases: their dates, their activities, and cycles between them.

Phases wait on each other through ``phase_open`` and ``phase_closed``
conditions. If phase A waits on B and B (directly or through others) on A,
neither can move: such a cycle is reported with the phases that form it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

from definitions import schema
from definitions.checks_conditions import Known, unknown
from definitions.days import FIRST_DAY, LAST_DAY, in_range
from definitions.problems import Reporter
from definitions.yamlpos import YamlPath
from workflow.errors import Problem

Edges = dict[str, list[tuple[str, YamlPath]]]


def check_dates(defn: schema.Definition, report: Reporter) -> list[Problem]:
    """Report dates cocrea cannot plan, and phases that close before they open.

    (A one-day phase is fine.)
    """
    problems = [
        report.problem(("phases", i, key), "day_out_of_range", field=key, day=day.isoformat(),
                       first=FIRST_DAY.isoformat(), last=LAST_DAY.isoformat())
        for i, phase in enumerate(defn.phases)
        for key, day in (("starts", phase.starts), ("ends", phase.ends))
        if not in_range(day)
    ]
    return problems + [
        report.problem(("phases", i, "ends"), "closes_before_opens", phase=phase.id,
                       starts=phase.starts.isoformat(), ends=phase.ends.isoformat())
        for i, phase in enumerate(defn.phases)
        if phase.ends < phase.starts
    ]


def check_reminders(defn: schema.Definition, report: Reporter) -> list[Problem]:
    """Report reminders repeated, or due before their phase opens (N ≥ its length in days)."""
    problems: list[Problem] = []
    for i, phase in enumerate(defn.phases):
        length = (phase.ends - phase.starts).days + 1
        for j, days in enumerate(phase.reminders):
            path = ("phases", i, "reminders", j)
            if days in phase.reminders[:j]:
                problems.append(report.problem(path, "duplicate_reminder", days=days))
            elif days >= length > 0:
                problems.append(report.problem(path, "reminder_before_open", days=days,
                                               phase=phase.id, length=length))
    return problems


def check_activity_decisions(defn: schema.Definition, report: Reporter) -> list[Problem]:
    """Report every activity whose ``decision`` names no decision of the committee."""
    decisions = Known.of(defn).decisions
    return [
        problem
        for i, phase in enumerate(defn.phases)
        for j, activity in enumerate(phase.activities)
        if activity.decision is not None
        for problem in unknown(report, ("phases", i, "activities", j, "decision"), "decision",
                               activity.decision, decisions)
    ]


def check_cycles(defn: schema.Definition, report: Reporter) -> list[Problem]:
    """Report each cycle of phases waiting on each other, at its first condition."""
    edges = _edges(defn)
    problems: list[Problem] = []
    seen: set[frozenset[str]] = set()
    for phase in defn.phases:
        cycle = _cycle_through(phase.id, edges)
        if cycle is None or frozenset(cycle) in seen:
            continue
        seen.add(frozenset(cycle))
        path = next(p for target, p in edges[phase.id] if target == cycle[1])
        problems.append(report.problem(path, "phase_cycle", cycle=" → ".join(cycle)))
    return problems


def _edges(defn: schema.Definition) -> Edges:
    """Map each phase to the phases its conditions wait on, with each condition's path."""
    known = set(Known.of(defn).phases)
    edges: Edges = {phase.id: [] for phase in defn.phases}
    for phase, target, path in _phase_references(defn):
        if target in known:
            edges[phase].append((target, path))
    return edges


def _phase_references(defn: schema.Definition) -> Iterator[tuple[str, str, YamlPath]]:
    """Yield (phase, the phase it names, path) for each phase condition; skip repeated ids."""
    seen: set[str] = set()
    for i, phase in enumerate(defn.phases):
        if phase.id in seen:
            continue
        seen.add(phase.id)
        for key in ("open_when", "close_when"):
            for j, cond in enumerate(getattr(phase, key)):
                if isinstance(cond, schema.PhaseOpen | schema.PhaseClosed):
                    yield phase.id, cond.phase, ("phases", i, key, j, "phase")


def _cycle_through(start: str, edges: Edges) -> list[str] | None:
    """Return the shortest cycle ``start → ... → start``, or None when there is none."""
    parents: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for target, _ in edges.get(node, []):
            if target == start:
                return [*_trail(start, node, parents), start]
            if target not in parents:
                parents[target] = node
                queue.append(target)
    return None


def _trail(start: str, node: str, parents: dict[str, str]) -> list[str]:
    trail = [node]
    while trail[-1] != start:
        trail.append(parents[trail[-1]])
    return trail[::-1]
