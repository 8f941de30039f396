"""What an evidence pack holds and how its lines are written: one place for writer and checker.

An evidence pack (``cocrea audit pack``) is a ZIP of plain files an auditor can
read and check without cocrea:

- ``events.jsonl``: the log's events in position order, one JSON array a line
  holding every column of :data:`storage.chain.EVENT_COLUMNS` exactly as stored
  (``data`` the canonical JSON text the hash covers), except that the moment is
  already the text the hash covers (``YYYY-MM-DDTHH:MM:SS.ffffffZ``, UTC); a pack
  of one plan adds, last, the hash of the event before each one in the log;
- ``definitions/SHA256.json``: each definition a plan pinned, as the canonical JSON
  its first event holds (the file's own SHA-256 is the hash the plan pinned);
- ``projections/TABLE.jsonl``: the read tables verify compares with the replay,
  one JSON array a row (columns in ``about.json``; moments ISO 8601 in UTC, dates
  ISO, booleans JSON's), read in the same snapshot as the events;
- ``digest.json``: the log's head when the pack was made (as ``cocrea digest --json``);
- ``verify.json``: what ``cocrea verify --json`` said of the whole log just before;
- ``ogp/PLAN.json``: each plan's OGP report (``cocrea ogp report PLAN --json``) of the
  events the pack holds, as of the moment the pack was made (``about.json``'s ``made_at``);
- ``about.json``: what the pack holds (its scope, head, columns and counts) and the
  hash formula, for an auditor who checks it with tools of their own;
- ``SHA256SUMS``: the SHA-256 of every other member, as ``sha256sum -c`` reads it.

Optional members other code adds (the open-data package) are listed in
``SHA256SUMS`` like the others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Boolean, Date, DateTime

from storage import tables as t
from storage.audit_projections import STREAMED
from storage.chain import EVENT_COLUMNS
from storage.uow import PlanRow

FORMAT = "cocrea-evidence-pack"
VERSION = 1
EVENTS = "events.jsonl"
SUMS = "SHA256SUMS"
ABOUT = "about.json"
DIGEST = "digest.json"
VERIFY = "verify.json"
DEFINITIONS = "definitions/"
PROJECTIONS = "projections/"
OGP = "ogp/"

COLUMNS = tuple(c.strip() for c in EVENT_COLUMNS.split(","))
"""The columns of a line of ``events.jsonl`` (a pack of one plan adds ``previous``)."""
PREVIOUS = "previous"
HASH_FORMULA = ("hash = SHA-256 of (previous hash, a newline, the header as canonical JSON,"
                " a newline, data); header = [position, event_id, stream_id, stream_type,"
                " plan_id, version, type, actor, actor_role, occurred_at, causation_id,"
                " correlation_id]; canonical JSON: sorted keys, no spaces, UTF-8;"
                " the first event's previous hash is 64 zeros")


def _columns(text: str) -> tuple[str, ...]:
    return tuple(c.strip() for c in text.split(","))


TABLES: dict[str, tuple[str, ...]] = {
    "plans": PlanRow._fields,
    **{name: tuple(c.name for c in t.metadata.tables[name].columns)
       for name in ("phases", "members", "decisions", "votes", "activities")},
    **{name: _columns(columns) for name, (columns, _) in STREAMED.items()},
}
"""The projection tables a pack ships, with the columns verify compares."""

KEYS: dict[str, str] = {"plans": "plan_id", "phases": "plan_id, phase_id",
                        "members": "plan_id, member_id", "decisions": "plan_id, decision_id",
                        "votes": "plan_id, decision_id, member_id",
                        "activities": "plan_id, activity_id",
                        **{name: order for name, (_, order) in STREAMED.items()}}
"""Each shipped table's order in the pack (its key)."""

Kind = str
"""How a column's value is written in a pack: ``moment``, ``date``, ``bool`` or ``plain``."""


def kinds(table: str) -> tuple[Kind, ...]:
    """Return how each shipped column of ``table`` is written."""
    columns = t.metadata.tables[table].columns
    return tuple(_kind(columns[name].type) for name in TABLES[table])


def _kind(column_type: Any) -> Kind:
    if isinstance(column_type, DateTime):
        return "moment"
    if isinstance(column_type, Date):
        return "date"
    return "bool" if isinstance(column_type, Boolean) else "plain"


def ogp_member(plan_id: str) -> str:
    """Return the pack member that ships a plan's OGP report."""
    return f"{OGP}{plan_id}.json"


def member(table: str) -> str:
    """Return the pack member that ships ``table``."""
    return f"{PROJECTIONS}{table}.jsonl"


def encoder(table: str, read_time: Callable[[Any], dt.datetime]) -> Callable[
        [Sequence[Any]], list[Any]]:
    """Return the function that writes a stored row of ``table`` as its pack line's values."""
    steps = [_ENCODE[kind] for kind in kinds(table)]

    def encode(row: Sequence[Any]) -> list[Any]:
        return [None if v is None else step(v, read_time) for step, v in zip(steps, row,
                                                                                strict=True)]

    return encode


def decoder(table: str) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    """Return the function that reads a pack line's values back as verify compares them.

    ValueError (or TypeError) when a value is not what its column holds.
    """
    steps = [_DECODE[kind] for kind in kinds(table)]

    def decode(values: Sequence[Any]) -> tuple[Any, ...]:
        if len(values) != len(steps):
            raise ValueError(f"{len(values)} values for {len(steps)} columns")
        return tuple(None if v is None else step(v) for step, v in zip(steps, values,
                                                                          strict=True))

    return decode


def _moment(value: Any, read_time: Callable[[Any], dt.datetime]) -> str:
    return read_time(value).isoformat()


def _date(value: Any, _read: Any) -> str:
    return value if isinstance(value, str) else str(value.isoformat())


_ENCODE: dict[Kind, Callable[[Any, Callable[[Any], dt.datetime]], Any]] = {
    "moment": _moment, "date": _date, "bool": lambda v, _: bool(v), "plain": lambda v, _: v}


def read_moment(text: str) -> dt.datetime:
    """Return a moment a pack wrote (ISO 8601 with its offset) as an aware UTC datetime."""
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"{text!r} has no offset")
    return moment.astimezone(dt.UTC)


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{value!r} is not true or false")
    return value


_DECODE: dict[Kind, Callable[[Any], Any]] = {
    "moment": read_moment, "date": dt.date.fromisoformat, "bool": _bool,
    "plain": lambda v: v}


class PackMoments:
    """How a pack's events hold their moments: already the text the hash covers."""

    def hash_text(self, value: Any) -> str:
        """Return the moment as it is: the pack wrote the hash's own text."""
        return str(value)

    def read_time(self, value: Any) -> dt.datetime:
        """Return the moment (``...Z``) as an aware UTC datetime."""
        return read_moment(value)


PACK_MOMENTS = PackMoments()
