"""Notification benchmark: ``python -m bench.notifications [--db sqlite|postgresql|both]``.

Per database (SQLite in a fresh temp folder, or a durable throwaway PostgreSQL
cluster: fsync, synchronous commit and full-page writes on), in this order:

- **the outbox's cost on the command rate.** Two plans of the shipped Cuenca 2022
  definition on one virtual clock (``tests.support.clocked``), side by side in
  the same database: ``avisos`` as shipped (its notification rules on) and
  ``sin-avisos``, the same definition with ``notifications=()`` under another
  id. Each gets a committee of nine members with emails, the real phases opened
  by the deadline runner as the clock moves (methodology and communication
  strategy voted, activities done), and ``--rounds`` × ``--answers`` proposals
  submitted online with ``email=…, consent=True`` while reception is open. After
  reception closes and retroalimentación and consolidación open, each proposal
  is taken to its answer (four in five admitir → analizar → incorporar, one in
  five no_admitir). Then, round after round, a window of ``--answers``
  ``responder`` commands (``Services.fire``, one durable transaction each) on
  each plan, the order of the two alternating per round. With rules each
  ``responder`` writes one outbox row (the proponent's ``proposal_answered``
  email) in the command's transaction: the rows written are counted per window.
  Reported: the median rate of each variant and the median of the per-round
  ratios (with ÷ without).
- **delivery over SMTP.** First the outbox the plans left (notices to staff, the
  committee and every proponent) is drained, unmeasured, to a real aiosmtpd
  server (``tests.support.mail``, in this process) by the real dispatcher
  (``notifications.dispatcher.Dispatcher`` over ``channels_from_env`` and
  ``templates.renderer``), and each proponent's answer is checked to have
  arrived. Then, ``--rounds`` times, ``--messages`` fresh rows due now are
  inserted (copies of a real ``proposal_answered`` row, one per made-up
  proponent address) and drained by calling ``run_once()`` until a pass
  delivers nothing; the clock runs from the first pass to the empty one.
  Every mail is checked to have arrived. In each round, side by side (order
  alternating), a batch as large is drained through a channel that sends
  nothing: what the outbox's own bookkeeping allows (claim the batch, render,
  mark each message delivered in its own transaction), and the SMTP rate over
  it per round.
- **delivery by webhook.** The same with ``COCREA_WEBHOOK_SECRET`` and
  ``COCREA_PUBLIC_WEBHOOK_URL``: rows to the ``public`` target, POSTed signed
  (HMAC-SHA256) to ``tests.support.receiver`` (a threading HTTP server in this
  process that checks every signature and drops duplicates); every message is
  checked to have arrived once, with a good signature (after a 100-message
  warm-up).

Delivery rates are messages per second, median of the rounds. Prints a table
and writes ``bench/results/notifications.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import logging
import os
import platform
import shutil
import statistics
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, insert, select

from bench.targets import data_root
from definitions.loader import parse_definition
from definitions.registry import resolve_definition_source
from definitions.schema import Definition
from notifications.channels import Message
from notifications.dispatcher import Dispatcher, Policy
from notifications.setup import channels_from_env
from notifications.templates import renderer
from storage import tables as t
from tests.storage.scenario import MEMBERS
from tests.support.clocked import Clocked, address, at, clocked
from tests.support.mail import smtp_server
from tests.support.postgres import postgres_cluster
from tests.support.receiver import webhook_receiver
from workflow.adapters.logs import configure_logging
from workflow.domain.clock import utc_now
from workflow.domain.events import Actor

RESULTS = Path(__file__).parent / "results"
WITH, WITHOUT = "avisos", "sin-avisos"
STAFF = Actor("tecnica-municipal", "staff")
INTAKE = Actor("cuenca-participa", "intake")
STAFF_EMAILS = "participacion@cuenca.gob.ec,gobierno.abierto@cuenca.gob.ec"
PUBLIC_URL = "https://cocrea.cuenca.gob.ec"
SECRET = "secreto-compartido-del-banco"
TITLE = "Publicar los contratos de obra en datos abiertos"
BODY = ("Propongo que el Municipio publique en formato abierto todos los contratos de obra "
        "pública, con montos, plazos, contratistas y avance.")
REFUSAL = ("No se admite porque la propuesta no corresponde a las competencias del GAD "
           "Municipal de Cuenca.")
ANSWER = ("Gracias por su propuesta: el Comité Impulsor la incorporó al plan de acción como "
          "parte del compromiso de contratación abierta, con metas y plazos publicados.")
MACHINE_NOTE = ("2 shared cores (a shared virtual machine): absolute rates move with the "
                "neighbours; ratios are taken within one round, side by side in time")


# -- databases ------------------------------------------------------------------------------


@contextlib.contextmanager
def sqlite_url() -> Iterator[str]:
    """A SQLite file in a fresh temp folder, removed at the end."""
    root = data_root()
    try:
        yield f"sqlite:///{root / 'notifications.db'}"
    finally:
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def postgres_url() -> Iterator[str]:
    """A database on a durable throwaway cluster (fsync, synchronous commit on)."""
    with postgres_cluster(durable=True) as cluster:
        yield cluster.create_database("notifications_bench")


DATABASES: dict[str, Callable[[], contextlib.AbstractContextManager[str]]] = {
    "sqlite": sqlite_url, "postgresql": postgres_url}


# -- 3. the outbox's cost on the command rate -----------------------------------------------


def definitions() -> dict[str, Definition]:
    """The shipped Cuenca definition, and a copy without notification rules (another id)."""
    label, text = resolve_definition_source("cuenca-2022")
    shipped = parse_definition(text, label)
    assert shipped.notifications, "the shipped definition has notification rules"
    bare = shipped.model_copy(update={"id": "cuenca-2022-sin-avisos", "notifications": ()})
    return {WITH: shipped, WITHOUT: bare}


@dataclass
class Plans:
    """Both plans on one engine, one virtual clock and one deadline runner."""

    c: Clocked
    members: dict[str, list[str]] = field(default_factory=dict)
    proposals: dict[str, list[str]] = field(default_factory=dict)

    def at(self, local: str) -> None:
        """Move the clock to a local moment, firing every deadline due by then."""
        self.c.advance(at(local))

    def each(self, step: Callable[..., object], *args: Any) -> None:
        """Take one step on both plans."""
        for plan in (WITH, WITHOUT):
            step(plan, *args)

    def seat(self, plan: str) -> None:
        """Nine members in three groups, each with an email."""
        self.members[plan] = [
            self.c.services.add_member(plan, name, group, STAFF, email=address(name))
            for group, names in MEMBERS.items() for name in names]

    def done(self, plan: str, *activities: str) -> None:
        for name in activities:
            self.c.services.complete_activity(plan, name, f"https://cuenca.gob.ec/{name}", STAFF)

    def approve(self, plan: str, decision: str) -> None:
        for member in self.members[plan][:5]:  # five of nine: a majority
            self.c.services.vote(plan, decision, member, True, STAFF)

    def submit(self, plan: str, count: int) -> None:
        """``count`` online proposals whose proponents consent to be told of the answer."""
        self.proposals[plan] = [
            self.c.services.submit_proposal(plan, f"{TITLE} ({n})", BODY, "online", None,
                                            INTAKE, email=f"proponente{n}@correo.ec",
                                            consent=True)
            for n in range(count)]

    def triage(self, plan: str) -> None:
        """Four in five admitted, analysed and incorporated; one in five not admitted."""
        fire = self.c.services.fire
        for n, pid in enumerate(self.proposals[plan]):
            if n % 5 == 4:
                fire(pid, "no_admitir", {"response": REFUSAL}, STAFF)
                continue
            for trigger in ("admitir", "analizar", "incorporar"):
                fire(pid, trigger, {}, STAFF)

    def phase_states(self) -> dict[tuple[str, str], str]:
        ph = t.phases.c
        with self.c.engine.connect() as conn:
            rows = conn.execute(select(ph.plan_id, ph.phase_id, ph.status)).all()
        return {(row.plan_id, row.phase_id): row.status for row in rows}


def build_plans(url: str, count: int) -> Plans:
    """Create both plans and take each to the point where ``count`` proposals await an answer."""
    defs = definitions()
    plans = Plans(clocked(url, defs[WITH], at("2022-07-08 10:00"), WITH))
    plans.c.services.create_plan(defs[WITHOUT], STAFF, WITHOUT)
    plans.at("2022-07-11 09:00")  # phase 1 opens
    plans.each(plans.seat)
    plans.each(plans.done, "resolucion_directrices", "mapeo_organizaciones",
               "constitucion_comite", "metodologia")
    plans.each(plans.approve, "aprobacion_metodologia")
    plans.at("2022-07-29 12:00")  # phase 1 closed, phase 2 open
    plans.each(plans.done, "diagnostico", "vision_local")
    plans.at("2022-09-05 16:00")  # phase 2 closed, difusión open
    plans.each(plans.approve, "aprobacion_estrategia_comunicacional")
    plans.each(plans.done, "estrategia_comunicacional")
    plans.at("2022-09-26 09:00")  # recepción de propuestas open
    plans.each(plans.submit, count)
    plans.each(plans.done, "formulario_en_linea", "mesa_1", "mesa_2", "mesa_3")
    plans.at("2022-12-05 09:00")  # recepción closed; retroalimentación, consolidación open
    plans.each(plans.triage)
    states = plans.phase_states()
    for plan in (WITH, WITHOUT):
        for phase in ("retroalimentacion", "consolidacion"):
            assert states[plan, phase] == "open", (plan, phase, states)
    return plans


def outbox_rows(engine: Engine, plan: str, topic: str | None = None) -> int:
    o = t.outbox.c
    query = select(func.count()).select_from(t.outbox).where(o.plan_id == plan)
    if topic is not None:
        query = query.where(o.topic == topic)
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def answer_window(plans: Plans, plan: str, ids: list[str]) -> tuple[float, int]:
    """Answer ``ids`` (one ``responder`` command each); return the rate and outbox rows written."""
    before = outbox_rows(plans.c.engine, plan)
    fire = plans.c.services.fire
    start = time.perf_counter()
    for pid in ids:
        assert fire(pid, "responder", {"response": ANSWER}, STAFF) == "respondida"
    rate = len(ids) / (time.perf_counter() - start)
    return rate, outbox_rows(plans.c.engine, plan) - before


def command_cost(plans: Plans, rounds: int, answers: int) -> dict[str, Any]:
    """Alternate the two variants' answering windows; rates, ratios and rows written."""
    rates: dict[str, list[float]] = {WITH: [], WITHOUT: []}
    rows: dict[str, list[int]] = {WITH: [], WITHOUT: []}
    for r in range(rounds):
        order = (WITH, WITHOUT) if r % 2 == 0 else (WITHOUT, WITH)
        for plan in order:
            ids = plans.proposals[plan][r * answers:(r + 1) * answers]
            rate, written = answer_window(plans, plan, ids)
            rates[plan].append(rate)
            rows[plan].append(written)
    assert all(n == answers for n in rows[WITH]), rows  # one email per proponent
    assert not any(rows[WITHOUT]), rows
    return {
        "answers_per_window": answers,
        "with_rules_per_s": statistics.median(rates[WITH]),
        "without_rules_per_s": statistics.median(rates[WITHOUT]),
        "with_over_without": statistics.median(
            [w / o for w, o in zip(rates[WITH], rates[WITHOUT], strict=True)]),
        "rounds_with_per_s": rates[WITH], "rounds_without_per_s": rates[WITHOUT],
        "outbox_rows_written_with": sum(rows[WITH]),
        "outbox_rows_written_without": sum(rows[WITHOUT]),
        "proposal_answered_rows_with": outbox_rows(plans.c.engine, WITH, "proposal_answered"),
    }


# -- 1 and 2. delivery --------------------------------------------------------------------


def template_row(engine: Engine) -> dict[str, Any]:
    """A real ``proposal_answered`` outbox row of the plan with rules (to copy)."""
    o = t.outbox.c
    with engine.connect() as conn:
        row = conn.execute(select(o.plan_id, o.position, o.topic, o.data)
                           .where(o.plan_id == WITH, o.topic == "proposal_answered")
                           .limit(1)).one()
    return dict(row._mapping)


def enqueue(engine: Engine, template: dict[str, Any], tag: str, channel: str,
            recipient: Callable[[int], str], count: int) -> None:
    """Insert ``count`` copies of ``template``, due now, for ``channel``."""
    now = utc_now() - dt.timedelta(seconds=1)
    with engine.begin() as conn:
        conn.execute(insert(t.outbox), [
            {**template, "message_id": f"bench:{tag}:{n}:{channel}", "channel": channel,
             "recipient": recipient(n), "created_at": now, "status": "pending", "attempts": 0,
             "next_attempt_at": now} for n in range(count)])


class NullChannel:
    """An ``email`` channel that sends nothing: what the outbox's bookkeeping alone allows."""

    name = "email"

    def send(self, message: Message) -> None:
        """Accept the message and drop it."""


def drain(dispatcher: Dispatcher) -> tuple[int, float, int]:
    """Call ``run_once`` until a pass delivers nothing; return delivered, seconds, passes."""
    delivered, passes = 0, 0
    start = time.perf_counter()
    while True:
        done = dispatcher.run_once()
        passes += 1
        assert not done.retried and not done.dead, (done.retried[:3], done.dead[:3])
        if not done.delivered:
            break
        delivered += len(done.delivered)
    return delivered, time.perf_counter() - start, passes


def smtp_delivery(engine: Engine, template: dict[str, Any], rounds: int,
                  messages: int) -> dict[str, Any]:
    """Drain the plans' own notices, then ``rounds`` fresh batches, to a real SMTP server."""
    with smtp_server() as box:
        channels = channels_from_env({**box.env(), "COCREA_STAFF_EMAILS": STAFF_EMAILS})
        dispatcher = Dispatcher(engine, channels, utc_now, Policy(),
                                renderer({"COCREA_PUBLIC_URL": PUBLIC_URL}))
        backlog, seconds, _ = drain(dispatcher)
        assert len(box.mails) == backlog
        answered = {to[0] for to, mail in box.mails
                    if mail["Subject"].endswith(f"Respuesta a su propuesta «{TITLE} (0)»")}
        assert answered == {"proponente0@correo.ec"}, answered
        proponents = sum(1 for to, mail in box.mails if to[0].startswith("proponente"))
        assert proponents == outbox_rows(engine, WITH, "proposal_answered")
        bookkeeping = Dispatcher(engine, {"email": NullChannel()}, utc_now, Policy(),
                                 renderer({"COCREA_PUBLIC_URL": PUBLIC_URL}))
        rates, null_rates, passes = [], [], []
        for r in range(rounds):
            for variant in ("null", "smtp") if r % 2 == 0 else ("smtp", "null"):
                before = len(box.mails)
                enqueue(engine, template, f"{variant}{r}", "email",
                        lambda n: f"vecino{n}@correo.ec", messages)
                if variant == "null":
                    delivered, took, _ = drain(bookkeeping)
                    assert delivered == messages and len(box.mails) == before
                    null_rates.append(messages / took)
                    continue
                delivered, took, count = drain(dispatcher)
                assert delivered == messages and len(box.mails) - before == messages
                rates.append(messages / took)
                passes.append(count)
        for channel in channels.values():
            close = getattr(channel, "close", None)
            if close is not None:
                close()
        return {"messages_per_s": statistics.median(rates), "rounds_per_s": rates,
                "outbox_only_per_s": statistics.median(null_rates),
                "rounds_outbox_only_per_s": null_rates,
                "smtp_over_outbox_only": statistics.median(
                    [s / n for s, n in zip(rates, null_rates, strict=True)]),
                "passes_per_round": passes, "mails_received": len(box.mails),
                "plan_notices_drained": backlog, "plan_notices_s": seconds,
                "proponent_answers_mailed": proponents}


def webhook_delivery(engine: Engine, template: dict[str, Any], rounds: int,
                     messages: int) -> dict[str, Any]:
    """Deliver ``rounds`` batches to a real webhook receiver that checks every signature."""
    with webhook_receiver(SECRET) as receiver:
        channels = channels_from_env({"COCREA_WEBHOOK_SECRET": SECRET,
                                      "COCREA_PUBLIC_WEBHOOK_URL": receiver.url})
        dispatcher = Dispatcher(engine, channels, utc_now, Policy(),
                                renderer({"COCREA_PUBLIC_URL": PUBLIC_URL}))
        enqueue(engine, template, "warmup", "webhook", lambda n: "public", 100)
        assert drain(dispatcher)[0] == 100
        rates, passes = [], []
        for r in range(rounds):
            before = len(receiver.received)
            enqueue(engine, template, f"hook{r}", "webhook", lambda n: "public", messages)
            delivered, took, count = drain(dispatcher)
            assert delivered == messages and len(receiver.received) - before == messages
            rates.append(messages / took)
            passes.append(count)
        assert receiver.bad_signatures == 0 and set(receiver.seen.values()) == {1}
        return {"messages_per_s": statistics.median(rates), "rounds_per_s": rates,
                "passes_per_round": passes, "received": len(receiver.received),
                "bad_signatures": receiver.bad_signatures,
                "duplicates": sum(n - 1 for n in receiver.seen.values())}


# -- the run --------------------------------------------------------------------------------


def measure(url: str, rounds: int, messages: int, answers: int) -> dict[str, Any]:
    started = time.perf_counter()
    plans = build_plans(url, rounds * answers)
    found: dict[str, Any] = {"setup_s": time.perf_counter() - started}
    found["commands"] = command_cost(plans, rounds, answers)
    engine = plans.c.engine
    template = template_row(engine)
    found["smtp"] = smtp_delivery(engine, template, rounds, messages)
    found["webhook"] = webhook_delivery(engine, template, rounds, messages)
    o = t.outbox.c
    with engine.connect() as conn:
        left = conn.execute(select(o.status, func.count()).group_by(o.status)).all()
    found["outbox_by_status"] = {status: int(n) for status, n in left}
    assert set(found["outbox_by_status"]) == {"delivered"}, found["outbox_by_status"]
    found["seconds"] = time.perf_counter() - started
    engine.dispose()
    return found


def render(results: dict[str, Any]) -> str:
    """The figures as a table, one column per database."""
    names = list(results["databases"])
    rows: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
        ("SMTP delivery, messages/s", lambda d: f"{d['smtp']['messages_per_s']:.0f}"),
        ("outbox alone (no-op channel), messages/s",
         lambda d: f"{d['smtp']['outbox_only_per_s']:.0f}"),
        ("SMTP ÷ outbox alone", lambda d: f"{d['smtp']['smtp_over_outbox_only']:.2f}"),
        ("webhook delivery, messages/s", lambda d: f"{d['webhook']['messages_per_s']:.0f}"),
        ("responder with rules, commands/s",
         lambda d: f"{d['commands']['with_rules_per_s']:.0f}"),
        ("responder without rules, commands/s",
         lambda d: f"{d['commands']['without_rules_per_s']:.0f}"),
        ("with ÷ without (median of rounds)",
         lambda d: f"{d['commands']['with_over_without']:.2f}"),
        ("outbox rows written (with / without)",
         lambda d: f"{d['commands']['outbox_rows_written_with']} / "
                   f"{d['commands']['outbox_rows_written_without']}"),
        ("mails received / webhooks received",
         lambda d: f"{d['smtp']['mails_received']} / {d['webhook']['received']}"),
        ("wall time, s", lambda d: f"{d['seconds']:.0f}"),
    ]
    width = max(len(label) for label, _ in rows)
    lines = [f"{'':{width}}" + "".join(f"  {name:>12}" for name in names)]
    for label, cell in rows:
        lines.append(f"{label:{width}}" + "".join(
            f"  {cell(results['databases'][n]):>12}" for n in names))
    return "\n".join(lines)


def _git(*args: str) -> str | None:
    try:
        found = subprocess.run(["git", *args], capture_output=True, text=True, check=True,
                               cwd=Path(__file__).resolve().parents[1])
    except (OSError, subprocess.CalledProcessError):
        return None
    return found.stdout


def _source() -> dict[str, Any]:
    """The commit, and the files the work tree measured differs in (others edit meanwhile)."""
    commit, status = _git("rev-parse", "HEAD"), _git("status", "--porcelain")
    return {"commit": commit.strip() if commit else None,
            "uncommitted": [line[3:] for line in (status or "").splitlines()]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--messages", type=int, default=2000,
                        help="messages per delivery round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--answers", type=int, default=200,
                        help="responder commands per window (per variant and round)")
    parser.add_argument("--output", type=Path, default=RESULTS / "notifications.json")
    args = parser.parse_args()
    configure_logging(logging.WARNING)
    names = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    started = time.perf_counter()
    results: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), **_source(),
        "machine": {"note": MACHINE_NOTE, "cpus": os.cpu_count() or 0,
                    "python": platform.python_version(), "platform": platform.platform()},
        "rounds": args.rounds, "messages": args.messages, "answers": args.answers,
        "databases": {}}
    for name in names:
        with DATABASES[name]() as url:
            results["databases"][name] = measure(url, args.rounds, args.messages, args.answers)
    results["seconds"] = time.perf_counter() - started
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    print(render(results))
    print(f"\nwritten to {args.output} in {results['seconds']:.0f} s")


if __name__ == "__main__":
    main()
