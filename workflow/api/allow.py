"""Which methods a path takes, from every route of the app: the ``Allow`` of a 405.

Starlette answers a wrong method with the methods of the first route whose path
matched, though several routes may share a path (``GET`` and ``POST /plans``). A
literal path names its own resource: ``/definitions/validate`` takes only POST,
although ``/definitions/{definition}`` would match it too.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.routing import BaseRoute, Route


class AllowTable:
    """The paths of an app's routes and the methods each takes."""

    def __init__(self, routes: Iterable[BaseRoute]) -> None:
        self._routes = [(route, frozenset(route.methods or ())) for route in routes
                        if isinstance(route, Route)]

    def allowed(self, path: str) -> list[str]:
        """Return the methods ``path`` takes, sorted (empty when no route has that path)."""
        matched = [(route, methods) for route, methods in self._routes
                   if route.path_regex.match(path)]
        literal = [methods for route, methods in matched if not route.param_convertors]
        return sorted(frozenset().union(*(literal or [m for _, m in matched])))
