"""The one-screen summary of a definition: phases on a date line, committee, lifecycle."""

from __future__ import annotations

import functools

from definitions.loader import load_definition, parse_definition
from definitions.schema import Definition
from definitions.summary import render_summary
from tests.definitions.sample import (
    CUENCA,
    edit,
    everything_large_yaml,
    many_phases_yaml,
    minimal_yaml,
)


def cuenca() -> Definition:
    return load_definition(CUENCA)


@functools.cache
def large_summary() -> str:
    """The summary of a definition with 2,000 of every list (parsed once: it takes a second)."""
    return render_summary(parse_definition(everything_large_yaml(2000)))


def bar_columns(summary: str, phase_id: str) -> set[int]:
    row = next(line for line in summary.splitlines() if f" {phase_id} " in line)
    return {i for i, char in enumerate(row) if char == "█"}


def test_the_summary_fits_one_screen() -> None:
    lines = render_summary(cuenca()).splitlines()

    assert len(lines) <= 60  # a terminal's screen
    assert max(len(line) for line in lines) <= 100


def test_the_summary_starts_with_title_id_version_and_timezone() -> None:
    first, second = render_summary(cuenca()).splitlines()[:2]

    assert first == "Co-creación del primer Plan de Acción de Gobierno Abierto de Cuenca"
    assert second == "id cuenca-2022 · versión 1 · zona horaria America/Guayaquil · idioma es"


def test_phases_are_rows_by_start_date_with_number_id_and_dates() -> None:
    summary = render_summary(cuenca())

    rows = [line for line in summary.splitlines() if "█" in line]
    assert [row.split()[:2] for row in rows] == [
        ["1", "planeacion_inicial"], ["2", "vision_estrategica"], ["4", "difusion"],
        ["3", "designacion_evaluador"], ["5", "recepcion_propuestas"],
        ["6", "retroalimentacion"], ["7", "consolidacion"],
    ]
    assert "2022-11-28 → 2023-12-31" in rows[5]


def test_overlapping_phases_have_overlapping_bars() -> None:
    summary = render_summary(cuenca())

    assert bar_columns(summary, "difusion") & bar_columns(summary, "recepcion_propuestas")
    assert bar_columns(summary, "difusion") & bar_columns(summary, "consolidacion")
    assert not bar_columns(summary, "planeacion_inicial") & bar_columns(summary, "difusion")


def test_the_date_line_spans_the_earliest_start_to_the_latest_end() -> None:
    summary = render_summary(cuenca())

    assert "Fases (2022-07-11 → 2023-12-31)" in summary
    assert "jul 2022" in summary and "ene 2023" in summary
    assert max(bar_columns(summary, "retroalimentacion")) == 99


def test_the_committee_shows_groups_with_seats_and_quorums_in_words() -> None:
    summary = render_summary(cuenca())

    assert "sociedad_civil — Sociedad civil y organizaciones ciudadanas (3 puestos)" in summary
    assert "designacion_evaluador: dos tercios de los miembros; votan todos los grupos" in summary


def test_an_at_least_quorum_and_its_voters_are_in_words() -> None:
    text = edit(minimal_yaml(), "{rule: majority}", "{rule: at_least, count: 2}\n"
                "      voters: [gobierno]")

    summary = render_summary(parse_definition(text))

    assert "aprobacion: al menos 2 votos a favor; votan: gobierno" in summary


def test_the_proposal_lifecycle_lists_channels_states_and_each_trigger() -> None:
    summary = render_summary(cuenca())

    assert "mesa (Mesas de trabajo, 3 mesas)" in summary
    assert "recibida (inicial)" in summary and "respondida (final)" in summary
    assert "responder   no_admitida, incorporada, fusionada, descartada → respondida" in summary


def test_an_english_definition_gets_english_labels() -> None:
    text = edit(minimal_yaml(), "locale: es", "locale: en")

    summary = render_summary(parse_definition(text))

    assert "Phases (2022-07-11 → 2022-08-19)" in summary
    assert "Committee: Comité de muestra" in summary
    assert "recibida (initial)" in summary


def test_a_single_day_definition_still_draws_a_bar() -> None:
    text = edit(minimal_yaml(), "ends: 2022-08-19", "ends: 2022-07-18")
    text = edit(text, "starts: 2022-07-18", "starts: 2022-07-11")
    text = edit(text, "ends: 2022-07-17", "ends: 2022-07-11")

    summary = render_summary(parse_definition(text))

    assert bar_columns(summary, "inicio")
    assert bar_columns(summary, "propuestas")


def test_a_very_long_title_is_cut_to_the_screen_width() -> None:
    text = edit(minimal_yaml(), "title: Proceso de muestra", "title: " + "muy " * 60)

    lines = render_summary(parse_definition(text)).splitlines()

    assert len(lines[0]) == 100 and lines[0].endswith("…")


def test_the_summary_ends_with_who_is_told_of_what() -> None:
    lines = render_summary(cuenca()).splitlines()

    assert lines[-8:] == [
        "Avisos", "  phase_* → staff, committee (por email)",
        "  decision_waiting → pending_voters (por email)",
        "  proposal_answered → proponent (por email)",
        "  decision_approved [aprobacion_compromisos] → public (por webhook)",
        "  milestone_due_soon, milestone_overdue → staff, implementing_agency (por email)",
        "  commitment_approved, commitment_assessed → staff, implementing_agency (por email)",
        "  commitment_approved, commitment_assessed → public (por webhook)"]


def test_the_commitments_show_the_template_their_states_triggers_and_assessment() -> None:
    lines = render_summary(cuenca()).splitlines()
    block = lines[lines.index("Compromisos (plantilla de OGP)"):lines.index("Avisos") - 1]

    assert block == [
        "Compromisos (plantilla de OGP)",
        "  Campos: title, problem, causes (opcional), description, contribution, ogp_values,"
        " lead_agency,",
        "    other_actors (opcional), starts, ends, budget (opcional)",
        "  Estados: borrador (inicial), presentado, aprobado, en_implementacion, completado,",
        "    cerrado_incompleto, evaluado (final)",
        "  Disparadores: presentar (presentado), devolver (borrador), aprobar (aprobado), iniciar",
        "    (en_implementacion), completar (completado), cerrar_incompleto (cerrado_incompleto)",
        "  Evaluación independiente: completado, cerrado_incompleto → evaluado"]


def test_a_definition_with_thousands_of_everything_still_fits_one_screen() -> None:
    lines = large_summary().splitlines()

    assert len(lines) <= 60
    assert max(len(line) for line in lines) <= 100


def test_each_cut_list_says_how_many_entries_it_left_out() -> None:
    summary = large_summary()

    assert "   … y 1994 más" in summary.splitlines()  # phases: six rows shown of 2000
    assert "    … y 1996 más" in summary.splitlines()  # groups: six of 2002
    assert "    … y 1995 más" in summary.splitlines()  # decisions: six of 2001
    assert "    … y 1997 más" in summary.splitlines()  # triggers: six of 2003
    assert "  … y 1994 más" in summary.splitlines()  # notices: six of 2000
    assert " 6 fase_5 " in summary and "fase_6 " not in summary


def test_long_lists_of_channels_and_states_take_three_lines_and_count_the_rest() -> None:
    lines = large_summary().splitlines()

    states = lines[lines.index("Propuestas") + 4:lines.index("Propuestas") + 7]
    assert states[0].startswith("  Estados: recibida (inicial), admitida, respondida (final),")
    assert states[2].endswith("estado_19, … y 1980 más")


def test_a_definition_that_fits_is_not_cut() -> None:
    summary = render_summary(parse_definition(everything_large_yaml(3)))

    assert "…" not in summary
    assert len([line for line in summary.splitlines() if "█" in line]) == 3


def test_ten_thousand_phases_show_the_first_by_date_and_count_the_rest() -> None:
    lines = render_summary(parse_definition(many_phases_yaml(10_000))).splitlines()

    assert len(lines) <= 60
    assert "Fases (2022-01-01 → 2049-05-18)" in lines
    rows = [line for line in lines if "█" in line]
    assert rows[0].startswith(" 1 fase_0 ") and len(rows) + 1 < 50
    assert f"   … y {10_000 - len(rows)} más" in lines
