"""The peer: the same commands written with the ``eventsourcing`` library.

An ``Aggregate`` per proposal and one per plan (the phases that are open), an
``Application`` on the library's SQLite or PostgreSQL persistence module
(configured by environment, ``PERSISTENCE_MODULE`` etc.), one ``save`` per
command. Each command loads the proposal and its plan (``repository.get``,
replaying their few events), checks the trigger's source state, the actor's
role, the required phase and the response length, and saves one event. The
peer has no hash chain, no global log head, no projections and no numbering:
it does less than cocrea, on purpose the simplest honest version.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator, Mapping

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from bench.cuenca import ANSWER_PLAN, HOT_PLAN
from bench.lifecycles import ANSWER, HOT, REJECTION, RESPONSE, submission

NS = uuid.UUID("6c1f7f0e-6a36-4d39-9e0f-2a4f3f3c2b10")
RULES: Mapping[str, tuple[tuple[str, ...], str, str | None, bool]] = {
    # trigger: (sources, destination, phase that must be open, needs a response)
    "admitir": (("recibida",), "admitida", None, False),
    "no_admitir": (("recibida",), "no_admitida", None, True),
    "analizar": (("admitida",), "en_analisis", None, False),
    "incorporar": (("en_analisis",), "incorporada", "consolidacion", False),
    "fusionar": (("en_analisis",), "fusionada", None, False),
    "descartar": (("en_analisis",), "descartada", None, False),
    "responder": (("no_admitida", "incorporada", "fusionada", "descartada"), "respondida",
                  "retroalimentacion", True),
}
RECEPTION_OPEN = ("difusion", "recepcion_propuestas")
FEEDBACK_OPEN = ("difusion", "retroalimentacion", "consolidacion")


def plan_uuid(plan_id: str) -> uuid.UUID:
    return uuid.uuid5(NS, plan_id)


def proposal_uuid(plan_id: str, number: int) -> uuid.UUID:
    return uuid.uuid5(NS, f"{plan_id}.p{number}")


class PeerPlan(Aggregate):
    """A plan: which phases are open."""

    @staticmethod
    def create_id(plan_id: str) -> uuid.UUID:
        return plan_uuid(plan_id)

    @event("Created")
    def __init__(self, plan_id: str, open_phases: list[str]) -> None:
        self.plan_id = plan_id
        self.open_phases = list(open_phases)

    @event("PhasesChanged")
    def set_open(self, open_phases: list[str]) -> None:
        self.open_phases = list(open_phases)


class PeerProposal(Aggregate):
    """A citizen proposal moving through the lifecycle."""

    @staticmethod
    def create_id(plan_id: str, number: int) -> uuid.UUID:
        return proposal_uuid(plan_id, number)

    @event("Submitted")
    def __init__(self, plan_id: str, number: int, title: str, body: str, channel: str,
                 mesa: int | None) -> None:
        self.plan_id, self.number, self.title, self.body = plan_id, number, title, body
        self.channel, self.mesa = channel, mesa
        self.state, self.response, self.merged_into = "recibida", None, None

    @event("Transitioned")
    def transition(self, trigger: str, source: str, dest: str, actor: str,
                   response: str | None, into: str | None) -> None:
        self.state = dest
        self.response = response or self.response
        self.merged_into = into or self.merged_into


class CommandError(Exception):
    """A command the peer refuses."""


def check(proposal: PeerProposal, plan: PeerPlan, trigger: str, role: str,
          response: str | None) -> str:
    """Return the destination of ``trigger``, or raise CommandError."""
    sources, dest, phase, needs_response = RULES[trigger]
    if proposal.state not in sources or role not in ("staff", "admin"):
        raise CommandError(f"{trigger} not allowed from {proposal.state}")
    if phase is not None and phase not in plan.open_phases:
        raise CommandError(f"{phase} is not open")
    if needs_response and len((response or "").strip()) < 20:
        raise CommandError("response too short")
    return dest


class PeerApp(Application[uuid.UUID]):
    """The peer application: one save per command."""

    def submit(self, plan_id: str, number: int, title: str, body: str, channel: str,
               mesa: int | None) -> uuid.UUID:
        plan = self.repository.get(plan_uuid(plan_id))
        if "recepcion_propuestas" not in plan.open_phases:
            raise CommandError("reception is closed")
        proposal = PeerProposal(plan_id, number, title, body, channel, mesa)
        self.save(proposal)
        return proposal.id

    def fire(self, proposal_id: uuid.UUID, trigger: str, role: str = "staff",
             response: str | None = None, into: str | None = None) -> str:
        proposal: PeerProposal = self.repository.get(proposal_id)
        plan: PeerPlan = self.repository.get(plan_uuid(proposal.plan_id))
        dest = check(proposal, plan, trigger, role, response)
        proposal.transition(trigger, proposal.state, dest, "tecnica", response, into)
        self.save(proposal)
        return proposal.state


def sqlite_settings(app: PeerApp) -> dict[str, str] | None:
    """The peer's SQLite journal mode and synchronous level, as its own connection sees them."""
    if "sqlite" not in type(app.recorder).__module__:
        return None
    found = {}
    with app.recorder.datastore.transaction(commit=False) as cursor:  # type: ignore[attr-defined]
        for pragma in ("journal_mode", "synchronous"):
            cursor.execute(f"PRAGMA {pragma}")
            found[pragma] = str(cursor.fetchone()[0])
    return found


def prefill(app: PeerApp, hot: int, answer: int, batch: int = 500) -> None:
    """Fill the peer's store like cocrea's log: the same proposals and triggers, in batches.

    Each batch is one ``save`` of many aggregates (one transaction), the library's own path;
    batches of a few thousand hang in psycopg's pipeline on PostgreSQL, so they stay small.
    """
    app.save(PeerPlan(HOT_PLAN, list(RECEPTION_OPEN)))
    answering = PeerPlan(ANSWER_PLAN, list(FEEDBACK_OPEN))
    app.save(answering)
    for first in range(1, hot + 1, batch):
        last = min(hot, first + batch - 1)
        app.save(*(_built(HOT_PLAN, n, HOT[(n - 1) % len(HOT)]) for n in range(first, last + 1)))
    for first in range(1, answer + 1, batch):
        last = min(answer, first + batch - 1)
        app.save(*(_built(ANSWER_PLAN, n, sum(ANSWER[(n - 1) % len(ANSWER)], ()))
                   for n in range(first, last + 1)))


def _built(plan_id: str, number: int, triggers: tuple[str, ...]) -> PeerProposal:
    title, body, channel, mesa = submission(number)
    proposal = PeerProposal(plan_id, number, title, body, channel, mesa)
    for trigger in triggers:
        response = RESPONSE if trigger == "responder" else REJECTION
        into = str(proposal_uuid(plan_id, number - 1)) if trigger == "fusionar" else None
        proposal.transition(trigger, proposal.state, RULES[trigger][1], "tecnica",
                            response if RULES[trigger][3] else None, into)
    return proposal


def pools(hot: int, answer: int) -> dict[str, list[uuid.UUID]]:
    """Return the peer's proposals by the state the mix needs (like cocrea's pools)."""
    found: dict[str, list[uuid.UUID]] = {"recibida": [], "admitida": [], "en_analisis": [],
                                          "waiting": []}
    ends = {(): "recibida", ("admitir",): "admitida", ("admitir", "analizar"): "en_analisis"}
    for n in range(1, hot + 1):
        state = ends.get(HOT[(n - 1) % len(HOT)])
        if state:
            found[state].append(proposal_uuid(HOT_PLAN, n))
    for n in range(1, answer + 1):
        _pre, post = ANSWER[(n - 1) % len(ANSWER)]
        if not post or post == ("incorporar",):
            found["waiting"].append(proposal_uuid(ANSWER_PLAN, n))
    for ids in found.values():
        random.Random(7).shuffle(ids)
    return found


class PeerMix:
    """Runs windows of the same hot-path mix on the peer."""

    def __init__(self, app: PeerApp, hot: int, answer: int) -> None:
        self.app = app
        self.pools = pools(hot, answer)
        self._numbers: Iterator[int] = iter(range(hot + 1, 1 << 62))

    def window(self, cycles: int) -> int:
        """Run ``cycles`` mix cycles (six saves each); return the command count."""
        app, p = self.app, self.pools
        for _ in range(cycles):
            number = next(self._numbers)
            title, body, channel, mesa = submission(number)
            app.submit(HOT_PLAN, number, title, body, channel, mesa)
            app.fire(p["recibida"].pop(), "admitir")
            app.fire(p["admitida"].pop(), "analizar")
            app.fire(p["en_analisis"].pop(), "descartar")
            app.fire(p["recibida"].pop(), "no_admitir", response=REJECTION)
            app.fire(p["waiting"].pop(), "responder", response=RESPONSE)
        return cycles * 6
