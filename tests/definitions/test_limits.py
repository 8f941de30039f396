"""Hostile YAML is refused early, cheaply and in words that name the limit it went beyond."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from definitions.limits import (
    MAX_ALIASES,
    MAX_DEFINITION_BYTES,
    MAX_DEPTH,
    MAX_EXPANDED_NODES,
    MAX_KEY_LENGTH,
    MAX_PROBLEMS,
)
from definitions.loader import load_definition, parse_definition
from definitions.scenario import parse_scenario
from tests.definitions.sample import (
    billion_laughs,
    edit,
    merge_key_bomb,
    minimal_yaml,
    only_problem,
    problems_of,
)
from workflow.domain.errors import DefinitionError, Problem


def peak_mib(action: Callable[[], object]) -> float:
    """Run ``action``; return the most memory (MiB) Python held meanwhile."""
    tracemalloc.start()
    try:
        action()
    except DefinitionError:
        pass
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak / 2**20


# --- the length of the text ----------------------------------------------------------------


def test_a_text_over_five_mib_is_one_problem_naming_the_limit() -> None:
    text = minimal_yaml() + "#" * MAX_DEFINITION_BYTES

    problem = only_problem(text)

    assert problem == Problem("", None, "el documento supera el límite de 5 MiB (5242880 bytes)")


def test_the_limit_counts_bytes_not_characters() -> None:
    text = minimal_yaml() + "# " + "ñ" * (MAX_DEFINITION_BYTES // 2)  # fewer characters than that

    assert only_problem(text, "en").message == (
        "the document is over the limit of 5 MiB (5242880 bytes)")


def test_a_file_over_the_limit_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "grande.yaml"
    big.write_text(minimal_yaml() + "#" * MAX_DEFINITION_BYTES, encoding="utf-8")

    with pytest.raises(DefinitionError) as caught:
        load_definition(big)

    assert caught.value.source == str(big)
    assert [p.message for p in caught.value.problems] == [
        "el documento supera el límite de 5 MiB (5242880 bytes)"]


def test_a_file_just_under_the_limit_is_read() -> None:
    text = minimal_yaml() + "#" * (MAX_DEFINITION_BYTES - len(minimal_yaml().encode()))

    assert parse_definition(text).id == "muestra"


# --- aliases -------------------------------------------------------------------------------


def test_a_billion_laughs_is_refused_at_the_alias_that_goes_beyond_the_limit() -> None:
    text = billion_laughs()

    problem = only_problem(text)

    assert problem.message == (
        f"los alias (*) del documento equivalen a más nodos que el límite de {MAX_EXPANDED_NODES}")
    assert problem.line == 6  # 10 ** 5 nodes are reached on the line of a5


def test_a_billion_laughs_is_refused_before_anything_is_built() -> None:
    assert peak_mib(lambda: parse_definition(billion_laughs())) < 1


def test_a_small_bomb_that_would_fit_in_memory_is_refused_all_the_same() -> None:
    problem = only_problem(billion_laughs(levels=6), "en")

    assert problem.message == (
        f"the document's aliases (*) stand for more nodes than the limit of {MAX_EXPANDED_NODES}")


def test_a_merge_key_bomb_is_refused_by_what_its_aliases_stand_for() -> None:
    problem = only_problem(merge_key_bomb(), "en")

    assert "aliases (*) stand for more nodes than the limit" in problem.message
    assert peak_mib(lambda: parse_definition(merge_key_bomb())) < 1


def test_too_many_aliases_are_refused_at_the_first_alias_over_the_limit() -> None:
    aliases = "".join("  - *uno\n" for _ in range(MAX_ALIASES + 1))
    text = f"uno: &uno 1\nlista:\n{aliases}"

    problem = only_problem(text, "en")

    assert problem.message == f"the document uses more aliases (*) than the limit of {MAX_ALIASES}"
    assert problem.line == MAX_ALIASES + 3


def test_a_few_aliases_in_a_definition_are_fine() -> None:
    text = edit(minimal_yaml(), "        roles: [staff]", "        roles: &equipo [staff]")
    text = edit(text, "        - kind: field_given\n", "        - kind: actor_role\n"
                "          roles: *equipo\n        - kind: field_given\n")

    guard = parse_definition(text).proposals.transitions[1].when[0]
    assert guard.model_dump() == {"kind": "actor_role", "roles": ("staff",)}


def test_an_alias_inside_its_own_anchor_is_a_problem_not_a_crash() -> None:
    text = edit(minimal_yaml(), "    title: Inicio", "    title: &yo [*yo]")

    problem = only_problem(text, "en")

    assert (problem.path, problem.message) == ("phases[0].title",
                                               "'title' must be text (got [[...]])")


# --- nesting -------------------------------------------------------------------------------


@pytest.mark.parametrize("opening", ["[" * 100_000, "[" * (MAX_DEPTH + 1), "{a: " * 500])
def test_deep_flow_nesting_is_refused_naming_the_limit(opening: str) -> None:
    problem = only_problem(f"id: {opening}")

    assert problem == Problem("", 1, f"el documento anida más niveles que el límite de {MAX_DEPTH}")


def test_deep_block_nesting_is_refused_at_the_line_that_goes_too_deep() -> None:
    text = "".join("  " * level + f"k{level}:\n" for level in range(1000)) + "  " * 1000 + "x\n"

    problem = only_problem(text, "en")

    assert problem.message == f"the document nests deeper than the limit of {MAX_DEPTH} levels"
    assert problem.line == MAX_DEPTH


def test_a_deep_list_of_lists_is_refused_without_recursion_error() -> None:
    assert "límite de 64" in only_problem("- " * 50_000 + "x\n").message


def test_the_deepest_allowed_nesting_is_read() -> None:
    nested = "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)

    problem = only_problem(edit(minimal_yaml(), "title: Proceso de muestra", f"title: {nested}"))

    assert problem.path == "title"  # read, then found not to be text


# --- characters and long keys --------------------------------------------------------------


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f", "\x9b"])
def test_a_control_character_is_a_syntax_problem_at_its_line(character: str) -> None:
    text = edit(minimal_yaml(), "title: Proceso de muestra", f"title: Proceso{character}")

    problem = only_problem(text)

    assert problem.line == 2
    assert problem.message == "el texto no es YAML válido: hay un carácter especial no permitido"


@pytest.mark.parametrize("key", [
    "k" * 2000 + ": 1",  # plain: YAML's own limit stops it
    '"' + "k" * 2000 + '": 1',  # quoted
    "? " + "k" * 2000 + "\n: 1",  # explicit: only ours stops it
    "? " + "k" * 3_000_000 + "\n: 1",
])
def test_a_key_over_the_limit_is_refused_naming_it(key: str) -> None:
    problem = only_problem(edit(minimal_yaml(), "version: 1", f"version: 1\n{key}"), "en")

    assert problem == Problem("", 4,
                              f"a key is longer than the limit of {MAX_KEY_LENGTH} characters")


def test_a_long_key_inside_a_mapping_is_refused_at_its_line() -> None:
    text = edit(minimal_yaml(), "    number: 2", "    number: 2\n    " + "k" * 1500 + ": 2")

    problem = only_problem(text)

    assert problem.line == text.count("\n", 0, text.index("kkkk")) + 1
    assert problem.message == (
        f"hay una clave más larga que el límite de {MAX_KEY_LENGTH} caracteres")


def test_a_key_at_the_limit_is_only_an_unknown_field() -> None:
    key = "k" * MAX_KEY_LENGTH

    problem = only_problem(edit(minimal_yaml(), "version: 1", f"version: 1\n{key}: 1"))

    assert problem.message.startswith(f"campo desconocido '{key}'")


def test_a_very_long_value_is_too_long_for_its_field() -> None:
    text = edit(minimal_yaml(), "title: Proceso de muestra", "title: " + "x" * 4_000_000)

    problem = only_problem(text)

    assert problem.message == "'title' es demasiado largo (máximo 2000 caracteres)"


def test_a_colon_far_into_a_long_value_is_not_taken_for_a_long_key() -> None:
    text = edit(minimal_yaml(), "title: Proceso de muestra", "title: " + "x" * 1500 + ": y")

    assert only_problem(text, "en").message == (
        "the text is not valid YAML: 'key: value' does not fit here (check the indentation,"
        " the quotes or the space after ':')")


# --- many problems -------------------------------------------------------------------------


def test_a_document_with_thousands_of_problems_lists_the_first_and_counts_the_rest() -> None:
    keys = "".join(f"desconocido_{i}: 1\n" for i in range(5000))

    problems = problems_of(minimal_yaml() + keys)

    assert len(problems) == MAX_PROBLEMS + 1
    assert [p.line for p in problems[:-1]] == sorted(p.line or 0 for p in problems[:-1])
    assert problems[-1] == Problem("", None, f"y {5000 - MAX_PROBLEMS} problemas más "
                                             f"(se muestran los {MAX_PROBLEMS} primeros)")


# --- scenarios read the same way -----------------------------------------------------------


def test_a_scenario_bomb_is_refused_like_a_definition_bomb() -> None:
    with pytest.raises(DefinitionError) as caught:
        parse_scenario(billion_laughs(), "escenario.yaml", "en")

    assert [p.message for p in caught.value.problems] == [
        f"the document's aliases (*) stand for more nodes than the limit of {MAX_EXPANDED_NODES}"]
