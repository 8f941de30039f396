"""What the public record decides without a database: names, licences, merge chains, columns."""

from __future__ import annotations

import csv
import io

import pytest

from tests.workflow.cuenca import cuenca
from tests.workflow.riverside import riverside
from workflow.domain.errors import InvalidInput
from workflow.public.package import csv_line
from workflow.public.settings import data_license, public_url, uid_domain
from workflow.public.tables import TABLES, last_merge, proposal_columns


@pytest.mark.parametrize(("env", "domain"), [
    ({}, "cocrea"),
    ({"COCREA_PUBLIC_URL": "https://cocrea.cuenca.gob.ec/"}, "cocrea.cuenca.gob.ec"),
    ({"COCREA_PUBLIC_URL": "http://127.0.0.1:8000"}, "127.0.0.1"),
    ({"COCREA_PUBLIC_URL": "  "}, "cocrea")])
def test_calendar_uids_end_in_the_public_addresss_host_or_in_cocrea(
        env: dict[str, str], domain: str) -> None:
    assert uid_domain(env) == domain


def test_the_public_address_loses_its_trailing_slash() -> None:
    assert public_url({"COCREA_PUBLIC_URL": "https://x.gob.ec/api/"}) == "https://x.gob.ec/api"
    assert public_url({}) is None


def test_the_licence_is_cc_by_unless_the_deployment_picks_another_open_one() -> None:
    assert data_license({}).name == "CC-BY-4.0"
    assert data_license({"COCREA_OPEN_DATA_LICENSE": " CC0-1.0 "}).name == "CC0-1.0"
    with pytest.raises(InvalidInput, match="COCREA_OPEN_DATA_LICENSE"):
        data_license({"COCREA_OPEN_DATA_LICENSE": "All rights reserved", "COCREA_LOCALE": "en"})


def test_a_chain_of_merges_ends_in_the_proposal_that_carries_it_on() -> None:
    merges = {"p1": "p2", "p2": "p3", "p7": "p8", "p8": "p7"}

    assert last_merge("p2", merges) == "p3"
    assert last_merge("p3", merges) == "p3"
    assert last_merge(None, merges) is None
    assert last_merge("p7", merges) in ("p7", "p8")  # a loop the log forbids still ends


def test_a_process_with_fields_of_its_own_gets_a_typed_column_for_each() -> None:
    own = {c.name: c for c in proposal_columns(riverside()) if c.name.startswith("field_")}

    assert {name: c.type for name, c in own.items()} == {
        "field_estimated_cost": "integer", "field_priority": "string", "field_evidence": "string"}
    assert own["field_priority"].constraints == {"enum": ["low", "medium", "high"]}
    assert not [c for c in proposal_columns(cuenca()) if c.name.startswith("field_")]


def test_every_table_has_a_key_among_its_columns() -> None:
    for table in TABLES:
        names = [c.name for c in table.columns(riverside())]
        assert set(table.key) <= set(names), table.name
        assert len(names) == len(set(names)), table.name


@pytest.mark.parametrize("row", [
    [1, "plain", None, "", "a,b", 'say "hi"', "line\nbreak", "cr\rhere", " spaced ", "ñandú"],
    ["{\"data\":{\"a\":\"b,c\"}}", 0, "2022-07-18T10:30:00-05:00"]])
def test_a_csv_line_is_what_the_csv_modules_minimal_quoting_writes(row: list[object]) -> None:
    written = io.StringIO()
    csv.writer(written).writerow(row)

    assert csv_line(row) == written.getvalue()
