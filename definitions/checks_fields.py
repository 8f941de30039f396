"""Checks of what a proposal trigger takes (its declared fields) and of public supports.

A field's options fit its type (bounds for whole numbers, lengths for text, a
list for a choice), ``response`` stays text and ``into`` a proposal, and no name is
declared twice in one trigger. Supports count only in declared states and phases.
"""

from __future__ import annotations

from definitions import schema
from definitions.checks_conditions import Known, unknown
from definitions.errors import Problem
from definitions.problems import Reporter
from definitions.yamlpos import YamlPath

RESERVED = {"response": "text", "into": "proposal"}
"""The field names with a meaning of their own, and the type each must have."""

ONLY_FOR = (("min_length", "text"), ("max_length", "text"), ("minimum", "integer"),
            ("maximum", "integer"), ("options", "choice"))
"""Each option of a field and the one type it belongs to."""


def check_fields(defn: schema.Definition, report: Reporter) -> list[Problem]:
    """Report every declared field whose options do not fit its type, or that is repeated."""
    problems: list[Problem] = []
    for i, transition in enumerate(defn.proposals.transitions):
        seen: set[str] = set()
        for j, spec in enumerate(transition.fields):
            at: YamlPath = ("proposals", "transitions", i, "fields", j)
            if spec.name in seen:
                problems.append(report.problem((*at, "name"), "field_repeated", field=spec.name,
                                               trigger=transition.trigger))
            seen.add(spec.name)
            problems += _field(spec, at, report)
    return problems


def _field(spec: schema.FieldSpec, at: YamlPath, report: Reporter) -> list[Problem]:
    kind, problems = spec.kind, []
    if spec.name in RESERVED and kind != RESERVED[spec.name]:
        problems.append(report.problem((*at, "type"), "field_reserved", field=spec.name,
                                       type=RESERVED[spec.name]))
    problems += [report.problem((*at, option), "field_option_type", option=option,
                                type=wanted, given=kind)
                 for option, wanted in ONLY_FOR if getattr(spec, option) and kind != wanted]
    if kind == "choice" and not spec.options:
        problems.append(report.problem((*at, "type"), "field_choice_options", field=spec.name))
    for low, high in (("min_length", "max_length"), ("minimum", "maximum")):
        if None not in (getattr(spec, low), getattr(spec, high)) and (
                getattr(spec, low) > getattr(spec, high)):
            problems.append(report.problem((*at, low), "field_bounds", low=low, high=high))
    return problems


def check_supports(defn: schema.Definition, report: Reporter) -> list[Problem]:
    """Report a support rule naming states or phases the definition does not declare."""
    rule = defn.proposals.supports
    if rule is None:
        return []
    known, at = Known.of(defn), ("proposals", "supports")
    problems = [p for k, state in enumerate(rule.states)
                for p in unknown(report, (*at, "states", k), "state", state, known.states)]
    problems += [p for k, phase in enumerate(rule.phases)
                 for p in unknown(report, (*at, "phases", k), "phase", phase, known.phases)]
    return problems
