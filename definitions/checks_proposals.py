"""Checks of the proposal lifecycle: declared states, and a graph that can be walked.

Every state must be reachable from ``initial`` through the declared triggers,
and every trigger must lead somewhere a proposal can leave again, unless the
state it leads to is final (a final state may still have triggers out of it).
"""

from __future__ import annotations

from collections import deque

from definitions import schema
from definitions.checks_conditions import ids, unknown
from definitions.errors import Problem
from definitions.problems import Reporter


def check_state_names(defn: schema.Definition, report: Reporter) -> list[Problem]:
    """Report ``initial``, ``final``, ``source`` and ``dest`` entries naming no declared state."""
    lifecycle, path = defn.proposals, ("proposals",)
    states = ids(lifecycle.states)
    problems = unknown(report, (*path, "initial"), "state", lifecycle.initial, states)
    for k, state in enumerate(lifecycle.final):
        problems += unknown(report, (*path, "final", k), "state", state, states)
    for i, transition in enumerate(lifecycle.transitions):
        at = (*path, "transitions", i)
        for k, state in enumerate(transition.source):
            problems += unknown(report, (*at, "source", k), "state", state, states)
        problems += unknown(report, (*at, "dest"), "state", transition.dest, states)
    return problems


def check_reachable(defn: schema.Definition, report: Reporter) -> list[Problem]:
    """Report every declared state no chain of triggers leads to from ``initial``."""
    lifecycle = defn.proposals
    if lifecycle.initial not in lifecycle.states:
        return []
    reached = reachable(lifecycle)
    return [
        report.problem(("proposals", "states", k), "unreachable_state", state=state,
                       initial=lifecycle.initial)
        for k, state in enumerate(lifecycle.states)
        if state not in reached
    ]


def check_dead_ends(defn: schema.Definition, report: Reporter) -> list[Problem]:
    """Report every trigger leading to a state that is not final and that no trigger leaves."""
    lifecycle = defn.proposals
    left = {state for t in lifecycle.transitions for state in t.source}
    states, final = set(lifecycle.states), set(lifecycle.final)
    return [
        report.problem(("proposals", "transitions", i, "dest"), "dead_end",
                       trigger=t.trigger, state=t.dest)
        for i, t in enumerate(lifecycle.transitions)
        if t.dest in states and t.dest not in final and t.dest not in left
    ]


def reachable(lifecycle: schema.ProposalLifecycle | schema.CommitmentLifecycle,
              start: str | None = None) -> set[str]:
    """Return the states reachable from ``start`` (default: ``initial``; itself included)."""
    leading: dict[str, list[str]] = {}
    for transition in lifecycle.transitions:
        for source in dict.fromkeys(transition.source):
            leading.setdefault(source, []).append(transition.dest)
    first = lifecycle.initial if start is None else start
    reached, queue = {first}, deque([first])
    while queue:
        for dest in leading.get(queue.popleft(), ()):
            if dest not in reached:
                reached.add(dest)
                queue.append(dest)
    return reached
