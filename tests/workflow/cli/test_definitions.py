"""``cocrea definition``: a municipality's own definitions in the database, as real processes."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.definitions.sample import cuenca_yaml, edit, minimal_yaml
from workflow.cli.simulate import shipped_scenario

COCREA = [sys.executable, "-m", "workflow"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*COCREA, *args], capture_output=True, text=True, timeout=120,
                          check=False)


def ok(*args: str) -> str:
    done = run(*args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def sample(folder: Path, version: int, title: str = "Proceso de muestra") -> Path:
    """Write the sample definition at ``version``, titled ``title``; its file."""
    path = folder / f"muestra-{version}-{len(title)}.yaml"
    path.write_text(edit(edit(minimal_yaml(), "version: 1", f"version: {version}"),
                         "title: Proceso de muestra", f"title: {title}"), encoding="utf-8")
    return path


def test_a_municipality_adds_its_definition_and_each_plan_keeps_the_version_it_was_made_from(
        db_url: str, tmp_path: Path) -> None:
    db = ("--db", db_url)
    first = json.loads(ok("definition", "add", str(sample(tmp_path, 1)), *db, "--json"))
    again = ok("definition", "add", str(sample(tmp_path, 1)), *db)
    ok("plan", "create", "--definition", "muestra", "--id", "antes", *db)
    ok("definition", "add", str(sample(tmp_path, 2, "Segunda versión")), *db)
    made = ok("plan", "create", "--definition", "muestra", "--id", "despues", *db)
    listed = ok("definition", "list", *db)

    assert first["new"] and first["source"] == "stored" and first["added_by"] == "tecnico"
    assert again.startswith(f"La definición muestra@1 ya estaba (guardada, sha256 "
                            f"{first['sha256']})")
    assert "con la definición muestra v2" in made
    assert json.loads(ok("plan", "show", "antes", *db, "--json"))["definition"]["hash"] == \
        first["sha256"]
    assert [line.split("  ")[:2] for line in listed.splitlines()] == [
        ["cuenca-2022@1", "incluida"], ["muestra@1", "guardada"], ["muestra@2", "guardada"],
        ["riverside-2025@1", "incluida"]]

    refused = run("definition", "remove", "muestra@1", *db)
    ok("definition", "add", str(sample(tmp_path, 3, "Tercera")), *db)
    removed = ok("definition", "remove", "muestra@3", *db)

    assert refused.returncode == 1 and refused.stderr == (
        "error: la definición muestra@1 no se puede retirar: la usa 1 plan (antes)\n")
    assert removed == "Definición muestra@3 retirada.\n"
    assert [d["version"] for d in json.loads(ok("definition", "list", *db, "--json"))
            if d["id"] == "muestra"] == [1, 2]


def test_a_clash_a_broken_file_and_a_version_left_out_are_each_one_clear_error(
        sqlite_url: str, tmp_path: Path) -> None:
    ok("definition", "add", str(sample(tmp_path, 1)), "--db", sqlite_url)
    broken = tmp_path / "rota.yaml"
    broken.write_text("id: rota\ntitle: [sin cerrar\n", encoding="utf-8")

    clash = run("definition", "add", str(sample(tmp_path, 1, "Otro título")), "--db", sqlite_url)
    bad = run("definition", "add", str(broken), "--db", sqlite_url)
    vague = run("definition", "remove", "muestra", "--db", sqlite_url)

    assert clash.returncode == 1 and clash.stderr == (
        "error: ya existe la definición muestra@1 con otro contenido; para añadir esta, suba "
        "su «version:»\n")
    assert bad.returncode == 1 and f"{broken}:" in bad.stderr and "Traceback" not in bad.stderr
    assert vague.returncode == 1 and "escriba ID@VERSIÓN" in vague.stderr


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_reading_the_definitions_leaves_the_database_as_it_was_and_creates_none(
        sqlite_url: str, tmp_path: Path) -> None:
    nowhere = f"sqlite:///{tmp_path / 'nada' / 'nada.db'}"
    assert ok("definition", "list", "--db", nowhere).startswith("cuenca-2022@1  incluida")
    assert not (tmp_path / "nada").exists()
    ok("definition", "add", str(sample(tmp_path, 1)), "--db", sqlite_url)
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = [sha256(path), Path(f"{path}-wal").read_bytes()]

    shown = ok("definition", "show", "muestra@1", "--db", sqlite_url)
    ok("definition", "list", "--db", sqlite_url)

    assert shown.startswith("Definición válida: muestra@1\n\nProceso de muestra\n")
    assert [sha256(path), Path(f"{path}-wal").read_bytes()] == before


@pytest.fixture
def bis(tmp_path: Path) -> tuple[Path, Path]:
    """Cuenca's definition under another id, and the shipped scenario made for it."""
    definition, scenario = tmp_path / "cuenca-bis.yaml", tmp_path / "escenario-bis.yaml"
    definition.write_text(edit(cuenca_yaml(), "id: cuenca-2022", "id: cuenca-bis"),
                          encoding="utf-8")
    scenario.write_text(edit(shipped_scenario("cuenca-2022")[1], "definition: cuenca-2022",
                             "definition: cuenca-bis"), encoding="utf-8")
    return definition, scenario


def test_simulate_runs_a_stored_definition_from_the_database_it_is_told_on_a_fresh_one(
        db_url: str, tmp_path: Path, bis: tuple[Path, Path]) -> None:
    definition, scenario = bis
    ok("definition", "add", str(definition), "--db", db_url)
    fresh = f"sqlite:///{tmp_path / 'simulacion.db'}"

    ran = json.loads(ok("simulate", "cuenca-bis", "--scenario", str(scenario),
                        "--definitions-db", db_url, "--db", fresh, "--json"))
    missing = run("simulate", "cuenca-bis", "--scenario", str(scenario),
                  "--definitions-db", f"sqlite:///{tmp_path / 'nada.db'}")

    assert ran["plan"] == "cuenca-bis" and ran["verify"]["ok"] and ran["database"] == fresh
    assert ok("plan", "list", "--db", db_url) == "No hay planes.\n"  # only read
    assert missing.returncode == 1 and missing.stderr == (
        "error: no existe la definición 'cuenca-bis'; definiciones: cuenca-2022@1, "
        "riverside-2025@1\n")
