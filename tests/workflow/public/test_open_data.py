"""The open-data package: CSV and JSON Lines tables described by a Frictionless Data Package
that the ``frictionless`` library validates (schemas, sizes, SHA-256), with the plan's data,
the events as ``cocrea events`` exports them, and never a contact address.

On each database: Cuenca's simulated process (with the committee's and the proponents'
emails in its contacts table) and Riverside in English, with fields of its own.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from frictionless import validate
from sqlalchemy import text
from typer.testing import CliRunner

from storage.database import open_engine
from tests.workflow.public.conftest import Simulated
from workflow.cli.app import app
from workflow.domain.errors import InvalidInput
from workflow.public import package
from workflow.public.tables import TABLES

pytestmark = pytest.mark.slow  # real databases

CUENCA = "cuenca-2022"
FILES = [f"{table.name}.{fmt}" for table in TABLES for fmt in package.FORMATS]


def export(url: str, out: Path, plan: str = CUENCA,
           env: Mapping[str, str] | None = None) -> package.Written:
    engine = open_engine(url, migrate=False)
    try:
        return package.export(engine, plan, out, env or {})
    finally:
        engine.dispose()


def problems(path: Path) -> list[Any]:
    report = validate(str(path))
    return [] if report.valid else report.flatten(["resourceName", "rowNumber", "fieldName",
                                                   "type", "note"])[:5]


def rows(folder: Path, table: str) -> list[dict[str, str]]:
    with (folder / f"{table}.csv").open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def objects(folder: Path, table: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (folder / f"{table}.jsonl").read_text().splitlines()]


def test_the_package_validates_with_frictionless_as_a_folder_and_as_a_zip(
        simulated: Simulated, tmp_path: Path) -> None:
    url = simulated(CUENCA)
    export(url, tmp_path / "open")
    export(url, tmp_path / "open.zip")

    assert problems(tmp_path / "open" / "datapackage.json") == []
    assert problems(tmp_path / "open.zip") == []
    with zipfile.ZipFile(tmp_path / "open.zip") as zipped:
        assert zipped.namelist() == [*FILES, "datapackage.json"]


def test_each_file_is_described_with_its_schema_size_and_hash_in_the_plans_language(
        simulated: Simulated, tmp_path: Path) -> None:
    written = export(simulated(CUENCA), tmp_path)
    described = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))

    assert described == written.descriptor
    assert described["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert described["title"] == "Co-creación del primer Plan de Acción de Gobierno Abierto " \
        "de Cuenca"
    assert described["licenses"] == [{
        "name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
        "title": "Creative Commons Attribution 4.0 International"}]
    assert described["cocrea"]["log"]["position"] == written.rows["events"] == 486
    for resource in described["resources"]:
        data = (tmp_path / resource["path"]).read_bytes()
        assert resource["bytes"] == len(data)
        assert resource["hash"] == f"sha256:{hashlib.sha256(data).hexdigest()}"
        assert all(field["description"] for field in resource["schema"]["fields"])
    phases = described["resources"][0]["schema"]["fields"]
    assert {f["name"]: f["description"] for f in phases}["ends"] == \
        "Último día vigente (una prórroga lo mueve)"


def test_a_file_changed_after_the_export_no_longer_validates(
        simulated: Simulated, tmp_path: Path) -> None:
    export(simulated(CUENCA), tmp_path)
    votes = tmp_path / "votes.csv"
    votes.write_bytes(votes.read_bytes().replace(b"true", b"TRUE", 1))  # same size, same meaning

    assert [p[3] for p in problems(tmp_path / "datapackage.json")] == ["hash-count"]


def test_the_tables_hold_the_phases_as_planned_and_as_run_and_the_decisions_and_votes(
        simulated: Simulated, tmp_path: Path) -> None:
    export(simulated(CUENCA), tmp_path)

    phases = {row["phase"]: row for row in rows(tmp_path, "phases")}
    reception = phases["recepcion_propuestas"]
    assert [reception[k] for k in ("planned_starts", "planned_ends", "starts", "ends",
                                   "extensions", "status", "opened_at", "closed_at")] == [
        "2022-09-26", "2022-11-18", "2022-09-26", "2022-11-25", "1", "closed",
        "2022-09-26T00:00:00-05:00", "2022-11-26T00:00:00-05:00"]
    assert list(phases) == ["planeacion_inicial", "vision_estrategica", "difusion",
                            "designacion_evaluador", "recepcion_propuestas",
                            "retroalimentacion", "consolidacion"]  # by date, as the timeline
    decisions = {row["decision"]: row for row in rows(tmp_path, "decisions")}
    assert [decisions["aprobacion_metodologia"][k] for k in (
        "status", "approvals", "rejections", "approved_at")] == [
        "approved", "5", "1", "2022-07-18T10:30:00-05:00"]
    votes = rows(tmp_path, "votes")
    assert len(votes) == sum(int(d["approvals"]) + int(d["rejections"])
                             for d in decisions.values())
    assert {v["member_name"] for v in votes} >= {"Ana Lucía Quizhpi", "Inés Cordero León"}
    assert {v["approve"] for v in votes} == {"true", "false"}


def test_proposals_carry_their_response_channel_and_where_their_merges_led(
        simulated: Simulated, tmp_path: Path) -> None:
    export(simulated(CUENCA), tmp_path)

    proposals = rows(tmp_path, "proposals")
    assert len(proposals) == 60
    assert all(p["state"] == "respondida" and p["response"] for p in proposals)
    merged = [p for p in proposals if p["merged_into"]]
    assert len(merged) == 4
    ids = {p["proposal"] for p in proposals}
    assert all(p["merged_into_last"] in ids for p in merged)
    assert {p["channel_name"] for p in proposals} == {"Plataforma Cuenca Participa",
                                                      "Mesas de trabajo"}
    assert [o["number"] for o in objects(tmp_path, "proposals")] == list(range(1, 61))


def test_commitments_carry_their_template_proposals_and_assessment_milestones_their_dates(
        simulated: Simulated, tmp_path: Path) -> None:
    written = export(simulated(CUENCA), tmp_path)

    commitments = {row["number"]: row for row in rows(tmp_path, "commitments")}
    assert list(commitments) == ["1", "2", "3", "4", "5", "6"]
    third = commitments["3"]
    assert third["field_title"] == "Contratación pública abierta e integridad"
    assert third["field_lead_agency"] == "Dirección de Compras Públicas"
    assert third["field_starts"] == "2023-02-01" and third["state"] == "evaluado"
    linked = [int(key.rpartition(".p")[2]) for key in commitments["2"]["proposals"].split()]
    assert linked[:4] == [4, 6, 15, 23] and linked == sorted(linked)  # by number: p4 before p15
    assert [third["completion"], third["opened_government"]] == ["substantial", "major"]
    described = {r["name"]: r for r in written.descriptor["resources"]}
    labels = {f["name"]: f["description"] for f in described["commitments-csv"]["schema"]["fields"]}
    assert labels["field_problem"] == "Problema público que aborda"
    milestones = {(row["commitment"], row["milestone"]): row for row in rows(tmp_path,
                                                                             "milestones")}
    assert len(milestones) == 12
    late = [k for k, m in milestones.items() if m["late"] == "true"]
    overdue = [k for k, m in milestones.items() if m["overdue"] == "true"]
    assert late == [("cuenca-2022.c3", "m1")] and overdue == [("cuenca-2022.c6", "m2")]
    assert milestones[("cuenca-2022.c6", "m2")]["due"] == "2024-04-30"
    assert milestones[("cuenca-2022.c6", "m2")]["done"] == "false"


def test_the_events_are_exactly_what_cocrea_events_exports(
        simulated: Simulated, tmp_path: Path) -> None:
    url = simulated(CUENCA)
    export(url, tmp_path)
    runner = CliRunner()
    as_lines = runner.invoke(app, ["events", CUENCA, "--db", url]).stdout
    as_csv = runner.invoke(app, ["events", CUENCA, "--db", url, "--format", "csv"]).stdout

    assert (tmp_path / "events.jsonl").read_text(encoding="utf-8") == as_lines
    assert list(csv.reader(io.StringIO((tmp_path / "events.csv").read_text(
        encoding="utf-8")))) == list(csv.reader(io.StringIO(as_csv)))


def test_no_contact_address_is_ever_published(simulated: Simulated, tmp_path: Path) -> None:
    url = simulated(CUENCA)
    engine = open_engine(url, migrate=False)
    with engine.connect() as conn:
        emails = [row.email for row in conn.execute(text("SELECT email FROM contacts"))]
    engine.dispose()
    export(url, tmp_path / "open.zip")

    assert len(emails) == 47  # nine members, the proponents who consented, six agencies
    with zipfile.ZipFile(tmp_path / "open.zip") as zipped:
        published = b"".join(zipped.read(name) for name in zipped.namelist())
    assert [email for email in emails if email.encode() in published] == []
    assert b"@example.org" not in published
    assert "Ana Lucía Quizhpi".encode() in published  # members' names are public


def test_the_same_log_gives_the_same_zip(simulated: Simulated, tmp_path: Path) -> None:
    url = simulated(CUENCA)
    export(url, tmp_path / "a.zip")
    export(url, tmp_path / "b.zip")

    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()


def test_the_licence_is_the_deployments_choice_and_an_unknown_one_stops_the_export(
        simulated: Simulated, tmp_path: Path) -> None:
    url = simulated(CUENCA)
    written = export(url, tmp_path / "pddl", env={"COCREA_OPEN_DATA_LICENSE": "ODC-PDDL-1.0"})

    assert [lic["name"] for lic in written.descriptor["licenses"]] == ["ODC-PDDL-1.0"]
    with pytest.raises(InvalidInput) as refused:
        export(url, tmp_path / "none", env={"COCREA_OPEN_DATA_LICENSE": "MIT"})
    assert refused.value.field == "COCREA_OPEN_DATA_LICENSE"
    assert "CC-BY-4.0" in str(refused.value)
    assert not (tmp_path / "none").exists()


def test_an_english_plan_describes_its_data_in_english_with_its_own_fields_typed(
        simulated: Simulated, tmp_path: Path) -> None:
    plan = "riverside-2025"
    written = export(simulated(plan), tmp_path, plan)

    assert problems(tmp_path / "datapackage.json") == []
    resources = {r["name"]: r for r in written.descriptor["resources"]}
    fields = {f["name"]: f for f in resources["proposals-jsonl"]["schema"]["fields"]}
    assert fields["response"]["description"] == "Reasoned response"
    assert fields["field_estimated_cost"]["type"] == "integer"
    assert fields["field_estimated_cost"]["description"] == "Estimated cost (USD)"
    assert fields["field_priority"]["constraints"] == {"enum": ["low", "medium", "high"]}
    costs = [o["field_estimated_cost"] for o in objects(tmp_path, "proposals")
             if o["field_estimated_cost"] is not None]
    assert costs and all(isinstance(cost, int) for cost in costs)
    assert written.descriptor["cocrea"]["language"] == "en"
