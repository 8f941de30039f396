"""Verify's fast paths read the log exactly as the plain ones: data, hashes, shapes, the GC."""

from __future__ import annotations

import gc
import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storage.audit import verify
from storage.chain import link
from storage.event_data import event_data
from storage.eventstore import chain_hash, header
from tests.storage import scenario
from workflow.domain.errors import IllegalEvent
from workflow.domain.replay import check_fields

SCALARS = (st.none() | st.booleans() | st.text()
           | st.integers(min_value=-(2**70), max_value=2**70)
           | st.floats(allow_nan=True, allow_infinity=True))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(), inner, max_size=3), max_leaves=12)


def parsed(text: str | bytes) -> str:
    """What a parse gave, type for type (repr tells 1 from 1.0 and True, and shows nan)."""
    try:
        return repr(event_data(text))
    except ValueError as exc:
        return f"refused: {type(exc).__name__}"


def as_json(text: str) -> str:
    try:
        return repr(json.loads(text))
    except ValueError as exc:
        return f"refused: {type(exc).__name__}"


@given(st.dictionaries(st.text(), VALUES, max_size=6))
def test_event_data_parses_any_object_as_json_loads_does(value: dict[str, Any]) -> None:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert parsed(text) == parsed(text.encode()) == as_json(text)


@pytest.mark.parametrize("text", [
    '{"n":18446744073709551615}', '{"n":18446744073709551616}', '{"n":-9223372036854775808}',
    '{"n":-9223372036854775809}', '{"n":[1,123456789012345678901234567890]}',
    '{"n":{"m":-123456789012345678901234567890}}', '{"x":NaN,"y":-Infinity}', '{"x":1e400}',
    '{"s":"\\ud800"}', '{"a":1,"a":2}', '[1,2]', '"text"', '{"a":1,}', '\ufeff{"a":1}', '',
    '{"late_seconds":0.125,"number":3}',
])
def test_event_data_agrees_with_json_where_orjson_alone_would_not(text: str) -> None:
    assert parsed(text) == parsed(text.encode()) == as_json(text)


def test_event_data_refuses_bytes_that_are_not_utf8_text() -> None:
    assert parsed(b'{"a":"\xed\xa0\x80"}').startswith("refused")


def test_field_shapes_are_checked_whatever_the_order_of_the_keys() -> None:
    check_fields("ProposalTransitioned", {"trigger": "admitir", "from": "recibida"})
    with pytest.raises(IllegalEvent, match="se esperan"):
        check_fields("ProposalTransitioned", {"trigger": "admitir"})
    with pytest.raises(IllegalEvent, match="tipo de evento desconocido"):
        check_fields("ProposalForged", {})


@pytest.mark.parametrize("enabled", [True, False])
def test_verify_leaves_the_cycle_collector_as_it_found_it(sqlite_url: str,
                                                         enabled: bool) -> None:
    scn = scenario.build(sqlite_url)
    (gc.enable if enabled else gc.disable)()
    try:
        assert verify(scn.engine).ok
        assert gc.isenabled() is enabled
    finally:
        gc.enable()


TEXT = st.text(st.characters(exclude_categories=["Cs"]))
INT64 = st.integers(min_value=-(2**63), max_value=2**63 - 1)
ROWS = st.tuples(INT64, TEXT, TEXT, TEXT, TEXT, INT64, TEXT, TEXT, TEXT, TEXT, st.none(),
                 st.none() | TEXT, st.none() | TEXT, TEXT)


@given(TEXT, ROWS, TEXT)
def test_the_chain_pass_hashes_a_row_exactly_as_the_log_chained_it(
        previous: str, row: tuple[Any, ...], moment: str) -> None:
    assert link(previous, row, moment) == chain_hash(previous, header(row, moment), row[7])


def test_a_database_that_stores_text_as_utf16_verifies_as_well(tmp_path: Path) -> None:
    path = tmp_path / "utf16.db"
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA encoding = 'UTF-16le'")
        db.execute("CREATE TABLE fixes_the_encoding (x)")
    scn = scenario.build(f"sqlite:///{path}")
    for parallel in (False, True):
        report = verify(scn.engine, parallel=parallel)
        assert report.ok, report.finding
