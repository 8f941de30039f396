"""Reads never write: audits open the database read-only, never migrate, and say when to.

And a bug is never dressed up as the user's mistake: one line, a report, exit 70.
"""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import tempfile
from importlib import resources
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from storage.database import alembic_config, open_engine, schema_revision
from tests.workflow.cli.test_commands import ok
from workflow.domain.errors import SchemaBehind

COCREA = [sys.executable, "-m", "workflow"]
NEWEST = ScriptDirectory(str(resources.files("storage") / "migrations")).get_current_head()
"""The newest migration (each new one moves it: the tests below never name it)."""
READS = [["plan", "show", "cuenca-2022"], ["plan", "list"], ["proposal", "list", "cuenca-2022"],
         ["events", "cuenca-2022"], ["replay", "cuenca-2022", "--as-of", "9999-12-31"],
         ["verify"], ["digest"], ["scheduler", "list", "cuenca-2022"], ["notify", "list"],
         ["token", "list"], ["audit", "pack", "--out", str(Path(tempfile.mkdtemp()) / "p.zip")]]


def run(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*COCREA, *args, "--db", db], capture_output=True, text=True,
                          timeout=60, check=False)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def planned(db_url: str) -> str:
    ok(db_url, "plan", "create", "--definition", "cuenca-2022")
    return db_url


def behind(url: str) -> None:
    """Take the database's schema one migration back, as an older cocrea left it."""
    engine = open_engine(url)
    command.downgrade(alembic_config(engine), "-1")
    engine.dispose()


@pytest.mark.parametrize("args", READS, ids=lambda a: " ".join(a[:2]))
def test_a_read_leaves_the_sqlite_file_byte_for_byte_as_it_was(
        sqlite_url: str, args: list[str]) -> None:
    ok(sqlite_url, "plan", "create", "--definition", "cuenca-2022")
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    with sqlite3.connect(path) as conn:  # the file holds everything, the WAL nothing
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = [sha256(path), Path(f"{path}-wal").read_bytes()]

    result = run(sqlite_url, *args)

    assert result.returncode == 0, result.stderr
    assert [sha256(path), Path(f"{path}-wal").read_bytes()] == before


def test_an_audit_of_a_database_whose_schema_is_behind_names_db_upgrade_and_changes_nothing(
        planned: str) -> None:
    behind(planned)
    engine = open_engine(planned, migrate=False)
    was = schema_revision(engine)

    result = run(planned, "verify")

    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "cocrea db upgrade" in result.stderr
    assert "Traceback" not in result.stderr
    assert schema_revision(engine) == was != NEWEST


def test_db_upgrade_brings_the_schema_on_and_the_audit_then_passes(planned: str) -> None:
    behind(planned)

    upgraded = run(planned, "db", "upgrade")
    audit = run(planned, "verify")

    assert upgraded.returncode == 0 and f"{NEWEST})" in upgraded.stdout
    assert audit.returncode == 0, audit.stderr


def test_a_write_command_still_migrates_as_it_opens_the_database(planned: str) -> None:
    behind(planned)

    assert run(planned, "phase", "open", "cuenca-2022", "planeacion_inicial",
               "--reason", "inicio").returncode == 0
    assert schema_revision(open_engine(planned, migrate=False)) == NEWEST


def test_a_read_only_engine_cannot_write_at_all(planned: str) -> None:
    engine = open_engine(planned, readonly=True)
    with pytest.raises(DBAPIError), engine.begin() as conn:
        conn.execute(text("DELETE FROM events"))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM events")).scalar_one() == 1


def test_reading_a_database_file_that_does_not_exist_creates_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nada.db'}"

    result = run(url, "verify")

    assert result.returncode == 1
    assert "no existe la base de datos" in result.stderr
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(SchemaBehind):
        open_engine(url, readonly=True)


def test_a_bug_is_one_line_naming_it_as_ours_with_a_report_and_exit_70(planned: str) -> None:
    engine = open_engine(planned)
    with engine.begin() as conn:  # a snapshot no cocrea wrote: reading it is a bug's path
        conn.execute(text("UPDATE plans SET snapshot = '{'"))

    result = run(planned, "plan", "show", "cuenca-2022")

    assert result.returncode == 70
    line = result.stderr.strip().splitlines()[-1]
    assert "error interno de cocrea (no es un error suyo)" in line
    assert "Traceback" not in result.stderr
    report = Path(line.split("El detalle quedó en ")[1].split(";")[0])
    assert "JSONDecodeError" in report.read_text(encoding="utf-8")


def test_an_export_whose_reader_stops_early_ends_quietly_with_exit_0(db_url: str) -> None:
    ok(db_url, "simulate")  # 486 events: far more than a pipe holds
    for fmt in ("jsonl", "csv"):
        export = subprocess.Popen([*COCREA, "events", "cuenca-2022", "--format", fmt,
                                   "--db", db_url], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE)
        assert export.stdout is not None
        head = subprocess.run(["head", "-n", "1"], stdin=export.stdout, capture_output=True,
                              timeout=60, check=True)
        export.stdout.close()  # only head read it, and head is gone
        _, err = export.communicate(timeout=60)

        assert head.stdout.startswith(b"{" if fmt == "jsonl" else b"position,")
        assert (export.returncode, err) == (0, b"")
