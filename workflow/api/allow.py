"""Which methods a path takes, from every route of the app: the ``Allow`` of a 405.

Starlette answers a wrong method with the methods of the first route whose path
matched, though several routes may share a path (``GET`` and ``POST /plans``). A
literal path names its own resource: ``/definitions/validate`` takes only POST,
although ``/definitions/{definition}`` would match it too. Starlette would send
``GET /definitions/validate`` there, to read a definition named "validate" (a 404):
admission answers it with this table before the request is routed (a 405).
"""

from __future__ import annotations

from collections.abc import Iterable

from fastapi.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from definitions.messages import deployment_locale, say
from workflow.api.problems import ApiProblem


class AllowTable:
    """The paths of an app's routes and the methods each takes."""

    def __init__(self, routes: Iterable[BaseRoute]) -> None:
        self._routes = [(route, frozenset(route.methods or ())) for route in routes
                        if isinstance(route, Route)]
        self._literal: dict[str, frozenset[str]] = {}
        for route, methods in self._routes:
            if not route.param_convertors:
                self._literal[route.path] = self._literal.get(route.path, frozenset()) | methods

    def allowed(self, path: str) -> list[str]:
        """Return the methods ``path`` takes, sorted (empty when no route has that path)."""
        matched = [(route, methods) for route, methods in self._routes
                   if route.path_regex.match(path)]
        literal = [methods for route, methods in matched if not route.param_convertors]
        return sorted(frozenset().union(*(literal or [m for _, m in matched])))

    def refusing(self, path: str, method: str) -> list[str] | None:
        """Return what a literal path takes when it does not take ``method``; else None.

        A dict lookup: every request passes here before it is routed.
        """
        taken = self._literal.get(path)
        return None if taken is None or method in taken else sorted(taken)


def method_not_allowed(method: str, path: str, allowed: list[str]) -> JSONResponse:
    """Answer a method the path does not take: 405, naming in ``Allow`` those it takes."""
    problem = ApiProblem(405, "metodo-no-permitido", say(
        deployment_locale(), "problem.method", method=method, path=path))
    return problem.response(path, headers={"Allow": ", ".join(allowed)})
