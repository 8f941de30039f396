"""A definition's own trigger fields and public supports: what `check` says of them, and where."""

from __future__ import annotations

import pytest

from definitions.loader import parse_definition
from tests.definitions.sample import edit, line_of, minimal_yaml, only_problem

RESPONSE = """      fields:
        - name: response
"""


def with_fields(spec: str) -> str:
    """The sample with the `responder` trigger taking ``spec`` (YAML list items) as well."""
    return edit(minimal_yaml(), RESPONSE, RESPONSE + spec)


def with_guard(guard: str, fields: str = "") -> str:
    """The sample with ``guard`` added to `responder`'s conditions (and ``fields``)."""
    text = with_fields(fields) if fields else minimal_yaml()
    return edit(text, "        - kind: field_given\n          field: response\n",
                "        - kind: field_given\n          field: response\n" + guard)


SUPPORTS = """  supports:
    states: [admitida]
    phases: [propuestas]
"""


def with_supports(text: str, rule: str = SUPPORTS) -> str:
    return edit(text, "  submit_when:\n", rule + "  submit_when:\n")


def test_fields_of_every_type_are_accepted_and_read_by_their_type() -> None:
    text = with_fields("""        - {name: cost, type: integer, minimum: 0, maximum: 1000}
        - {name: due, type: date, required: false}
        - {name: link, type: url, required: false, label: Sheet}
        - {name: level, type: choice, options: [low, high]}
        - {name: note, type: text, min_length: 3, max_length: 50}
        - {name: twin, type: proposal, required: false}
""")
    responder = parse_definition(text).proposals.transitions[1]
    assert [f.kind for f in responder.fields] == ["text", "integer", "date", "url", "choice",
                                                  "text", "proposal"]


def test_a_field_named_twice_in_one_trigger_is_reported_at_the_second() -> None:
    text = with_fields("        - name: response\n")
    problem = only_problem(text, "en")
    assert problem.line == line_of(text, "- name: response") + 1
    assert problem.message == "the field 'response' is declared twice in the trigger 'responder'"


@pytest.mark.parametrize(("spec", "needle", "message"), [
    ("- {name: into, type: text}", "type: text",
     "the field 'into' has a meaning of its own: its type must be 'proposal'"),
    ("- {name: cost, type: text, minimum: 3}", "minimum: 3",
     "'minimum' only fits fields of type 'integer' (this one is 'text')"),
    ("- {name: level, type: choice}", "type: choice",
     "the field 'level' is a 'choice': give its 'options'"),
    ("- {name: cost, type: integer, minimum: 9, maximum: 3}", "minimum: 9",
     "'minimum' is greater than 'maximum'"),
])
def test_a_field_whose_options_do_not_fit_its_type_is_reported_at_its_line(
        spec: str, needle: str, message: str) -> None:
    text = with_fields(f"        {spec}\n")
    problem = only_problem(text, "en")
    assert (problem.line, problem.message) == (line_of(text, needle), message)


def test_field_at_least_needs_a_whole_number_field_of_its_trigger() -> None:
    text = with_guard("        - {kind: field_at_least, field: level, value: 2}\n",
                      "        - {name: level, type: choice, options: [low, high]}\n")
    problem = only_problem(text, "en")
    assert problem.message == ("'field_at_least' compares whole numbers, but the field 'level'"
                               " is of type 'choice'")


def test_field_in_a_choice_names_only_its_options() -> None:
    text = with_guard("        - {kind: field_in, field: level, values: [high, urgent]}\n",
                      "        - {name: level, type: choice, options: [low, high]}\n")
    problem = only_problem(text, "en")
    assert problem.message == "'urgent' is not one of the options of the field 'level' (low, high)"


def test_supports_at_least_needs_the_definition_to_take_supports() -> None:
    text = with_guard("        - {kind: supports_at_least, count: 3}\n")
    problem = only_problem(text, "en")
    assert problem.line == line_of(text, "supports_at_least")
    assert "declare 'proposals.supports'" in problem.message


def test_a_support_rule_names_declared_states_and_phases() -> None:
    text = with_supports(minimal_yaml(), "  supports:\n    states: [publicada]\n"
                                         "    phases: [propuestas]\n")
    problem = only_problem(text, "en")
    assert problem.line == line_of(text, "states: [publicada]")
    assert "unknown state 'publicada'" in problem.message


def test_supports_at_least_in_a_trigger_counts_the_proposal_and_takes_no_states() -> None:
    text = with_supports(with_guard(
        "        - {kind: supports_at_least, count: 3, states: [admitida]}\n"))
    problem = only_problem(text, "en")
    assert "only fits a phase" in problem.message


def test_a_definition_with_supports_and_its_guards_is_valid() -> None:
    text = with_supports(with_guard("        - {kind: supports_at_least, count: 3}\n"))
    assert parse_definition(text).proposals.supports is not None
