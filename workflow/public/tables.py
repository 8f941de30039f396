"""The tables of a plan's open data: their columns (Table Schema types and words) and rows.

Each :class:`Table` names its columns, each with a Table Schema type and a
description (a catalogue key, said in the plan's language; a declared field's
own label), and yields its rows from a plan's public record, streamed. The
package (:mod:`workflow.public.package`) writes each as CSV and as JSON Lines.

What is published is what the API already shows anyone: phases, decisions with
each member's vote (members' names are public, as in ``GET /plans/{plan}``),
activities with their evidence, proposals' public fields, and the plan's events
(as ``cocrea events`` exports them; ``data`` is the stored text the hash chain
covers). Never an email address: :mod:`storage.public` never reads the
``contacts`` table or the outbox.

:data:`TABLES` is the list. Commitments carry the template fields the process asks
for (its labels as their descriptions), their state and the evaluator's last
assessment; their milestones, whether each was reported done, late, or is overdue
(:func:`workflow.domain.milestones.judged`, as the site says it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from definitions.commitments import COMPLETION, OPENED_GOVERNMENT, TEMPLATE
from definitions.schema import Definition, FieldSpec, TemplateField
from storage.public import Record
from workflow.domain import quorum
from workflow.domain.clock import local_iso
from workflow.domain.milestones import judged
from workflow.domain.state import ProposalState
from workflow.public.history import facts

Row = Sequence[Any]


@dataclass(frozen=True)
class Column:
    """A column: its name, its Table Schema type, and what it holds (a catalogue key).

    ``said`` is False when ``description`` is already words (a declared field's label).
    Type ``json`` is an object given as JSON text (written as it is).
    """

    name: str
    type: str
    description: str
    said: bool = True
    constraints: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Table:
    """A table of the package: its name, description (a key), columns and rows."""

    name: str
    description: str
    columns: Callable[[Definition], tuple[Column, ...]]
    rows: Callable[[Record], Iterator[Row]]
    key: tuple[str, ...]
    references: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()
    """Foreign keys: (columns, table, its columns)."""
    sorted_keys: bool = False
    """Whether its JSON objects list their keys sorted (the canonical JSON of ``cocrea events``)."""


def fixed(*columns: Column) -> Callable[[Definition], tuple[Column, ...]]:
    """Return the columns of a table whose columns do not depend on the definition."""
    return lambda _definition: columns


def _local(moment: dt.datetime | None, record: Record) -> str | None:
    return local_iso(moment, record.plan.state.definition.timezone)


# --- phases ------------------------------------------------------------------------------------

PHASE_COLUMNS = fixed(
    Column("plan", "string", "open_data.column.plan"),
    Column("phase", "string", "open_data.column.phase"),
    Column("number", "integer", "open_data.column.phase_number"),
    Column("title", "string", "open_data.column.phase_title"),
    Column("status", "string", "open_data.column.phase_status"),
    Column("planned_starts", "date", "open_data.column.planned_starts"),
    Column("planned_ends", "date", "open_data.column.planned_ends"),
    Column("starts", "date", "open_data.column.starts"),
    Column("ends", "date", "open_data.column.ends"),
    Column("extensions", "integer", "open_data.column.extensions"),
    Column("opened_at", "datetime", "open_data.column.opened_at"),
    Column("closed_at", "datetime", "open_data.column.closed_at"))


def phase_rows(record: Record) -> Iterator[Row]:
    """Yield each phase: planned dates, dates now (as extended), when it really ran."""
    state = record.plan.state
    logs = facts(record.plan, record.plan_events())
    shift = dt.timedelta(days=state.shift_days)
    for phase in sorted(state.definition.phases,
                        key=lambda p: (state.phases[p.id].starts_on, p.number)):
        region = state.phases[phase.id]
        yield (state.plan_id, phase.id, phase.number, phase.title, region.state,
               phase.starts + shift, phase.ends + shift, region.starts_on, region.ends_on,
               logs.log(phase.id).extensions, _local(region.opened_at, record),
               _local(region.closed_at, record))


# --- decisions and votes -----------------------------------------------------------------------

DECISION_COLUMNS = fixed(
    Column("plan", "string", "open_data.column.plan"),
    Column("decision", "string", "open_data.column.decision"),
    Column("title", "string", "open_data.column.decision_title"),
    Column("quorum", "string", "open_data.column.quorum"),
    Column("status", "string", "open_data.column.decision_status"),
    Column("approvals", "integer", "open_data.column.approvals"),
    Column("rejections", "integer", "open_data.column.rejections"),
    Column("voters", "integer", "open_data.column.voters"),
    Column("needed", "integer", "open_data.column.needed"),
    Column("approved_at", "datetime", "open_data.column.approved_at"))


def decision_rows(record: Record) -> Iterator[Row]:
    """Yield each decision of the committee: its quorum, its standing and tally, when it passed."""
    state = record.plan.state
    for decision in state.definition.committee.decisions:
        where = quorum.standing(decision, state.decisions[decision.id], state.members)
        tally = where.tally
        yield (state.plan_id, decision.id, decision.title, decision.quorum.rule, where.status,
               tally.approvals, tally.rejections, tally.voters, tally.needed,
               _local(state.decisions[decision.id].approved_at, record))


VOTE_COLUMNS = fixed(
    Column("plan", "string", "open_data.column.plan"),
    Column("decision", "string", "open_data.column.decision"),
    Column("member", "string", "open_data.column.member"),
    Column("member_name", "string", "open_data.column.member_name"),
    Column("group", "string", "open_data.column.group"),
    Column("group_name", "string", "open_data.column.group_name"),
    Column("approve", "boolean", "open_data.column.approve"))


def vote_rows(record: Record) -> Iterator[Row]:
    """Yield each member's standing vote on each decision (a vote may change until it passes)."""
    state, groups = record.plan.state, record.plan.catalog.groups
    for decision in state.definition.committee.decisions:
        for member_id, approve in sorted(state.decisions[decision.id].votes.items()):
            member = state.members[member_id]
            yield (state.plan_id, decision.id, member_id, member.name, member.group,
                   groups[member.group].name, approve)


# --- activities --------------------------------------------------------------------------------

ACTIVITY_COLUMNS = fixed(
    Column("plan", "string", "open_data.column.plan"),
    Column("activity", "string", "open_data.column.activity"),
    Column("phase", "string", "open_data.column.phase"),
    Column("title", "string", "open_data.column.activity_title"),
    Column("done_at", "datetime", "open_data.column.done_at"),
    Column("evidence", "string", "open_data.column.evidence"))


def activity_rows(record: Record) -> Iterator[Row]:
    """Yield each activity of each phase: when it was done, and its evidence."""
    state = record.plan.state
    for phase in state.definition.phases:
        for activity in phase.activities:
            done = state.activities[activity.id]
            yield (state.plan_id, activity.id, phase.id, activity.title,
                   _local(done.done_at, record), done.evidence)


# --- proposals ---------------------------------------------------------------------------------

TYPES = {"text": "string", "integer": "integer", "date": "date", "url": "string",
         "choice": "string", "proposal": "string"}
"""The Table Schema type of each declared field type."""


def declared(definition: Definition) -> dict[str, FieldSpec]:
    """Return the process's own proposal fields, by name (``response`` and ``into`` aside)."""
    found: dict[str, FieldSpec] = {}
    for transition in definition.proposals.transitions:
        for spec in transition.fields:
            if spec.name not in ("response", "into"):
                found.setdefault(spec.name, spec)
    return found


def _field_type(definition: Definition, name: str) -> str:
    """Return a field's type (text when two triggers give one name two types)."""
    kinds = {spec.kind for t in definition.proposals.transitions for spec in t.fields
             if spec.name == name}
    return TYPES[kinds.pop()] if len(kinds) == 1 else "string"


def proposal_columns(definition: Definition) -> tuple[Column, ...]:
    """Return a proposal's public fields, then one column per declared field (``field_x``)."""
    own = tuple(Column(f"field_{name}", _field_type(definition, name), spec.label or name, False,
                       {"enum": list(spec.options)} if spec.kind == "choice" and
                       _field_type(definition, name) == "string" else {})
                for name, spec in declared(definition).items())
    return PROPOSAL_COLUMNS(definition) + own


PROPOSAL_COLUMNS = fixed(
    Column("proposal", "string", "open_data.column.proposal"),
    Column("plan", "string", "open_data.column.plan"),
    Column("number", "integer", "open_data.column.proposal_number"),
    Column("title", "string", "open_data.column.proposal_title"),
    Column("body", "string", "open_data.column.proposal_body"),
    Column("channel", "string", "open_data.column.channel"),
    Column("channel_name", "string", "open_data.column.channel_name"),
    Column("mesa", "integer", "open_data.column.mesa"),
    Column("state", "string", "open_data.column.proposal_state"),
    Column("response", "string", "open_data.column.response"),
    Column("merged_into", "string", "open_data.column.merged_into"),
    Column("merged_into_last", "string", "open_data.column.merged_into_last"),
    Column("supports", "integer", "open_data.column.supports"),
    Column("submitted_at", "datetime", "open_data.column.submitted_at"),
    Column("updated_at", "datetime", "open_data.column.updated_at"),
    Column("version", "integer", "open_data.column.proposal_version"))


def proposal_rows(record: Record) -> Iterator[Row]:
    """Yield each proposal's public fields, where its merges led, and its declared fields."""
    definition = record.plan.state.definition
    channels = record.plan.catalog.channels
    merges, own = record.merges(), list(declared(definition))
    text = {name for name in own if _field_type(definition, name) == "string"}
    for p in record.proposals():
        fields = [_field(p, name, name in text) for name in own]
        yield (p.proposal_id, p.plan_id, p.number, p.title, p.body, p.channel,
               channels[p.channel].name, p.mesa, p.state, p.response, p.merged_into,
               last_merge(p.merged_into, merges), p.supports, _local(p.submitted_at, record),
               _local(p.updated_at, record), p.version, *fields)


def _field(proposal: ProposalState, name: str, as_text: bool) -> Any:
    value = proposal.fields.get(name)
    return str(value) if as_text and value is not None else value


def last_merge(into: str | None, merges: dict[str, str]) -> str | None:
    """Return the proposal a chain of merges ends in (``into``, then where that went, ...)."""
    seen: set[str] = set()
    while into is not None and into in merges and into not in seen:
        seen.add(into)
        into = merges[into]
    return into


# --- commitments and milestones ---------------------------------------------------------------

TEMPLATE_TYPES = {"text": "string", "values": "string", "date": "date"}
"""The Table Schema type of each template field's type (OGP values: a comma-separated list)."""

COMMITMENT_COLUMNS = fixed(
    Column("commitment", "string", "open_data.column.commitment"),
    Column("plan", "string", "open_data.column.plan"),
    Column("number", "integer", "open_data.column.commitment_number"),
    Column("state", "string", "open_data.column.commitment_state"),
    Column("proposals", "string", "open_data.column.commitment_proposals"),
    Column("approved_at", "datetime", "open_data.column.commitment_approved_at"),
    Column("completion", "string", "open_data.column.completion",
           constraints={"enum": list(COMPLETION)}),
    Column("opened_government", "string", "open_data.column.opened_government",
           constraints={"enum": list(OPENED_GOVERNMENT)}),
    Column("assessment", "string", "open_data.column.assessment"),
    Column("assessment_evidence", "string", "open_data.column.assessment_evidence"),
    Column("version", "integer", "open_data.column.commitment_version"))


def _template(definition: Definition) -> list[TemplateField]:
    return [] if definition.commitments is None else list(definition.commitments.template)


def commitment_columns(definition: Definition) -> tuple[Column, ...]:
    """Return a commitment's columns, then one per template field the process asks for."""
    return COMMITMENT_COLUMNS(definition) + tuple(
        Column(f"field_{spec.field}", TEMPLATE_TYPES[TEMPLATE[spec.field]], spec.label, False)
        for spec in _template(definition))


def commitment_rows(record: Record) -> Iterator[Row]:
    """Yield each commitment: state, proposals it answers, the assessment, its template."""
    fields = [spec.field for spec in _template(record.plan.state.definition)]
    for c in record.commitments():
        assessed = c.assessment or {}
        yield (c.commitment_id, c.plan_id, c.number, c.state, " ".join(_by_number(c.links)),
               _local(c.approved_at, record), assessed.get("completion"),
               assessed.get("opened_government"), assessed.get("text"),
               " ".join(assessed.get("evidence", ())) or None, c.version,
               *[_template_value(c.fields.get(name)) for name in fields])


def _by_number(proposal_ids: Iterable[str]) -> list[str]:
    """Sort a plan's proposal ids (``PLAN.pN``) by their number: p2 before p13."""
    return sorted(proposal_ids, key=lambda key: int(key.rpartition(".p")[2]))


def _template_value(value: Any) -> Any:
    return ", ".join(map(str, value)) if isinstance(value, list) else value


MILESTONE_COLUMNS = fixed(
    Column("commitment", "string", "open_data.column.commitment"),
    Column("milestone", "string", "open_data.column.milestone"),
    Column("plan", "string", "open_data.column.plan"),
    Column("description", "string", "open_data.column.milestone_description"),
    Column("output", "string", "open_data.column.milestone_output"),
    Column("responsible", "string", "open_data.column.milestone_responsible"),
    Column("starts", "date", "open_data.column.milestone_starts"),
    Column("due", "date", "open_data.column.milestone_due"),
    Column("done_at", "datetime", "open_data.column.milestone_done_at"),
    Column("done", "boolean", "open_data.column.milestone_done"),
    Column("late", "boolean", "open_data.column.milestone_late"),
    Column("overdue", "boolean", "open_data.column.milestone_overdue"),
    Column("reports", "integer", "open_data.column.milestone_reports"))


def milestone_rows(record: Record) -> Iterator[Row]:
    """Yield each milestone of each commitment: due, done, reported late, overdue."""
    tz = record.plan.state.definition.timezone
    for c in record.commitments():
        for m in c.milestones.values():
            judgement = judged(m, tz)
            yield (c.commitment_id, m.milestone_id, c.plan_id, m.description, m.output,
                   m.responsible, m.starts, m.due, _local(m.done_at, record), m.done,
                   judgement == "late", judgement == "overdue", m.reports)


# --- events ------------------------------------------------------------------------------------

EVENT_COLUMNS = fixed(
    Column("position", "integer", "open_data.column.position"),
    Column("event_id", "string", "open_data.column.event_id"),
    Column("stream", "string", "open_data.column.stream"),
    Column("version", "integer", "open_data.column.event_version"),
    Column("type", "string", "open_data.column.event_type"),
    Column("actor", "string", "open_data.column.actor"),
    Column("role", "string", "open_data.column.role"),
    Column("occurred_at", "datetime", "open_data.column.occurred_at"),
    Column("causation_id", "string", "open_data.column.causation_id"),
    Column("correlation_id", "string", "open_data.column.correlation_id"),
    Column("data", "json", "open_data.column.data"),
    Column("hash", "string", "open_data.column.hash"))


def event_rows(record: Record) -> Iterator[Row]:
    """Yield every event of the plan and its proposals in log order (UTC moments)."""
    moment = record.moment_text
    for row in record.event_rows():
        yield (*row[:7], moment(row[7]), *row[8:])


# --- the package's tables ----------------------------------------------------------------------

TABLES: tuple[Table, ...] = (
    Table("phases", "open_data.table.phases", PHASE_COLUMNS, phase_rows, ("plan", "phase")),
    Table("decisions", "open_data.table.decisions", DECISION_COLUMNS, decision_rows,
          ("plan", "decision")),
    Table("votes", "open_data.table.votes", VOTE_COLUMNS, vote_rows,
          ("plan", "decision", "member"),
          ((("plan", "decision"), "decisions", ("plan", "decision")),)),
    Table("activities", "open_data.table.activities", ACTIVITY_COLUMNS, activity_rows,
          ("plan", "activity"), ((("plan", "phase"), "phases", ("plan", "phase")),)),
    Table("proposals", "open_data.table.proposals", proposal_columns, proposal_rows,
          ("proposal",), ((("merged_into",), "", ("proposal",)),)),
    Table("commitments", "open_data.table.commitments", commitment_columns, commitment_rows,
          ("commitment",)),
    Table("milestones", "open_data.table.milestones", MILESTONE_COLUMNS, milestone_rows,
          ("commitment", "milestone"),
          ((("commitment",), "commitments", ("commitment",)),)),
    Table("events", "open_data.table.events", EVENT_COLUMNS, event_rows, ("position",),
          sorted_keys=True),
)
"""Every table of the package, in the order it is written."""
