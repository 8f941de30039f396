"""The definition library's rules: references, the newest version, same content, pinned plans."""

from __future__ import annotations

import pytest

from workflow.domain.errors import AlreadyExists, InUse, NotFound
from workflow.domain.library import (
    Entry,
    Origin,
    PinnedPlan,
    Reference,
    StoredDefinition,
    admit,
    check_removal,
    parse_reference,
    pick,
)


def entry(version: int, sha: str, origin: Origin = "stored", id_: str = "muni") -> Entry:
    return Entry(id_, version, sha, f"Muni {version}", "es", origin)


@pytest.mark.parametrize(("text", "reference"), [
    ("muni", Reference("muni")), ("muni-2024@2", Reference("muni-2024", 2)),
    ("muni@0", None), ("muni@x", None), ("Muni", None), ("muni@", None), ("a/b.yaml", None)])
def test_a_reference_is_an_id_with_or_without_a_version(text: str,
                                                        reference: Reference | None) -> None:
    assert parse_reference(text) == reference


def test_an_id_names_its_newest_version_and_a_version_names_itself() -> None:
    entries = [entry(1, "a", "shipped"), entry(3, "c"), entry(2, "b"), entry(1, "z", id_="otra")]

    assert pick(entries, Reference("muni"), "es").version == 3
    assert pick(entries, Reference("muni", 2), "es").sha256 == "b"
    with pytest.raises(NotFound, match="versiones: 1, 2, 3"):
        pick(entries, Reference("muni", 4), "es")
    with pytest.raises(NotFound, match="definiciones: muni@1, muni@2, muni@3, otra@1"):
        pick(entries, Reference("nada"), "es")


def test_the_same_yaml_text_is_the_same_content_even_if_its_hash_moved() -> None:
    # Had the schema changed what a hash covers, the same text would hash anew.
    there = StoredDefinition(entry(1, "old"), "id: muni\n")
    again = StoredDefinition(entry(1, "new"), "id: muni\n")
    other = StoredDefinition(entry(1, "new"), "id: muni\ntitle: otro\n")

    assert admit(again, there, None) == there.entry
    with pytest.raises(AlreadyExists):
        admit(other, there, None)


def test_a_plan_pins_a_version_by_its_hash_or_by_its_number() -> None:
    plans = [PinnedPlan("a", 1, "h1"), PinnedPlan("b", 1, "before-a-schema-change"),
             PinnedPlan("c", 2, "h2")]

    with pytest.raises(InUse) as refused:
        check_removal(entry(1, "h1"), plans)
    check_removal(entry(3, "h3"), plans)

    assert refused.value.plans == ["a", "b"]
