"""The plan aggregate: phases, committee, decisions and activities of one action plan.

Every command method checks what it may, records events, and changes state
only by applying those events; replay applies the same events through the same
``apply``, which re-fires each phase transition on the machine with its guards,
so an illegal recorded transition is caught where it stands.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from definitions import days
from definitions.messages import say
from definitions.schema import Definition
from workflow.domain import quorum
from workflow.domain.catalog import Catalog, catalog_for, pinned_catalog
from workflow.domain.deadlines import ALL_KINDS, acts, day_starts
from workflow.domain.errors import IllegalEvent
from workflow.domain.events import Actor, DomainEvent
from workflow.domain.failures import check_trigger, guard_failed, invalid, not_found, out_of_range
from workflow.domain.guards import GuardContext, ProposalCensus, quoted, unmet
from workflow.domain.meetings import apply_meeting, meeting_data
from workflow.domain.state import ActivityState, DecisionState, Member, PhaseRegion, PlanState
from workflow.domain.texts import check_line, check_prose


def shift_days(definition: Definition, shift_to: dt.date | None) -> int:
    """Return the days that move a definition's first day to ``shift_to`` (0 for None).

    Raises InvalidInput (``shift_to``) when a moved date would fall outside the
    days cocrea can plan (:mod:`definitions.days`).
    """
    if shift_to is None:
        return 0
    locale = definition.locale
    if not days.in_range(shift_to):
        raise out_of_range(locale, "shift_to", shift_to.isoformat())
    first = min(p.starts for p in definition.phases)
    last = max(p.ends for p in definition.phases)
    moved = shift_to.toordinal() - first.toordinal()
    if days.shifted(last, moved) is None:
        raise invalid(locale, "shift_to", "field.shift_past_last", shift_to=shift_to,
                      days=(last - first).days + 1, last=days.LAST_DAY.isoformat())
    return moved


class Plan:
    """One action plan, run from a pinned definition."""

    def __init__(self, state: PlanState, catalog: Catalog) -> None:
        self.state = state
        self.catalog = catalog
        self.pending: list[DomainEvent] = []

    @property
    def locale(self) -> str:
        """The plan's language."""
        return self.state.definition.locale

    @classmethod
    def create(cls, plan_id: str, definition: Definition, shift_days: int, actor: Actor,
               now: dt.datetime) -> Plan:
        """Start a plan pinned to ``definition``, its dates moved by ``shift_days``."""
        catalog = catalog_for(definition)
        data = {"plan": plan_id, "definition_id": definition.id,
                "definition_hash": catalog.definition_hash,
                "definition": definition.model_dump(mode="json"), "shift_days": shift_days}
        event = DomainEvent(plan_id, "plan", 1, "PlanCreated", data, actor, now)
        plan = cls.from_created(event)
        plan.pending.append(event)
        return plan

    @classmethod
    def from_created(cls, event: DomainEvent) -> Plan:
        """Rebuild a plan from its first event (which pins the whole definition)."""
        data = event.data
        catalog = pinned_catalog(data["definition"], data["definition_hash"])
        definition = catalog.definition
        shift = dt.timedelta(days=data["shift_days"])
        state = PlanState(data["plan"], definition, catalog.definition_hash, data["shift_days"],
                          event.occurred_at, version=1)
        for phase in definition.phases:
            state.phases[phase.id] = PhaseRegion(phase.id, phase.starts + shift, phase.ends + shift)
            for activity in phase.activities:
                state.activities[activity.id] = ActivityState(activity.id, phase.id)
        for decision in definition.committee.decisions:
            state.decisions[decision.id] = DecisionState(decision.id)
        return cls(state, catalog)

    # -- commands -------------------------------------------------------------------------

    def open_phase(self, phase_id: str, reason: str, actor: Actor, now: dt.datetime,
                   census: ProposalCensus | None = None) -> None:
        """Open a scheduled phase once its opening conditions hold."""
        self._move_phase(phase_id, "open", "PhaseOpened", reason, actor, now, census)

    def close_phase(self, phase_id: str, reason: str, actor: Actor, now: dt.datetime,
                    census: ProposalCensus | None = None) -> None:
        """Close a running phase once its closing conditions hold."""
        self._move_phase(phase_id, "close", "PhaseClosed", reason, actor, now, census)

    def extend_phase(self, phase_id: str, until: dt.date, reason: str, actor: Actor,
                     now: dt.datetime) -> None:
        """Move a phase's last day to ``until`` (a prórroga), with the reason.

        The new last day must come after the current one and must not have
        ended already; the phase's ``extend_when`` conditions must hold.
        """
        region = self._region(phase_id)
        check_trigger(self.locale, self.catalog.phase_machine, region.state, "extend")
        self._require_text("reason", reason, prose=True)
        if not days.in_range(until):
            raise out_of_range(self.locale, "until", until.isoformat())
        if until <= region.ends_on:
            raise invalid(self.locale, "until", "field.until_before", until=until,
                          ends=region.ends_on)
        if day_starts(until + dt.timedelta(days=1), self.state.definition.timezone) <= now:
            raise invalid(self.locale, "until", "field.until_past", until=until)
        self._check_conditions(phase_id, "extend", region.state, actor, None)
        self.record("PhaseExtended", {"phase": phase_id, "until": until.isoformat(),
                                       "previous": region.ends_on.isoformat(),
                                       "reason": reason}, actor, now)

    def add_member(self, name: str, group: str, actor: Actor, now: dt.datetime) -> str:
        """Add a committee member to ``group``; return the new member's id."""
        self._require_text("name", name)
        spec = self.catalog.groups.get(group)
        if spec is None:
            raise not_found(self.locale, "group", group)
        in_group = sum(m.group == group for m in self.state.members.values())
        if spec.seats is not None and in_group >= spec.seats:
            raise invalid(self.locale, "group", "error.group_full", group=spec.name,
                          seats=spec.seats)
        member_id = self._member_id(name)
        self.record("MemberAdded", {"member": member_id, "name": name.strip(), "group": group},
                     actor, now)
        return member_id

    def vote(self, decision_id: str, member_id: str, approve: bool, actor: Actor,
             now: dt.datetime) -> quorum.Tally:
        """Record a member's vote (changeable until the decision passes); pass it on quorum."""
        decision = self.catalog.decisions.get(decision_id)
        if decision is None:
            raise not_found(self.locale, "decision", decision_id)
        if member_id not in self.state.members:
            raise not_found(self.locale, "member", member_id)
        if member_id not in quorum.eligible(decision, self.state.members):
            raise invalid(self.locale, "member", "field.not_voter", member=member_id,
                          groups=quoted(self.locale,
                                        [self.catalog.groups[g].name for g in decision.voters]))
        if self.state.decisions[decision_id].approved:
            raise invalid(self.locale, "decision", "error.vote_closed", title=decision.title)
        self.record("VoteCast", {"decision": decision_id, "member": member_id,
                                  "approve": approve}, actor, now)
        tally = self.tally(decision_id)
        if tally.passed:
            self.record("DecisionApproved", {"decision": decision_id,
                                              "approvals": tally.approvals,
                                              "voters": tally.voters, "needed": tally.needed},
                         actor, now)
        return tally

    def complete_activity(self, activity_id: str, evidence: str, actor: Actor,
                          now: dt.datetime) -> None:
        """Mark an activity of a running phase done, with its evidence (a link, a document id)."""
        found = self.catalog.activities.get(activity_id)
        if found is None:
            raise not_found(self.locale, "activity", activity_id)
        activity, phase_id = found
        self._require_text("evidence", evidence, prose=True)
        if self.state.activities[activity_id].done_at is not None:
            raise invalid(self.locale, "activity", "error.activity_done", title=activity.title)
        problems = unmet(self.catalog.activity_guards[activity_id],
                         self._context(actor, phase_id, None))
        if problems:
            action = say(self.locale, "action.activity", title=activity.title)
            raise guard_failed(self.locale, action, "done", "pending", problems)
        self.record("ActivityDone", {"activity": activity_id, "evidence": evidence.strip()},
                     actor, now)

    def record_meeting(self, held_at: dt.datetime, attendance: Mapping[str, int],
                       minutes: str | None, actor: Actor, now: dt.datetime) -> None:
        """Record that the forum met (when, who came by group, its minutes)."""
        self.record("MeetingRecorded", meeting_data(self.state, held_at, attendance, minutes,
                                                    now), actor, now)

    def unmet(self, phase_id: str, trigger: str, actor: Actor,
              census: ProposalCensus | None) -> list[str]:
        """Return the unmet conditions to ``open``, ``close`` or ``extend`` a phase, in words."""
        guards = {"open": self.catalog.open_guards, "close": self.catalog.close_guards,
                  "extend": self.catalog.extend_guards}[trigger]
        return unmet(guards[phase_id], self._context(actor, phase_id, census))

    def needs_settling(self) -> bool:
        """Whether a phase waits on conditions (to open, or to close by itself when overdue)."""
        return any(r.state == "waiting" or (r.state == "overdue" and self.catalog.phases[
            r.phase_id].when_overdue == "close_when_met") for r in self.state.phases.values())

    def tally(self, decision_id: str) -> quorum.Tally:
        """Count the votes of a decision."""
        decision = self.catalog.decisions[decision_id]
        votes = self.state.decisions[decision_id].votes
        return quorum.tally(decision, votes, self.state.members)

    # -- applying events ------------------------------------------------------------------

    def apply(self, event: DomainEvent, census: ProposalCensus | None = None) -> None:
        """Change the state by one event of this plan's stream (live or in replay)."""
        handler = getattr(self, f"_on_{event.type}", None)
        if handler is None or event.version != self.state.version + 1:
            raise IllegalEvent("illegal.plan_order", type=event.type, version=event.version,
                               current=self.state.version, plan=self.state.plan_id)
        handler(event, census)
        self.state.version = event.version

    def _on_PhaseOpened(self, event: DomainEvent, census: ProposalCensus | None) -> None:  # noqa: N802
        self._fire_phase(event, "open", census).opened_at = event.occurred_at

    def _on_PhaseClosed(self, event: DomainEvent, census: ProposalCensus | None) -> None:  # noqa: N802
        self._fire_phase(event, "close", census).closed_at = event.occurred_at

    def _on_PhaseExtended(self, event: DomainEvent, census: ProposalCensus | None) -> None:  # noqa: N802
        region = self._fire_phase(event, "extend", census)
        region.ends_on = dt.date.fromisoformat(event.data["until"])

    def _on_PhaseHeld(self, event: DomainEvent, census: ProposalCensus | None) -> None:  # noqa: N802
        self._fire_phase(event, "hold", census)

    def _on_PhaseOverdue(self, event: DomainEvent, census: ProposalCensus | None) -> None:  # noqa: N802
        self._fire_phase(event, "mark_overdue", census)

    def _on_PhaseClosingSoon(self, event: DomainEvent, _: ProposalCensus | None) -> None:  # noqa: N802
        if not self.state.phases[event.data["phase"]].running:
            raise IllegalEvent("illegal.reminder_not_running", phase=event.data["phase"])

    def _on_DeadlineSkipped(self, event: DomainEvent, _: ProposalCensus | None) -> None:  # noqa: N802
        data = event.data
        region = self.state.phases[data["phase"]]
        kind, tz = data["kind"], self.state.definition.timezone
        if data["state"] != region.state:
            raise IllegalEvent("illegal.skip_state", deadline=data["deadline"],
                               phase=region.phase_id, said=data["state"], state=region.state)
        if kind not in ALL_KINDS or acts(kind, region, event.occurred_at, tz):
            raise IllegalEvent("illegal.skip_had_work", deadline=data["deadline"], kind=kind,
                               phase=region.phase_id, state=region.state)

    def _on_MemberAdded(self, event: DomainEvent, _: ProposalCensus | None) -> None:  # noqa: N802
        data = event.data
        self.state.members[data["member"]] = Member(data["member"], data["name"], data["group"])

    def _on_VoteCast(self, event: DomainEvent, _: ProposalCensus | None) -> None:  # noqa: N802
        data = event.data
        decision = self.state.decisions[data["decision"]]
        if decision.approved or data["member"] not in self.state.members:
            raise IllegalEvent("illegal.vote", decision=data["decision"], member=data["member"])
        decision.votes[data["member"]] = bool(data["approve"])

    def _on_DecisionApproved(self, event: DomainEvent, _: ProposalCensus | None) -> None:  # noqa: N802
        decision_id = event.data["decision"]
        if not self.tally(decision_id).passed:
            raise IllegalEvent("illegal.no_quorum", decision=decision_id)
        self.state.decisions[decision_id].approved_at = event.occurred_at

    def _on_ActivityDone(self, event: DomainEvent, _: ProposalCensus | None) -> None:  # noqa: N802
        activity = self.state.activities[event.data["activity"]]
        activity.done_at = event.occurred_at
        activity.evidence = event.data["evidence"]
        activity.done_by = event.actor.name

    def _on_MeetingRecorded(self, event: DomainEvent, _: ProposalCensus | None) -> None:  # noqa: N802
        apply_meeting(self.state, event.data, event.occurred_at)

    # -- helpers --------------------------------------------------------------------------

    def _move_phase(self, phase_id: str, trigger: str, event_type: str, reason: str,
                    actor: Actor, now: dt.datetime, census: ProposalCensus | None) -> None:
        region = self._region(phase_id)
        check_trigger(self.locale, self.catalog.phase_machine, region.state, trigger)
        self._require_text("reason", reason, prose=True)
        self._check_conditions(phase_id, trigger, region.state, actor, census)
        self.record(event_type, {"phase": phase_id, "reason": reason.strip()}, actor, now, census)

    def _check_conditions(self, phase_id: str, trigger: str, state: str, actor: Actor,
                          census: ProposalCensus | None) -> None:
        problems = self.unmet(phase_id, trigger, actor, census)
        if problems:
            title = self.catalog.phases[phase_id].title
            action = say(self.locale, f"action.{trigger}", title=title)
            raise guard_failed(self.locale, action, trigger, state, problems)

    def _fire_phase(self, event: DomainEvent, trigger: str,
                    census: ProposalCensus | None) -> PhaseRegion:
        region = self.state.phases[event.data["phase"]]
        ctx = self._context(event.actor, region.phase_id, census)
        before = region.state
        if self.catalog.phase_machine.destination(before, trigger) is None or not (
            self.catalog.phase_machine.fire(region, trigger, ctx)
        ):
            raise IllegalEvent("illegal.phase_move", type=event.type, phase=region.phase_id,
                               state=before)
        return region

    def _context(self, actor: Actor, phase_id: str | None,
                 census: ProposalCensus | None) -> GuardContext:
        return GuardContext(self.state, actor, phase_id, census=census)

    def _region(self, phase_id: str) -> PhaseRegion:
        region = self.state.phases.get(phase_id)
        if region is None:
            raise not_found(self.locale, "phase", phase_id)
        return region

    def _require_text(self, field: str, value: str, prose: bool = False) -> None:
        if not value or not value.strip():
            raise invalid(self.locale, field, "field.blank")
        (check_prose if prose else check_line)(self.locale, field, value.strip())

    def _member_id(self, name: str) -> str:
        ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40] or "miembro"
        candidate, n = base, 2
        while candidate in self.state.members:
            candidate, n = f"{base}-{n}", n + 1
        return candidate

    def record(self, event_type: str, data: dict[str, Any], actor: Actor, now: dt.datetime,
                census: ProposalCensus | None = None) -> None:
        """Record an event of this plan: apply it (checked by the machine) and keep it pending."""
        event = DomainEvent(self.state.plan_id, "plan", self.state.version + 1, event_type,
                            data, actor, now)
        self.apply(event, census)
        self.pending.append(event)
