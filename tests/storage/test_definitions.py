"""Definitions stored in the database: content-addressed, versioned, pinned by plans, guarded."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from definitions.loader import parse_definition
from definitions.schema import Definition
from storage import definitions as stored
from storage import tables as t
from tests.definitions.sample import cuenca_yaml, edit, minimal_yaml
from workflow.bootstrap import Cocrea, bootstrap
from workflow.domain.catalog import definition_hash
from workflow.domain.errors import AlreadyExists, InUse, InvalidInput, NotFound
from workflow.domain.events import Actor
from workflow.domain.library import Reference
from workflow.library import Library
from workflow.reads import show_plan
from workflow.testing import Driver

ADMIN = Actor("Dirección de Participación", "admin")
STAFF = Actor("tecnica", "staff")


def version(number: int, title: str = "Proceso de muestra") -> tuple[Definition, str]:
    """The sample definition at ``number``, titled ``title``: parsed, and its YAML text."""
    text = edit(edit(minimal_yaml(), "version: 1", f"version: {number}"),
                "title: Proceso de muestra", f"title: {title}")
    return parse_definition(text, "muestra.yaml"), text


@pytest.fixture
def wired(db_url: str) -> Cocrea:
    return bootstrap(db_url)


@pytest.fixture
def admin(wired: Cocrea) -> Driver:
    return Driver(wired.services())


def test_a_definition_added_is_listed_beside_the_shipped_ones_with_the_hash_plans_pin(
        wired: Cocrea, admin: Driver) -> None:
    definition, text = version(1)

    added = admin.add_definition(definition, text, ADMIN)

    assert added.new and added.entry.sha256 == definition_hash(definition)
    listed = {(e.key, e.origin) for e in Library(wired.engine).entries()}
    assert listed == {("cuenca-2022@1", "shipped"), ("riverside-2025@1", "shipped"),
                      ("muestra@1", "stored")}
    kept = stored.read(wired.engine, "muestra", 1)
    assert kept is not None and kept.yaml == text
    assert (kept.entry.title, kept.entry.locale, kept.entry.added_by) == (
        "Proceso de muestra", "es", ADMIN)


def test_adding_the_same_content_again_says_it_was_there_and_stores_nothing_more(
        wired: Cocrea, admin: Driver) -> None:
    definition, text = version(1)
    first = admin.add_definition(definition, text, ADMIN)
    # A comment changes the text, not the definition: the same hash, the same content.
    again = admin.add_definition(definition, "# otra vez\n" + text, STAFF)

    assert not again.new and again.entry == first.entry
    assert [e.key for e in stored.entries(wired.engine)] == ["muestra@1"]


def test_other_content_under_a_taken_id_and_version_is_refused_telling_to_raise_version(
        wired: Cocrea, admin: Driver) -> None:
    admin.add_definition(*version(1), ADMIN)

    with pytest.raises(AlreadyExists) as refused:
        admin.add_definition(*version(1, "Otro título"), ADMIN)

    assert refused.value.key == "muestra@1"
    assert "muestra@1" in str(refused.value) and "«version:»" in str(refused.value)
    kept = stored.read(wired.engine, "muestra", 1)
    assert kept is not None and kept.entry.title == "Proceso de muestra"


def test_a_shipped_id_and_version_cannot_be_shadowed_and_its_own_content_is_already_there(
        wired: Cocrea, admin: Driver) -> None:
    shipped = cuenca_yaml()
    other = edit(shipped, "title: Co-creación", "title: Otra co-creación")

    same = admin.add_definition(parse_definition(shipped), shipped, ADMIN)
    with pytest.raises(AlreadyExists) as refused:
        admin.add_definition(parse_definition(other), other, ADMIN)

    assert not same.new and same.entry.origin == "shipped"
    assert refused.value.key == "cuenca-2022@1"
    assert stored.entries(wired.engine) == []


def test_a_new_version_is_a_new_row_and_an_id_alone_names_the_newest(
        wired: Cocrea, admin: Driver) -> None:
    admin.add_definition(*version(1), ADMIN)
    admin.add_definition(*version(2, "Segunda versión"), ADMIN)
    library = Library(wired.engine)

    assert [e.key for e in stored.entries(wired.engine)] == ["muestra@1", "muestra@2"]
    assert library.find("muestra").definition.title == "Segunda versión"
    assert library.find("muestra@1").definition.title == "Proceso de muestra"
    with pytest.raises(NotFound, match="versiones: 1, 2"):
        library.find("muestra@3")
    with pytest.raises(NotFound, match="cuenca-2022@1, muestra@1, muestra@2, riverside-2025@1"):
        library.find("ninguna")


def test_a_plan_keeps_the_version_it_pinned_when_a_newer_one_is_added(
        wired: Cocrea, admin: Driver) -> None:
    first, text = version(1)
    admin.add_definition(first, text, ADMIN)
    library = Library(wired.engine)
    admin.create_plan(library.find("muestra").definition, STAFF, "antes")

    admin.add_definition(*version(2, "Segunda versión"), ADMIN)
    admin.add_member("antes", "Ana", "sociedad", STAFF)  # it still runs, on version 1
    admin.create_plan(library.find("muestra").definition, STAFF, "despues")

    before, after = show_plan(wired.engine, "antes"), show_plan(wired.engine, "despues")
    assert before["definition"]["hash"] == definition_hash(first)
    assert (before["title"], before["version"]) == ("Proceso de muestra", 2)
    assert after["definition"]["hash"] == library.entry(Reference("muestra", 2)).sha256
    assert after["title"] == "Segunda versión"


def test_a_version_a_plan_pins_cannot_be_removed_and_one_no_plan_pins_can(
        wired: Cocrea, admin: Driver) -> None:
    admin.add_definition(*version(1), ADMIN)
    admin.add_definition(*version(2, "Segunda versión"), ADMIN)
    admin.create_plan(Library(wired.engine).find("muestra@1").definition, STAFF, "uno")
    admin.create_plan(Library(wired.engine).find("muestra@1").definition, STAFF, "dos")

    with pytest.raises(InUse) as refused:
        admin.remove_definition("muestra", 1, ADMIN)
    removed = admin.remove_definition("muestra", 2, ADMIN)

    assert refused.value.plans == ["dos", "uno"]
    assert "la usan 2 planes (dos, uno)" in str(refused.value)
    assert removed.key == "muestra@2"
    assert [e.key for e in stored.entries(wired.engine)] == ["muestra@1"]


def test_a_shipped_definition_cannot_be_removed_nor_one_that_is_not_stored(
        admin: Driver) -> None:
    with pytest.raises(InvalidInput, match="viene incluida con cocrea"):
        admin.remove_definition("cuenca-2022", 1, ADMIN)
    with pytest.raises(NotFound, match="muestra@1"):
        admin.remove_definition("muestra", 1, ADMIN)


def test_the_migration_makes_the_table_the_schema_declares(wired: Cocrea) -> None:
    with wired.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), t.metadata)
    assert [d for d in differences if "definitions" in repr(d)] == []


def test_two_admins_adding_the_same_definition_at_once_store_it_once(wired: Cocrea) -> None:
    definition, text = version(1)
    start = threading.Barrier(4)

    def add() -> bool:
        start.wait()
        return Driver(wired.services()).add_definition(definition, text, ADMIN).new

    with ThreadPoolExecutor(4) as pool:
        added = list(pool.map(lambda _: add(), range(4)))

    assert sorted(added) == [False, False, False, True]
    assert [e.key for e in stored.entries(wired.engine)] == ["muestra@1"]
