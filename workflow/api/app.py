"""The FastAPI application: routes, the one error table, request ids, and the scheduler.

``create_app(cocrea)`` serves the API over cocrea wired to a database; with
``scheduler=True`` (``cocrea serve``) the deadline scheduler runs in the same
process for the app's lifetime. Every request gets an id (``X-Request-ID``,
taken from the client when it sends a sane one) that is bound to the logs and
becomes the correlation id of the events it causes; every request is logged
with the status sent, a 500 included. Before a request is routed, admission
checks its address, and a POST's token and body (see admission).
"""

from __future__ import annotations

import re
import time
import traceback
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
import structlog
from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from definitions.messages import deployment_locale, say
from notifications.setup import channels_from_env
from workflow.api import problems
from workflow.api.admission import Admission, Refused
from workflow.api.allow import AllowTable, method_not_allowed
from workflow.api.docs import mount_assets
from workflow.api.docs import router as docs
from workflow.api.openapi import in_words
from workflow.api.routes_commands import router as commands
from workflow.api.routes_commitments import router as commitments
from workflow.api.routes_definitions import VALIDATIONS_AT_ONCE
from workflow.api.routes_definitions import router as library
from workflow.api.routes_imports import IMPORTS_AT_ONCE
from workflow.api.routes_imports import router as imports
from workflow.api.routes_notices import router as notices
from workflow.api.routes_public import router as public
from workflow.api.routes_read import router as reads
from workflow.api.settings import (
    BINARY_BODY_PATHS,
    DEFAULT_MAX_BODY_BYTES,
    ROUTE_MAX_BODY_BYTES,
)
from workflow.bootstrap import Cocrea
from workflow.domain.errors import WorkflowError
from workflow.site.routes import router as site

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
log = structlog.get_logger("cocrea.api")


def create_app(cocrea: Cocrea, scheduler: bool = False,
               poll_seconds: float = 30.0, lease_seconds: float = 45.0,
               notify_seconds: float | None = 5.0,
               max_body_bytes: int = DEFAULT_MAX_BODY_BYTES) -> FastAPI:
    """Build the API over ``cocrea`` (and run the scheduler beside it when asked).

    The scheduler holds a lease in the database while it runs, so of several
    workers (or servers) on one database one fires deadlines; when it dies another
    takes over once ``lease_seconds`` have passed (polling at a third of that).
    Beside it, every ``notify_seconds`` the outbox dispatcher delivers what is
    due through the channels the environment configures; every worker runs one
    (their claims never overlap). A POST's body may be up to ``max_body_bytes``
    (some routes have their own limit: settings.ROUTE_MAX_BODY_BYTES).
    """
    app = FastAPI(title="cocrea", version="0.1.0", lifespan=_lifespan,
                  description="openapi.description", docs_url=None, redoc_url=None)
    app.openapi = in_words(app)  # type: ignore[method-assign]
    app.state.cocrea = cocrea
    app.state.engine, app.state.clock = cocrea.engine, cocrea.clock
    app.state.scheduler, app.state.lease_seconds = scheduler, lease_seconds
    app.state.poll_seconds = min(poll_seconds, lease_seconds / 3)
    app.state.notify_seconds = notify_seconds
    app.state.validations = anyio.CapacityLimiter(VALIDATIONS_AT_ONCE)
    app.state.imports = anyio.CapacityLimiter(IMPORTS_AT_ONCE)
    routers = (reads, public, library, commands, commitments, imports, notices, docs, site)
    for router in routers:
        app.include_router(router)
    mount_assets(app)  # /docs and /redoc load nothing from outside the server
    app.state.allow = AllowTable(route for each in (app, *routers) for route in each.routes)
    app.add_exception_handler(problems.ApiProblem, problems.on_problem)
    app.add_exception_handler(WorkflowError, problems.on_workflow_error)
    app.add_exception_handler(RequestValidationError, problems.on_validation)
    app.add_exception_handler(HTTPException, _on_http)
    app.add_middleware(Admission, engine=cocrea.engine, max_body_bytes=max_body_bytes,
                       route_limits=ROUTE_MAX_BODY_BYTES, allow=app.state.allow,
                       binary_paths=BINARY_BODY_PATHS)
    app.add_middleware(RequestIds)  # outermost: admission's answers are tagged and logged
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    wakeups = None
    if app.state.scheduler:
        cocrea: Cocrea = app.state.cocrea
        wakeups = cocrea.wakeups(app.state.poll_seconds, app.state.lease_seconds)
        if app.state.notify_seconds:
            channels = channels_from_env()
            log.info("dispatcher_started", channels=sorted(channels),
                     every_seconds=app.state.notify_seconds)
            dispatcher = cocrea.dispatcher(channels)
            wakeups.every(app.state.notify_seconds, dispatcher.run_once, "outbox")
        wakeups.start()
    try:
        yield
    finally:
        if wakeups is not None:
            wakeups.shutdown()


class RequestIds:
    """Pure ASGI middleware: a request id for every request, bound to the logs, echoed back.

    An error nothing else handled is answered here, as a 500 problem with the
    request id, logged with its traceback: Starlette's last-resort handler sits
    outside every middleware, so its 500 would go untagged and unlogged here.
    (Starlette's ``BaseHTTPMiddleware`` costs a task and a stream per request;
    this costs a dict lookup.)
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Tag the request, log its end, pass everything else through untouched."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = Headers(scope=scope).get("x-request-id", "")
        request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        start, status = time.perf_counter(), [0]

        async def tagged(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                MutableHeaders(scope=message).append("X-Request-ID", request_id)
            await send(message)

        structlog.contextvars.bind_contextvars(request_id=request_id)
        try:
            await self.app(scope, receive, tagged)
        except Exception as error:
            if status[0]:  # the answer has begun: nothing else can be said
                raise
            log.error("unexpected_error", path=scope["path"], error=repr(error),
                      traceback="".join(traceback.format_exception(error)))
            await problems.internal_error(scope["path"])(scope, receive, tagged)
        finally:
            structlog.contextvars.unbind_contextvars("request_id")
            log.info("request", request_id=request_id, method=scope["method"],
                     path=scope["path"], status=status[0],
                     ms=round((time.perf_counter() - start) * 1000, 1))


async def _on_http(request: Request, error: Exception) -> Response:
    """Answer Starlette's own errors (no such route, wrong method) and refused bodies."""
    assert isinstance(error, HTTPException)
    if isinstance(error, Refused):
        return error.problem.response(request.url.path)
    if error.status_code == 405:
        allowed = request.app.state.allow.allowed(request.scope["path"])
        return method_not_allowed(request.method, request.url.path, allowed)
    if error.status_code == 404:
        problem = problems.ApiProblem(404, "no-existe-ruta", say(
            deployment_locale(), "problem.no_route", path=request.url.path))
    else:
        problem = problems.ApiProblem(error.status_code, "peticion-no-valida", str(error.detail))
    return problem.response(request.url.path, headers=dict(error.headers or {}))
