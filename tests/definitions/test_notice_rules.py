"""The notification rules of a definition: what they name, and audiences that fit."""

from __future__ import annotations

from definitions.loader import parse_definition
from tests.definitions.sample import cuenca_yaml, edit, line_of, only_problem, problems_of

WEBHOOK_RULE = "    decisions: [aprobacion_compromisos]\n    to: [public]\n    by: webhook"


def test_the_shipped_rules_tell_staff_committee_pending_voters_proponents_and_the_public() -> None:
    rules = parse_definition(cuenca_yaml(), "cuenca.yaml").notifications

    assert [(r.events[0], r.to, r.by) for r in rules] == [
        ("phase_opened", ("staff", "committee"), "email"),
        ("decision_waiting", ("pending_voters",), "email"),
        ("proposal_answered", ("proponent",), "email"),
        ("decision_approved", ("public",), "webhook"),
        ("milestone_due_soon", ("staff", "implementing_agency"), "email"),
        ("commitment_approved", ("staff", "implementing_agency"), "email"),
        ("commitment_approved", ("public",), "webhook")]


def test_a_rule_naming_an_unknown_decision_is_reported_at_its_line_with_a_suggestion() -> None:
    text = edit(cuenca_yaml(), "decisions: [aprobacion_compromisos]",
                "decisions: [aprobacion_compromiso]")

    problem = only_problem(text)

    assert (problem.path, problem.line) == ("notifications[3].decisions[0]",
                                            line_of(text, "decisions: [aprobacion_compromiso]"))
    assert problem.message == ("referencia a una decisión desconocida 'aprobacion_compromiso';"
                               " ¿quiso decir 'aprobacion_compromisos'?")


def test_people_are_not_told_by_webhook_nor_the_public_by_email() -> None:
    text = edit(cuenca_yaml(), WEBHOOK_RULE,
                "    decisions: [aprobacion_compromisos]\n    to: [public, staff]\n    by: email")

    problems = problems_of(text)

    assert [(p.path, p.message) for p in problems] == [
        ("notifications[3].to[0]", "'public' no se puede avisar por 'email': el público se "
                                   "avisa por webhook y las personas por email (o 'log')")]


def test_a_proponent_exists_only_when_a_proposal_is_answered() -> None:
    text = edit(cuenca_yaml(), "    to: [pending_voters]", "    to: [pending_voters, proponent]")

    problem = only_problem(text)

    assert problem.path == "notifications[1].to[1]"
    assert problem.message == ("'proponent' solo existe en los momentos proposal_answered; "
                               "sepárelo en una regla propia")


def test_narrowing_to_phases_needs_a_phase_moment() -> None:
    text = edit(cuenca_yaml(), "    to: [pending_voters]",
                "    phases: [consolidacion]\n    to: [pending_voters]")

    assert only_problem(text).message.startswith("'phases' solo sirve con momentos phase_opened")


def test_an_unknown_moment_lists_the_valid_ones() -> None:
    text = edit(cuenca_yaml(), "  - events: [proposal_answered]",
                "  - events: [proposal_received]")

    problem = only_problem(text)

    assert problem.path == "notifications[2].events[0]"
    assert "'proposal_received'" in problem.message and "proposal_answered" in problem.message


def test_on_as_a_key_is_explained_since_yaml_reads_it_as_true() -> None:
    text = edit(cuenca_yaml(), "  - events: [proposal_answered]", "  - on: [proposal_answered]")

    messages = [p.message for p in problems_of(text)]

    assert any("YAML lee on, off, yes y no como true o false" in m for m in messages)
