"""Answering a command: the services for this request, If-Match, and Idempotency-Key.

A POST with an ``Idempotency-Key`` that this caller used before for the same
request gets the first answer again (marked ``Idempotent-Replayed: true``) and
records nothing; the same key with another request is refused, and one still
running answers 409 so the client retries; a key whose first request died after
writing answers 409 saying so (read the resource to see what it did).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from definitions.messages import deployment_locale, say
from storage import idempotency
from storage.eventstore import CommandMeta
from storage.tokens import Identity
from workflow.api.problems import ApiProblem, from_error, problem_text
from workflow.bootstrap import Cocrea
from workflow.commands import Command
from workflow.domain.errors import WorkflowError

VERSION = re.compile(r'^(?:W/)?"?(\d{1,9})"?$')
REPLAYED = "Idempotent-Replayed"
R = TypeVar("R")


@dataclass
class Reply:
    """A command's answer: status, JSON body, headers."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


def created(body: dict[str, Any], location: str) -> Reply:
    """Answer a command that made a new plan or proposal: 201, its place, version 1."""
    return Reply(201, {**body, "version": 1}, {"Location": location, "ETag": '"1"'})


def handle(request: Request, command: Command[R]) -> R:
    """Run ``command`` for this request (its id becomes the events' correlation id)."""
    cocrea: Cocrea = request.app.state.cocrea
    return cocrea.services(CommandMeta(correlation_id=request.state.request_id)).handle(command)


def expected_version(request: Request) -> int | None:
    """Read If-Match as the version the client last saw (None without the header)."""
    header = request.headers.get("if-match")
    if header is None:
        return None
    found = VERSION.match(header.strip())
    if found is None:
        raise ApiProblem(400, "peticion-no-valida", say(deployment_locale(), "problem.if_match"))
    return int(found.group(1))


def answer(request: Request, identity: Identity, body: BaseModel | None,
           run: Callable[[], Reply]) -> Response:
    """Run a command once per Idempotency-Key; map its errors to problems."""
    key = request.headers.get("idempotency-key")
    if key is None:
        return _respond(_outcome(request, run))
    engine, who = request.app.state.engine, identity.token_id
    fingerprint = _fingerprint(request, body)
    seen = idempotency.reserve(engine, who, key[:200], fingerprint, request.state.request_id,
                               request.app.state.clock())
    if seen is not None:
        return _seen(seen)
    try:
        outcome = _outcome(request, run)
    except BaseException:
        idempotency.release(engine, who, key[:200])
        raise
    text = json.dumps(outcome.body, ensure_ascii=False) if isinstance(outcome, Reply) \
        else problem_text(outcome, request.url.path)
    status = outcome.status
    idempotency.complete(engine, who, key[:200], status, text)
    return _respond(outcome)


def _outcome(request: Request, run: Callable[[], Reply]) -> Reply | ApiProblem:
    try:
        return run()
    except WorkflowError as exc:
        return from_error(exc, if_match="if-match" in request.headers)
    except ApiProblem as exc:
        return exc


def _respond(outcome: Reply | ApiProblem) -> Response:
    if isinstance(outcome, ApiProblem):
        raise outcome
    return JSONResponse(outcome.body, outcome.status, headers=outcome.headers)


def _seen(seen: idempotency.Seen) -> Response:
    if seen.state == "in_progress":
        raise ApiProblem(409, "clave-en-uso", say(deployment_locale(), "problem.key_in_use"))
    if seen.state == "other_request":
        raise ApiProblem(422, "clave-reutilizada", say(deployment_locale(), "problem.key_reused"))
    if seen.state == "answer_lost":
        raise ApiProblem(409, "respuesta-perdida", say(deployment_locale(), "problem.answer_lost"))
    media = "application/problem+json" if seen.status >= 400 else "application/json"
    return Response(seen.body, seen.status, media_type=media, headers={REPLAYED: "true"})


def _fingerprint(request: Request, body: BaseModel | None) -> str:
    data = body.model_dump(mode="json") if body is not None else None
    text = json.dumps([request.method, request.url.path, data], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()
