"""Every error as RFC 9457 problem+json, mapped in this one place.

A typed :class:`~workflow.domain.errors.WorkflowError` keeps what it knows (the field,
the state, the allowed triggers, the unmet conditions) as members of the
problem; validation errors name each field; nothing reaches the client as a
bare 500 with a traceback. A problem's title is in the language of its detail:
the plan's for an error about one plan, else the deployment's (``COCREA_LOCALE``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from definitions.messages import deployment_locale, resolved, say
from workflow.domain.errors import (
    AlreadyExists,
    ConcurrencyError,
    DefinitionError,
    GuardFailed,
    ImportRejected,
    InUse,
    InvalidInput,
    InvalidTrigger,
    NotAllowed,
    NotFound,
    StorageError,
    UnknownTrigger,
    WorkflowError,
)

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://cocrea.dev/problemas/"


class ApiProblem(Exception):
    """An answer that is a problem: status, a type slug, a detail, and extra members."""

    def __init__(self, status: int, kind: str, detail: str, locale: str | None = None,
                 **members: Any) -> None:
        super().__init__(detail)
        self.status, self.kind, self.detail = status, kind, detail
        self.locale, self.members = resolved(locale), members

    def body(self, instance: str | None = None) -> dict[str, Any]:
        """Return the problem document."""
        document = {"type": TYPE_BASE + self.kind,
                    "title": say(self.locale, f"problem.{self.kind}"),
                    "status": self.status, "detail": self.detail, **self.members}
        if instance is not None:
            document["instance"] = instance
        return document

    def response(self, instance: str | None = None,
                 headers: dict[str, str] | None = None) -> JSONResponse:
        """Return the problem as an HTTP response."""
        return JSONResponse(self.body(instance), self.status, headers=headers,
                            media_type=MEDIA_TYPE)


Members = Callable[[Any], dict[str, Any]]
TABLE: tuple[tuple[type[WorkflowError], int, str, Members], ...] = (
    (NotFound, 404, "no-encontrado", lambda e: {"what": e.what, "key": e.key}),
    (UnknownTrigger, 404, "disparador-desconocido",
     lambda e: {"trigger": e.trigger, "state": e.state, "declared": e.declared}),
    (InvalidTrigger, 409, "transicion-no-permitida",
     lambda e: {"trigger": e.trigger, "state": e.state, "allowed": e.allowed}),
    (GuardFailed, 409, "condiciones-no-cumplidas",
     lambda e: {"trigger": e.trigger, "state": e.state, "unmet": e.unmet}),
    (AlreadyExists, 409, "ya-existe", lambda e: {"what": e.what, "key": e.key}),
    (InUse, 409, "en-uso", lambda e: {"what": e.what, "key": e.key, "plans": e.plans}),
    (ConcurrencyError, 409, "version-obsoleta",
     lambda e: {"stream": e.stream, "expected": e.expected, "actual": e.actual}),
    (ImportRejected, 422, "archivo-no-importable", lambda e: {
        "field": e.field, "source": e.source, "more": e.more,
        "problems": [{"line": p.line, "column": p.column, "name": p.name, "message": p.message}
                     for p in e.problems]}),
    (NotAllowed, 403, "sin-permiso",
     lambda e: {"role": e.role, "roles_needed": [e.needed]}),
    (InvalidInput, 422, "dato-no-valido", lambda e: {"field": e.field}),
    (DefinitionError, 422, "definicion-no-valida", lambda e: {
        "source": e.source,
        "problems": [{"path": p.path, "line": p.line, "message": p.message}
                     for p in e.problems]}),
    (StorageError, 503, "base-de-datos", lambda e: {}),
)
"""Each typed error: its status, its problem type, and what it adds to the document."""


def from_error(error: WorkflowError, locale: str | None = None,
               if_match: bool = False) -> ApiProblem:
    """Map a typed domain error to its problem (the one table above).

    The problem is in the language the error was said in, else ``locale`` (the
    deployment's when None). A stale version is 412 when the client sent If-Match,
    409 when two writes met.
    """
    locale = error.locale or resolved(locale)
    detail = str(error).splitlines()[0] if str(error) else type(error).__name__
    for kind, status, slug, members in TABLE:
        if isinstance(error, kind):
            stale = isinstance(error, ConcurrencyError) and if_match
            return ApiProblem(412 if stale else status, slug, detail, locale, **members(error))
    return ApiProblem(400, "peticion-no-valida", detail, locale)


def validation_problem(error: RequestValidationError, locale: str | None = None) -> ApiProblem:
    """Name every field a request got wrong, and what is wrong with it (pydantic's words)."""
    locale = resolved(locale)
    fields = []
    for item in error.errors():
        loc = [str(part) for part in item.get("loc", ())]
        where = ".".join(loc[1:] if loc and loc[0] in ("body", "query", "path", "header")
                         else loc) or loc[0] if loc else ""
        fields.append({"field": where, "in": loc[0] if loc else "body",
                       "problem": str(item.get("msg", ""))})
    body = say(locale, "problem.body")
    detail = say(locale, "problem.fields", fields=", ".join(f["field"] or body for f in fields))
    return ApiProblem(422, "dato-no-valido", detail, locale, errors=fields)


async def on_problem(request: Request, error: Exception) -> JSONResponse:
    """Answer an ApiProblem raised anywhere."""
    assert isinstance(error, ApiProblem)
    return error.response(request.url.path)


async def on_workflow_error(request: Request, error: Exception) -> JSONResponse:
    """Answer a typed domain error raised by a service."""
    assert isinstance(error, WorkflowError)
    return from_error(error, if_match="if-match" in request.headers).response(request.url.path)


async def on_validation(request: Request, error: Exception) -> JSONResponse:
    """Answer a request whose body, query or path does not fit its model."""
    assert isinstance(error, RequestValidationError)
    return validation_problem(error).response(request.url.path)


def internal_error(instance: str) -> JSONResponse:
    """Answer anything unforeseen with a problem, never a traceback (the caller logs it)."""
    locale = deployment_locale()
    return ApiProblem(500, "error-interno", say(locale, "problem.internal"),
                      locale).response(instance)


def problem_text(problem: ApiProblem, instance: str) -> str:
    """Return a problem's document as JSON text (kept for idempotent retries)."""
    return json.dumps(problem.body(instance), ensure_ascii=False)


PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object", "required": ["type", "title", "status", "detail"],
    "properties": {"type": {"type": "string"}, "title": {"type": "string"},
                   "status": {"type": "integer"}, "detail": {"type": "string"},
                   "instance": {"type": "string"}},
    "additionalProperties": True,
}
"""RFC 9457's members, as OpenAPI documents every error answer."""

ERRORS = (400, 401, 403, 404, 409, 412, 413, 415, 422, 500, 503)
"""The error statuses every route documents; each is described by ``openapi.error.<status>``."""


def documented_errors() -> dict[int | str, dict[str, Any]]:
    """Return the error answers every route documents (problem+json).

    Their descriptions are catalogue keys, written in words when the OpenAPI
    document is made (:mod:`workflow.api.openapi`).
    """
    return {status: {"description": f"openapi.error.{status}",
                     "content": {MEDIA_TYPE: {"schema": PROBLEM_SCHEMA}}}
            for status in ERRORS}
