"""Each page: read its data at the moment asked, then render its template in its language.

The plan's commitments, the proposals' and a commitment's page read commitments
at the same moment as the rest (replayed from the log for a past moment).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from starlette.routing import Route

from definitions.messages import deployment_locale, say
from storage import queries
from storage.queries import Search
from workflow.domain.failures import invalid, not_found
from workflow.domain.plan import Plan
from workflow.reads import ogp_report
from workflow.site import chart, commitments, reads
from workflow.site.history import number_of, steps
from workflow.site.moments import Moment, moment
from workflow.site.render import href, long_day, page
from workflow.views.timeline import channel_name

PAGE_SIZE = 50
"""Proposals a list page shows."""
DOWNLOADS = (("/plans/{plan}/calendar.ics", "site.data.calendar"),
             ("/plans/{plan}/open-data.zip", "site.data.open_data"))
"""Files about a plan that other parts of the server may publish: linked when they do."""


def home(app: FastAPI, as_of: str | None) -> HTMLResponse:
    """Render the plans, each at a glance."""
    glances, when = reads.read_home(app.state.engine, as_of, app.state.clock())
    locale = deployment_locale()
    return page("home.html", locale, title=say(locale, "site.home.title"), plans=glances,
                **_frame(locale, None, when, "UTC", [(say(locale, "site.data.plans"), "/plans")],
                         "/"))


def plan(app: FastAPI, plan_id: str, as_of: str | None) -> HTMLResponse:
    """Render a plan's page (see :mod:`workflow.site.routes`)."""
    read = reads.read_plan(app.state.engine, plan_id, as_of, app.state.clock())
    view, definition, locale = read.view, read.plan.state.definition, read.plan.locale
    data = [(say(locale, "site.data.plan"), f"/plans/{plan_id}"),
            (say(locale, "site.data.deadlines"), f"/plans/{plan_id}/deadlines"),
            *([(say(locale, "site.data.commitments"), f"/plans/{plan_id}/commitments")]
              if definition.commitments else []),
            *[(say(locale, key), path.format(plan=plan_id)) for path, key in DOWNLOADS
              if _serves(app, path)]]
    return page("plan.html", locale, title=view["title"], view=view, read=read,
                chart=chart.lay_out(read.plan, view, read.ran, read.when.shown, locale),
                ran=read.ran, channels=_tally(read.plan, read.tally),
                states=list(definition.proposals.states),
                activities=_activities(read.plan, view), members=_members(view),
                commitments=[commitments.glance(read.plan, c) for c in read.commitments]
                if definition.commitments else None,
                **_frame(locale, read.plan, read.when, definition.timezone, data,
                         f"/p/{plan_id}"))


def proposals(app: FastAPI, plan_id: str, as_of: str | None,
              asked: dict[str, str | None]) -> HTMLResponse:
    """Render a page of a plan's proposals that fit the filters and the words asked."""
    engine, now = app.state.engine, app.state.clock()
    try:
        search = _search(asked)
    except WrongNumber as wrong:
        raise invalid(_locale_of(app, plan_id), wrong.name, "site.error.not_a_number",
                      value=wrong.value) from None
    read = reads.read_proposals(engine, plan_id, search, as_of, now)
    definition, locale = read.plan.state.definition, read.plan.locale
    filters = {"state": search.state, "channel": search.channel, "mesa": search.mesa,
               "q": search.text}
    rows = read.rows
    newer = href(f"/p/{plan_id}/proposals", read.when.asked, **filters,
                 after=rows[-1]["number"]) if rows and (read.more or search.before) else None
    older = href(f"/p/{plan_id}/proposals", read.when.asked, **filters,
                 before=rows[0]["number"]) if rows and (search.after or
                                                       (search.before and read.more)) else None
    json = href(f"/plans/{plan_id}/proposals", None, state=search.state, channel=search.channel,
                mesa=search.mesa, after=search.after or None)
    return page("proposals.html", locale, title=say(locale, "site.proposals.title",
                                                    plan=definition.title),
                items=_items(read.plan, rows, locale, read.when.asked), filters=filters,
                next_page=newer, previous_page=older,
                channels=[(c.id, c.name) for c in definition.proposals.channels],
                mesas=range(1, max((c.mesas or 0 for c in definition.proposals.channels),
                                   default=0) + 1),
                states=list(definition.proposals.states),
                **_frame(locale, read.plan, read.when, definition.timezone,
                         [(say(locale, "site.data.proposals"), json)],
                         f"/p/{plan_id}/proposals", keep=filters))


def proposal(app: FastAPI, plan_id: str, number: str, as_of: str | None) -> HTMLResponse:
    """Render one proposal's page."""
    engine = app.state.engine
    if not number.isdigit() or len(number) > 9:
        raise not_found(_locale_of(app, plan_id), "proposal", f"{plan_id}.p{number}")
    read = reads.read_proposal(engine, plan_id, int(number), as_of, app.state.clock())
    row, definition, locale = read.row, read.plan.state.definition, read.plan.locale
    into = row["merged_into"]
    return page("proposal.html", locale,
                title=say(locale, "site.proposal.title", number=row["number"], title=row["title"]),
                row=row, steps=steps(read.history, definition, plan_id),
                channel=channel_name(definition, row["channel"], row["mesa"]),
                into=number_of(plan_id, into) if into else None, merged=read.merged,
                field_labels=_field_labels(read.plan), fed=read.fed,
                has_commitments=definition.commitments is not None,
                **_frame(locale, read.plan, read.when, definition.timezone,
                         [(say(locale, "site.data.proposal"), f"/proposals/{row['proposal_id']}")],
                         f"/p/{plan_id}/proposals/{row['number']}"))


def commitment(app: FastAPI, plan_id: str, number: str, as_of: str | None) -> HTMLResponse:
    """Render one commitment's page: its template, proposals, milestones and assessment."""
    if not number.isdigit() or len(number) > 9:
        raise not_found(_locale_of(app, plan_id), "commitment", f"{plan_id}.c{number}")
    read = reads.read_commitment(app.state.engine, plan_id, int(number), as_of,
                                 app.state.clock())
    state, definition, locale = read.state, read.plan.state.definition, read.plan.locale
    answered = [{**p, "channel": channel_name(definition, p["channel"], p["mesa"])}
                for p in read.proposals]
    return page("commitment_page.html", locale,
                title=say(locale, "site.commitment.title", number=state.number,
                          title=state.title),
                state=state.state.replace("_", " "), fields=commitments.template(read.plan, state),
                proposals=answered,
                milestones=commitments.milestones(state, definition.timezone),
                assessment=state.assessment,
                **_frame(locale, read.plan, read.when, definition.timezone,
                         [(say(locale, "site.data.commitment"),
                           f"/commitments/{state.commitment_id}")],
                         f"/p/{plan_id}/commitments/{state.number}"))


def ogp(app: FastAPI, plan_id: str, as_of: str | None) -> HTMLResponse:
    """Render the plan's OGP report (as of now or the moment asked): rule, status, evidence."""
    current = queries.load_plan(app.state.engine, plan_id)
    locale, timezone = current.locale, current.state.definition.timezone
    when = moment(as_of, timezone, locale, app.state.clock())
    report = ogp_report(app.state.engine, plan_id, when.shown)
    json = href(f"/plans/{plan_id}/ogp", when.asked)
    return page("ogp_report.html", locale, title=report["title"], report=report,
                **_frame(locale, current, when, timezone,
                         [(say(locale, "site.data.ogp"), json)], f"/p/{plan_id}/ogp"))


def trust(app: FastAPI, plan_id: str | None, as_of: str | None) -> HTMLResponse:
    """Render the log's head (now or as it stood) and how anyone checks it."""
    engine, now = app.state.engine, app.state.clock()
    current = queries.load_plan(engine, plan_id) if plan_id else None
    locale = current.locale if current else deployment_locale()
    timezone = current.state.definition.timezone if current else "UTC"
    when = moment(as_of, timezone, locale, now)
    head = reads.read_head(engine, when)
    return page("trust.html", locale, title=say(locale, "site.trust.title"), head=head,
                **_frame(locale, current, when, timezone, [],
                         f"/p/{plan_id}/trust" if plan_id else "/trust"))


def _frame(locale: str, plan: Plan | None, when: Moment, timezone: str,
           data: list[tuple[str, str]], here: str,
           keep: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return what every page's frame shows: the way around, the moment, the JSON behind it.

    ``here`` is the page's path and ``keep`` what it was asked besides ``as_of``
    (the link back to now, and the form that asks for another moment, keep them).
    """
    plan_id = plan.state.plan_id if plan else None
    kept = {k: v for k, v in (keep or {}).items() if v is not None}
    nav = [(say(locale, "site.nav.home"), href("/", when.asked))]
    if plan_id:
        nav += [(say(locale, "site.nav.plan"), href(f"/p/{plan_id}", when.asked)),
                (say(locale, "site.nav.proposals"), href(f"/p/{plan_id}/proposals", when.asked)),
                (say(locale, "site.nav.ogp"), href(f"/p/{plan_id}/ogp", when.asked)),
                (say(locale, "site.nav.trust"), href(f"/p/{plan_id}/trust", when.asked))]
    else:
        nav.append((say(locale, "site.nav.trust"), href("/trust", when.asked)))
    return {"nav": nav, "when": when, "timezone": timezone, "data": data, "plan_id": plan_id,
            "keep": kept, "now_link": href(here, None, **kept),
            "link": lambda path, **params: href(path, when.asked, **params)}


def _locale_of(app: FastAPI, plan_id: str) -> str:
    return str(queries.load_plan(app.state.engine, plan_id).locale)


class WrongNumber(Exception):
    """A filter or cursor that should be a whole number is not (its name and value)."""

    def __init__(self, name: str, value: str) -> None:
        super().__init__(name)
        self.name, self.value = name, value


def _search(asked: dict[str, str | None]) -> Search:
    """Read the list's filters and cursor; WrongNumber names a wrong one."""
    numbers: dict[str, int | None] = {}
    for name in ("mesa", "after", "before"):
        text = (asked[name] or "").strip()
        if text and (not text.isdigit() or len(text) > 9):
            raise WrongNumber(name, text[:20])
        numbers[name] = int(text) if text else None
    words = (asked["q"] or "").strip()[:200] or None
    return Search(state=asked["state"] or None, channel=asked["channel"] or None,
                  mesa=numbers["mesa"], text=words, after=numbers["after"] or 0,
                  before=numbers["before"], limit=PAGE_SIZE)


def _items(plan: Plan, rows: list[dict[str, Any]], locale: str,
           as_of: str | None) -> list[dict[str, Any]]:
    """Say each listed proposal's line once, in Python: the list is the page's hot loop."""
    definition, plan_id = plan.state.definition, plan.state.plan_id
    names: dict[tuple[str, int | None], str] = {}
    items = []
    for r in rows:
        where = (r["channel"], r["mesa"])
        if where not in names:
            names[where] = channel_name(definition, *where)
        items.append({
            "link": href(f"/p/{plan_id}/proposals/{r['number']}", as_of),
            "title": say(locale, "site.proposal.title", number=r["number"], title=r["title"]),
            "meta": (names[where], long_day(r["submitted_at"], locale),
                     r["state"].replace("_", " ")),
            "supports": say(locale, "site.proposal.supports", count=r["supports"])
            if r["supports"] else None,
            "answered": bool(r["response"])})
    return items


def _serves(app: FastAPI, path: str) -> bool:
    return any(isinstance(r, Route) and r.path == path for r in app.router.routes)


def _tally(plan: Plan, tally: reads.Tally) -> list[dict[str, Any]]:
    """Count proposals per channel (and mesa), by state, in the definition's order."""
    definition = plan.state.definition
    order = {c.id: i for i, c in enumerate(definition.proposals.channels)}
    rows: dict[tuple[str, int], dict[str, Any]] = {}
    for channel, mesa, state, count in tally:
        key = (channel, mesa or 0)
        row = rows.setdefault(key, {"channel": channel, "mesa": mesa, "total": 0, "states": {},
                                    "name": channel_name(definition, channel, mesa)})
        row["states"][state] = row["states"].get(state, 0) + count
        row["total"] += count
    return [rows[k] for k in sorted(rows, key=lambda k: (order.get(k[0], 99), k[1]))]


def _activities(plan: Plan, view: dict[str, Any]) -> list[dict[str, Any]]:
    """List the plan's activities in the definition's order, with their phase and evidence."""
    done = {a["id"]: a for a in view["activities"]}
    return [{**done.get(activity.id, {}), "phase": phase.title, "title": activity.title,
             "link": _is_link(done.get(activity.id, {}).get("evidence"))}
            for phase in sorted(plan.state.definition.phases, key=lambda p: p.number)
            for activity in phase.activities]


def _is_link(evidence: str | None) -> bool:
    return bool(evidence) and str(evidence).startswith(("https://", "http://"))


def _members(view: dict[str, Any]) -> dict[str, str]:
    return {m["id"]: m["name"] for m in view["committee"]}


def _field_labels(plan: Plan) -> dict[str, str]:
    """Return the declared fields' labels by name (the name when the definition gives none)."""
    found: dict[str, str] = {}
    for transition in plan.state.definition.proposals.transitions:
        for spec in transition.fields:
            found.setdefault(spec.name, spec.label or spec.name)
    return found
