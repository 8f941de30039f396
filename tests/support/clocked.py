"""A plan on a real database with a virtual clock, and the scheduler's runner over it."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select

from definitions.schema import Definition
from storage import schedule
from storage import tables as t
from storage.database import open_engine
from tests.storage.scenario import MEMBERS
from workflow.bootstrap import bootstrap
from workflow.domain.clock import VirtualClock
from workflow.domain.events import Actor
from workflow.runner import DeadlineRunner, Fired, advance
from workflow.services import Services
from workflow.testing import Driver

GUAYAQUIL = ZoneInfo("America/Guayaquil")
STAFF = Actor("tecnica-municipal", "staff")


def at(text: str, zone: ZoneInfo = GUAYAQUIL) -> dt.datetime:
    """A local moment written 'YYYY-MM-DD HH:MM' in ``zone``, as UTC."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=zone).astimezone(dt.UTC)


@dataclass
class Clocked:
    """An engine, services on a virtual clock, and the deadline runner they share."""

    engine: Engine
    services: Services
    clock: VirtualClock
    runner: DeadlineRunner
    plan_id: str

    def advance(self, until: dt.datetime | None = None) -> list[Fired]:
        """Fire every deadline due up to ``until`` (all of them when None), in order."""
        return advance(self.clock, self.runner, lambda: schedule.next_due(self.engine), until)

    def events(self, *types: str) -> list[dict[str, Any]]:
        """Return the log's events (of ``types``, when given) as plain dicts, in order."""
        return events(self.engine, *types)


def events(engine: Engine, *types: str) -> list[dict[str, Any]]:
    """Return the log's events (of ``types``, when given) as plain dicts, in order."""
    e = t.events.c
    query = select(e.position, e.stream_id, e.type, e.data, e.actor, e.occurred_at)
    with engine.connect() as conn:
        rows = conn.execute(query.order_by(e.position)).mappings().all()
    found = [{**row, "data": json.loads(row["data"]),
              "occurred_at": schedule.utc(row["occurred_at"])} for row in rows]
    return [row for row in found if not types or row["type"] in types]


def clocked(url: str, definition: Definition, start: dt.datetime, plan_id: str | None = None,
            shift_to: dt.date | None = None) -> Clocked:
    """Open ``url``, create a plan of ``definition`` at ``start``, and return it clocked."""
    engine = open_engine(url)
    clock = VirtualClock(start)
    wired = bootstrap(engine=engine, clock=clock)
    services = Driver(wired.services())
    created = services.create_plan(definition, STAFF, plan_id, shift_to)
    return Clocked(engine, services, clock, wired.runner("test"), created)


def seated(c: Clocked) -> list[str]:
    """Seat the nine members of the committee, each with an email; return their ids."""
    return [c.services.add_member(c.plan_id, name, group, STAFF, email=address(name))
            for group, names in MEMBERS.items() for name in names]


def address(name: str) -> str:
    """The email :func:`seated` gives a member: ``ana@comite.ec``."""
    first = name.split(maxsplit=1)[0]
    first = unicodedata.normalize("NFKD", first).encode("ascii", "ignore").decode()
    return f"{first.lower()}@comite.ec"


def addresses(*names: str) -> set[str]:
    """The emails :func:`seated` gives the members named."""
    return {address(name) for name in names}


def phase_one_done_but_the_vote(c: Clocked, members: list[str]) -> None:
    """Do phase 1's activities and cast four of the five approvals the methodology needs."""
    for activity in ("resolucion_directrices", "mapeo_organizaciones", "constitucion_comite",
                     "metodologia"):
        c.services.complete_activity(c.plan_id, activity, f"https://cuenca.gob.ec/{activity}",
                                     STAFF)
    for member in members[:4]:
        c.services.vote(c.plan_id, "aprobacion_metodologia", member, True, STAFF)
