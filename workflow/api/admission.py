"""What a request must be before it is routed and its body read (pure ASGI middleware).

- A path holding a control character names nothing (404); a query parameter holding
  one is refused naming it (422): neither reaches the database.
- A literal path (``/definitions/validate``) answers a method it does not take with a
  405, though a route with a parameter would match it (see allow).
- Every POST needs a token (see auth): it is checked before a byte of the body is
  read (401 without reading it), and the caller's identity is kept in the request's
  state for the route, so it is looked up once.
- A POST's body over the limit is refused (413, naming the limit) at once when its
  Content-Length says so, else as soon as the bytes counted pass it: no more than
  the limit is ever held.
- A body must be UTF-8 text (415 otherwise): RFC 8259 (§8.1) requires UTF-8 for JSON
  between systems, and a YAML definition is read as UTF-8 too. A file sent to be
  imported is bytes (settings.BINARY_BODY_PATHS): its reader checks it. Python's JSON parser
  would also take UTF-16 and UTF-32, which would let two encodings of one request in.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Mapping
from urllib.parse import parse_qsl

from sqlalchemy import Engine
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from definitions.messages import deployment_locale, say
from workflow.api.allow import AllowTable, method_not_allowed
from workflow.api.auth import IDENTITY, identify_header, unauthenticated
from workflow.api.problems import ApiProblem, from_error
from workflow.domain.errors import InvalidInput
from workflow.domain.texts import check_line, has_control


class Refused(HTTPException):
    """A body refused while it is read: an HTTPException, so FastAPI lets it through."""

    def __init__(self, problem: ApiProblem) -> None:
        super().__init__(problem.status)
        self.problem = problem


def too_large(limit: int) -> ApiProblem:
    """Return the problem of a body over ``limit`` bytes."""
    return ApiProblem(413, "cuerpo-demasiado-grande",
                      say(deployment_locale(), "problem.too_large", limit=limit), limit=limit)


def not_utf8() -> ApiProblem:
    """Return the problem of a body that is not UTF-8 text."""
    return ApiProblem(415, "codificacion-no-admitida", say(deployment_locale(), "problem.not_utf8"))


def _template(path: str) -> re.Pattern[str]:
    """Return the pattern of a path template (each ``{name}`` one segment)."""
    parts = re.split(r"\{[^}/]+\}", path)
    return re.compile("[^/]+".join(re.escape(part) for part in parts) + "$")


class BodyRules:
    """What a POST path's body may be: its limit in bytes, and whether it is bytes, not text."""

    def __init__(self, limits: Mapping[str, int], binary: Iterable[str], default: int) -> None:
        self._exact = {path: limit for path, limit in limits.items() if "{" not in path}
        self._templated = [(_template(path), limit) for path, limit in limits.items()
                           if "{" in path]
        self._binary = [_template(path) for path in binary]
        self._default = default

    def limit(self, path: str) -> int:
        """Return the most bytes a POST to ``path`` may send."""
        found = self._exact.get(path)
        if found is not None:
            return found
        return next((limit for pattern, limit in self._templated if pattern.match(path)),
                    self._default)

    def binary(self, path: str) -> bool:
        """Whether a POST to ``path`` sends bytes (not checked as UTF-8 text)."""
        return any(pattern.match(path) for pattern in self._binary)


class Admission:
    """Pure ASGI middleware: the checks above, then the app (a dict lookup for most GETs)."""

    def __init__(self, app: ASGIApp, engine: Engine, max_body_bytes: int,
                 route_limits: Mapping[str, int], allow: AllowTable,
                 binary_paths: Iterable[str] = ()) -> None:
        self.app, self.engine, self.allow = app, engine, allow
        self.bodies = BodyRules(route_limits, binary_paths, max_body_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse what may not come in (answering a problem), pass the rest on."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            _check_address(scope)
            allowed = self.allow.refusing(scope["path"], scope["method"])
            if allowed is not None:
                answer = method_not_allowed(scope["method"], scope["path"], allowed)
                await answer(scope, receive, send)
                return
            if scope["method"] == "POST":
                receive = self._admit_body(scope, receive)
        except ApiProblem as problem:
            await problem.response(scope["path"])(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _admit_body(self, scope: Scope, receive: Receive) -> Receive:
        headers = Headers(scope=scope)
        identity = identify_header(self.engine, headers.get("authorization"))
        if identity is None:
            raise unauthenticated()
        scope.setdefault("state", {})[IDENTITY] = identity
        limit = self.bodies.limit(scope["path"])
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            raise too_large(limit)
        return BodyReader(receive, limit, text=not self.bodies.binary(scope["path"]))


def _check_address(scope: Scope) -> None:
    if has_control(scope["path"]):
        raise ApiProblem(404, "no-existe-ruta", say(deployment_locale(), "problem.no_route",
                                                    path=scope["path"]))
    query = scope["query_string"]
    if b"%" in query:
        for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
            try:
                check_line(None, name, value)
            except InvalidInput as error:
                raise from_error(error) from error


class BodyReader:
    """The body's messages as they come, counted and (unless bytes) checked as UTF-8 text."""

    def __init__(self, receive: Receive, limit: int, text: bool = True) -> None:
        self._receive, self._limit, self._seen, self._text = receive, limit, 0, text
        self._decoder = codecs.getincrementaldecoder("utf-8")()

    async def __call__(self) -> Message:
        """Return the next message; raise Refused when the body passes the limit or is not text."""
        message = await self._receive()
        if message["type"] == "http.request":
            chunk = message.get("body", b"")
            self._seen += len(chunk)
            if self._seen > self._limit:
                raise Refused(too_large(self._limit))
            if not self._text:
                return message
            try:
                self._decoder.decode(chunk, not message.get("more_body", False))
            except UnicodeDecodeError:
                raise Refused(not_utf8()) from None
            if b"\x00" in chunk:  # never in JSON or YAML text; UTF-16 and UTF-32 are full of them
                raise Refused(not_utf8())
        return message

