"""Checks of the dated phases: their dates, their activities, and cycles between them.

Phases wait on each other through ``phase_open`` and ``phase_closed``
conditions. If phase A waits on B and B (directly or through others) on A,
neither can move: such a cycle is reported with the phases that form it. They
are found in time linear in the phases and their conditions (Tarjan's strongly
connected components, with a stack of its own rather than recursion), so a
definition of thousands of chained phases checks at once.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

from definitions import schema
from definitions.checks_conditions import Known, unknown
from definitions.days import FIRST_DAY, LAST_DAY, in_range
from definitions.errors import Problem
from definitions.messages import say
from definitions.problems import Reporter
from definitions.yamlpos import YamlPath

Edges = dict[str, list[tuple[str, YamlPath]]]
_CYCLE_SHOWN = 12
"""The most phases a cycle's message names; a longer cycle is shown without its middle."""


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
        seen: set[int] = set()
        for j, days in enumerate(phase.reminders):
            path = ("phases", i, "reminders", j)
            if days in seen:
                problems.append(report.problem(path, "duplicate_reminder", days=days))
            elif days >= length > 0:
                lo = report.locale
                problems.append(report.problem(
                    path, "reminder_before_open", phase=phase.id,
                    days=say(lo, "count.days", count=days), length=say(lo, "count.days",
                                                                       count=length)))
            seen.add(days)
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
    """Report one cycle of each group of phases waiting on each other, at its first condition.

    The groups are the strongly connected components of the waiting graph (linear
    time); in each, the cycle reported is the shortest one through the group's first
    phase, in the order of the definition.
    """
    edges = _edges(defn)
    order = {phase: i for i, phase in enumerate(edges)}
    problems: list[Problem] = []
    for group in sorted(_cyclic_components(edges), key=lambda g: min(map(order.__getitem__, g))):
        start = min(group, key=order.__getitem__)
        cycle = _cycle_through(start, edges, group)
        path = next(p for target, p in edges[start] if target == cycle[1])
        problems.append(report.problem(path, "phase_cycle", cycle=_spell(cycle)))
    return problems


def _spell(cycle: list[str]) -> str:
    """Write a cycle as ``a → b → a``; one of more than 12 phases without its middle ones."""
    shown = cycle if len(cycle) <= _CYCLE_SHOWN + 1 else [*cycle[:8], "…", *cycle[-4:]]
    return " → ".join(shown)


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


def _cyclic_components(edges: Edges) -> list[set[str]]:
    """Return the strongly connected components that hold a cycle, in the order they close.

    A component holds a cycle when it has more than one phase, or one phase waiting on itself.
    """
    components = _Components(edges)
    for phase in edges:
        if phase not in components.index:
            components.walk_from(phase)
    return [group for group in components.found
            if len(group) > 1 or any(t in group for t, _ in edges[next(iter(group))])]


class _Components:
    """Tarjan's strongly connected components, depth first with a stack of its own."""

    def __init__(self, edges: Edges) -> None:
        self.edges = edges
        self.index: dict[str, int] = {}
        self.low: dict[str, int] = {}
        self.stack: list[str] = []
        self.on_stack: set[str] = set()
        self.found: list[set[str]] = []

    def walk_from(self, root: str) -> None:
        """Visit every phase reachable from ``root``, recording each component it closes."""
        walk = [self._enter(root)]
        while walk:
            node, targets = walk[-1]
            target = next((t for t, _ in targets if t not in self.index or t in self.on_stack),
                          None)
            if target is None:
                walk.pop()
                self._leave(node, walk[-1][0] if walk else None)
            elif target in self.index:
                self.low[node] = min(self.low[node], self.index[target])
            else:
                walk.append(self._enter(target))

    def _enter(self, node: str) -> tuple[str, Iterator[tuple[str, YamlPath]]]:
        self.index[node] = self.low[node] = len(self.index)
        self.stack.append(node)
        self.on_stack.add(node)
        return node, iter(self.edges[node])

    def _leave(self, node: str, parent: str | None) -> None:
        if parent is not None:
            self.low[parent] = min(self.low[parent], self.low[node])
        if self.low[node] != self.index[node]:
            return
        group: set[str] = set()
        while node not in group:
            member = self.stack.pop()
            self.on_stack.discard(member)
            group.add(member)
        self.found.append(group)


def _cycle_through(start: str, edges: Edges, group: set[str]) -> list[str]:
    """Return the shortest cycle ``start → ... → start`` within ``group`` (one exists)."""
    parents: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for target, _ in edges[node]:
            if target == start:
                return [*_trail(start, node, parents), start]
            if target in group and target not in parents:
                parents[target] = node
                queue.append(target)
    raise AssertionError(f"{start} is in a cyclic component but on no cycle")


def _trail(start: str, node: str, parents: dict[str, str]) -> list[str]:
    trail = [node]
    while trail[-1] != start:
        trail.append(parents[trail[-1]])
    return trail[::-1]
