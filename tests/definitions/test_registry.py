"""Finding a definition: a shipped id such as cuenca-2022, or a file path."""

from __future__ import annotations

from pathlib import Path

import pytest

from definitions.loader import parse_definition
from definitions.registry import resolve_definition_source, shipped_definitions
from tests.definitions.sample import CUENCA, minimal_yaml
from workflow.domain.errors import DefinitionError


def test_cuenca_2022_is_shipped() -> None:
    assert "cuenca-2022" in shipped_definitions()


def test_a_shipped_id_resolves_to_its_text() -> None:
    source, text = resolve_definition_source("cuenca-2022")

    assert source == "cuenca-2022.yaml"
    assert text == CUENCA.read_text(encoding="utf-8")


def test_every_shipped_definition_loads_with_no_problem() -> None:
    for name in shipped_definitions():
        source, text = resolve_definition_source(name)
        assert parse_definition(text, source).id == name


def test_a_file_path_resolves_to_its_text(tmp_path: Path) -> None:
    path = tmp_path / "muestra.yaml"
    path.write_text(minimal_yaml(), encoding="utf-8")

    assert resolve_definition_source(str(path)) == (str(path), minimal_yaml())


def test_an_unknown_id_says_which_ids_exist() -> None:
    with pytest.raises(DefinitionError) as caught:
        resolve_definition_source("cuenca-2023")

    [problem] = caught.value.problems
    assert (problem.path, problem.line) == ("", None)
    assert problem.message.startswith(
        "no existe la definición 'cuenca-2023'; definiciones incluidas: ")
    assert "cuenca-2022" in problem.message


def test_a_missing_file_is_a_definition_error(tmp_path: Path) -> None:
    with pytest.raises(DefinitionError) as caught:
        resolve_definition_source(str(tmp_path / "otra.yaml"), locale="en")

    assert caught.value.problems[0].message == "cannot read the file: it does not exist"
