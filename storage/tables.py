"""The database schema (SQLAlchemy Core). Alembic migrations under ``migrations/`` create it.

``events`` is the append-only log: a global ``position`` (gapless, assigned under
the ``log_head`` lock), ``UNIQUE(stream_id, version)`` as the concurrency check,
and a SHA-256 ``hash`` chaining each event to the one before. Event data is
stored as the exact canonical JSON text the hash covers. The other tables are
projections, written in the same transaction as the events they follow.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()
UTC_TIME = DateTime(timezone=True)
# On SQLite only INTEGER PRIMARY KEY is the rowid: BIGINT would add a second index.
POSITION = BigInteger().with_variant(Integer(), "sqlite")

events = Table(
    "events", metadata,
    Column("position", POSITION, primary_key=True, autoincrement=False),
    Column("event_id", String(36), nullable=False),
    Column("stream_id", String(200), nullable=False),
    Column("stream_type", String(20), nullable=False),
    Column("plan_id", String(100), nullable=False),
    Column("version", Integer, nullable=False),
    Column("type", String(60), nullable=False),
    Column("data", Text, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("actor_role", String(30), nullable=False),
    Column("occurred_at", UTC_TIME, nullable=False),
    Column("causation_id", String(64)),
    Column("correlation_id", String(64)),
    Column("hash", String(64), nullable=False),
    UniqueConstraint("stream_id", "version", name="uq_events_stream_version"),
    Index("ix_events_plan_position", "plan_id", "position"),
)

log_head = Table(
    "log_head", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("position", POSITION, nullable=False),
    Column("hash", String(64), nullable=False),
)

plans = Table(
    "plans", metadata,
    Column("plan_id", String(100), primary_key=True),
    Column("definition_id", String(64), nullable=False),
    Column("definition_hash", String(64), nullable=False),
    Column("title", Text, nullable=False),
    Column("shift_days", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Column("proposal_count", Integer, nullable=False),
    Column("created_at", UTC_TIME, nullable=False),
    Column("snapshot", Text, nullable=False),
    Column("commitment_count", Integer, nullable=False, server_default="0"),
)

phases = Table(
    "phases", metadata,
    Column("plan_id", ForeignKey("plans.plan_id"), primary_key=True),
    Column("phase_id", String(64), primary_key=True),
    Column("status", String(20), nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("opened_at", UTC_TIME),
    Column("closed_at", UTC_TIME),
)

members = Table(
    "members", metadata,
    Column("plan_id", ForeignKey("plans.plan_id"), primary_key=True),
    Column("member_id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("group_id", String(64), nullable=False),
)

decisions = Table(
    "decisions", metadata,
    Column("plan_id", ForeignKey("plans.plan_id"), primary_key=True),
    Column("decision_id", String(64), primary_key=True),
    Column("approved_at", UTC_TIME),
)

votes = Table(
    "votes", metadata,
    Column("plan_id", ForeignKey("plans.plan_id"), primary_key=True),
    Column("decision_id", String(64), primary_key=True),
    Column("member_id", String(64), primary_key=True),
    Column("approve", Boolean, nullable=False),
)

activities = Table(
    "activities", metadata,
    Column("plan_id", ForeignKey("plans.plan_id"), primary_key=True),
    Column("activity_id", String(64), primary_key=True),
    Column("phase_id", String(64), nullable=False),
    Column("done_at", UTC_TIME),
    Column("evidence", Text),
    Column("done_by", String(200)),
)

proposals = Table(
    "proposals", metadata,
    Column("proposal_id", String(200), primary_key=True),
    Column("plan_id", ForeignKey("plans.plan_id"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("channel", String(64), nullable=False),
    Column("mesa", Integer),
    Column("state", String(64), nullable=False),
    Column("version", Integer, nullable=False),
    Column("response", Text),
    Column("merged_into", String(200)),
    Column("submitted_at", UTC_TIME, nullable=False),
    Column("updated_at", UTC_TIME),
    Column("fields", Text),
    Column("supports", Integer, nullable=False, server_default="0"),
    Column("outcome", String(64)),
    UniqueConstraint("plan_id", "number", name="uq_proposals_plan_number"),
    # No (plan_id, state) index: every state change would rewrite two random pages of
    # it, and the few reads by state (a phase's closing guard, counts) scan the plan's
    # (plan_id, number) range instead.
)

commitments = Table(
    "commitments", metadata,
    Column("commitment_id", String(200), primary_key=True),
    Column("plan_id", ForeignKey("plans.plan_id"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("state", String(64), nullable=False),
    Column("version", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("lead_agency", String(200), nullable=False),
    Column("drafted_at", UTC_TIME, nullable=False),
    Column("updated_at", UTC_TIME),
    Column("approved_at", UTC_TIME),
    Column("completion", String(20)),
    Column("opened_government", String(20)),
    Column("snapshot", Text, nullable=False),
    UniqueConstraint("plan_id", "number", name="uq_commitments_plan_number"),
)
"""One row per commitment: what lists and filters read, and its whole state (``snapshot``).

A commitment command loads it with one read of its snapshot; verify proves every
column and the snapshot equal the replayed commitment.
"""

commitment_milestones = Table(
    "commitment_milestones", metadata,
    Column("commitment_id", ForeignKey("commitments.commitment_id"), primary_key=True),
    Column("milestone_id", String(16), primary_key=True),
    Column("plan_id", String(100), nullable=False),
    Column("description", Text, nullable=False),
    Column("output", Text, nullable=False),
    Column("starts", Date, nullable=False),
    Column("due", Date, nullable=False),
    Column("responsible", Text, nullable=False),
    Column("done_at", UTC_TIME),
    Column("overdue_at", UTC_TIME),
    Column("reports", Integer, nullable=False),
)
"""Every milestone of every commitment: dates, who, reported done or overdue, reports."""

commitment_links = Table(
    "commitment_links", metadata,
    Column("commitment_id", ForeignKey("commitments.commitment_id"), primary_key=True),
    Column("proposal_id", String(200), primary_key=True),
    Column("plan_id", String(100), nullable=False),
    Column("linked_at", UTC_TIME, nullable=False),
    # A proposal's commitments, and the phases' link guard, read by proposal.
    Index("ix_commitment_links_proposal", "proposal_id"),
)
"""The proposals each commitment answers (an unlinked one leaves no row; the log keeps it)."""

supports = Table(
    "supports", metadata,
    Column("proposal_id", ForeignKey("proposals.proposal_id"), primary_key=True),
    Column("supporter", String(64), primary_key=True),
    Column("supported_at", UTC_TIME, nullable=False),
)
"""One row per anonymous supporter of a proposal: the key is what makes a support count once."""

deadlines = Table(
    "deadlines", metadata,
    Column("deadline_id", String(300), primary_key=True),
    Column("plan_id", ForeignKey("plans.plan_id"), nullable=False),
    Column("phase_id", String(64), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("days", Integer),
    Column("due_at", UTC_TIME, nullable=False),
    Column("status", String(12), nullable=False),
    Column("fired_at", UTC_TIME),
    Column("fired_by", String(200)),
    Column("outcome", String(60)),
    # The scheduler asks for pending deadlines by due time; a plan's are cancelled by phase.
    Index("ix_deadlines_status_due", "status", "due_at"),
    Index("ix_deadlines_plan_phase", "plan_id", "phase_id"),
)
"""Every dated moment of every plan, written with the event that creates or moves it.

``status`` is pending until a scheduler claims it (``fired``, with when, by whom
and the outcome: the type of the event recorded, ``DeadlineSkipped`` when it had
nothing to do) or an event makes it moot (``cancelled``: the phase opened or
closed early, or was extended). Verify derives every column but ``fired_by``
from the log.
"""

outbox = Table(
    "outbox", metadata,
    Column("message_id", String(300), primary_key=True),
    Column("plan_id", ForeignKey("plans.plan_id"), nullable=False),
    Column("position", POSITION, nullable=False),
    Column("topic", String(60), nullable=False),
    Column("channel", String(20), nullable=False),
    Column("recipient", Text, nullable=False),
    Column("data", Text, nullable=False),
    Column("created_at", UTC_TIME, nullable=False),
    Column("status", String(12), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UTC_TIME, nullable=False),
    Column("claimed_until", UTC_TIME),
    Column("claimed_by", String(32)),
    Column("delivered_at", UTC_TIME),
    Column("last_error", Text),
    Index("ix_outbox_status_next", "status", "next_attempt_at"),
)
"""Messages to send, one per recipient and channel, written with the events that cause them.

``message_id`` is the event's id, the topic, the channel and the recipient:
stable, so a receiver can drop a message delivered twice. The dispatcher
(``notifications``) claims rows (``sending`` until ``claimed_until``), then marks
them ``delivered``, back to ``pending`` with a later ``next_attempt_at``, or
``dead`` after too many failures. Erasing a person's address (``cocrea contact
forget``) blanks it here and marks what was not delivered ``cancelled``.
"""

tokens = Table(
    "tokens", metadata,
    Column("token_id", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("member_id", String(64)),
    Column("agency", String(200)),
    Column("secret_hash", String(64), nullable=False),
    Column("created_at", UTC_TIME, nullable=False),
    Column("revoked_at", UTC_TIME),
)
"""API bearer tokens: only a SHA-256 of each secret is kept; revoked ones stay, dated."""

idempotency = Table(
    "idempotency", metadata,
    Column("identity", String(32), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("request", String(64), nullable=False),
    Column("request_id", String(64), nullable=False),
    Column("status", String(12), nullable=False),
    Column("response_status", Integer),
    Column("response_body", Text),
    Column("created_at", UTC_TIME, nullable=False),
)
"""POSTs seen with an Idempotency-Key, per caller: the request's hash and the first answer."""

leases = Table(
    "leases", metadata,
    Column("name", String(60), primary_key=True),
    Column("holder", String(200), nullable=False),
    Column("expires_at", UTC_TIME, nullable=False),
)
"""Who runs the one active scheduler among several API workers, until when."""

contacts = Table(
    "contacts", metadata,
    Column("plan_id", ForeignKey("plans.plan_id"), primary_key=True),
    Column("kind", String(12), primary_key=True),
    Column("subject", String(120), primary_key=True),
    Column("email", String(254), nullable=False),
    Column("given_at", UTC_TIME, nullable=False),
)
"""Email addresses of committee members and of proponents who consented to be told.

Kept out of the event log on purpose: contact data is personal, never
published, and must be erasable, which an append-only chained log is not.
"""

definitions = Table(
    "definitions", metadata,
    Column("definition_id", String(64), primary_key=True),
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("sha256", String(64), nullable=False),
    Column("title", Text, nullable=False),
    Column("locale", String(8), nullable=False),
    Column("yaml", Text, nullable=False),
    Column("added_at", UTC_TIME, nullable=False),
    Column("added_by", String(200), nullable=False),
    Column("added_role", String(30), nullable=False),
)
"""Definitions added to this database (``cocrea definition add``, ``POST /definitions``).

One row per id and version, with its YAML text as given and the SHA-256 a plan made
from it pins (of the parsed definition's canonical JSON). Not a projection: plans pin
their whole definition in their first event, so the log never needs this table.
"""

proposal_origins = Table(
    "proposal_origins", metadata,
    Column("proposal_id", ForeignKey("proposals.proposal_id"), primary_key=True),
    Column("plan_id", ForeignKey("plans.plan_id"), nullable=False),
    Column("source", String(20), nullable=False),
    Column("host", String(255), nullable=False),
    Column("decidim_id", BigInteger, nullable=False),
    Column("reference", Text, nullable=False),
    Column("url", Text, nullable=False),
    Column("information", Text, nullable=False),
    UniqueConstraint("plan_id", "source", "host", "decidim_id", name="uq_proposal_origins_key"),
)
"""Where each imported proposal was made (a projection of ``ProposalImported``).

The platform, its host, the proposal's id, reference and address there, and what
the platform said of it (``information``, canonical JSON: its state, answer,
supports, endorsements and comments). The key makes a proposal imported once into
a plan, however often its file is imported again. No author is kept.
"""
