"""Imports: staff, admins and the intake platform send a Decidim export to a plan.

The file is the request's body, as Decidim wrote it (``application/zip``,
``text/csv`` or ``application/json``), up to settings.IMPORT_MAX_BODY_BYTES. It
is read and imported in a worker thread, one import at a time (each holds the
write lock until it commits, and its file in memory). An import writes all or
nothing; ``dry_run=true`` does everything but commit and answers the same report.
A faulty file is a 422 listing every problem with its line and column. Importing
the same file again adds nothing (each proposal is imported once, by origin), so
the route needs no Idempotency-Key.
"""

from __future__ import annotations

from typing import Annotated, Any

import anyio
import anyio.to_thread
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from definitions.messages import deployment_locale, join, say
from storage.tokens import Identity
from workflow.adapters.decidim_import import decidim_rows
from workflow.api.auth import STAFF, actor_of, require
from workflow.api.problems import ApiProblem, documented_errors
from workflow.api.replies import handle
from workflow.api.settings import IMPORT_PATH
from workflow.commands import ImportProposals

router = APIRouter(responses=documented_errors())
Importer = Annotated[Identity, Depends(require("intake", *STAFF))]
IMPORTS_AT_ONCE = 1
"""How many imports the API runs at once; more wait their turn (threads stay free)."""
FILE_TYPES = {"application/zip": "decidim-open-data.zip", "text/csv": "proposals.csv",
              "application/json": "proposals.json"}
"""The media types an export may be sent as, and the name a report gives a file of each."""
FILE_BODY: dict[str, Any] = {"requestBody": {"required": True, "content": {
    kind: {"schema": {"type": "string", "format": "binary"}} for kind in FILE_TYPES}}}
"""A Decidim export as the request's body, as OpenAPI documents it."""
Id = Annotated[int | None, Query(ge=0, le=2**53)]


@router.post(IMPORT_PATH, tags=["propuestas"], openapi_extra=FILE_BODY)
async def import_decidim(request: Request, plan: str, who: Importer,
                         dry_run: bool = False, space: Id = None, component: Id = None,
                         channel: Annotated[str | None, Query(max_length=64)] = None,
                         ) -> JSONResponse:
    """Import the proposals of a Decidim export (the body) into a plan, all or nothing.

    Each becomes a proposal received through the online channel (``channel``: the
    definition's only one without mesas, unless named) when Decidim published it;
    rows of another ``space`` or ``component``, withdrawn ones, amendments, those
    already imported and those published outside the reception's dates are left
    out and counted. ``dry_run=true``: the same report, nothing written. 422 lists
    every faulty row with its line and column; 415 for another media type.
    """
    name = FILE_TYPES.get(_media_type(request))
    if name is None:
        locale = deployment_locale()
        raise ApiProblem(415, "tipo-no-admitido", say(
            locale, "problem.import_type", given=_media_type(request) or "—",
            types=join(list(FILE_TYPES), locale)), types=list(FILE_TYPES))
    raw = await request.body()
    rows = decidim_rows(raw, name, space, component)
    command = ImportProposals(plan, name, rows, actor_of(who), channel, dry_run)
    limiter: anyio.CapacityLimiter = request.app.state.imports
    report = await anyio.to_thread.run_sync(handle, request, command, limiter=limiter)
    return JSONResponse(report.data())


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
