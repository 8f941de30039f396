"""Loading a definition: YAML text to a valid Definition, or every problem with its line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from definitions.loader import load_definition, parse_definition
from definitions.yamlpos import parse_yaml
from tests.definitions.sample import (
    CUENCA,
    cuenca_yaml,
    edit,
    line_of,
    minimal_yaml,
    only_problem,
    problems_of,
)
from workflow.domain.errors import DefinitionError

SEED_PHASES = [
    (1, "planeacion_inicial", "2022-07-11", "2022-07-17"),
    (2, "vision_estrategica", "2022-07-18", "2022-08-19"),
    (3, "designacion_evaluador", "2022-09-25", "2022-10-01"),
    (4, "difusion", "2022-08-29", "2022-12-31"),
    (5, "recepcion_propuestas", "2022-09-26", "2022-11-18"),
    (6, "retroalimentacion", "2022-11-28", "2023-12-31"),
    (7, "consolidacion", "2022-12-05", "2023-01-31"),
]


# --- valid definitions ---------------------------------------------------------------------


def test_the_shipped_cuenca_definition_loads_with_no_problem() -> None:
    defn = load_definition(CUENCA)

    assert defn.id == "cuenca-2022"
    assert defn.timezone == "America/Guayaquil"


def test_cuenca_has_seven_phases_with_the_seeds_exact_dates() -> None:
    defn = load_definition(CUENCA)

    phases = [(p.number, p.id, p.starts.isoformat(), p.ends.isoformat()) for p in defn.phases]
    assert phases == SEED_PHASES


def test_the_minimal_sample_is_valid() -> None:
    defn = parse_definition(minimal_yaml())

    assert [p.id for p in defn.phases] == ["inicio", "propuestas"]


def test_dates_come_out_as_dates_like_safe_load_gives_them() -> None:
    parsed = parse_yaml("starts: 2022-07-11\n")

    assert parsed.data == {"starts": dt.date(2022, 7, 11)}


# --- the YAML text -------------------------------------------------------------------------


def test_a_yaml_syntax_error_is_reported_at_its_line_in_plain_words() -> None:
    text = edit(minimal_yaml(), "title: Inicio", "title: Inicio: primera")

    problem = only_problem(text)

    assert (problem.path, problem.line) == ("", line_of(text, "title: Inicio"))
    assert problem.message.startswith("el texto no es YAML válido: aquí no cabe 'clave: valor'")


def test_a_tab_in_the_indentation_is_reported_at_its_line() -> None:
    text = edit(minimal_yaml(), "    number: 1", "\tnumber: 1")

    problem = only_problem(text)

    assert problem.line == line_of(text, "\tnumber: 1")
    assert "tabulador" in problem.message


def test_a_badly_tagged_value_is_a_yaml_problem_not_a_crash() -> None:
    text = edit(minimal_yaml(), "number: 1", "number: !!int uno")

    problem = only_problem(text, locale="en")

    assert problem.line == line_of(text, "number: !!int uno")
    assert problem.message == "the text is not valid YAML: cannot read 'uno' as int"


def test_an_empty_tagged_number_is_a_yaml_problem_not_a_crash() -> None:
    # PyYAML's own constructor indexes the empty text and raises IndexError.
    text = edit(minimal_yaml(), "number: 1", "number: !!int ")

    problem = only_problem(text, locale="en")

    assert problem.line == line_of(text, "number: !!int")
    assert problem.message == "the text is not valid YAML: cannot read '' as int"


def test_a_bracket_left_open_on_the_last_line_is_reported_within_the_text() -> None:
    # YAML's mark stands past the final line break; a person needs a line of the file.
    text = minimal_yaml() + "extra: [\n"

    problem = only_problem(text)

    assert problem.line == line_of(text, "extra: [") == len(text.splitlines())


def test_a_repeated_key_is_reported_at_the_second_one() -> None:
    text = edit(minimal_yaml(), "    number: 1\n", "    number: 1\n    number: 3\n")

    problem = only_problem(text)

    assert (problem.path, problem.line) == ("phases[0].number", line_of(text, "number: 3"))
    first = line_of(text, "number: 1")
    assert problem.message == f"la clave 'number' está repetida (ya aparece en la línea {first})"


def test_an_empty_document_is_one_problem() -> None:
    problem = only_problem("# nada\n")

    assert problem.message == "el documento está vacío"


def test_a_document_that_is_not_a_mapping_is_reported_at_its_start() -> None:
    problem = only_problem("- una\n- lista\n")

    assert (problem.path, problem.line) == ("", 1)
    assert "mapeo" in problem.message


# --- the shape of each field ---------------------------------------------------------------


def test_an_unknown_field_is_reported_at_the_keys_line() -> None:
    text = edit(minimal_yaml(), "    number: 1\n", "    number: 1\n    fecha: 2022-01-01\n")

    problem = only_problem(text)

    assert (problem.path, problem.line) == ("phases[0].fecha", line_of(text, "fecha:"))
    assert problem.message.startswith("campo desconocido 'fecha'; campos válidos: id, number")


def test_a_misspelt_field_suggests_the_right_name() -> None:
    text = edit(minimal_yaml(), "        phase: inicio", "        fase: inicio")

    messages = {p.path: p.message for p in problems_of(text)}

    assert messages["phases[1].open_when[0].fase"] == (
        "campo desconocido 'fase'; ¿quiso decir 'phase'?"
    )
    assert messages["phases[1].open_when[0].phase"] == "falta el campo obligatorio 'phase'"


def test_a_missing_field_is_reported_at_the_line_of_its_item() -> None:
    text = edit(minimal_yaml(), "    ends: 2022-07-17\n", "")

    problem = only_problem(text)

    assert (problem.path, problem.line) == ("phases[0].ends", line_of(text, "- id: inicio"))
    assert problem.message == "falta el campo obligatorio 'ends'"


def test_an_impossible_date_is_reported_at_its_line() -> None:
    text = edit(minimal_yaml(), "ends: 2022-07-17", "ends: 2022-02-30")

    problem = only_problem(text)

    assert (problem.path, problem.line) == ("phases[0].ends", line_of(text, "ends: 2022-02-30"))
    assert "'ends' debe ser una fecha AAAA-MM-DD" in problem.message


def test_an_invalid_id_says_which_characters_are_allowed() -> None:
    text = edit(minimal_yaml(), "id: inicio", "id: Inicio")

    problem = only_problem(text)

    assert (problem.path, problem.line) == ("phases[0].id", line_of(text, "id: Inicio"))
    assert problem.message.startswith("'Inicio' no es un id válido en 'id': use minúsculas")


def test_a_value_outside_the_allowed_ones_names_them() -> None:
    problem = only_problem(edit(minimal_yaml(), "locale: es", "locale: fr"))

    assert (problem.path, problem.line) == ("locale", 4)
    assert problem.message == "valor no válido 'fr' en 'locale'; valores válidos: es, en"


def test_a_whole_number_field_given_a_word_is_reported() -> None:
    problem = only_problem(edit(minimal_yaml(), "version: 1", "version: uno"))

    assert (problem.path, problem.line) == ("version", 3)
    assert problem.message == "'version' debe ser un número entero (se recibió 'uno')"


def test_an_unknown_condition_kind_is_reported_at_kind_with_the_valid_kinds() -> None:
    text = edit(minimal_yaml(), "kind: phase_closed", "kind: phase_opened")

    problem = only_problem(text)

    assert problem.path == "phases[1].open_when[0].kind"
    assert problem.line == line_of(text, "kind: phase_opened")
    assert problem.message.startswith(
        "tipo de condición desconocido 'phase_opened'; tipos válidos: decision_approved, "
    )


def test_a_condition_without_kind_is_reported() -> None:
    text = edit(minimal_yaml(), "      - kind: phase_closed\n        phase", "      - phase")

    problem = only_problem(text)

    assert (problem.path, problem.line) == ("phases[1].open_when[0]", line_of(text, "- phase:"))
    assert problem.message.startswith("a la condición le falta 'kind'")


def test_an_error_inside_a_condition_has_no_tag_in_its_path() -> None:
    text = edit(minimal_yaml(), "decision_approved\n        decision: aprobacion\n",
                "decision_approved\n")

    problem = only_problem(text)

    assert problem.path == "phases[0].close_when[0].decision"
    assert problem.line == line_of(text, "- kind: decision_approved")


def test_an_empty_list_is_reported_once() -> None:
    text = edit(minimal_yaml(), "final: [respondida]", "final: []")

    problem = only_problem(text)

    assert (problem.path, problem.message) == (
        "proposals.final", "la lista 'final' no puede estar vacía")


def test_a_list_whose_items_are_wrong_reports_the_items_not_the_length() -> None:
    text = edit(minimal_yaml(), "final: [respondida]", "final: [Respondida]")

    problem = only_problem(text)

    assert problem.path == "proposals.final[0]"


# --- every problem at once -----------------------------------------------------------------


def test_several_problems_are_reported_at_once_sorted_by_line() -> None:
    text = edit(minimal_yaml(), "ends: 2022-07-17", "ends: 2022-07-01")
    text = edit(text, "America/Guayaquil", "America/Cuenca")
    text = edit(text, "phase: inicio", "phase: nada")

    problems = problems_of(text)

    assert [(p.path, p.line) for p in problems] == [
        ("timezone", 5),
        ("phases[0].ends", line_of(text, "ends: 2022-07-01")),
        ("phases[1].open_when[0].phase", line_of(text, "phase: nada")),
    ]


def test_several_shape_problems_are_reported_at_once() -> None:
    text = edit(minimal_yaml(), "version: 1", "version: uno")
    text = edit(text, "    number: 1\n", "    number: 1\n    fecha: 2022-01-01\n")

    paths = [p.path for p in problems_of(text)]

    assert paths == ["version", "phases[0].fecha"]


def test_problems_are_in_english_when_asked() -> None:
    text = edit(minimal_yaml(), "ends: 2022-07-17", "ends: 2022-07-01")

    problem = only_problem(text, locale="en")

    assert problem.message == (
        "the phase 'inicio' closes (2022-07-01) before it opens (2022-07-11)")


def test_the_error_names_its_source_and_counts_the_problems() -> None:
    with pytest.raises(DefinitionError) as caught:
        parse_definition("a: [", "roto.yaml")

    assert caught.value.source == "roto.yaml"
    assert str(caught.value) == "roto.yaml: 1 problema"


# --- files ---------------------------------------------------------------------------------


def test_a_missing_file_is_one_problem_without_a_line(tmp_path: Path) -> None:
    with pytest.raises(DefinitionError) as caught:
        load_definition(tmp_path / "no-existe.yaml")

    [problem] = caught.value.problems
    assert (problem.path, problem.line) == ("", None)
    assert problem.message == "no se pudo leer el archivo: no existe"


def test_a_file_not_in_utf8_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("title: Planeación".encode("latin-1"))

    with pytest.raises(DefinitionError) as caught:
        load_definition(path)

    assert [p.message for p in caught.value.problems] == [
        "no se pudo leer el archivo: no está codificado en UTF-8"]


def test_a_folder_is_not_a_definition(tmp_path: Path) -> None:
    with pytest.raises(DefinitionError) as caught:
        load_definition(tmp_path, locale="en")

    assert caught.value.problems[0].message == "cannot read the file: it is a folder"


# --- no traceback, whatever the input ------------------------------------------------------

_SNIPPETS = [": ", "- ", "  ", "\t", "[", "]", "{", "}", "&a ", "*a", '"', "'", "!!int ",
             "? ", "---\n", "2022-13-45", "~", "kind: x\n", "<<: *a\n", "\x00", "0x1F", "null"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_no_edit_of_the_cuenca_file_raises_anything_but_a_definition_error(
    data: st.DataObject,
) -> None:
    lines = cuenca_yaml().splitlines(keepends=True)
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, len(lines) - 1))
        column = data.draw(st.integers(0, len(lines[i])))
        snippet = data.draw(st.sampled_from([*_SNIPPETS, ""]))
        cut = data.draw(st.integers(0, 3))
        lines[i] = lines[i][:column] + snippet + lines[i][column + cut :]
    text = "".join(lines)
    try:
        parse_definition(text)
    except DefinitionError as error:
        assert error.problems
        assert all(p.message for p in error.problems)
        assert all(p.line is None or 1 <= p.line <= text.count("\n") + 1 for p in error.problems)
