"""``cocrea calendar`` and ``cocrea export`` as real processes: they only read, they say what
they wrote in the plan's language, and a wrong plan or setting is one line and exit 1.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from workflow.cli.app import app

COCREA = [sys.executable, "-m", "workflow"]
TITLE = "Co-creación del primer Plan de Acción de Gobierno Abierto de Cuenca"


def run(db: str, *args: str, env: dict[str, str] | None = None,
        ) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*COCREA, *args, "--db", db], capture_output=True, timeout=120,
                          check=False, env={**os.environ, **(env or {})})


@pytest.fixture
def simulated(db_url: str) -> str:
    result = CliRunner().invoke(app, ["simulate", "--db", db_url, "--json"])
    assert result.exit_code == 0, result.output
    return db_url


def test_the_calendar_goes_to_a_file_or_to_standard_output_byte_for_byte(
        simulated: str, tmp_path: Path) -> None:
    written = run(simulated, "calendar", "cuenca-2022", "--out", str(tmp_path / "plan.ics"))
    printed = run(simulated, "calendar", "cuenca-2022")

    assert written.returncode == printed.returncode == 0, written.stderr
    assert written.stdout.decode() == f"Calendario de «{TITLE}» escrito en {tmp_path}/plan.ics\n"
    assert printed.stdout == (tmp_path / "plan.ics").read_bytes()
    assert len(Calendar.from_ical(printed.stdout).events) == 28  # 16 of the phases, 12 milestones


def test_export_writes_a_folder_or_a_zip_and_says_what_it_wrote(
        simulated: str, tmp_path: Path) -> None:
    folder = run(simulated, "export", "cuenca-2022", "--out", str(tmp_path / "open"))
    zipped = run(simulated, "export", "cuenca-2022", "--out", str(tmp_path / "open.zip"),
                 "--json")

    assert folder.returncode == zipped.returncode == 0, folder.stderr
    assert folder.stdout.decode() == (f"Datos abiertos de «{TITLE}» escritos en {tmp_path}/open: "
                                      "17 archivos, 60 propuestas, 486 eventos\n")
    said = json.loads(zipped.stdout)
    assert said["rows"]["events"] == 486 and len(said["files"]) == 16
    with zipfile.ZipFile(tmp_path / "open.zip") as package:
        for file in said["files"]:
            data = package.read(file["path"])
            assert data == (tmp_path / "open" / file["path"]).read_bytes()
            assert file["hash"] == f"sha256:{hashlib.sha256(data).hexdigest()}"
    assert not list(tmp_path.glob(".*.part"))


def test_reading_the_public_record_leaves_the_database_as_it_was(
        sqlite_url: str, tmp_path: Path) -> None:
    assert run(sqlite_url, "plan", "create", "--definition", "cuenca-2022").returncode == 0
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = [path.read_bytes(), Path(f"{path}-wal").read_bytes()]

    assert run(sqlite_url, "calendar", "cuenca-2022").returncode == 0
    assert run(sqlite_url, "export", "cuenca-2022", "--out", str(tmp_path / "o.zip")
               ).returncode == 0

    assert [path.read_bytes(), Path(f"{path}-wal").read_bytes()] == before


def test_an_unknown_plan_or_licence_is_one_line_and_exit_1(
        sqlite_url: str, tmp_path: Path) -> None:
    assert run(sqlite_url, "plan", "create", "--definition", "cuenca-2022").returncode == 0

    nowhere = run(sqlite_url, "calendar", "nowhere")
    licence = run(sqlite_url, "export", "cuenca-2022", "--out", str(tmp_path / "o"),
                  env={"COCREA_OPEN_DATA_LICENSE": "MIT"})

    assert (nowhere.returncode, licence.returncode) == (1, 1)
    assert nowhere.stderr.decode().count("\n") == 1 and "nowhere" in nowhere.stderr.decode()
    assert licence.stderr.decode() == (
        "error: la variable COCREA_OPEN_DATA_LICENSE no es válida: «MIT» (se espera "
        "CC-BY-4.0, CC0-1.0, ODC-PDDL-1.0, ODC-By-1.0, ODbL-1.0)\n")
    assert not (tmp_path / "o").exists()
