"""Checks of the commitments: OGP's template as the process asks for it, and its lifecycle.

A template names only OGP's fields (:data:`definitions.commitments.TEMPLATE`), each
once, and asks for those the engine needs. The lifecycle names only its declared
states; every state is reached from ``initial`` (the evaluator's assessment leads
from each ``assessable`` state to ``assessed``), no trigger leads to ``assessed``
(only the evaluator does) and no trigger ends where nothing leaves. Milestones come
with each commitment, so their dates are checked when one is drafted.
"""

from __future__ import annotations

from definitions import schema
from definitions.checks_conditions import ids, unknown
from definitions.checks_proposals import reachable
from definitions.commitments import NEEDED, TEMPLATE
from definitions.errors import Problem
from definitions.problems import Reporter
from definitions.problems import repeats as _repeats
from definitions.yamlpos import YamlPath

AT = ("commitments",)


def check_template(defn: schema.Definition, report: Reporter) -> list[Problem]:
    """Report a template field OGP does not have, one asked twice, a needed one missing."""
    lifecycle = defn.commitments
    if lifecycle is None:
        return []
    template = lifecycle.template
    problems = [p for i, f in enumerate(template)
                for p in unknown(report, (*AT, "template", i, "field"), "template_field",
                                 f.field, TEMPLATE, "template_fields")]
    problems += _repeats(report, "duplicate_field", (
        ((*AT, "template", i, "field"), f.field) for i, f in enumerate(template)))
    asked = {f.field: f for f in template}
    problems += [report.problem((*AT, "template"), "template_needs", field=name)
                 for name in NEEDED if name not in asked or not asked[name].required]
    return problems


def check_commitment_states(defn: schema.Definition, report: Reporter) -> list[Problem]:
    """Report states repeated or unknown wherever the lifecycle names one, triggers repeated."""
    lifecycle = defn.commitments
    if lifecycle is None:
        return []
    states = ids(lifecycle.states)
    named: list[tuple[YamlPath, str]] = [((*AT, "initial"), lifecycle.initial),
                                         ((*AT, "assessed"), lifecycle.assessed)]
    for key in ("final", "drafting", "implementation", "assessable"):
        named += [((*AT, key, k), state) for k, state in enumerate(getattr(lifecycle, key))]
    for i, t in enumerate(lifecycle.transitions):
        named += [((*AT, "transitions", i, "source", k), s) for k, s in enumerate(t.source)]
        named.append(((*AT, "transitions", i, "dest"), t.dest))
    problems = [p for path, state in named for p in unknown(report, path, "state", state, states)]
    problems += _repeats(report, "duplicate_state", (
        ((*AT, "states", i), s) for i, s in enumerate(lifecycle.states)))
    problems += _repeats(report, "duplicate_trigger", (
        ((*AT, "transitions", i, "trigger"), t.trigger)
        for i, t in enumerate(lifecycle.transitions)))
    return problems


def check_commitment_graph(defn: schema.Definition, report: Reporter) -> list[Problem]:
    """Report unreachable states, triggers into ``assessed``, and sets that overlap."""
    lifecycle = defn.commitments
    if lifecycle is None or lifecycle.initial not in lifecycle.states:
        return []
    reached = reachable(lifecycle)
    if reached & set(lifecycle.assessable):
        reached |= reachable(lifecycle, lifecycle.assessed)
    problems = [report.problem((*AT, "states", k), "unreachable_state", state=state,
                               initial=lifecycle.initial)
                for k, state in enumerate(lifecycle.states) if state not in reached]
    problems += [report.problem((*AT, "transitions", i, "dest"), "assessed_by_trigger",
                                trigger=t.trigger, state=t.dest)
                 for i, t in enumerate(lifecycle.transitions) if t.dest == lifecycle.assessed]
    problems += [report.problem((*AT, "assessable", k), "assessed_assessable", state=state)
                 for k, state in enumerate(lifecycle.assessable) if state == lifecycle.assessed]
    problems += [report.problem((*AT, "implementation", k), "drafting_implementation",
                                state=state)
                 for k, state in enumerate(lifecycle.implementation)
                 if state in lifecycle.before_approval]
    return problems + _dead_ends(lifecycle, report)


def _dead_ends(lifecycle: schema.CommitmentLifecycle, report: Reporter) -> list[Problem]:
    """Report triggers leading where none leaves, neither final nor assessable."""
    left = {state for t in lifecycle.transitions for state in t.source}
    ends = {*lifecycle.final, *lifecycle.assessable, lifecycle.assessed}
    return [report.problem((*AT, "transitions", i, "dest"), "dead_end", trigger=t.trigger,
                           state=t.dest)
            for i, t in enumerate(lifecycle.transitions)
            if t.dest in lifecycle.states and t.dest not in ends | left]


def check_commitment_fields(defn: schema.Definition, report: Reporter) -> list[Problem]:
    """Report commitment triggers that declare a proposal field (a commitment links instead)."""
    lifecycle = defn.commitments
    if lifecycle is None:
        return []
    return [report.problem((*AT, "transitions", i, "fields", j, "type"),
                           "commitment_field_proposal", field=spec.name)
            for i, t in enumerate(lifecycle.transitions)
            for j, spec in enumerate(t.fields) if spec.kind == "proposal"]
