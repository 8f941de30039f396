"""The site's addresses: HTML pages for anyone, no token, beside the JSON API.

The pages live at ``/`` (the plans), ``/p/{plan}`` (a plan), ``/p/{plan}/proposals``
(its proposals), ``/p/{plan}/proposals/{number}`` (one),
``/p/{plan}/commitments/{number}`` (a commitment), ``/p/{plan}/ogp`` (OGP's
minimum requirements, judged from the log) and ``/p/{plan}/trust``
(``/trust`` for the whole log), with their stylesheet at ``/site.css``. The API keeps
``/plans/...`` and ``/proposals/...`` for JSON: the short ``/p/`` prefix is the same
in every language, a page's address never answers JSON (nor the reverse), and a
page links to the JSON behind it. Every page takes ``?as_of=``. A missing plan or
proposal is a 404 page, a wrong ``as_of`` or filter a 422 page, in the plan's
language (the deployment's when there is no plan); the routes stay out of the
OpenAPI document, which describes the JSON API.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from definitions.messages import deployment_locale
from workflow.domain.errors import InvalidInput, NotFound
from workflow.site import pages
from workflow.site.render import HEADERS, page

router = APIRouter(include_in_schema=False)
Text = Annotated[str | None, Query()]


def _answer(build: Callable[[], Response]) -> Response:
    """Build a page; a missing thing is a 404 page, a wrong input a 422 page."""
    try:
        return build()
    except (NotFound, InvalidInput) as error:
        status = 404 if isinstance(error, NotFound) else 422
        return page("refused.html", error.locale or deployment_locale(), status,
                    title=str(error), message=str(error), code=status)


@router.get("/")
def home(request: Request, as_of: Text = None) -> Response:
    """Show every plan, each with its state at a glance."""
    return _answer(lambda: pages.home(request.app, as_of))


@router.get("/trust")
def trust(request: Request, as_of: Text = None) -> Response:
    """Show the log's head and how to check it, in the deployment's language."""
    return _answer(lambda: pages.trust(request.app, None, as_of))


@router.get("/p/{plan}")
def plan(request: Request, plan: str, as_of: Text = None) -> Response:
    """Show a plan: its timeline picture, decisions, activities and proposals counted."""
    return _answer(lambda: pages.plan(request.app, plan, as_of))


@router.get("/p/{plan}/proposals")
def proposals(request: Request, plan: str, as_of: Text = None, state: Text = None,
              channel: Text = None, mesa: Text = None, q: Text = None, after: Text = None,
              before: Text = None) -> Response:
    """Show a page of a plan's proposals, filtered by state, channel and mesa, and searched."""
    asked = {"state": state, "channel": channel, "mesa": mesa, "q": q, "after": after,
             "before": before}
    return _answer(lambda: pages.proposals(request.app, plan, as_of, asked))


@router.get("/p/{plan}/proposals/{number}")
def proposal(request: Request, plan: str, number: str, as_of: Text = None) -> Response:
    """Show one proposal: its history, its response and what it was merged with."""
    return _answer(lambda: pages.proposal(request.app, plan, number, as_of))


@router.get("/p/{plan}/commitments/{number}")
def commitment(request: Request, plan: str, number: str, as_of: Text = None) -> Response:
    """Show one commitment: its template, proposals, milestones and assessment."""
    return _answer(lambda: pages.commitment(request.app, plan, number, as_of))


@router.get("/p/{plan}/ogp")
def ogp(request: Request, plan: str, as_of: Text = None) -> Response:
    """Show which of OGP's minimum requirements the plan meets, with the evidence."""
    return _answer(lambda: pages.ogp(request.app, plan, as_of))


@router.get("/p/{plan}/trust")
def plan_trust(request: Request, plan: str, as_of: Text = None) -> Response:
    """Show the log's head and how to check it, in the plan's language."""
    return _answer(lambda: pages.trust(request.app, plan, as_of))


@router.get("/site.css")
def stylesheet() -> Response:
    """Send the site's one stylesheet (shipped with the package)."""
    css = resources.files("workflow.site").joinpath("static/site.css").read_bytes()
    return Response(css, media_type="text/css; charset=utf-8",
                    headers={**HEADERS, "Cache-Control": "public, max-age=3600"})
