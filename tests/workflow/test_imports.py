"""Importing Decidim's exports through the services (in memory): what each sample becomes.

Every sample export (both generations of columns, both separators, the ZIP, the
admin CSV and JSON) is imported into a Cuenca plan; what should be imported and
left out is worked out from the samples' notes (tests/workflow/decidim_files.py).
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.workflow.cuenca import STAFF, cuenca
from tests.workflow.decidim_files import (
    ADMIN,
    EVERY_FILE,
    INTAKE,
    OPEN_DATA,
    PLAN,
    SEMICOLON,
    ZIP,
    by_id,
    data,
    import_command,
    imported_ids,
    left_out,
    many_rows,
)
from workflow.domain.errors import ImportRejected, InvalidInput, NotFound
from workflow.domain.replay import Replay
from workflow.services import IMPORT_BATCH, Services
from workflow.testing import Driver, MemoryStore, in_memory

NOW = dt.datetime(2023, 1, 10, 15, 0, tzinfo=dt.UTC)


@pytest.fixture
def plan() -> tuple[Services, MemoryStore]:
    services, store = in_memory(lambda: NOW)
    Driver(services).create_plan(cuenca(), STAFF)
    return services, store


def proposals_of(store: MemoryStore) -> dict[str, int]:
    """Each imported proposal's Decidim id, by proposal id (read back from the log)."""
    replay = Replay()
    for event in store.events:
        replay.apply(event)
    return {pid: found.origin.decidim_id for pid, found in replay.origins.items()}


@pytest.mark.parametrize("name", EVERY_FILE)
def test_every_sample_export_imports_what_its_notes_say(
        plan: tuple[Services, MemoryStore], name: str) -> None:
    services, store = plan
    report = services.handle(import_command(name))
    expected = imported_ids()
    assert [r.decidim_id for r in report.imported] == expected
    assert [r.proposal for r in report.imported] == [f"{PLAN}.p{n}"
                                                     for n in range(1, len(expected) + 1)]
    assert proposals_of(store) == {f"{PLAN}.p{n}": i for n, i in enumerate(expected, 1)}
    assert {reason: [r.decidim_id for r in report.skipped if r.reason == reason]
            for reason in left_out(name)} == left_out(name)
    assert report.counts["already_imported"] == 0
    assert report.rows == (13 if name in OPEN_DATA else 12)


def test_an_imported_proposal_keeps_decidims_answer_and_counts_as_information_only(
        plan: tuple[Services, MemoryStore]) -> None:
    services, store = plan
    services.handle(import_command(SEMICOLON))
    first = store.proposals[f"{PLAN}.p1"]
    assert (first.title, first.state) == (by_id()[5120]["title"]["es"], "recibida")
    assert first.submitted_at == dt.datetime.fromisoformat(by_id()[5120]["published_at_utc"])
    recorded = next(e.event for e in store.events if e.event.stream_id == f"{PLAN}.p1")
    information = recorded.data["information"]
    assert information["state"] == "accepted"
    assert information["answer"].startswith("<p>")
    assert (information["votes"], information["endorsements"]) == (14, 2)
    assert "author" not in str(recorded.data) and "Quizhpi" not in str(recorded.data)


@pytest.mark.parametrize("again", [SEMICOLON, "proposals_0.30-dev_semicolon.csv", ADMIN[1]])
def test_a_second_import_of_the_same_or_a_newer_file_adds_nothing_and_says_so(
        plan: tuple[Services, MemoryStore], again: str) -> None:
    services, store = plan
    services.handle(import_command(SEMICOLON))
    events = len(store.events)
    report = services.handle(import_command(again))
    assert report.imported == []
    assert report.counts["already_imported"] == len(imported_ids())
    assert len(store.events) == events


def test_a_newer_file_adds_only_its_new_proposals_numbered_after_the_plans_count(
        plan: tuple[Services, MemoryStore]) -> None:
    services, store = plan
    raw = data(SEMICOLON)
    without_last = raw[:raw.index(b"\n5230;") + 1]  # the file as it was before 5230 came
    first = services.handle(import_command(SEMICOLON, without_last))
    second = services.handle(import_command(SEMICOLON))
    assert [r.decidim_id for r in first.imported] == imported_ids()[:-1]
    assert [(r.decidim_id, r.proposal) for r in second.imported] == [(5230, f"{PLAN}.p9")]
    assert second.counts["already_imported"] == 8
    assert len(proposals_of(store)) == 9


def test_a_dry_run_reports_exactly_what_the_import_does_and_writes_nothing(
        plan: tuple[Services, MemoryStore]) -> None:
    services, store = plan
    dry = services.handle(import_command(ZIP, dry_run=True))
    assert store.events[-1].event.type == "PlanCreated" and store.proposals == {}
    done = services.handle(import_command(ZIP))
    assert {**dry.data(), "dry_run": False} == done.data()
    assert dry.dry_run and not done.dry_run


def test_a_file_with_several_spaces_names_them_and_imports_nothing_unless_one_is_named(
        plan: tuple[Services, MemoryStore]) -> None:
    services, store = plan
    with pytest.raises(InvalidInput, match=r"«space».*7 \(12 propuestas\), 9 \(1 propuesta\)"):
        services.handle(import_command(ZIP, space=None))
    assert store.proposals == {}
    only_seven = services.handle(import_command(ADMIN[0], space=None))
    assert len(only_seven.imported) == len(imported_ids())


def test_a_faulty_file_imports_nothing_and_names_the_line_and_column(
        plan: tuple[Services, MemoryStore]) -> None:
    services, store = plan
    broken = data(SEMICOLON).replace(b"2022-11-19 02:30:00 UTC", b"2022-11-31 02:30:00 UTC", 1)
    with pytest.raises(ImportRejected) as caught:
        services.handle(import_command(SEMICOLON, broken))
    (problem,) = caught.value.problems
    assert (problem.line, problem.name) == (32, "published_at")
    assert problem.column is not None
    assert store.proposals == {} and len(store.events) == 1


def test_imported_proposals_go_through_the_plans_own_lifecycle(
        plan: tuple[Services, MemoryStore]) -> None:
    services, store = plan
    services.handle(import_command(SEMICOLON))
    staff = Driver(services)
    assert staff.fire(f"{PLAN}.p1", "admitir", {}, STAFF) == "admitida"
    assert store.proposals[f"{PLAN}.p1"].version == 2


def test_the_driver_imports_rows_as_the_intake_platform(
        plan: tuple[Services, MemoryStore]) -> None:
    services, _ = plan
    command = import_command(SEMICOLON)
    report = Driver(services).import_proposals(PLAN, SEMICOLON, command.rows("es"), INTAKE)
    assert len(report.imported) == len(imported_ids())


def test_a_faulty_row_after_whole_batches_were_handed_over_leaves_nothing_written(
        plan: tuple[Services, MemoryStore]) -> None:
    services, store = plan
    rows = 2 * IMPORT_BATCH + 7
    raw = many_rows(rows)
    published = b"2022-09-26 13:15:02 UTC"
    at = raw.rindex(published)  # the last row's publication
    broken = raw[:at] + b"ayer" + raw[at + len(published):]
    with pytest.raises(ImportRejected) as caught:
        services.handle(import_command(SEMICOLON, broken))
    (problem,) = caught.value.problems
    assert (problem.line, problem.name) == (1 + 7 * (rows - 1) + 1, "published_at")
    assert len(store.events) == 1 and store.proposals == {} and store.origins == set()
    assert store.plans[PLAN].proposal_count == 0


def test_thousands_of_rows_become_proposals_in_the_files_order(
        plan: tuple[Services, MemoryStore]) -> None:
    services, store = plan
    rows = 2 * IMPORT_BATCH + 7
    report = services.handle(import_command(SEMICOLON, many_rows(rows)))
    assert [r.decidim_id for r in report.imported] == list(range(900_000, 900_000 + rows))
    assert report.imported[-1].proposal == f"{PLAN}.p{rows}"
    assert len(store.origins) == store.plans[PLAN].proposal_count == rows


def test_naming_a_component_names_its_space_and_leaves_the_other_components_out(
        plan: tuple[Services, MemoryStore]) -> None:
    services, _ = plan
    report = services.handle(import_command(ZIP, space=None, component=85, dry_run=True))
    assert [r.decidim_id for r in report.imported] == imported_ids()
    assert [r.decidim_id for r in report.skipped if r.reason == "other_component"] == [5150]
    nothing = services.handle(import_command(ZIP, component=99, dry_run=True))
    assert nothing.imported == []
    assert (nothing.counts["other_space"], nothing.counts["other_component"]) == (1, 12)


def test_an_import_into_a_plan_that_does_not_exist_is_refused(
        plan: tuple[Services, MemoryStore]) -> None:
    services, store = plan
    with pytest.raises(NotFound, match="otro-plan"):
        services.handle(import_command(SEMICOLON, plan="otro-plan"))
    assert len(store.events) == 1
