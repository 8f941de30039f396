"""The evidence pack: made from either database, checked clean, then tampered and caught.

Each tampering is tried twice where it matters: as a careless forger leaves it
(``SHA256SUMS`` unchanged, so the sums already tell) and as a careful one
leaves it (the sums written again), where the check of the member itself must
name the event at fault, as verify does.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest

from storage.eventstore import Head
from storage.pack import write_pack
from storage.pack_check import PackReport, check_pack
from storage.pack_read import PackLimits
from tests.storage import scenario
from tests.storage.scenario import PLAN, STAFF
from workflow.domain.canonical import canonical_json
from workflow.evidence import MEMBERS

OTHER = "cuenca-otra"
Members = dict[str, bytes]


@dataclass(frozen=True)
class Packs:
    """A whole-log pack and a pack of the Cuenca plan, made from one database."""

    whole: Path
    plan: Path
    head: Head
    others: dict[int, str]
    """The other plan's events (between the Cuenca plan's): their positions and hashes."""


def interleave(scn: scenario.Scenario) -> None:
    """Create a second plan and write its events between more of the first plan's."""
    s = scn.services
    s.create_plan(scenario.cuenca(), STAFF, plan_id=OTHER)
    s.fire(f"{PLAN}.p1", "analizar", {}, STAFF)
    s.open_phase(OTHER, "planeacion_inicial", "inicio", STAFF)
    s.fire(f"{PLAN}.p1", "descartar", {}, STAFF)
    s.add_member(OTHER, "Zoila Ochoa", "sociedad_civil", STAFF)
    s.add_member(OTHER, "Yolanda Pesántez", "sector_publico", STAFF)
    s.submit_proposal(PLAN, "Propuesta 5", "Texto 5", "online", None, scenario.INTAKE)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def packs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[Packs]:
    """Both packs made from a database of each kind, once per module."""
    folder = tmp_path_factory.mktemp(f"packs-{request.param}")
    if request.param == "sqlite":
        url, drop = f"sqlite:///{folder / 'cocrea.db'}", None
    else:
        cluster = request.getfixturevalue("postgres_cluster_session")
        name = f"t_{secrets.token_hex(8)}"
        url, drop = cluster.create_database(name), lambda: cluster.drop_database(name)
    scn = scenario.build(url)
    interleave(scn)
    whole = write_pack(scn.engine, folder / "whole.zip", MEMBERS)
    plan = write_pack(scn.engine, folder / "plan.zip", MEMBERS, plan=PLAN)
    assert whole.verified.ok and plan.events < whole.events
    others = {row[0]: row[13] for row in rows(read(folder / "whole.zip")) if row[4] == OTHER}
    scn.engine.dispose()
    yield Packs(folder / "whole.zip", folder / "plan.zip", whole.head, others)
    if drop is not None:
        drop()


# -- reading and rewriting a pack ------------------------------------------------------------


def read(path: Path) -> Members:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write(members: Members, path: Path, resum: bool) -> Path:
    """Write ``members`` as a pack; ``resum``: write SHA256SUMS again, as a careful forger."""
    if resum:
        members["SHA256SUMS"] = "".join(
            f"{hashlib.sha256(data).hexdigest()}  {name}\n"
            for name, data in members.items() if name != "SHA256SUMS").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def rows(members: Members, name: str = "events.jsonl") -> list[Any]:
    return [orjson.loads(line) for line in members[name].splitlines()]


def put(members: Members, lines: list[Any], name: str = "events.jsonl") -> None:
    members[name] = b"".join(orjson.dumps(line) + b"\n" for line in lines)


def tampered(source: Path, tmp_path: Path, change: Callable[[Members], None],
             resum: bool = True) -> PackReport:
    members = read(source)
    change(members)
    return check_pack(write(members, tmp_path / "tampered.zip", resum), locale="es")


def messages_at(report: PackReport, position: int | None) -> list[str]:
    return [x.message for x in report.findings if x.position == position]


# -- tamperings --------------------------------------------------------------------------------


def edit_event(position: int) -> Callable[[Members], None]:
    def change(members: Members) -> None:
        lines = rows(members)
        line = next(x for x in lines if x[0] == position)
        line[7] = canonical_json({**json.loads(line[7]), "forged": True})
        put(members, lines)
    return change


def remove_event(position: int) -> Callable[[Members], None]:
    def change(members: Members) -> None:
        put(members, [x for x in rows(members) if x[0] != position])
    return change


def swap_events(first: int) -> Callable[[Members], None]:
    def change(members: Members) -> None:
        lines = rows(members)
        at = next(i for i, x in enumerate(lines) if x[0] == first)
        lines[at], lines[at + 1] = lines[at + 1], lines[at]
        put(members, lines)
    return change


def definition_name(members: Members) -> str:
    return next(name for name in members if name.startswith("definitions/"))


WHERE = {"the first": lambda last: 1, "a middle": lambda last: last // 2,
         "the last": lambda last: last}


# -- clean packs -----------------------------------------------------------------------------


def test_a_pack_of_the_whole_log_checks_clean(packs: Packs) -> None:
    report = check_pack(packs.whole)
    assert report.ok, report.findings
    assert (report.events, report.plans, report.proposals, report.head) == (
        packs.head.position, 2, 5, packs.head)
    assert len(report.sums_only) == 2 * 17  # each plan's open-data package, checked by its sums
    assert all(name.startswith("open-data/") for name in report.sums_only)


def test_a_pack_holds_each_plans_ogp_report_and_a_plan_pack_its_own(packs: Packs) -> None:
    reports = {name: json.loads(data) for name, data in read(packs.whole).items()
               if name.startswith("ogp/")}
    assert {name: r["plan"] for name, r in reports.items()} == {
        f"ogp/{PLAN}.json": PLAN, f"ogp/{OTHER}.json": OTHER}
    assert all(r["rule_set"] == "ogp-2022" and r["rules"] for r in reports.values())
    assert [n for n in read(packs.plan) if n.startswith("ogp/")] == [f"ogp/{PLAN}.json"]


def test_a_pack_of_one_plan_checks_clean_with_the_other_plans_events_left_out(
        packs: Packs) -> None:
    report = check_pack(packs.plan)
    assert report.ok, report.findings
    assert report.plan == PLAN and (report.plans, report.proposals) == (1, 5)
    assert report.events == packs.head.position - len(packs.others)


def test_the_chain_pass_in_a_second_process_checks_the_same(packs: Packs) -> None:
    for path in (packs.whole, packs.plan):
        assert check_pack(path, parallel=True).ok


def test_a_pack_holds_the_files_an_auditor_reads_without_cocrea(packs: Packs) -> None:
    members = read(packs.whole)
    sums = dict(reversed(line.split("  ")) for line in members["SHA256SUMS"].decode()
                .splitlines())
    assert set(sums) == set(members) - {"SHA256SUMS"}
    assert all(hashlib.sha256(members[n]).hexdigest() == sha for n, sha in sums.items())
    name = definition_name(members)
    assert name == f"definitions/{hashlib.sha256(members[name]).hexdigest()}.json"
    about = json.loads(members["about.json"])
    assert about["head"] == json.loads(members["digest.json"]) == {
        "position": packs.head.position, "hash": packs.head.hash}
    assert json.loads(members["verify.json"])["ok"] is True
    assert [x[0] for x in rows(members)] == list(range(1, packs.head.position + 1))


# -- the whole log, tampered -----------------------------------------------------------------


@pytest.mark.parametrize("resum", [True, False], ids=["sums rewritten", "sums left"])
@pytest.mark.parametrize("where", list(WHERE))
def test_an_edited_event_is_named_at_its_position(packs: Packs, tmp_path: Path, where: str,
                                                  resum: bool) -> None:
    position = WHERE[where](packs.head.position)
    report = tampered(packs.whole, tmp_path, edit_event(position), resum)
    assert any("fue alterado" in m for m in messages_at(report, position)), report.findings
    sums_tell = any("events.jsonl" in m for m in messages_at(report, None))
    assert sums_tell is not resum


@pytest.mark.parametrize("where", list(WHERE))
def test_a_removed_event_is_named_at_its_position(packs: Packs, tmp_path: Path,
                                                  where: str) -> None:
    position = WHERE[where](packs.head.position)
    report = tampered(packs.whole, tmp_path, remove_event(position))
    assert messages_at(report, position), report.findings


@pytest.mark.parametrize("where", list(WHERE))
def test_two_reordered_events_are_named_at_the_first_of_them(packs: Packs, tmp_path: Path,
                                                             where: str) -> None:
    first = min(WHERE[where](packs.head.position), packs.head.position - 1)
    report = tampered(packs.whole, tmp_path, swap_events(first))
    assert any("falta el evento" in m for m in messages_at(report, first)), report.findings


def test_a_wrong_sum_in_the_manifest_names_its_member(packs: Packs, tmp_path: Path) -> None:
    def change(members: Members) -> None:
        name = "projections/phases.jsonl"
        members["SHA256SUMS"] = members["SHA256SUMS"].replace(
            hashlib.sha256(members[name]).hexdigest().encode(), b"0" * 64)
    report = tampered(packs.whole, tmp_path, change, resum=False)
    [finding] = report.findings
    assert "«projections/phases.jsonl»" in finding.message and "SHA-256" in finding.message


@pytest.mark.parametrize("resum", [True, False], ids=["sums rewritten", "sums left"])
def test_a_removed_definition_is_named_at_the_event_that_pinned_it(
        packs: Packs, tmp_path: Path, resum: bool) -> None:
    report = tampered(packs.whole, tmp_path, lambda m: m.pop(definition_name(m)), resum)
    assert any("no la incluye" in m for m in messages_at(report, 1)), report.findings
    assert any("falta en el paquete" in m for m in messages_at(report, None)) is not resum


def test_a_removed_projection_table_is_named(packs: Packs, tmp_path: Path) -> None:
    report = tampered(packs.whole, tmp_path, lambda m: m.pop("projections/proposals.jsonl"))
    assert any("«projections/proposals.jsonl»" in x.message for x in report.findings)


def test_an_edited_projection_row_names_its_stream_at_its_last_event(
        packs: Packs, tmp_path: Path) -> None:
    def change(members: Members) -> None:
        lines = rows(members, "projections/proposals.jsonl")
        lines[1][7] = "respondida"
        put(members, lines, "projections/proposals.jsonl")
    report = tampered(packs.whole, tmp_path, change)
    last = max(x[0] for x in rows(read(packs.whole)) if x[2] == f"{PLAN}.p2")
    [finding] = report.findings
    assert finding.position == last and f"«{PLAN}.p2»" in finding.message


@pytest.mark.parametrize("resum", [True, False], ids=["sums rewritten", "sums left"])
def test_an_edited_definition_is_named_at_the_event_that_pinned_it(
        packs: Packs, tmp_path: Path, resum: bool) -> None:
    def change(members: Members) -> None:
        name = definition_name(members)
        members[name] = members[name].replace(b'"cuenca-2022"', b'"cuenca-2023"', 1)
    report = tampered(packs.whole, tmp_path, change, resum)
    assert any("no es la definición" in m for m in messages_at(report, 1)), report.findings


def test_a_kept_digest_the_pack_does_not_hold_is_named_at_its_position(
        packs: Packs, tmp_path: Path) -> None:
    kept = Head(packs.head.position - 3, "f" * 64)
    [finding] = check_pack(packs.whole, kept).findings
    assert finding.position == kept.position and "resumen guardado" in finding.message
    assert check_pack(packs.whole, Head(packs.head.position, packs.head.hash)).ok


def test_a_digest_member_that_differs_from_the_head_is_caught(packs: Packs,
                                                              tmp_path: Path) -> None:
    def change(members: Members) -> None:
        members["digest.json"] = json.dumps({"position": 3, "hash": "a" * 64}).encode()
    report = tampered(packs.whole, tmp_path, change)
    assert any("«digest.json»" in x.message for x in report.findings), report.findings


def test_a_pack_cut_short_with_its_head_left_is_named_at_the_first_missing_event(
        packs: Packs, tmp_path: Path) -> None:
    report = tampered(packs.whole, tmp_path, remove_event(packs.head.position))
    assert any("truncado" in m for m in messages_at(report, packs.head.position))


def test_findings_are_said_in_the_auditors_language(packs: Packs, tmp_path: Path) -> None:
    members = read(packs.whole)
    edit_event(5)(members)
    report = check_pack(write(members, tmp_path / "t.zip", True), locale="en")
    assert any("was altered" in m for m in messages_at(report, 5)), report.findings


def test_a_tampered_pack_is_named_the_same_with_the_chain_in_a_second_process(
        packs: Packs, tmp_path: Path) -> None:
    members = read(packs.whole)
    swap_events(7)(members)
    report = check_pack(write(members, tmp_path / "t.zip", True), parallel=True)
    assert messages_at(report, 7), report.findings


@pytest.mark.parametrize("resum", [True, False], ids=["sums rewritten", "sums left"])
def test_a_removed_ogp_report_is_named_at_the_event_that_created_its_plan(
        packs: Packs, tmp_path: Path, resum: bool) -> None:
    created = min(packs.others)  # the other plan's first event
    report = tampered(packs.whole, tmp_path, lambda m: m.pop(f"ogp/{OTHER}.json"), resum)
    assert any(f"«ogp/{OTHER}.json»" in m for m in messages_at(report, created)), \
        report.findings
    assert any("falta en el paquete" in m for m in messages_at(report, None)) is not resum


def test_another_plans_ogp_report_in_a_plans_place_is_caught(packs: Packs,
                                                            tmp_path: Path) -> None:
    def change(members: Members) -> None:
        members[f"ogp/{PLAN}.json"] = members[f"ogp/{OTHER}.json"]
    [finding] = tampered(packs.whole, tmp_path, change).findings
    assert finding.position == 1 and "no es el informe OGP" in finding.message


def test_an_ogp_report_of_a_plan_the_pack_does_not_hold_is_caught(packs: Packs,
                                                                 tmp_path: Path) -> None:
    def change(members: Members) -> None:
        members[f"ogp/{OTHER}.json"] = members[f"ogp/{PLAN}.json"]
    report = tampered(packs.plan, tmp_path, change)
    assert [x.message for x in report.findings] == [
        f"«ogp/{OTHER}.json» no es el informe OGP de ningún plan del paquete"]


def test_an_edited_ogp_report_is_caught_by_its_sum(packs: Packs, tmp_path: Path) -> None:
    def change(members: Members) -> None:
        members[f"ogp/{PLAN}.json"] = members[f"ogp/{PLAN}.json"].replace(
            b'"not_met"', b'"met"', 1)
    [finding] = tampered(packs.whole, tmp_path, change, resum=False).findings
    assert f"«ogp/{PLAN}.json»" in finding.message and "SHA-256" in finding.message


def test_an_edited_open_data_file_is_caught_by_its_sum_and_named(packs: Packs,
                                                                  tmp_path: Path) -> None:
    name = f"open-data/{PLAN}/proposals.csv"
    assert name in check_pack(packs.whole).sums_only

    changed = tampered(packs.whole, tmp_path,
                       lambda m: m.update({name: m[name].replace(b"\n", b"\nx", 1)}),
                       resum=False)

    [finding] = changed.findings
    assert f"«{name}»" in finding.message and "SHA-256" in finding.message


def test_an_edited_open_data_file_is_caught_with_the_sums_taken_in_a_second_process(
        packs: Packs, tmp_path: Path) -> None:
    name = f"open-data/{PLAN}/events.csv"
    members = read(packs.whole)
    members[name] = members[name].replace(b"\n", b"\nx", 1)

    report = check_pack(write(members, tmp_path / "t.zip", resum=False), parallel=True)

    [finding] = report.findings
    assert f"«{name}»" in finding.message and "SHA-256" in finding.message


# -- a pack of one plan, tampered ----------------------------------------------------------------


def test_an_edited_event_of_a_plan_pack_is_named_at_its_position(packs: Packs,
                                                                 tmp_path: Path) -> None:
    report = tampered(packs.plan, tmp_path, edit_event(10))
    assert any("fue alterado" in m for m in messages_at(report, 10)), report.findings


def test_reordered_events_of_a_plan_pack_are_named(packs: Packs, tmp_path: Path) -> None:
    report = tampered(packs.plan, tmp_path, swap_events(10))
    assert any("fuera de orden" in m for m in messages_at(report, 10)), report.findings


def test_an_event_removed_from_a_plan_pack_is_caught_at_the_next_of_its_stream(
        packs: Packs, tmp_path: Path) -> None:
    lines = rows(read(packs.plan))
    p1 = [x[0] for x in lines if x[2] == f"{PLAN}.p1"]
    report = tampered(packs.plan, tmp_path, remove_event(p1[1]))
    assert messages_at(report, p1[2]), report.findings


def test_a_plan_pack_says_it_cannot_check_a_digest_of_another_plans_event(
        packs: Packs) -> None:
    position = next(p for p in packs.others if p + 1 in packs.others)
    [finding] = check_pack(packs.plan, Head(position, packs.others[position])).findings
    assert finding.position == position and "registro entero" in finding.message


def test_a_plan_pack_checks_a_digest_of_the_event_before_one_of_its_own(packs: Packs) -> None:
    position = next(p for p in packs.others if p + 1 not in packs.others)
    assert check_pack(packs.plan, Head(position, packs.others[position])).ok
    [finding] = check_pack(packs.plan, Head(position, "a" * 64)).findings
    assert finding.position == position and "resumen guardado" in finding.message


# -- hostile files -----------------------------------------------------------------------------


def test_a_file_that_is_not_a_zip_is_refused_in_words(tmp_path: Path) -> None:
    path = tmp_path / "pack.zip"
    path.write_bytes(b"not a zip at all")
    [finding] = check_pack(path, locale="en").findings
    assert "is not a ZIP file" in finding.message


def test_a_pack_with_too_many_members_is_refused_before_reading_them(
        packs: Packs, tmp_path: Path) -> None:
    [finding] = check_pack(packs.whole, locale="en",
                           limits=PackLimits(entries=5)).findings
    assert "at most 5 are read" in finding.message


def test_a_member_declaring_more_than_the_limit_is_refused_unread(
        packs: Packs, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    members = read(packs.whole)
    members["events.jsonl"] += b" " * 5_000_000  # compresses to almost nothing
    write(members, bomb, resum=True)
    assert bomb.stat().st_size < 200_000
    [finding] = check_pack(bomb, locale="en",
                           limits=PackLimits(member_bytes=1_000_000)).findings
    assert "“events.jsonl”" in finding.message and "at most 1000000" in finding.message


def test_a_member_that_unpacks_longer_than_it_declares_is_damaged(packs: Packs,
                                                                  tmp_path: Path) -> None:
    path = write(read(packs.whole), tmp_path / "lying.zip", resum=False)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("digest.json")
    declared = info.file_size.to_bytes(4, "little")
    at = data.rfind(b"digest.json") - 46 + 24  # its central directory entry's size field
    assert data[at:at + 4] == declared
    data[at:at + 4] = (info.file_size - 10).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    report = check_pack(path, locale="en")
    assert any("“digest.json” is damaged" in x.message for x in report.findings), report.findings


def test_a_member_with_a_path_outside_the_pack_is_refused(packs: Packs, tmp_path: Path) -> None:
    members = read(packs.whole)
    members["../evil.json"] = b"{}"
    [finding] = check_pack(write(members, tmp_path / "t.zip", True), locale="en").findings
    assert "“../evil.json”" in finding.message


def test_a_member_written_twice_is_refused(packs: Packs, tmp_path: Path) -> None:
    path = write(read(packs.whole), tmp_path / "twice.zip", resum=False)
    with pytest.warns(UserWarning), zipfile.ZipFile(path, "a") as archive:
        archive.writestr("digest.json", b"{}")
    [finding] = check_pack(path, locale="en").findings
    assert "“digest.json” twice" in finding.message


def test_a_line_that_is_not_an_event_is_named_at_its_position(packs: Packs,
                                                               tmp_path: Path) -> None:
    def change(members: Members) -> None:
        lines = members["events.jsonl"].split(b"\n")
        lines[3] = b'{"not": "an event"}'
        members["events.jsonl"] = b"\n".join(lines)
    report = tampered(packs.whole, tmp_path, change)
    assert any("línea 4" in m for m in messages_at(report, 4)), report.findings


def test_values_of_the_wrong_type_are_findings_not_a_crash(packs: Packs, tmp_path: Path) -> None:
    def change(members: Members) -> None:
        lines = rows(members)
        lines[9][8] = ["an", "actor", "as", "a", "list"]
        lines[10][7] = 12
        put(members, lines)
        table = rows(members, "projections/proposals.jsonl")
        table[0][13] = 5
        put(members, table, "projections/proposals.jsonl")
    report = tampered(packs.whole, tmp_path, change)
    assert messages_at(report, 10), report.findings


def test_a_projection_value_of_the_wrong_type_is_a_finding(packs: Packs, tmp_path: Path) -> None:
    def change(members: Members) -> None:
        table = rows(members, "projections/proposals.jsonl")
        table[0][13] = 5
        put(members, table, "projections/proposals.jsonl")
    [finding] = tampered(packs.whole, tmp_path, change).findings
    assert "«projections/»" in finding.message
