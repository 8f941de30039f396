"""Imports on SQLite and PostgreSQL: one transaction a file, nothing doubled, verify knows them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func, select, text

from storage import tables as t
from storage.audit import digest, verify
from storage.queries import proposal_detail
from tests.storage import scenario
from tests.workflow.cuenca import STAFF, cuenca
from tests.workflow.decidim_files import (
    EVERY_FILE,
    PLAN,
    SEMICOLON,
    ZIP,
    import_command,
    imported_ids,
    many_rows,
)
from workflow.bootstrap import Cocrea, bootstrap
from workflow.domain.errors import ImportRejected
from workflow.services import IMPORT_BATCH, Services
from workflow.testing import Driver

NOW = dt.datetime(2023, 1, 10, 15, 0, tzinfo=dt.UTC)


@pytest.fixture
def wired(db_url: str) -> Iterator[Cocrea]:
    cocrea = bootstrap(db_url, clock=lambda: NOW)
    Driver(cocrea.services()).create_plan(cuenca(), STAFF)
    yield cocrea
    cocrea.engine.dispose()


def count(engine: Engine, table: t.Table) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def tamper(engine: Engine, sql: str) -> None:
    with engine.begin() as conn:
        conn.execute(text(sql))


def test_every_sample_export_is_imported_into_a_plan_of_its_own_and_verify_passes(
        wired: Cocrea) -> None:
    services: Services = wired.services()
    for n, name in enumerate(EVERY_FILE):
        plan = f"{PLAN}-{n}"
        Driver(services).create_plan(cuenca(), STAFF, plan)
        report = services.handle(import_command(name, plan=plan))
        assert [r.decidim_id for r in report.imported] == imported_ids(), name
    report_all = verify(wired.engine)
    assert report_all.ok, report_all.finding
    assert count(wired.engine, t.proposal_origins) == len(EVERY_FILE) * len(imported_ids())


def test_importing_again_doubles_nothing_and_verify_still_passes(wired: Cocrea) -> None:
    services = wired.services()
    for name in EVERY_FILE:
        services.handle(import_command(name))
    assert count(wired.engine, t.proposals) == count(wired.engine, t.proposal_origins) == len(
        imported_ids())
    with wired.engine.connect() as conn:
        assert conn.execute(select(t.plans.c.proposal_count)).scalar_one() == 9
    assert verify(wired.engine).ok


def test_a_dry_run_reports_what_the_import_does_and_leaves_the_database_as_it_was(
        wired: Cocrea) -> None:
    services = wired.services()
    head = digest(wired.engine)
    dry = services.handle(import_command(ZIP, dry_run=True))
    assert digest(wired.engine) == head
    assert count(wired.engine, t.proposals) == count(wired.engine, t.proposal_origins) == 0
    done = services.handle(import_command(ZIP))
    assert {**dry.data(), "dry_run": False} == done.data()
    assert digest(wired.engine).position == head.position + len(imported_ids())


def test_a_faulty_row_after_whole_batches_were_written_leaves_nothing_written(
        wired: Cocrea) -> None:
    rows = 2 * IMPORT_BATCH + 7
    raw = many_rows(rows)
    at = raw.rindex(b"2022-09-26 13:15:02 UTC")  # the last row's publication
    broken = raw[:at] + b"ayer" + raw[at + len(b"2022-09-26 13:15:02 UTC"):]
    head = digest(wired.engine)
    with pytest.raises(ImportRejected) as caught:
        wired.services().handle(import_command(SEMICOLON, broken))
    (problem,) = caught.value.problems
    assert problem.name == "published_at" and problem.column is not None
    assert problem.line == 1 + 7 * (rows - 1) + 1
    assert digest(wired.engine) == head
    assert count(wired.engine, t.proposals) == count(wired.engine, t.proposal_origins) == 0


def test_thousands_of_rows_are_imported_in_one_transaction_in_order(wired: Cocrea) -> None:
    rows = 2 * IMPORT_BATCH + 7
    report = wired.services().handle(import_command(SEMICOLON, many_rows(rows)))
    assert [r.proposal for r in report.imported][-1] == f"{PLAN}.p{rows}"
    assert count(wired.engine, t.proposal_origins) == rows
    assert verify(wired.engine).ok


def test_a_proposal_published_outside_the_reception_is_reported_not_imported(
        wired: Cocrea) -> None:
    report = wired.services().handle(import_command(SEMICOLON))
    (outside,) = [r for r in report.skipped if r.reason == "outside_dates"]
    assert (outside.decidim_id, outside.line) == (5241, 34)
    assert outside.received_at == dt.datetime(2022, 11, 19, 14, 5, tzinfo=dt.UTC)


def test_the_public_view_of_an_imported_proposal_shows_where_it_came_from(
        wired: Cocrea) -> None:
    wired.services().handle(import_command(SEMICOLON))
    row, history, _ = proposal_detail(wired.engine, f"{PLAN}.p1")
    assert row["submitted_at"] == "2022-09-26T08:15:02-05:00"
    assert row["origin"]["reference"] == "CP-PROP-2022-09-5120"
    assert row["origin"]["information"]["state"] == "accepted"
    assert history[0]["type"] == "ProposalImported"


@pytest.mark.parametrize("tampering", [
    "UPDATE proposal_origins SET reference = 'CP-PROP-2022-09-9999' WHERE proposal_id = "
    "'cuenca-2022.p2'",
    "UPDATE proposal_origins SET information = '{}' WHERE proposal_id = 'cuenca-2022.p2'",
    "DELETE FROM proposal_origins WHERE proposal_id = 'cuenca-2022.p2'",
])
def test_verify_names_a_tampered_origin_row_at_its_proposal(wired: Cocrea,
                                                            tampering: str) -> None:
    wired.services().handle(import_command(SEMICOLON))
    tamper(wired.engine, tampering)
    report = verify(wired.engine)
    assert not report.ok and report.finding is not None
    assert "cuenca-2022.p2" in report.finding.message


def test_submitted_and_imported_proposals_share_the_numbering_and_verify_passes(
        db_url: str) -> None:
    scn = scenario.build(db_url)
    scn.clock.now = NOW
    report = scn.services.handle(import_command(SEMICOLON))
    assert report.imported[0].proposal == f"{PLAN}.p5"
    assert verify(scn.engine).ok
    scn.engine.dispose()


def test_verify_names_an_origin_given_to_a_proposal_that_was_not_imported(db_url: str) -> None:
    scn = scenario.build(db_url)
    scn.clock.now = NOW
    scn.services.handle(import_command(SEMICOLON))
    tamper(scn.engine, "INSERT INTO proposal_origins (proposal_id, plan_id, source, host,"
                       " decidim_id, reference, url, information) VALUES ('cuenca-2022.p1',"
                       " 'cuenca-2022', 'decidim', 'otro.example', 1, 'R', 'u', '{}')")
    report = verify(scn.engine)
    assert not report.ok and report.finding is not None
    assert report.finding.message == ("la proyección da a «cuenca-2022.p1» un origen que el "
                                      "registro no tiene (no se importó)")
    scn.engine.dispose()
