"""Commitments in a definition: OGP's template and the lifecycle, every problem at its line."""

from __future__ import annotations

import pytest

from definitions.commitment_loader import parse_commitment
from definitions.commitments import value_words
from definitions.loader import parse_definition
from tests.definitions.sample import cuenca_yaml, edit, line_of, only_problem, problems_of
from workflow.domain.errors import DefinitionError

CUENCA = cuenca_yaml()


def test_cuencas_commitments_follow_ogps_template_with_spanish_labels() -> None:
    lifecycle = parse_definition(CUENCA).commitments

    assert lifecycle is not None
    assert [(f.field, f.label, f.required) for f in lifecycle.template][:3] == [
        ("title", "Título del compromiso", True),
        ("problem", "Problema público que aborda", True),
        ("causes", "Causas del problema", False)]
    assert lifecycle.states == ("borrador", "presentado", "aprobado", "en_implementacion",
                                "completado", "cerrado_incompleto", "evaluado")
    assert (lifecycle.assessable, lifecycle.assessed) == (("completado", "cerrado_incompleto"),
                                                          "evaluado")


def test_a_template_field_ogp_does_not_have_is_reported_with_the_close_name() -> None:
    text = edit(CUENCA, "{field: contribution,", "{field: contributions,")

    problem = only_problem(text)

    assert (problem.path, problem.line) == ("commitments.template[4].field",
                                            line_of(text, "field: contributions"))
    assert problem.message == ("'contributions' no es un campo de la plantilla de compromisos"
                               " de OGP; ¿quiso decir 'contribution'?")


def test_the_template_must_ask_for_what_cocrea_names_dates_and_binds_commitments_by() -> None:
    text = edit(CUENCA, '{field: lead_agency, label: "Entidad implementadora líder"}',
                '{field: lead_agency, label: "Entidad", required: false}')

    problem = only_problem(text)

    assert (problem.path, problem.line) == ("commitments.template",
                                            line_of(text, "  template:"))
    assert "'lead_agency' como obligatorio" in problem.message


def test_an_unknown_state_a_trigger_into_the_assessed_state_and_unreachable_states() -> None:
    text = edit(CUENCA, "      dest: completado\n", "      dest: evaluado\n")
    text = edit(text, "      source: [presentado]\n      dest: borrador\n",
                "      source: [presentada]\n      dest: borrador\n")

    problems = problems_of(text, "en")

    assert [(p.path, p.line) for p in problems] == [
        ("commitments.states[4]", line_of(text, "states: [borrador,")),
        ("commitments.transitions[1].source[0]", line_of(text, "source: [presentada]")),
        ("commitments.transitions[4].dest", line_of(text, "dest: evaluado")),
    ]
    assert problems[0].message == "the state 'completado' cannot be reached from 'borrador'"
    assert problems[1].message == ("reference to an unknown state 'presentada';"
                                   " did you mean 'presentado'?")
    assert problems[2].message == ("the trigger 'completar' leads to 'evaluado', the state only"
                                   " the independent assessment leads to")


def test_a_commitment_trigger_naming_an_unknown_decision_is_reported_at_its_line() -> None:
    text = edit(CUENCA, "decision: modificacion_compromisos\n",
                "decision: modificacion_compromiso\n")

    problem = only_problem(text)

    assert (problem.path, problem.line) == ("commitments.revise_when[0].decision",
                                            line_of(text, "decision: modificacion_compromiso\n"))
    assert problem.message.endswith("¿quiso decir 'modificacion_compromisos'?")


def test_guards_about_one_commitment_stand_only_in_commitments_and_the_link_guard_in_phases(
) -> None:
    text = edit(CUENCA, "      - kind: proposals_linked\n        states: [incorporada]\n",
                "      - kind: milestones_done\n")
    text = edit(text, "        - kind: links_proposal\n",
                "        - kind: proposals_linked\n          states: [incorporada]\n")

    problems = problems_of(text)

    assert [(p.path, p.message) for p in problems] == [
        ("phases[6].close_when[2].kind", "la condición 'milestones_done' solo se puede usar en"
         " un disparador o en 'revise_when' de los compromisos"),
        ("commitments.transitions[0].when[1].kind",
         "la condición 'proposals_linked' solo se puede usar en las condiciones de una fase")]


def test_a_process_without_commitments_cannot_name_them() -> None:
    start = CUENCA.index("commitments:\n  template:")
    text = CUENCA[:start] + CUENCA[CUENCA.index("# Quién recibe qué aviso"):]

    problems = problems_of(text, "en")

    assert [p.path for p in problems] == [
        "phases[6].close_when[2].kind", "notifications[4].events[0]",
        "notifications[4].events[1]", "notifications[5].events[0]", "notifications[5].events[1]",
        "notifications[6].events[0]", "notifications[6].events[1]"]
    assert problems[0].message == ("'proposals_linked' is about commitments, but the definition"
                                   " declares no 'commitments'")


def test_the_implementing_agency_is_told_only_of_a_commitments_moments() -> None:
    text = edit(CUENCA, "to: [staff, committee]\n", "to: [staff, implementing_agency]\n")

    problem = only_problem(text)

    assert problem.path == "notifications[0].to[1]"
    assert "'implementing_agency' solo existe en los momentos commitment_approved" in (
        problem.message)


# --- a commitment written as YAML ---------------------------------------------------------

LIFECYCLE = parse_definition(CUENCA).commitments
assert LIFECYCLE is not None

COMMITMENT = """\
title: Cuenca Transparente
problem: La ciudadanía no encuentra la información pública que necesita.
description: Un portal de acceso a la información con solicitudes en línea.
contribution: Reduce el tiempo y el costo de pedir información.
ogp_values: [transparency, civic_participation]
lead_agency: Dirección de Comunicación
starts: 2023-02-01
ends: 2024-06-30
milestones:
  - description: Formulario en línea de solicitudes
    output: Formulario publicado
    starts: 2023-02-01
    due: 2023-06-30
    responsible: Dirección de Tecnologías
  - description: Fichas en lenguaje claro
    output: 40 fichas
    starts: 2023-07-01
    due: 2024-07-31
    responsible: Dirección de Comunicación
proposals: [p2, p14]
"""


def test_a_commitment_file_reads_as_the_template_says() -> None:
    text = edit(COMMITMENT, "due: 2024-07-31", "due: 2024-06-30")

    content = parse_commitment(text, "c.yaml", LIFECYCLE, "es", draft=True)

    assert content.given()["ogp_values"] == ["transparency", "civic_participation"]
    assert [m.due.isoformat() for m in content.milestones if m.due] == ["2023-06-30",
                                                                         "2024-06-30"]
    assert content.proposals == ("p2", "p14")


def test_ogps_values_are_named_in_the_plans_language() -> None:
    values = ["transparency", "civic_participation", "public_accountability",
              "technology_innovation"]

    assert value_words(values, "es") == ("transparencia, participación ciudadana, rendición de"
                                         " cuentas pública, tecnología e innovación")
    assert value_words(values, "en") == ("transparency, civic participation, public"
                                         " accountability, technology and innovation")


def test_every_problem_of_a_commitment_file_is_told_with_its_line() -> None:
    text = edit(COMMITMENT, "ogp_values: [transparency, civic_participation]",
                "ogp_values: [technology_innovation, openness]")
    text = edit(text, "contribution: Reduce el tiempo y el costo de pedir información.\n", "")

    with pytest.raises(DefinitionError) as caught:
        parse_commitment(text, "c.yaml", LIFECYCLE, "es", draft=True)

    assert [(p.path, p.line, p.message) for p in caught.value.problems] == [
        ("contribution", 1, "falta «¿Cómo contribuye a resolver el problema?», que la"
         " plantilla pide"),
        ("ogp_values[1]", line_of(text, "ogp_values:"), "'openness' no es un valor de OGP"
         " (valores: transparency, civic_participation, public_accountability,"
         " technology_innovation)"),
        ("ogp_values", line_of(text, "ogp_values:"), "un compromiso promueve al menos uno de"
         " estos valores de OGP: transparency, civic_participation, public_accountability"),
        ("milestones[1].due", line_of(text, "due: 2024-07-31"),
         "2024-07-31 está fuera de las fechas del compromiso (2023-02-01 a 2024-06-30)"),
    ]


def test_a_field_the_template_does_not_have_is_a_shape_problem_naming_the_valid_ones() -> None:
    with pytest.raises(DefinitionError) as caught:
        parse_commitment(COMMITMENT + "cost: 1000\n", "c.yaml", LIFECYCLE, "en", draft=True)

    problem, = caught.value.problems
    assert (problem.path, problem.line) == ("cost", COMMITMENT.count("\n") + 1)
    assert "valid fields: title, problem" in problem.message
