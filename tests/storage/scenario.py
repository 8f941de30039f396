"""A Cuenca 2022 plan on a real database, driven to a useful point with a fake clock.

``build(url)`` opens the database, creates the plan and drives it: a committee of
nine members in three groups, the methodology voted, phase 1 closed, phase 2
opened and closed, difusión opened with its communication strategy approved,
reception opened, four proposals submitted and triaged. ``observe`` (if given)
is called after every command, so a test can record what the plan looked like.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, func, select, text

from definitions.loader import parse_definition
from definitions.registry import resolve_definition_source
from definitions.schema import Definition
from storage import tables as t
from storage.database import open_engine
from storage.eventstore import GENESIS, Head, chain_hash, row_header, scan
from workflow.bootstrap import bootstrap
from workflow.domain.clock import Clock
from workflow.domain.events import Actor
from workflow.services import Services
from workflow.testing import Driver

PLAN = "cuenca-2022"
STAFF = Actor("tecnica-municipal", "staff")
INTAKE = Actor("cuenca-participa", "intake")
START = dt.datetime(2022, 7, 11, 13, 0, tzinfo=dt.UTC)
MEMBERS = {
    "sociedad_civil": ("Ana Quizhpi", "Bolívar Peña", "Carmen Sarmiento"),
    "academia_sector_privado": ("Diego Ordóñez", "Elena Vázquez", "Fausto Mora"),
    "sector_publico": ("Gloria Crespo", "Hernán Tenesaca", "Inés Cordero"),
}
RESPONSE = "Gracias: la propuesta no corresponde a las competencias municipales."
PROJECTION_TABLES = (t.plans, t.phases, t.members, t.decisions, t.votes, t.activities,
                     t.proposals, t.deadlines, t.outbox)


@dataclass
class FakeClock:
    """A clock that moves forward by ``step`` on every reading (deterministic, thread-safe)."""

    now: dt.datetime = START
    step: dt.timedelta = dt.timedelta(minutes=7)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def __call__(self) -> dt.datetime:
        with self._lock:
            self.now += self.step
            return self.now


@dataclass
class Scenario:
    """An engine, its services and the fake clock they share."""

    engine: Engine
    services: Services
    clock: FakeClock
    observe: Callable[[Scenario], None] | None = None
    members: list[str] = field(default_factory=list)

    def run(self, command: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run one service command, then let the observer look."""
        result = command(*args, **kwargs)
        if self.observe is not None:
            self.observe(self)
        return result


def cuenca_text() -> str:
    """Return the YAML text of the shipped Cuenca 2022 definition."""
    return resolve_definition_source(PLAN)[1]


def cuenca() -> Definition:
    """Return the shipped Cuenca 2022 definition, parsed."""
    label, source = resolve_definition_source(PLAN)
    return parse_definition(source, label)


def services_for(engine: Engine, clock: Clock) -> Driver:
    """Return the services over ``engine`` with the given clock, one method per command."""
    return Driver(bootstrap(engine=engine, clock=clock).services())


def fresh(url: str, observe: Callable[[Scenario], None] | None = None) -> Scenario:
    """Open (and migrate) ``url``, create the Cuenca plan, and return the scenario."""
    engine, clock = open_engine(url), FakeClock()
    scn = Scenario(engine, services_for(engine, clock), clock, observe)
    scn.run(scn.services.create_plan, cuenca(), STAFF)
    return scn


def build(url: str, observe: Callable[[Scenario], None] | None = None) -> Scenario:
    """Return a fresh scenario driven through reception and triage (see module docstring)."""
    scn = fresh(url, observe)
    planning(scn)
    vision(scn)
    outreach_and_reception(scn)
    triage(scn, submit_four(scn))
    return scn


def planning(scn: Scenario) -> None:
    """Phase 1: open it, seat the committee, do the activities, vote, close it."""
    s = scn.services
    scn.run(s.open_phase, PLAN, "planeacion_inicial", "inicio del proceso", STAFF)
    for group, names in MEMBERS.items():
        scn.members += [scn.run(s.add_member, PLAN, name, group, STAFF) for name in names]
    for activity in ("resolucion_directrices", "mapeo_organizaciones", "constitucion_comite"):
        scn.run(s.complete_activity, PLAN, activity, f"https://cuenca.gob.ec/{activity}", STAFF)
    vote_through(scn, "aprobacion_metodologia")
    scn.run(s.complete_activity, PLAN, "metodologia", "acta-001", STAFF)
    scn.run(s.close_phase, PLAN, "planeacion_inicial", "fase cumplida", STAFF)


def vote_through(scn: Scenario, decision: str) -> None:
    """One member rejects, then members approve until the majority passes."""
    scn.run(scn.services.vote, PLAN, decision, scn.members[0], False, STAFF)
    for member in scn.members[1:6]:
        scn.run(scn.services.vote, PLAN, decision, member, True, STAFF)


def vision(scn: Scenario) -> None:
    """Phase 2: open, two activities, close."""
    s = scn.services
    scn.run(s.open_phase, PLAN, "vision_estrategica", "fase 1 cerrada", STAFF)
    for activity in ("diagnostico", "vision_local"):
        scn.run(s.complete_activity, PLAN, activity, f"doc-{activity}", STAFF)
    scn.run(s.close_phase, PLAN, "vision_estrategica", "visión publicada", STAFF)


def outreach_and_reception(scn: Scenario) -> None:
    """Open difusión, approve the communication strategy, open reception."""
    s = scn.services
    scn.run(s.open_phase, PLAN, "difusion", "inicia la difusión", STAFF)
    vote_through(scn, "aprobacion_estrategia_comunicacional")
    scn.run(s.complete_activity, PLAN, "estrategia_comunicacional", "estrategia-v1", STAFF)
    scn.run(s.open_phase, PLAN, "recepcion_propuestas", "se reciben propuestas", STAFF)


def submit_four(scn: Scenario) -> list[str]:
    """Submit one proposal online and one at each of the three mesas."""
    channels = [("online", None), ("mesa", 1), ("mesa", 2), ("mesa", 3)]
    return [scn.run(scn.services.submit_proposal, PLAN, f"Propuesta {n}",
                    f"Texto de la propuesta {n}", channel, mesa, INTAKE)
            for n, (channel, mesa) in enumerate(channels, start=1)]


def triage(scn: Scenario, ids: list[str]) -> None:
    """Admit one, refuse one with a reason, analyse two and merge the last into the third."""
    fire = scn.services.fire
    scn.run(fire, ids[0], "admitir", {}, STAFF)
    scn.run(fire, ids[1], "no_admitir", {"response": RESPONSE}, STAFF)
    for pid in ids[2:]:
        scn.run(fire, pid, "admitir", {}, STAFF)
        scn.run(fire, pid, "analizar", {}, STAFF)
    scn.run(fire, ids[3], "fusionar", {"into": ids[2]}, STAFF)


def to_feedback(scn: Scenario) -> None:
    """Install the mesas, close reception, open retroalimentación and consolidación."""
    s = scn.services
    for activity in ("formulario_en_linea", "mesa_1", "mesa_2", "mesa_3"):
        scn.run(s.complete_activity, PLAN, activity, f"acta-{activity}", STAFF)
    scn.run(s.close_phase, PLAN, "recepcion_propuestas", "plazo cumplido", STAFF)
    for phase in ("retroalimentacion", "consolidacion"):
        scn.run(s.open_phase, PLAN, phase, "recepción cerrada", STAFF)


# -- reading the database as it is --------------------------------------------------------


def event_count(engine: Engine) -> int:
    """Return how many rows the ``events`` table holds."""
    with engine.connect().execution_options(readonly=True) as conn:
        return int(conn.execute(select(func.count()).select_from(t.events)).scalar_one())


def projections(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Return every projection table's rows, sorted, for before/after comparisons."""
    with engine.connect().execution_options(readonly=True) as conn:
        return {table.name: sorted((dict(r) for r in conn.execute(select(table)).mappings()),
                                   key=repr) for table in PROJECTION_TABLES}


def restore_projections(engine: Engine, saved: dict[str, list[dict[str, Any]]]) -> None:
    """Put back projection rows saved by :func:`projections` (as a careful forger would)."""
    with engine.begin() as conn:
        for table in reversed(PROJECTION_TABLES):
            conn.execute(table.delete())
        for table in PROJECTION_TABLES:
            if saved[table.name]:
                conn.execute(table.insert(), saved[table.name])


def truncate_to(engine: Engine, head: Head) -> None:
    """Delete every event after ``head`` and move ``log_head`` back to it (chain intact)."""
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM events WHERE position > :p"), {"p": head.position})
        conn.execute(text("UPDATE log_head SET position = :p, hash = :h WHERE id = 1"),
                     {"p": head.position, "h": head.hash})


def rechain(engine: Engine) -> None:
    """Recompute every hash and the head after an edit, as a forger with write access would."""
    with engine.connect().execution_options(readonly=True) as conn:
        rows = list(scan(conn))
    previous = GENESIS
    with engine.begin() as conn:
        for row in rows:
            previous = chain_hash(previous, row_header(row._mapping), row.data)
            conn.execute(text("UPDATE events SET hash = :h WHERE position = :p"),
                         {"h": previous, "p": row.position})
        conn.execute(text("UPDATE log_head SET position = :p, hash = :h"),
                     {"p": rows[-1].position, "h": previous})


# -- the command line, in other processes --------------------------------------------------

COCREA = [sys.executable, "-m", "workflow"]
"""``cocrea`` as this interpreter runs it (the installed script may belong to another venv)."""


@dataclass(frozen=True)
class Ran:
    """How a ``cocrea`` command ended: exit code and what it printed."""

    code: int
    out: str
    err: str


def cocrea(*calls: list[str]) -> list[Ran]:
    """Run ``cocrea`` once per argument list, all at the same time; wait for every one."""
    running = [subprocess.Popen([*COCREA, *args], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for args in calls]
    outputs = [process.communicate(timeout=120) for process in running]
    return [Ran(p.returncode, out, err) for p, (out, err) in zip(running, outputs, strict=True)]
