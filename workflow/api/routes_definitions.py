"""Definitions: anyone lists and reads them, any token validates one, an admin adds and removes.

The library holds the definitions shipped with cocrea and those stored in the
database; ``source`` says which. A definition is sent as YAML (as much as a
definition may be: settings.ROUTE_MAX_BODY_BYTES) and checked in a worker thread,
a few at a time (:data:`VALIDATIONS_AT_ONCE`), so a large one delays no other
request. Adding is idempotent by content (the same id@version with the same
content answers 200 and changes nothing), so it needs no Idempotency-Key.
"""

from __future__ import annotations

from typing import Annotated, Any

import anyio
import anyio.to_thread
from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import JSONResponse

from definitions.loader import parse_definition
from definitions.messages import deployment_locale
from definitions.summary import render_summary
from storage.tokens import Identity
from workflow.api.auth import ANY_ROLE, actor_of, require
from workflow.api.problems import documented_errors
from workflow.api.replies import handle
from workflow.commands import AddDefinition, RemoveDefinition
from workflow.domain.failures import invalid
from workflow.domain.library import Entry, Reference
from workflow.library import Library

router = APIRouter(responses=documented_errors())
Admin = Annotated[Identity, Depends(require("admin"))]
Version = Annotated[int, Path(ge=1, le=999_999_999)]
VALIDATIONS_AT_ONCE = 2
"""How many definitions the API checks at once; more wait their turn (threads stay free)."""
YAML_BODY: dict[str, Any] = {"requestBody": {"required": True, "content": {
    "application/yaml": {"schema": {"type": "string"}}}}}
"""A definition's YAML text as the request's body, as OpenAPI documents it."""


def _library(request: Request) -> Library:
    return Library(request.app.state.engine, files=False)  # never a file on the server


def place(entry: Entry) -> str:
    """Return where a definition's version is read."""
    return f"/definitions/{entry.id}/versions/{entry.version}"


@router.get("/definitions", tags=["definiciones"])
def definitions(request: Request) -> list[dict[str, Any]]:
    """List the definitions, shipped and stored: id, version, sha256, title, locale, source."""
    return [entry.data() for entry in _library(request).entries()]


@router.post("/definitions", status_code=201, tags=["definiciones"], openapi_extra=YAML_BODY,
             responses={200: {"description": "openapi.definition_there"}})
async def add(request: Request, who: Admin) -> JSONResponse:
    """Store a YAML definition: 201 with its place, 200 when it is already there.

    422 lists every problem with its line; 409 when its id@version is taken by other
    content (a new version needs a higher ``version:``).
    """
    raw = await request.body()
    limiter: anyio.CapacityLimiter = request.app.state.validations
    return await anyio.to_thread.run_sync(_added, request, raw, who, limiter=limiter)


def _added(request: Request, raw: bytes, who: Identity) -> JSONResponse:
    """Decode, check and store a definition sent to ``add``."""
    text = _text(raw)
    added = handle(request, AddDefinition(parse_definition(text, "body"), text, actor_of(who)))
    entry = added.entry
    return JSONResponse({**entry.data(), "new": added.new}, 201 if added.new else 200,
                        headers={"Location": place(entry), "ETag": f'"{entry.sha256}"'})


@router.post("/definitions/validate", tags=["definiciones"], openapi_extra=YAML_BODY)
async def validate(request: Request,
                   who: Annotated[Identity, Depends(require(*ANY_ROLE))]) -> dict[str, Any]:
    """Validate a YAML definition: 200 with its summary, or 422 with every problem and line."""
    raw = await request.body()
    limiter: anyio.CapacityLimiter = request.app.state.validations
    return await anyio.to_thread.run_sync(_validated, raw, limiter=limiter)


def _validated(raw: bytes) -> dict[str, Any]:
    """Decode, parse and check a definition sent to ``validate``, and summarise it."""
    definition = parse_definition(_text(raw), "body")
    return {"valid": True, "id": definition.id, "summary": render_summary(definition)}


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise invalid(deployment_locale(), "body", "field.not_utf8") from exc


@router.get("/definitions/{definition}", tags=["definiciones"])
def definition(request: Request, definition: str) -> JSONResponse:
    """Return a definition's newest version, whole (its place in ``Content-Location``)."""
    return _whole(_library(request), Reference(definition))


@router.get("/definitions/{definition}/versions/{version}", tags=["definiciones"])
def definition_version(request: Request, definition: str, version: Version) -> JSONResponse:
    """Return one version of a definition, whole (``ETag``: the SHA-256 a plan pins)."""
    return _whole(_library(request), Reference(definition, version))


def _whole(library: Library, reference: Reference) -> JSONResponse:
    entry = library.entry(reference)
    return JSONResponse(library.load(entry).definition.model_dump(mode="json"), headers={
        "ETag": f'"{entry.sha256}"', "Content-Location": place(entry)})


@router.delete("/definitions/{definition}/versions/{version}", tags=["definiciones"])
def remove(request: Request, definition: str, version: Version, who: Admin) -> dict[str, Any]:
    """Remove a stored definition's version: 409 naming the plans that pin it."""
    entry = handle(request, RemoveDefinition(definition, version, actor_of(who)))
    return {**entry.data(), "removed": True}
