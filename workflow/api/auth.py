"""Who calls: a bearer token's identity, and the roles each endpoint lets in.

Without a token, anyone may read what open government publishes (plans,
phases, decisions, proposals' public fields and responses); everything else
needs a token whose role the endpoint names. The actor recorded in the events
is the token's name and id, in the token's role.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine

from definitions.messages import deployment_locale, join, say
from definitions.roles import ROLES
from storage.tokens import Identity, identify
from workflow.api.problems import ApiProblem
from workflow.domain.events import Actor

BEARER = HTTPBearer(auto_error=False, description="openapi.bearer")
Bearer = Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)]
STAFF = ("admin", "staff")
READERS = ("admin", "staff", "auditor")
ANY_ROLE = ROLES


IDENTITY = "identity"
"""Key of the caller's identity in the ASGI scope's state, once it is known."""


def identify_header(engine: Engine, header: str | None) -> Identity | None:
    """Return who an ``Authorization`` header's bearer token is; None without one; 401 if bad."""
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    found = identify(engine, token.strip()) if scheme.lower() == "bearer" else None
    if found is None:
        raise ApiProblem(401, "no-autenticado", say(deployment_locale(), "problem.bad_token"))
    return found


def unauthenticated() -> ApiProblem:
    """Return the problem of a request that needs a token and came without one."""
    return ApiProblem(401, "no-autenticado", say(deployment_locale(), "problem.unauthenticated"))


def caller(request: Request) -> Identity | None:
    """Return the identity of the request's bearer token; None without one; 401 if bad.

    A POST's caller was identified before its body was read (see admission), and is
    not looked up again.
    """
    state = request.scope.get("state", {})
    if IDENTITY in state:
        return state[IDENTITY]  # type: ignore[no-any-return]
    return identify_header(request.app.state.engine, request.headers.get("authorization"))


def require(*roles: str) -> Callable[..., Awaitable[Identity]]:
    """Return a dependency that lets in only tokens of ``roles`` (401 without, 403 other)."""

    async def dependency(request: Request, _: Bearer) -> Identity:
        # Async on purpose: the token lookup is one indexed read (~0.02 ms), cheaper
        # inline than a hop to the thread pool and back (a POST's was done, inline too,
        # by admission). The HTTPBearer parameter only documents the scheme in OpenAPI
        # (so /docs can send a token); caller() reads it.
        identity = caller(request)
        if identity is None:
            raise unauthenticated()
        if identity.role not in roles:
            lo = deployment_locale()
            raise ApiProblem(403, "sin-permiso",
                             say(lo, "problem.forbidden", role=identity.role,
                                 roles=join(list(roles), lo)),
                             role=identity.role, roles_needed=list(roles))
        return identity

    return dependency


async def optional(request: Request) -> Identity | None:
    """Return the caller if a token came, else None (a dependency for public endpoints)."""
    return caller(request)


def actor_of(identity: Identity) -> Actor:
    """Return the actor a token's commands are recorded as: its name and id, in its role."""
    return Actor(f"{identity.name} (token {identity.token_id})", identity.role,
                 identity.agency)
