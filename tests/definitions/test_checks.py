"""The meaning of a definition: references, dates, cycles, reachability and quorums."""

from __future__ import annotations

import pytest

from definitions.loader import parse_definition
from definitions.roles import ROLES, SYSTEM_ROLE
from tests.definitions.sample import (
    cuenca_yaml,
    edit,
    line_of,
    many_phases_yaml,
    minimal_yaml,
    only_problem,
    problems_of,
)

# --- dates and ids -------------------------------------------------------------------------


def test_a_phase_that_closes_before_it_opens_is_reported_at_its_ends_line() -> None:
    text = edit(cuenca_yaml(), "ends: 2022-08-19", "ends: 2022-07-01")

    problem = only_problem(text)

    assert (problem.path, problem.line) == ("phases[1].ends", line_of(text, "ends: 2022-07-01"))
    assert problem.message == (
        "la fase 'vision_estrategica' cierra (2022-07-01) antes de abrir (2022-07-18)")


def test_phase_dates_cocrea_cannot_plan_are_each_reported_at_their_line() -> None:
    text = edit(edit(cuenca_yaml(), "starts: 2022-07-11", "starts: 0001-01-01"),
                "ends: 2023-01-31", "ends: 9999-12-31")

    problems = problems_of(text)

    assert [(p.path, p.line) for p in problems] == [
        ("phases[0].starts", line_of(text, "starts: 0001-01-01")),
        ("phases[6].ends", line_of(text, "ends: 9999-12-31"))]
    assert problems[0].message == ("'starts' (0001-01-01) está fuera de las fechas que se "
                                   "admiten: de 1001-01-01 a 9998-12-31")


def test_a_phase_on_the_first_and_last_days_cocrea_plans_is_fine() -> None:
    parse_definition(edit(edit(minimal_yaml(), "starts: 2022-07-11", "starts: 1001-01-01"),
                          "ends: 2022-07-17", "ends: 9998-12-31"))


def test_a_one_day_phase_is_fine() -> None:
    parse_definition(edit(minimal_yaml(), "ends: 2022-07-17", "ends: 2022-07-11"))


def test_an_activity_id_used_in_two_phases_names_the_first_line() -> None:
    text = edit(cuenca_yaml(), "id: mesa_2", "id: mesa_1")

    problem = only_problem(text)

    first, second = line_of(text, "id: mesa_1"), line_of(text, "id: mesa_1", after="Mesa de")
    assert (problem.path, problem.line) == ("phases[4].activities[2].id", second)
    assert problem.message == f"id duplicado 'mesa_1' (ya definido en la línea {first})"


@pytest.mark.parametrize(
    ("old", "new", "path", "message"),
    [
        ("id: gobierno", "id: sociedad", "committee.groups[1].id", "id duplicado 'sociedad'"),
        ("id: propuestas", "id: inicio", "phases[1].id", "id duplicado 'inicio'"),
        ("number: 2", "number: 1", "phases[1].number", "número de fase duplicado 1"),
        ("admitida, respondida]", "admitida, admitida, respondida]", "proposals.states[2]",
         "estado duplicado 'admitida'"),
        ("trigger: responder", "trigger: admitir", "proposals.transitions[1].trigger",
         "disparador duplicado 'admitir'"),
    ],
)
def test_a_duplicate_is_reported_at_its_second_occurrence(
    old: str, new: str, path: str, message: str
) -> None:
    text = edit(minimal_yaml(), old, new)

    problem = problems_of(text)[0]

    assert problem.path == path
    assert problem.line == line_of(minimal_yaml(), old)
    assert problem.message.startswith(message)


def test_duplicate_decisions_and_channels_are_reported() -> None:
    text = edit(cuenca_yaml(), "id: aprobacion_compromisos", "id: designacion_evaluador")
    text = edit(text, "id: mesa\n", "id: online\n")

    problems = problems_of(text)

    assert [(p.path, p.line) for p in problems] == [
        ("committee.decisions[3].id",
         line_of(text, "id: designacion_evaluador", after="two_thirds")),
        # it named the renamed decision
        ("phases[6].activities[1].decision", line_of(text, "decision: aprobacion_compromisos")),
        ("proposals.channels[1].id", line_of(text, "id: online", after="name: Plataforma")),
        ("commitments.transitions[2].when[1].decision",
         line_of(text, "decision: aprobacion_compromisos", after="trigger: aprobar")),
        ("ogp.plan_approval", line_of(text, "plan_approval: aprobacion_compromisos")),
        ("notifications[3].decisions[0]", line_of(text, "decisions: [aprobacion_compromisos]")),
    ]


def test_an_unknown_timezone_is_reported() -> None:
    text = edit(minimal_yaml(), "America/Guayaquil", "America/Cuenca")

    problem = only_problem(text)

    assert (problem.path, problem.line) == ("timezone", 5)
    assert problem.message.startswith("zona horaria desconocida 'America/Cuenca'")


# --- references ----------------------------------------------------------------------------


def test_a_condition_naming_an_unknown_decision_is_reported() -> None:
    text = edit(minimal_yaml(), "decision_approved\n        decision: aprobacion",
                "decision_approved\n        decision: aprobacion_x")

    problem = only_problem(text)

    assert problem.path == "phases[0].close_when[0].decision"
    assert problem.line == line_of(text, "decision: aprobacion_x")
    assert problem.message.startswith("referencia a una decisión desconocida 'aprobacion_x'")


ACTIVITY_DECISION = "acción\n        decision: aprobacion_compromisos\n"
"""The decision of consolidation's activity (the commitments' trigger names it too)."""


def test_an_activity_naming_an_unknown_decision_is_reported() -> None:
    text = edit(cuenca_yaml(), ACTIVITY_DECISION, ACTIVITY_DECISION.replace("compromisos\n", "x\n"))

    problem = only_problem(text)

    assert (problem.path, problem.line) == ("phases[6].activities[1].decision",
                                            line_of(text, "decision: aprobacion_x"))


def test_an_unknown_phase_is_reported_with_a_suggestion() -> None:
    text = edit(minimal_yaml(), "phase: inicio", "phase: inico")

    problem = only_problem(text)

    assert (problem.path, problem.line) == ("phases[1].open_when[0].phase", line_of(text, "inico"))
    assert problem.message == "referencia a una fase desconocida 'inico'; ¿quiso decir 'inicio'?"


def test_an_unknown_activity_is_reported() -> None:
    text = edit(minimal_yaml(), "        phase: inicio",
                "        phase: inicio\n      - kind: activities_done\n        activities: [nada]")

    problem = only_problem(text)

    assert problem.path == "phases[1].open_when[1].activities[0]"
    assert problem.line == line_of(text, "activities: [nada]")
    assert problem.message.startswith("referencia a una actividad desconocida 'nada'")


def test_an_unknown_voting_group_is_reported() -> None:
    text = edit(minimal_yaml(), "{rule: majority}", "{rule: majority}\n      voters: [academia]")

    problem = only_problem(text)

    assert (problem.path, problem.line) == ("committee.decisions[0].voters[0]",
                                            line_of(text, "voters:"))
    assert problem.message == (
        "referencia a un grupo desconocido 'academia'; ids definidos: sociedad, gobierno")


@pytest.mark.parametrize(
    ("old", "new", "path"),
    [
        ("initial: recibida", "initial: recibido", "proposals.initial"),
        ("final: [respondida]", "final: [contestada]", "proposals.final[0]"),
        ("source: [admitida]", "source: [admitid]", "proposals.transitions[1].source[0]"),
        ("dest: respondida", "dest: contestada", "proposals.transitions[1].dest"),
    ],
)
def test_an_unknown_state_is_reported_where_it_is_named(old: str, new: str, path: str) -> None:
    text = edit(minimal_yaml(), old, new)

    problem = next(p for p in problems_of(text) if p.path == path)

    assert problem.line == line_of(text, new)
    assert problem.message.startswith("referencia a un estado desconocido")


def test_an_unknown_state_in_a_condition_is_reported() -> None:
    text = edit(cuenca_yaml(), "states: [respondida]\n      - kind: activities_done\n\n  - id: c",
                "states: [respondido]\n      - kind: activities_done\n\n  - id: c")

    problem = only_problem(text)

    assert (problem.path, problem.line) == ("phases[5].close_when[0].states[0]",
                                            line_of(text, "states: [respondido]"))
    assert problem.message == (
        "referencia a un estado desconocido 'respondido'; ¿quiso decir 'respondida'?")


def test_field_given_must_name_a_field_the_trigger_declares() -> None:
    text = edit(minimal_yaml(), "field: response", "field: into")

    problem = only_problem(text)

    assert problem.path == "proposals.transitions[1].when[0].field"
    assert problem.line == line_of(text, "field: into")
    assert problem.message == (
        "el campo 'into' no está declarado en 'fields' del disparador 'responder'")


# --- guard kinds where they make sense -----------------------------------------------------


def test_an_actor_role_condition_in_a_phase_is_reported() -> None:
    text = edit(minimal_yaml(), "      - kind: phase_closed\n        phase: inicio",
                "      - kind: actor_role\n        roles: [staff]")

    problem = only_problem(text)

    assert (problem.path, problem.line) == ("phases[1].open_when[0].kind",
                                            line_of(text, "kind: actor_role"))
    assert problem.message == (
        "la condición 'actor_role' solo se puede usar en el 'when' de un disparador de propuestas")


def test_a_field_given_condition_outside_a_trigger_is_reported() -> None:
    text = edit(minimal_yaml(), "    - kind: phase_open\n      phase: propuestas",
                "    - kind: field_given\n      field: response")

    problem = only_problem(text)

    assert problem.path == "proposals.submit_when[0].kind"


def test_activities_done_without_a_list_only_works_in_a_phase() -> None:
    text = edit(minimal_yaml(), "        - kind: actor_role", "        - kind: activities_done\n"
                "        - kind: actor_role")

    problem = only_problem(text)

    assert (problem.path, problem.line) == ("proposals.transitions[0].when[0]",
                                            line_of(text, "kind: activities_done"))
    assert problem.message.startswith("'activities_done' sin lista de actividades solo vale")


def test_an_actor_role_condition_may_guard_the_submission_of_proposals() -> None:
    parse_definition(edit(minimal_yaml(), "    - kind: phase_open\n      phase: propuestas",
                          "    - kind: actor_role\n      roles: [intake, staff]"))


def test_a_role_no_token_can_hold_is_reported_at_its_line_with_the_roles_cocrea_knows() -> None:
    text = edit(minimal_yaml(), "roles: [staff]", "roles: [staff, ciudadania]")

    problem = only_problem(text)

    assert (problem.path, problem.line) == ("proposals.transitions[0].when[0].roles[1]",
                                            line_of(text, "roles: [staff, ciudadania]"))
    assert problem.message == (
        "rol desconocido 'ciudadania': ningún token puede tenerlo; roles de cocrea: admin, "
        "staff, committee, evaluator, auditor, intake, implementer")


def test_a_misspelt_role_gets_the_close_one_suggested_in_the_definitions_language() -> None:
    text = edit(edit(minimal_yaml(), "roles: [staff]", "roles: [staf]"), "locale: es",
                "locale: en")

    assert only_problem(text, "en").message == (
        "unknown role 'staf': no token can hold it; did you mean 'staff'?")


def test_every_role_a_token_may_hold_may_be_named_by_a_definition() -> None:
    parse_definition(edit(minimal_yaml(), "roles: [staff]", f"roles: [{', '.join(ROLES)}]"))


def test_the_system_actors_role_is_not_one_a_definition_may_name() -> None:
    text = edit(minimal_yaml(), "roles: [staff]", f"roles: [{SYSTEM_ROLE}]")

    assert only_problem(text).path == "proposals.transitions[0].when[0].roles[0]"


# --- cycles between phases -----------------------------------------------------------------


def test_two_phases_waiting_on_each_other_are_a_named_cycle() -> None:
    text = edit(minimal_yaml(), "    close_when:\n      - kind: decision_approved\n"
                "        decision: aprobacion",
                "    open_when:\n      - kind: phase_open\n        phase: propuestas")

    problem = only_problem(text)

    assert (problem.path, problem.line) == ("phases[0].open_when[0].phase",
                                            line_of(text, "phase: propuestas"))
    assert problem.message == "ciclo entre condiciones de fases: inicio → propuestas → inicio"


def test_a_phase_naming_itself_is_a_cycle() -> None:
    text = edit(cuenca_yaml(), "phase: planeacion_inicial", "phase: vision_estrategica")

    problem = only_problem(text)

    assert (problem.path, problem.line) == ("phases[1].open_when[0].phase",
                                            line_of(text, "phase: vision_estrategica"))
    assert problem.message == (
        "ciclo entre condiciones de fases: vision_estrategica → vision_estrategica")


def test_a_longer_cycle_is_reported_once_with_every_phase() -> None:
    text = edit(cuenca_yaml(), "    close_when:\n      - kind: committee_size",
                "    open_when:\n      - kind: phase_closed\n        phase: designacion_evaluador\n"
                "    close_when:\n      - kind: committee_size")

    problem = only_problem(text)

    assert problem.message == (
        "ciclo entre condiciones de fases: planeacion_inicial → designacion_evaluador"
        " → vision_estrategica → planeacion_inicial")


def test_a_cycle_at_the_end_of_ten_thousand_chained_phases_is_found_at_its_line() -> None:
    text = edit(many_phases_yaml(10_000, chained=True), "        phase: fase_9990\n",
                "        phase: fase_9990\n      - kind: phase_open\n        phase: fase_9999\n")

    problem = only_problem(text)

    assert (problem.path, problem.line) == ("phases[9991].open_when[1].phase",
                                            line_of(text, "phase: fase_9999"))
    assert problem.message == ("ciclo entre condiciones de fases: fase_9991 → fase_9999 → "
                               "fase_9998 → fase_9997 → fase_9996 → fase_9995 → fase_9994 → "
                               "fase_9993 → fase_9992 → fase_9991")


def test_a_cycle_through_every_phase_is_found_and_told_without_its_middle() -> None:
    text = edit(many_phases_yaml(5_000, chained=True), "    title: Fase 0\n",
                "    title: Fase 0\n    open_when:\n      - kind: phase_closed\n"
                "        phase: fase_4999\n")

    problem = only_problem(text, "en")

    assert (problem.path, problem.line) == ("phases[0].open_when[0].phase",
                                            line_of(text, "phase: fase_4999"))
    assert problem.message == (
        "cycle between phase conditions: fase_0 → fase_4999 → fase_4998 → fase_4997 → "
        "fase_4996 → fase_4995 → fase_4994 → fase_4993 → … → fase_3 → fase_2 → fase_1 → fase_0")


def test_two_loops_through_one_phase_are_one_problem_naming_the_shorter_loop() -> None:
    text = edit(cuenca_yaml(), "    close_when:\n      - kind: committee_size",
                "    open_when:\n      - kind: phase_closed\n        phase: designacion_evaluador\n"
                "      - kind: phase_open\n        phase: vision_estrategica\n"
                "    close_when:\n      - kind: committee_size")

    problem = only_problem(text)

    assert problem.message == ("ciclo entre condiciones de fases: planeacion_inicial → "
                               "vision_estrategica → planeacion_inicial")


def test_a_phase_waiting_on_a_cycle_is_not_part_of_it() -> None:
    text = edit(many_phases_yaml(4, chained=True), "        phase: fase_0\n",
                "        phase: fase_0\n      - kind: phase_open\n        phase: fase_2\n")

    problem = only_problem(text, "en")

    assert problem.message == "cycle between phase conditions: fase_1 → fase_2 → fase_1"


def test_past_a_few_thousand_comparisons_hints_list_the_ids_instead_of_guessing() -> None:
    text = many_phases_yaml(5_000, chained=True).replace("        phase: fase_",
                                                         "        phase: frase_")

    problems = problems_of(text)

    assert problems[0].message == ("referencia a una fase desconocida 'frase_0'; "
                                   "¿quiso decir 'fase_0'?")
    assert problems[10].message == ("referencia a una fase desconocida 'frase_10'; ids "
                                    "definidos: fase_0, fase_1, fase_2, fase_3, fase_4, fase_5, "
                                    "fase_6, fase_7, fase_8, fase_9, ...")


# --- the proposal lifecycle ----------------------------------------------------------------


def test_a_state_no_trigger_leads_to_is_unreachable() -> None:
    text = edit(minimal_yaml(), "[recibida, admitida, respondida]",
                "[recibida, admitida, olvidada, respondida]")

    problem = only_problem(text)

    assert (problem.path, problem.line) == ("proposals.states[2]", line_of(text, "olvidada"))
    assert problem.message == "el estado 'olvidada' no se puede alcanzar desde 'recibida'"


def test_a_trigger_into_a_state_nothing_leaves_is_a_dead_end() -> None:
    text = edit(cuenca_yaml(), "source: [no_admitida, incorporada, fusionada, descartada]",
                "source: [no_admitida, incorporada, fusionada]")

    problem = only_problem(text)

    assert (problem.path, problem.line) == ("proposals.transitions[5].dest",
                                            line_of(text, "dest: descartada"))
    assert problem.message == (
        "el disparador 'descartar' lleva al estado 'descartada', del que no sale ningún "
        "disparador y que no es final")


def test_a_final_state_with_triggers_out_of_it_is_fine() -> None:
    parse_definition(edit(cuenca_yaml(), "source: [no_admitida, incorporada, fusionada, "
                          "descartada]", "source: [no_admitida, incorporada, fusionada, "
                          "descartada, respondida]"))


# --- the committee -------------------------------------------------------------------------


def test_an_at_least_quorum_needs_a_count() -> None:
    text = edit(minimal_yaml(), "{rule: majority}", "{rule: at_least}")

    problem = only_problem(text)

    assert (problem.path, problem.line) == ("committee.decisions[0].quorum",
                                            line_of(text, "quorum:"))
    assert problem.message.startswith("el quórum 'at_least' necesita 'count'")


def test_a_count_with_another_rule_is_reported() -> None:
    problem = only_problem(edit(minimal_yaml(), "{rule: majority}", "{rule: majority, count: 2}"))

    assert problem.path == "committee.decisions[0].quorum.count"
    assert problem.message == "'count' solo se usa con la regla 'at_least', no con 'majority'"


def test_a_quorum_beyond_the_committees_seats_is_never_met() -> None:
    text = edit(cuenca_yaml(), "quorum: {rule: two_thirds}\n    - id: aprobacion_compromisos",
                "quorum: {rule: at_least, count: 12}\n    - id: aprobacion_compromisos")

    problem = only_problem(text)

    assert (problem.path, problem.line) == ("committee.decisions[2].quorum.count",
                                            line_of(text, "count: 12"))
    assert problem.message == (
        "el quórum 'at_least' 12 nunca se puede alcanzar: «Comité Impulsor de Gobierno Abierto "
        "de Cuenca» tiene como máximo 9 miembros")


def test_a_quorum_beyond_the_voting_groups_seats_is_never_met() -> None:
    text = edit(minimal_yaml(), "{rule: majority}", "{rule: at_least, count: 3}\n"
                "      voters: [gobierno]")

    problem = only_problem(text)

    assert problem.message.endswith("los grupos que votan tienen como máximo 2 miembros")


def test_a_quorum_is_not_judged_when_a_group_declares_no_seats() -> None:
    text = edit(minimal_yaml(), "      seats: 2\n", "")

    parse_definition(edit(text, "{rule: majority}", "{rule: at_least, count: 12}"))


def test_a_committee_size_beyond_the_seats_is_reported() -> None:
    text = edit(cuenca_yaml(), "min_members: 3\n        per_group: 1",
                "min_members: 10\n        per_group: 4")

    problems = problems_of(text)

    assert [(p.path, p.line, p.message) for p in problems] == [
        ("phases[0].close_when[0].min_members", line_of(text, "min_members: 10"),
         "'min_members' 10 nunca se puede alcanzar: «Comité Impulsor de Gobierno Abierto de "
         "Cuenca» tiene como máximo 9 miembros"),
        ("phases[0].close_when[0].per_group", line_of(text, "per_group: 4"),
         "'per_group' 4 nunca se puede alcanzar: el grupo 'sociedad_civil' tiene 3 puestos"),
    ]


def test_a_channel_without_mesas_is_fine() -> None:
    parse_definition(edit(cuenca_yaml(), "      mesas: 3\n", "      mesas: 0\n"))


# --- all at once ---------------------------------------------------------------------------


def test_every_meaning_problem_is_reported_at_once() -> None:
    text = edit(cuenca_yaml(), "ends: 2022-08-19", "ends: 2022-07-01")
    text = edit(text, "id: mesa_2", "id: mesa_1")
    text = edit(text, ACTIVITY_DECISION, ACTIVITY_DECISION.replace("compromisos\n", "x\n"))
    text = edit(text, "timezone: America/Guayaquil", "timezone: Guayaquil")

    problems = problems_of(text, locale="en")

    assert [(p.line, p.path) for p in problems] == [
        (line_of(text, "timezone: Guayaquil"), "timezone"),
        (line_of(text, "ends: 2022-07-01"), "phases[1].ends"),
        (line_of(text, "id: mesa_1", after="Mesa de"), "phases[4].activities[2].id"),
        (line_of(text, "decision: aprobacion_x"), "phases[6].activities[1].decision"),
    ]
    first = line_of(text, "id: mesa_1")
    assert problems[2].message == f"duplicate id 'mesa_1' (already defined on line {first})"

