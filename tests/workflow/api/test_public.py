"""The public record over HTTP: ``/plans/{plan}/calendar.ics`` and ``/plans/{plan}/open-data.zip``,
for anyone, no token; the ZIP streamed as it is written, on both databases.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import httpx
from frictionless import validate
from icalendar import Calendar

from storage.database import open_engine
from tests.support.server import Live, live_api, problem
from tests.workflow.cuenca import STAFF, cuenca
from workflow.bootstrap import bootstrap
from workflow.public import package
from workflow.testing import Driver


def test_anyone_subscribes_to_a_plans_calendar(api: Live) -> None:
    answer = httpx.get(f"{api.url}/plans/cuenca-2022/calendar.ics")

    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/calendar; charset=utf-8"
    cal = Calendar.from_ical(answer.content)
    first = next(e for e in cal.events if str(e["UID"]) == "cuenca-2022/planeacion_inicial@cocrea")
    assert (first.start, first.end) == (dt.date(2022, 7, 11), dt.date(2022, 7, 18))
    assert len(cal.events) == 7 + 9  # the seven phases and their nine reminders


def test_the_calendar_and_the_open_data_of_a_plan_that_does_not_exist_are_404(api: Live) -> None:
    for path in ("calendar.ics", "open-data.zip"):
        body = problem(httpx.get(f"{api.url}/plans/nowhere/{path}"), 404)
        assert "nowhere" in str(body["detail"])


def test_the_open_data_streams_as_a_zip_frictionless_validates(
        db_url: str, tmp_path: Path) -> None:
    staff = Driver(bootstrap(db_url).services())
    staff.create_plan(cuenca(), STAFF)
    for name, group in (("Ana", "sociedad_civil"), ("Diego", "academia_sector_privado")):
        staff.add_member("cuenca-2022", name, group, STAFF, email=f"{name.lower()}@example.org")
    with live_api(db_url) as live, httpx.stream(
            "GET", f"{live.url}/plans/cuenca-2022/open-data.zip") as answer:
        assert answer.status_code == 200
        assert answer.headers["content-type"] == "application/zip"
        assert answer.headers["transfer-encoding"] == "chunked"  # sent as it is written
        assert "content-length" not in answer.headers
        assert answer.headers["content-disposition"] == \
            'attachment; filename="cuenca-2022-open-data.zip"'
        body = answer.read()
    (tmp_path / "open.zip").write_bytes(body)

    report = validate(str(tmp_path / "open.zip"))
    assert report.valid, report.flatten(["resourceName", "type", "note"])[:5]
    with zipfile.ZipFile(io.BytesIO(body)) as zipped:
        published = b"".join(zipped.read(name) for name in zipped.namelist())
    assert b"Ana" in published and b"@example.org" not in published
    engine = open_engine(db_url, migrate=False)
    package.export(engine, "cuenca-2022", tmp_path / "cli.zip", {})
    engine.dispose()
    assert (tmp_path / "cli.zip").read_bytes() == body  # the same log, the same bytes
