"""The public record beside the JSON: a plan's calendar feed and its open-data package.

Anyone may read them (no token), as anyone may read the plan: the same data,
the same exclusions (never a contact address).
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import StreamingResponse

from storage.public import record
from workflow.api.problems import documented_errors
from workflow.public.calendar import calendar
from workflow.public.package import zip_stream
from workflow.public.settings import data_license

router = APIRouter(responses=documented_errors())
CALENDAR = "text/calendar; charset=utf-8"


@router.get("/plans/{plan}/calendar.ics", tags=["planes"], response_class=Response,
            responses={200: {"content": {"text/calendar": {}},
                             "description": "openapi.calendar"}})
def calendar_feed(request: Request, plan: str) -> Response:
    """Return the plan's phases and reminders as an iCalendar feed (RFC 5545) to subscribe to."""
    with record(request.app.state.engine, plan) as found:
        body = calendar(found)
    return Response(body, media_type=CALENDAR,
                    headers={"Content-Disposition": f'inline; filename="{plan}.ics"'})


@router.get("/plans/{plan}/open-data.zip", tags=["planes"], response_class=StreamingResponse,
            responses={200: {"content": {"application/zip": {}},
                             "description": "openapi.open_data"}})
def open_data(request: Request, plan: str) -> StreamingResponse:
    """Download the plan's open data: CSV and JSON Lines tables, a Frictionless Data Package.

    Streamed as it is written (phases, decisions and votes, activities, proposals,
    every event of the plan), with each file's size and SHA-256 in ``datapackage.json``.
    """
    engine = request.app.state.engine
    data_license()  # a wrong setting is said before the answer begins
    with record(engine, plan):
        pass  # a plan that does not exist is a 404, before the answer begins
    return StreamingResponse(zip_stream(engine, plan), media_type="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{plan}-open-data.zip"'})
