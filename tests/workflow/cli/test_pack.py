"""``cocrea audit pack`` and ``audit check`` as an auditor runs them, in English, as processes.

The pack is made from either database; the check is run with no database at all
(the SQLite file removed, or the server's URL never given).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import orjson

from tests.storage import scenario
from workflow.domain.canonical import canonical_json

COCREA = [sys.executable, "-m", "workflow"]
ENGLISH = {**os.environ, "COCREA_LOCALE": "en"}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*COCREA, *args], capture_output=True, text=True, timeout=120,
                          check=False, env=ENGLISH)


def forge(pack: Path, out: Path, position: int) -> Path:
    """Copy ``pack`` with the data of event ``position`` edited (sums left as they were)."""
    with zipfile.ZipFile(pack) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "events.jsonl":
                lines = [orjson.loads(line) for line in data.splitlines()]
                line = lines[position - 1]
                line[7] = canonical_json({**json.loads(line[7]), "forged": True})
                data = b"".join(orjson.dumps(x) + b"\n" for x in lines)
            target.writestr(name, data)
    return out


def test_an_auditor_packs_the_log_then_checks_it_with_no_database(
        db_url: str, tmp_path: Path) -> None:
    scn = scenario.build(db_url)
    scn.engine.dispose()
    pack, kept = tmp_path / "evidence.zip", tmp_path / "head.json"
    made = run("audit", "pack", "--out", str(pack), "--db", db_url)
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith(f"Wrote {pack}: 48 events, 34 members, head #48 ")
    kept.write_text(run("digest", "--json", "--db", db_url).stdout, encoding="utf-8")
    if db_url.startswith("sqlite"):
        Path(db_url.removeprefix("sqlite:///")).unlink()

    checked = run("audit", "check", str(pack), "--digest", str(kept))

    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.startswith("Pack checked: SHA256SUMS, 48 chained events, 1 plan and"
                                     " 4 proposals replayed with no illegal step")


def test_the_pack_holds_the_ogp_report_the_server_gives_as_of_the_packs_moment(
        db_url: str, tmp_path: Path) -> None:
    scenario.build(db_url).engine.dispose()
    pack = tmp_path / "evidence.zip"
    assert run("audit", "pack", "--out", str(pack), "--db", db_url).returncode == 0
    with zipfile.ZipFile(pack) as archive:
        packed = json.loads(archive.read("ogp/cuenca-2022.json"))
        made_at = json.loads(archive.read("about.json"))["made_at"]
        assert "ogp/cuenca-2022.json" in archive.read("SHA256SUMS").decode()

    served = run("ogp", "report", "cuenca-2022", "--as-of", made_at, "--json", "--db", db_url)

    assert served.returncode == 0, served.stderr
    assert packed == json.loads(served.stdout)
    assert packed["plan"] == "cuenca-2022" and packed["rule_set"] == "ogp-2022"


def test_the_pack_holds_the_open_data_package_cocrea_export_writes(
        db_url: str, tmp_path: Path) -> None:
    scenario.build(db_url).engine.dispose()
    pack, exported = tmp_path / "evidence.zip", tmp_path / "datos"
    assert run("audit", "pack", "--out", str(pack), "--db", db_url).returncode == 0
    assert run("export", "cuenca-2022", "--out", str(exported), "--db", db_url).returncode == 0

    with zipfile.ZipFile(pack) as archive:
        packed = {name.removeprefix("open-data/cuenca-2022/"): archive.read(name)
                  for name in archive.namelist() if name.startswith("open-data/")}
        sums = archive.read("SHA256SUMS").decode()

    assert packed == {file.name: file.read_bytes() for file in exported.iterdir()}
    assert len(packed) == 17 and "open-data/cuenca-2022/events.csv" in sums
    assert run("audit", "check", str(pack)).returncode == 0


def test_a_forged_pack_fails_its_check_naming_the_event_in_the_auditors_language(
        sqlite_url: str, tmp_path: Path) -> None:
    scenario.build(sqlite_url).engine.dispose()
    pack = tmp_path / "evidence.zip"
    assert run("audit", "pack", "--out", str(pack), "--db", sqlite_url).returncode == 0

    checked = run("audit", "check", str(forge(pack, tmp_path / "forged.zip", 12)), "--json")

    assert checked.returncode == 1
    report = json.loads(checked.stdout)
    assert report["ok"] is False
    assert report["findings"][0]["position"] == 12
    assert "was altered" in report["findings"][0]["message"]
    said = run("audit", "check", str(tmp_path / "forged.zip")).stdout.splitlines()
    assert said[0] == "The pack does not check: 2 findings."
    assert said[1].startswith("  event #12: event #12 (")
    assert "“events.jsonl” does not have the SHA-256" in said[2]


def test_a_pack_of_one_plan_says_what_it_cannot_prove(sqlite_url: str, tmp_path: Path) -> None:
    scenario.build(sqlite_url).engine.dispose()
    pack = tmp_path / "plan.zip"
    made = run("audit", "pack", "--out", str(pack), "--plan", "cuenca-2022", "--db", sqlite_url)
    assert made.returncode == 0, made.stderr
    checked = run("audit", "check", str(pack))
    assert checked.returncode == 0, checked.stdout
    assert "does not prove that none of its events is missing" in checked.stdout


def test_packing_a_plan_that_does_not_exist_is_refused_in_words(sqlite_url: str,
                                                                tmp_path: Path) -> None:
    scenario.build(sqlite_url).engine.dispose()
    pack = tmp_path / "none.zip"
    made = run("audit", "pack", "--out", str(pack), "--plan", "nowhere", "--db", sqlite_url)
    assert made.returncode == 1 and "nowhere" in made.stderr
    assert not pack.exists() and not list(tmp_path.glob("*.partial"))


def test_checking_a_file_that_is_not_a_pack_says_so(tmp_path: Path) -> None:
    path = tmp_path / "notes.zip"
    path.write_text("hello", encoding="utf-8")
    checked = run("audit", "check", str(path))
    assert checked.returncode == 1
    assert "is not a ZIP file that can be read" in checked.stdout
