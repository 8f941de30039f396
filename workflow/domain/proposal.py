"""The proposal aggregate: a citizen proposal moving through the declared lifecycle.

A proposal is its own stream. Its guards look at the plan it belongs to (e.g.
"reception is open"), so commands take the plan's state as read-only context.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from definitions.messages import say
from workflow.domain.catalog import Catalog
from workflow.domain.errors import IllegalEvent
from workflow.domain.events import Actor, DomainEvent
from workflow.domain.failures import check_trigger, guard_failed, invalid
from workflow.domain.fields import Reading, Targets, event_fields, read_fields
from workflow.domain.guards import GuardContext, ProposalCensus, holds, unmet
from workflow.domain.imports import Incoming, check_information
from workflow.domain.plan import Plan
from workflow.domain.state import PlanState, ProposalState
from workflow.domain.supports import already_supported, count_support, unmet_support
from workflow.domain.texts import check_line, check_prose


def proposal_id(plan_id: str, number: int) -> str:
    """Return the id of the ``number``-th proposal of a plan, e.g. ``cuenca-2022.p17``."""
    return f"{plan_id}.p{number}"


class Proposal:
    """One citizen proposal and its pending events."""

    def __init__(self, state: ProposalState, catalog: Catalog) -> None:
        self.state = state
        self.catalog = catalog
        self.pending: list[DomainEvent] = []

    @classmethod
    def submit(cls, plan: Plan, title: str, body: str, channel: str, mesa: int | None,
               actor: Actor, now: dt.datetime, census: ProposalCensus | None = None) -> Proposal:
        """Receive a proposal through ``channel`` (and mesa) while the definition allows it."""
        locale = plan.locale
        for field, value in (("title", title), ("body", body)):
            if not value or not value.strip():
                raise invalid(locale, field, "field.blank")
        check_line(locale, "title", title.strip())
        check_prose(locale, "body", body.strip())
        _check_channel(plan, channel, mesa)
        problems = unmet(plan.catalog.submit_guards, GuardContext(plan.state, actor,
                                                                  census=census))
        if problems:
            raise guard_failed(locale, say(locale, "action.submit"), "submit", "-", problems)
        number = plan.state.proposal_count + 1
        data: dict[str, Any] = {
            "proposal": proposal_id(plan.state.plan_id, number), "plan": plan.state.plan_id,
            "number": number, "title": title.strip(), "body": body.strip(),
            "channel": channel, "mesa": mesa}
        event = DomainEvent(data["proposal"], "proposal", 1, "ProposalSubmitted", data, actor, now)
        proposal = cls.from_submitted(event, plan.catalog)
        plan.state.proposal_count = number
        proposal.pending.append(event)
        return proposal

    @classmethod
    def imported(cls, plan: Plan, row: Incoming, channel: str, actor: Actor,
                 now: dt.datetime) -> Proposal:
        """Receive a proposal made on another platform (``row``) through ``channel``.

        Its reception moment is when the platform published it; whether that fits
        the reception's dates is the importer's to decide (an import may run after
        reception closed). A blank body becomes the title, and the information says so.
        """
        locale, title, body = plan.locale, row.title.strip(), row.body.strip()
        if not title:
            raise invalid(locale, "title", "field.blank")
        check_line(locale, "title", title)
        check_prose(locale, "body", body)
        number = plan.state.proposal_count + 1
        data: dict[str, Any] = {
            "proposal": proposal_id(plan.state.plan_id, number), "plan": plan.state.plan_id,
            "number": number, "title": title, "body": body or title, "channel": channel,
            "mesa": None, "origin": row.origin.data(),
            "received_at": row.received_at.astimezone(dt.UTC).isoformat(),
            "information": check_information({**row.information, "blank_body": not body},
                                             proposal_id(plan.state.plan_id, number))}
        event = DomainEvent(data["proposal"], "proposal", 1, "ProposalImported", data, actor, now)
        proposal = cls(imported_state(data, now, plan.catalog), plan.catalog)
        plan.state.proposal_count = number
        proposal.pending.append(event)
        return proposal

    @classmethod
    def from_submitted(cls, event: DomainEvent, catalog: Catalog) -> Proposal:
        """Rebuild a proposal from its first event."""
        return cls(submitted_state(event.data, event.occurred_at, catalog), catalog)

    def fire(self, trigger: str, fields: Mapping[str, object], plan: PlanState,
             actor: Actor, now: dt.datetime, census: ProposalCensus | None = None,
             targets: Targets | None = None) -> None:
        """Fire a declared trigger with its fields, each read by its declared type.

        ``targets`` are the proposals that proposal fields (``into``) name, by field.
        """
        locale = plan.definition.locale
        check_trigger(locale, self.catalog.proposal_machine, self.state.state, trigger)
        values = read_fields(self.catalog.transitions[trigger].fields, fields, trigger,
                             Reading(self.state.proposal_id, self.state.plan_id, locale,
                                     targets))
        ctx = GuardContext(plan, actor, fields=values, census=census, proposal=self.state)
        problems = unmet(self.catalog.trigger_guards[trigger], ctx)
        if problems:
            title = self.catalog.transitions[trigger].title
            raise guard_failed(locale, say(locale, "action.fire", title=title), trigger,
                               self.state.state, problems)
        data: dict[str, Any] = {"trigger": trigger, "from": self.state.state,
                                **event_fields(values)}
        self._record("ProposalTransitioned", data, plan, actor, now, census)

    def support(self, supporter: str, plan: PlanState, actor: Actor, now: dt.datetime,
                seen: bool) -> None:
        """Count one anonymous supporter (``supporter_id``), once, while the definition allows.

        ``seen`` says whether this supporter already backed the proposal.
        """
        locale = plan.definition.locale
        problems = unmet_support(self.state, self.catalog, plan)
        if problems:
            raise guard_failed(locale, say(locale, "action.support"), "support",
                               self.state.state, problems)
        if seen:
            raise already_supported(locale, self.state.proposal_id)
        data = {"supporter": supporter, "supports": self.state.supports + 1}
        self._record("ProposalSupported", data, plan, actor, now, None)

    def _record(self, event_type: str, data: dict[str, Any], plan: PlanState, actor: Actor,
                now: dt.datetime, census: ProposalCensus | None) -> None:
        event = DomainEvent(self.state.proposal_id, "proposal", self.state.version + 1,
                            event_type, data, actor, now)
        self.apply(event, plan, census)
        self.pending.append(event)

    def apply(self, event: DomainEvent, plan: PlanState,
              census: ProposalCensus | None = None) -> None:
        """Change the state by one event of this proposal's stream, firing the machine."""
        if event.type == "ProposalSupported":
            count_support(self.state, self.catalog, plan, event.version, event.data)
            self.state.updated_at = event.occurred_at
            return
        if event.type != "ProposalTransitioned":
            raise IllegalEvent("illegal.proposal_event", type=event.type,
                               proposal=self.state.proposal_id)
        ctx = GuardContext(plan, event.actor, fields=given_fields(event.data), census=census,
                           proposal=self.state)
        step(self.state, self.catalog, event.version, event.data, event.occurred_at, ctx,
             fire=True)


def given_fields(data: Mapping[str, Any]) -> Mapping[str, Any]:
    """Return a recorded transition's fields as guards read them (own ones beside the rest)."""
    own = data.get("fields")
    return data if own is None else {**data, **own}


def submitted_state(data: Mapping[str, Any], occurred_at: dt.datetime,
                    catalog: Catalog) -> ProposalState:
    """Return the state a proposal's first event (its ``ProposalSubmitted`` data) creates."""
    return ProposalState(data["proposal"], data["plan"], data["number"], data["title"],
                         data["body"], data["channel"], data["mesa"], occurred_at,
                         catalog.definition.proposals.initial, updated_at=occurred_at)


def imported_state(data: Mapping[str, Any], occurred_at: dt.datetime,
                   catalog: Catalog) -> ProposalState:
    """Return the state a ``ProposalImported`` event creates: received when published there."""
    state = submitted_state(data, occurred_at, catalog)
    state.submitted_at = dt.datetime.fromisoformat(data["received_at"]).astimezone(dt.UTC)
    return state


def step(state: ProposalState, catalog: Catalog, version: int, data: Mapping[str, Any],
         occurred_at: dt.datetime, ctx: GuardContext, fire: bool = False) -> None:
    """Apply a recorded transition to ``state``, or raise IllegalEvent if it does not fit.

    The version and source state must follow, the pinned machine must allow the
    trigger from there, and its guards must hold in ``ctx``. Live commands fire the
    ``transitions`` machine (``fire=True``); replay steps the same machine's
    transition table and evaluates the same guards, which is ~10x cheaper per event.
    """
    trigger, machine = data["trigger"], catalog.proposal_machine
    dest = machine.destination(state.state, trigger)
    if version != state.version + 1 or data["from"] != state.state or dest is None:
        raise IllegalEvent("illegal.proposal_order", trigger=trigger, version=version,
                           source=data["from"], current=state.version, state=state.state,
                           proposal=state.proposal_id)
    if fire:
        moved = machine.fire(state, trigger, ctx)
    elif moved := holds(catalog.trigger_guards[trigger], ctx):
        state.state = dest
    if not moved:
        raise IllegalEvent("illegal.proposal_conditions", trigger=trigger,
                           proposal=state.proposal_id)
    final = catalog.definition.proposals.final
    if state.state in final and data["from"] not in final:
        state.outcome = data["from"]
    state.version = version
    state.updated_at = occurred_at
    state.response = data.get("response", state.response)
    state.merged_into = data.get("into", state.merged_into)
    if "fields" in data:
        state.fields = {**state.fields, **data["fields"]}


def _check_channel(plan: Plan, channel: str, mesa: int | None) -> None:
    spec = plan.catalog.channels.get(channel)
    if spec is None:
        raise invalid(plan.locale, "channel", "error.not_found",
                      what=say(plan.locale, "what.channel"), key=channel)
    if spec.mesas == 0 and mesa is not None:
        raise invalid(plan.locale, "mesa", "field.mesa_unexpected", channel=spec.name)
    if spec.mesas > 0 and (mesa is None or not 1 <= mesa <= spec.mesas):
        raise invalid(plan.locale, "mesa", "field.mesa_range", mesas=spec.mesas,
                      channel=spec.name)
