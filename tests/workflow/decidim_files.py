"""Test helpers: Decidim's sample exports, and what importing them should do (from their notes).

What an import should make of each sample is worked out here from
``expected_records.json`` (written with the samples, see tests/fixtures/decidim),
never from the importer: the proposals of space 7 that were neither withdrawn nor
amendments and whose local publication date falls in Cuenca's reception
(2022-09-26 to 2022-11-18, America/Guayaquil) are imported, in the file's order.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

from workflow.adapters.decidim_import import decidim_rows
from workflow.commands import ImportProposals
from workflow.domain.events import Actor

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "decidim"
EXPECTED: list[dict[str, Any]] = json.loads((FIXTURES / "expected_records.json").read_text())
INTAKE = Actor("cuenca-participa", "intake")
PLAN = "cuenca-2022"
SPACE = 7

ZIP = "participa.cuenca.gob.ec-open-data.zip"
SEMICOLON = "proposals_0.27.7-0.28.x_semicolon.csv"
OPEN_DATA = (SEMICOLON, "proposals_0.27.7-0.28.x_comma.csv",
             "proposals_0.27.7-0.28.x_semicolon_tz-guayaquil.csv",
             "proposals_0.27.3-0.27.5_semicolon.csv", "proposals_0.29.x_semicolon.csv",
             "proposals_0.30-dev_semicolon.csv", ZIP)
"""The files with both spaces (7 and 9)."""
ADMIN = ("admin_export_component85_0.27.7-0.28.x.csv",
         "admin_export_component85_0.27.7-0.28.x.json")
"""The admin exports of component 85 (space 7 only)."""
EVERY_FILE = (*OPEN_DATA, *ADMIN)


def data(name: str) -> bytes:
    """The bytes of a sample export."""
    return (FIXTURES / name).read_bytes()


def in_window(row: dict[str, Any]) -> bool:
    return bool(row["published_local_date_in_window_2022-09-26_2022-11-18"])


def imported_ids() -> list[int]:
    """The Decidim ids an import of any sample takes, in the file's order."""
    return [row["id"] for row in EXPECTED if row["participatory_space_id"] == SPACE
            and not row["withdrawn"] and not row["is_amend"] and in_window(row)]


def left_out(name: str) -> dict[str, list[int]]:
    """The Decidim ids an import of sample ``name`` leaves out, by reason."""
    found: dict[str, list[int]] = {"other_space": [], "withdrawn": [], "amendment": [],
                                   "outside_dates": []}
    for row in EXPECTED:
        if row["participatory_space_id"] != SPACE:
            if name in OPEN_DATA:
                found["other_space"].append(row["id"])
        elif row["withdrawn"]:
            found["withdrawn"].append(row["id"])
        elif row["is_amend"]:
            found["amendment"].append(row["id"])
        elif not in_window(row):
            found["outside_dates"].append(row["id"])
    return found


def by_id() -> dict[int, dict[str, Any]]:
    """The notes on each sample proposal, by its Decidim id."""
    return {row["id"]: row for row in EXPECTED}


def import_command(name: str, raw: bytes | None = None, dry_run: bool = False,
                   plan: str = PLAN, space: int | None = SPACE,
                   component: int | None = None) -> ImportProposals:
    """The command importing sample ``name`` (or ``raw`` bytes under its name)."""
    content = data(name) if raw is None else raw
    return ImportProposals(plan, name, decidim_rows(content, name, space, component), INTAKE,
                           dry_run=dry_run)


def zipped(name: str, content: bytes) -> bytes:
    """A ZIP holding ``content`` as entry ``name`` (as Decidim's open-data ZIP does)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


def many_rows(count: int, first: int = 900_000) -> bytes:
    """A 0.27/0.28 CSV of ``count`` copies of sample 5120 (in the window), new ids each."""
    raw = data(SEMICOLON)
    lines = raw.split(b"\n")
    header = lines[0]
    start = next(n for n, line in enumerate(lines) if line.startswith(b"5120;"))
    end = next(n for n, line in enumerate(lines) if line.startswith(b"5127;"))
    sample = b"\n".join(lines[start:end])
    return b"\n".join([header, *(sample.replace(b"5120", str(first + n).encode())
                                 for n in range(count))]) + b"\n"
