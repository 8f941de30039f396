"""What the site's pages read: the plan now from the projections, or as it was, replayed.

Each page reads at one :class:`~workflow.site.moments.Moment`: now (the projections,
as the JSON API reads them) or a past moment (the plan's events up to it replayed,
as the API's state endpoint does, :func:`storage.audit.replay_as_of`). Nothing here
reads the contacts table: a page never holds an address.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from definitions.messages import deployment_locale
from storage import audit, queries
from storage.eventstore import Head
from storage.queries import Search
from workflow.domain.commitment import commitment_id
from workflow.domain.failures import not_found
from workflow.domain.plan import Plan
from workflow.domain.proposal import proposal_id
from workflow.domain.replay import Replay
from workflow.domain.state import CommitmentState, ProposalState
from workflow.site.moments import Moment, moment
from workflow.views.plan import plan_view
from workflow.views.timeline import summary

PHASE_EVENTS = ("PhaseOpened", "PhaseClosed", "PhaseOverdue", "PhaseHeld", "PhaseExtended")
"""What the timeline's summary of a plan's phases reads of its own events."""
Tally = list[tuple[str, int | None, str, int]]
"""Proposals counted by channel, mesa and state."""


@dataclass(slots=True)
class PlanRead:
    """A plan page's data: the plan, its view, how its phases ran, its proposals counted."""

    plan: Plan
    view: dict[str, Any]
    ran: dict[str, Any]
    """The ``phases`` of :func:`workflow.views.timeline.summary` of the plan's own events."""
    tally: Tally
    when: Moment
    commitments: list[CommitmentState]
    """The plan's commitments, by number, as they stood at the moment shown."""


@dataclass(slots=True)
class ProposalsRead:
    """A page of a plan's proposals that fit a search, and whether more follow."""

    plan: Plan
    rows: list[dict[str, Any]]
    more: bool
    when: Moment


@dataclass(slots=True)
class ProposalRead:
    """One proposal, its own events, and the proposals merged into it."""

    plan: Plan
    row: dict[str, Any]
    history: list[dict[str, Any]]
    merged: list[dict[str, Any]]
    when: Moment
    fed: list[dict[str, Any]]
    """The commitments it fed (itself linked, or through the proposal it was merged into)."""


@dataclass(slots=True)
class CommitmentRead:
    """One commitment and the proposals it answers (number, title, channel, mesa)."""

    plan: Plan
    state: CommitmentState
    proposals: list[dict[str, Any]]
    when: Moment


@dataclass(frozen=True, slots=True)
class PlanGlance:
    """A plan at a glance, for the home page: its phases that run and its proposals."""

    plan_id: str
    title: str
    locale: str
    running: list[str]
    closed: int
    phases: int
    proposals: int


def when(engine: Engine, plan_id: str, asked: str | None, now: dt.datetime) -> Moment:
    """Read ``as_of`` in the plan's zone and language (the plan must exist: NotFound)."""
    if not (asked or "").strip():
        return Moment(None, None, now)
    current = queries.load_plan(engine, plan_id)
    return moment(asked, current.state.definition.timezone, current.locale, now)


def replayed(engine: Engine, plan_id: str, at: dt.datetime, locale: str) -> Replay:
    """Replay a plan up to ``at``; NotFound (in ``locale``) if it did not exist yet."""
    replay = audit.replay_as_of(engine, plan_id, at)
    if plan_id not in replay.plans:
        raise not_found(locale, "plan", plan_id)
    return replay


def read_plan(engine: Engine, plan_id: str, asked: str | None, now: dt.datetime) -> PlanRead:
    """Read a plan's page at ``as_of`` (or now)."""
    at = when(engine, plan_id, asked, now)
    if at.at is None:
        plan, tally, commitments, own = queries.plan_page(engine, plan_id, PHASE_EVENTS)
    else:  # the past does not change: the replay and the plan's events up to then agree
        replay = replayed(engine, plan_id, at.at, deployment_locale())
        plan, tally = replay.plans[plan_id], tally_of(replay.proposals.values())
        commitments = _of_plan(replay, plan_id)
        own = queries.stream_events(engine, plan_id, at.at, PHASE_EVENTS)
    counts: Counter[str] = Counter()
    for _, _, state, n in tally:
        counts[state] += n
    ran = summary(own, plan.state.definition)["phases"]
    return PlanRead(plan, plan_view(plan, counts), ran, tally, at, commitments)


def tally_of(states: Iterable[ProposalState]) -> Tally:
    """Count proposals by channel, mesa and state."""
    counted = Counter((p.channel, p.mesa, p.state) for p in states)
    return [(channel, mesa, state, n) for (channel, mesa, state), n in counted.items()]


def read_proposals(engine: Engine, plan_id: str, search: Search, asked: str | None,
                   now: dt.datetime) -> ProposalsRead:
    """Read a page of a plan's proposals that fit ``search``, at ``as_of`` (or now)."""
    at = when(engine, plan_id, asked, now)
    if at.at is None:
        plan, rows, more = queries.search_proposals(engine, plan_id, search)
        return ProposalsRead(plan, rows, more, at)
    replay = replayed(engine, plan_id, at.at, deployment_locale())
    plan = replay.plans[plan_id]
    page, more = page_of(sorted(replay.proposals.values(), key=lambda p: p.number), search)
    return ProposalsRead(plan, queries.public_rows(page, plan.state.definition.timezone), more,
                         at)


def page_of(states: list[ProposalState], search: Search) -> tuple[list[ProposalState], bool]:
    """Pick, from proposals in number order, the page ``search`` asks for (as the query does)."""
    text = (search.text or "").casefold()
    fits = [p for p in states if _fits(p, search, text)]
    if search.before is not None:
        earlier = [p for p in fits if p.number < search.before]
        return earlier[-search.limit:], len(earlier) > search.limit
    later = [p for p in fits if p.number > search.after]
    return later[:search.limit], len(later) > search.limit


def _fits(p: ProposalState, search: Search, text: str) -> bool:
    wanted = {"state": p.state, "channel": p.channel, "mesa": p.mesa}
    if any(getattr(search, k) is not None and getattr(search, k) != v for k, v in wanted.items()):
        return False
    return not text or text in p.title.casefold() or text in p.body.casefold()


def read_proposal(engine: Engine, plan_id: str, number: int, asked: str | None,
                  now: dt.datetime) -> ProposalRead:
    """Read one proposal of a plan, its history and what was merged into it, at ``as_of``."""
    at = when(engine, plan_id, asked, now)
    wanted = proposal_id(plan_id, number)
    if at.at is None:
        plan = queries.load_plan(engine, plan_id)
        if number > plan.state.proposal_count or number < 1:
            raise not_found(plan.locale, "proposal", wanted)
        row, history, _ = queries.proposal_detail(engine, wanted)
        merged = queries.merged_from(engine, plan_id, wanted)
        return ProposalRead(plan, row, history, merged, at,
                            queries.proposal_commitments(engine, wanted))
    replay = replayed(engine, plan_id, at.at, deployment_locale())
    plan = replay.plans[plan_id]
    state = replay.proposals.get(wanted)
    if state is None:
        raise not_found(plan.locale, "proposal", wanted)
    merged = [{"proposal_id": p.proposal_id, "number": p.number, "title": p.title}
              for p in sorted(replay.proposals.values(), key=lambda p: p.number)
              if p.merged_into == wanted]
    row = queries.public_rows([state], plan.state.definition.timezone)[0]
    fed = [{"commitment": c.commitment_id, "number": c.number, "title": c.title,
            "state": c.state} for c in _of_plan(replay, plan_id)
           if wanted in c.links or (state.merged_into and state.merged_into in c.links)]
    return ProposalRead(plan, row, queries.stream_events(engine, wanted, at.at), merged, at,
                        fed)


def _of_plan(replay: Replay, plan_id: str) -> list[CommitmentState]:
    return sorted((c for c in replay.commitments.values() if c.plan_id == plan_id),
                  key=lambda c: c.number)


def read_commitment(engine: Engine, plan_id: str, number: int, asked: str | None,
                    now: dt.datetime) -> CommitmentRead:
    """Read one commitment of a plan and the proposals it answers, at ``as_of`` (or now)."""
    at = when(engine, plan_id, asked, now)
    wanted = commitment_id(plan_id, number)
    if at.at is None:
        plan, found = queries.plan_commitments(engine, plan_id)
        state = next((c for c in found if c.commitment_id == wanted), None)
        if state is None:
            raise not_found(plan.locale, "commitment", wanted)
        return CommitmentRead(plan, state, queries.linked_proposals(engine, state.links), at)
    replay = replayed(engine, plan_id, at.at, deployment_locale())
    plan, state = replay.plans[plan_id], replay.commitments.get(wanted)
    if state is None:
        raise not_found(plan.locale, "commitment", wanted)
    linked = sorted((replay.proposals[p] for p in state.links if p in replay.proposals),
                    key=lambda p: p.number)
    return CommitmentRead(plan, state, [{"proposal_id": p.proposal_id, "number": p.number,
                                         "title": p.title, "channel": p.channel,
                                         "mesa": p.mesa} for p in linked], at)


def read_home(engine: Engine, asked: str | None, now: dt.datetime) -> tuple[list[PlanGlance],
                                                                            Moment]:
    """Read every plan at a glance, at ``as_of`` (each in its own zone) or now.

    A plan that did not exist yet at that moment is left out.
    """
    locale = deployment_locale()
    shown = moment(asked, "UTC", locale, now)  # refuses what is no moment at all
    found = []
    for row in queries.list_plans(engine):
        at = moment(asked, queries.load_plan(engine, row["plan_id"]).state.definition.timezone,
                    locale, now) if shown.asked else shown
        if at.at is None:
            found.append(_glance(queries.load_plan(engine, row["plan_id"]), row["proposal_count"]))
            continue
        replay = audit.replay_as_of(engine, row["plan_id"], at.at)
        if row["plan_id"] in replay.plans:
            counts = replay.counts(row["plan_id"])
            found.append(_glance(replay.plans[row["plan_id"]], counts.total()))
    return found, shown


def _glance(plan: Plan, proposals: int) -> PlanGlance:
    s = plan.state
    titles = {p.id: p.title for p in s.definition.phases}
    running = [titles[k] for k, region in s.phases.items() if region.running]
    closed = sum(region.state == "closed" for region in s.phases.values())
    return PlanGlance(s.plan_id, s.definition.title, plan.locale, running, closed, len(s.phases),
                      proposals)


def read_head(engine: Engine, at: Moment) -> Head:
    """Return the log's head now, or as it stood at a past moment."""
    return audit.digest(engine) if at.at is None else queries.head_at(engine, at.at)
