"""The event log: gapless positions, a hash chain, (stream, version) as the concurrency check,
and a plan pinned to the definition it was created with."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from definitions.loader import parse_definition
from definitions.registry import resolve_definition_source
from storage import tables as t
from storage.audit import replay_as_of, verify
from storage.eventstore import GENESIS, chain_hash, recorded, row_header
from storage.uow import SqlUnitOfWork
from tests.storage import scenario
from tests.storage.scenario import PLAN, STAFF
from workflow.domain.catalog import definition_hash
from workflow.domain.clock import utc_now
from workflow.domain.errors import ConcurrencyError
from workflow.domain.events import DomainEvent
from workflow.reads import show_plan
from workflow.services import commit


def rows(engine: Engine) -> list[Any]:
    with engine.connect().execution_options(readonly=True) as conn:
        return list(conn.execute(select(t.events).order_by(t.events.c.position)))


def test_positions_are_gapless_from_one(db_url: str) -> None:
    engine = scenario.build(db_url).engine
    positions = [row.position for row in rows(engine)]
    assert positions == list(range(1, len(positions) + 1))
    assert len(positions) > 40


def test_each_event_hash_chains_to_the_one_before(db_url: str) -> None:
    engine = scenario.build(db_url).engine
    previous = GENESIS
    for row in rows(engine):
        header = row_header(row._mapping)
        assert row.hash == chain_hash(previous, header, row.data), f"event #{row.position}"
        previous = row.hash


def test_the_log_head_points_at_the_last_event(db_url: str) -> None:
    engine = scenario.build(db_url).engine
    last = rows(engine)[-1]
    with engine.connect().execution_options(readonly=True) as conn:
        head = conn.execute(select(t.log_head)).one()
    assert (head.position, head.hash) == (last.position, last.hash)


def stale_member_event(engine: Engine) -> DomainEvent:
    """A MemberAdded at a version the plan's stream already holds."""
    first = rows(engine)[0]
    return DomainEvent(PLAN, "plan", 2, "MemberAdded",
                       {"member": "intrusa", "name": "Intrusa", "group": "sector_publico"},
                       STAFF, recorded(first).event.occurred_at)


def test_appending_a_stale_version_raises_concurrency_error_and_writes_nothing(
        db_url: str) -> None:
    scn = scenario.fresh(db_url)
    scn.services.add_member(PLAN, "Ana Quizhpi", "sociedad_civil", STAFF)
    before, stale = rows(scn.engine), stale_member_event(scn.engine)
    with pytest.raises(ConcurrencyError) as caught, SqlUnitOfWork(scn.engine) as uow:
        plan = uow.plan(PLAN)
        plan.pending.append(stale)
        uow.add(plan)
        commit(uow, utc_now())
    assert (caught.value.stream, caught.value.expected, caught.value.actual) == (PLAN, 1, 2)
    assert rows(scn.engine) == before
    assert verify(scn.engine).ok


def test_the_first_event_holds_the_whole_definition_and_its_content_hash(db_url: str) -> None:
    engine = scenario.fresh(db_url).engine
    first = rows(engine)[0]
    data = json.loads(first.data)
    assert (first.position, first.type, first.version) == (1, "PlanCreated", 1)
    assert data["definition"] == scenario.cuenca().model_dump(mode="json")
    assert data["definition_hash"] == definition_hash(scenario.cuenca())
    assert show_plan(engine, PLAN)["definition"]["hash"] == data["definition_hash"]


def edit_definition(path: Path) -> None:
    """Retitle the definition, change a quorum rule and move phase 1's last day."""
    text = path.read_text(encoding="utf-8")
    text = text.replace("title: Co-creación del primer", "title: Editado - co-creación del primer")
    text = text.replace("ends: 2022-07-17", "ends: 2022-07-24")
    path.write_text(text.replace("quorum: {rule: majority}", "quorum: {rule: unanimity}", 1),
                    encoding="utf-8")


def plan_from_file(scn: scenario.Scenario, path: Path, plan_id: str) -> str:
    label, text = resolve_definition_source(str(path))
    return scn.services.create_plan(parse_definition(text, label), STAFF, plan_id)


def test_a_plan_keeps_its_pinned_definition_after_the_yaml_is_edited(
        db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "proceso.yaml"
    path.write_text(scenario.cuenca_text(), encoding="utf-8")
    scn = scenario.fresh(db_url)
    plan_from_file(scn, path, "primero")
    before = show_plan(scn.engine, "primero")
    edit_definition(path)
    plan_from_file(scn, path, "segundo")
    after, other = show_plan(scn.engine, "primero"), show_plan(scn.engine, "segundo")
    assert after == before
    assert other["title"].startswith("Editado") and other["definition"]["hash"] != (
        before["definition"]["hash"])
    assert other["decisions"][0]["quorum"] == "unanimity"
    replayed = replay_as_of(scn.engine, "primero").plans["primero"]
    assert replayed.state.definition == scenario.cuenca()
    assert replayed.state.phases["planeacion_inicial"].ends_on.isoformat() == "2022-07-17"
    assert verify(scn.engine).ok


def test_a_fresh_process_loads_a_pinned_definition_from_the_first_event(
        db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "proceso.yaml"
    path.write_text(scenario.cuenca_text(), encoding="utf-8")
    scn = scenario.fresh(db_url)
    plan_from_file(scn, path, "primero")
    path.write_text("esto ya no es una definición", encoding="utf-8")
    [shown] = scenario.cocrea(["plan", "show", "primero", "--db", db_url, "--json"])
    assert shown.code == 0, shown.err
    assert json.loads(shown.out) == show_plan(scn.engine, "primero")
