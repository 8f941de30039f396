"""``cocrea import decidim`` on a real database: the report, a dry run, refusals, progress."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.workflow.decidim_files import (
    ADMIN,
    FIXTURES,
    PLAN,
    SEMICOLON,
    ZIP,
    data,
    imported_ids,
    many_rows,
)
from workflow.cli.app import app

runner = CliRunner()


def cocrea(db: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--db", db])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def db(db_url: str) -> str:
    assert cocrea(db_url, "plan", "create", "--definition", "cuenca-2022")[0] == 0
    return db_url


def test_an_import_says_each_row_it_imported_and_why_it_left_the_others_out(db: str) -> None:
    code, out, err = cocrea(db, "import", "decidim", PLAN, str(FIXTURES / ZIP), "--space", "7")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == (f"{ZIP} → cuenca-2022: 9 propuestas importadas por «Plataforma "
                        "Cuenca Participa».")
    assert lines[1] == ("Recepción: del 26 de septiembre de 2022 al 18 de noviembre de 2022, "
                        "como fechas de publicación en Decidim.")
    assert "  línea 2: CP-PROP-2022-09-5120 → cuenca-2022.p1" in lines
    assert "  línea 32: CP-PROP-2022-11-5230 → cuenca-2022.p9" in lines
    assert lines[-5:] == [
        "  1 publicada fuera de las fechas de la recepción",
        "  línea 25: CP-PROP-2022-10-5189, retirada en Decidim",
        "  línea 30: CP-PROP-2022-11-5204, es una enmienda",
        "  línea 34: CP-PROP-2022-11-5241, publicada el 19 de noviembre de 2022 a las 09:05, "
        "fuera de las fechas de la recepción",
        "  línea 37: CP-PROP-2022-09-5150, de otro espacio participativo"]
    code, out, _ = cocrea(db, "proposal", "list", PLAN, "--json")
    assert len(json.loads(out)) == 9


def test_the_json_report_of_a_dry_run_is_the_real_runs_and_nothing_is_written(db: str) -> None:
    args = ("import", "decidim", PLAN, str(FIXTURES / ADMIN[1]), "--json")
    dry = json.loads(cocrea(db, *args, "--dry-run")[1])
    assert json.loads(cocrea(db, "proposal", "list", PLAN, "--json")[1]) == []
    done = json.loads(cocrea(db, *args)[1])
    assert {**dry, "dry_run": False} == done
    assert [p["decidim_id"] for p in done["proposals"]] == imported_ids()
    again = json.loads(cocrea(db, *args)[1])
    assert (again["imported"], again["skipped"]["already_imported"]) == (0, 9)


def test_a_faulty_file_is_refused_with_each_problems_line_and_column(db: str,
                                                                     tmp_path: Path) -> None:
    broken = tmp_path / "proposals.csv"
    broken.write_bytes(data(SEMICOLON).replace(b"2022-09-26 13:15:02 UTC", b"ayer", 1)
                       .replace(b"\n5127;", b"\nx5127;", 1))
    code, out, err = cocrea(db, "import", "decidim", PLAN, str(broken), "--space", "7",
                            "--dry-run")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "error: proposals.csv no se puede importar (2 problemas); no se importó nada:",
        "línea 2, columna 30 (published_at): «ayer» no es un momento como los escribe Decidim "
        "(como 2022-09-29 00:40:11 UTC, o con un desfase como -0500)",
        "línea 9, columna 1 (id): «x5127» no es un número entero"]


def test_a_missing_file_and_several_spaces_are_said_in_words(db: str) -> None:
    code, _, err = cocrea(db, "import", "decidim", PLAN, "/nada/proposals.csv")
    assert code == 1 and "/nada/proposals.csv no se puede importar" in err
    assert "no se puede leer: " in err
    code, _, err = cocrea(db, "import", "decidim", PLAN, str(FIXTURES / ZIP))
    assert code == 1
    assert err == ("error: campo «space»: el archivo tiene propuestas de varios espacios "
                   "participativos: 7 (12 propuestas), 9 (1 propuesta); diga de cuál importar "
                   "(--space, o su --component); no se importó nada\n")


def run_with_stderr(db: str, path: Path, terminal: bool) -> str:
    """Run the real ``cocrea import`` with stderr on a terminal (a pty) or a pipe; its stderr."""
    command = [str(Path(sys.executable).parent / "cocrea"), "import", "decidim", PLAN,
               str(path), "--db", db, "--json"]
    if not terminal:
        done = subprocess.run(command, capture_output=True, check=True)
        return done.stderr.decode()
    parent, child = pty.openpty()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=child)
    os.close(child)
    said = b""
    while True:
        try:
            chunk = os.read(parent, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        said += chunk
    assert process.wait(timeout=120) == 0
    os.close(parent)
    return said.decode()


def test_a_large_file_shows_progress_on_a_terminal_and_nothing_on_a_pipe(
        db: str, tmp_path: Path) -> None:
    path = tmp_path / "proposals.csv"
    path.write_bytes(many_rows(3000))
    assert "Leyendo la exportación" in run_with_stderr(db, path, terminal=True)
    path.write_bytes(many_rows(10, first=800_000))
    assert run_with_stderr(db, path, terminal=False) == ""
