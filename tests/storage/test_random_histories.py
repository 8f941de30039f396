"""Random histories: whatever staff try, the log verifies and replays to the projections."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from storage import tables as t
from storage.audit import digest, replay_as_of, verify
from storage.commitments import commitment_row, restore_commitment
from storage.eventstore import utc
from storage.projections import proposal_row
from storage.queries import list_proposals, load_plan, reading
from storage.schedule import due_deadlines
from storage.uow import read_proposal
from tests.storage import scenario
from tests.storage.scenario import PLAN, RESPONSE, Scenario
from workflow.domain.errors import StorageError, WorkflowError
from workflow.domain.events import Actor
from workflow.reads import show_plan
from workflow.views.plan import plan_view

DEFINITION = scenario.cuenca()
PHASES = [p.id for p in DEFINITION.phases] + ["fantasma"]
ACTIVITIES = [a.id for p in DEFINITION.phases for a in p.activities] + ["nada"]
DECISIONS = [d.id for d in DEFINITION.committee.decisions] + ["inexistente"]
GROUPS = [g.id for g in DEFINITION.committee.groups] + ["nadie"]
TRIGGERS = [t.trigger for t in DEFINITION.proposals.transitions] + ["saltar"]
FIELDS = {t.trigger: {f.name: RESPONSE for f in t.fields}
          for t in DEFINITION.proposals.transitions}
ACTORS = [scenario.STAFF, Actor("jefa", "admin"), Actor("vecina", "citizen")]
LIFECYCLE = DEFINITION.commitments
assert LIFECYCLE is not None
COMMITMENT_TRIGGERS = [t.trigger for t in LIFECYCLE.transitions] + ["saltar"]
AGENCY = "Dirección Municipal de Comunicación"
IMPLEMENTERS = [Actor("Paula Ávila", "implementer", agency=AGENCY),
                Actor("Luis Pesántez", "implementer", agency="EMOV EP")]
EVALUATOR = Actor("Grupo FARO", "evaluator")
MILESTONES = [
    {"description": "Formulario en línea publicado", "output": "Formulario en el portal",
     "starts": "2023-02-01", "due": "2023-06-30", "responsible": "Comunicación"},
    {"description": "Buscador de solicitudes", "output": "Buscador público",
     "starts": "2023-07-01", "due": "2024-03-31", "responsible": "Informática"}]


@st.composite
def fires(draw: st.DrawFn) -> tuple[Any, ...]:
    """A trigger on a proposal: mostly with the fields it declares, sometimes with wrong ones."""
    trigger = draw(st.sampled_from(TRIGGERS))
    fields = FIELDS.get(trigger, {})
    if draw(st.integers(0, 3)) == 0:
        fields = {"response": draw(st.sampled_from([None, "corto", RESPONSE])),
                  "into": draw(st.sampled_from([None, "1", "2", "9"]))}
    elif "into" in fields:
        fields = {"into": str(draw(st.integers(1, 6)))}
    actor = draw(st.sampled_from(ACTORS)) if draw(st.integers(0, 3)) == 0 else ACTORS[0]
    return "fire", draw(st.integers(1, 5)), trigger, fields, actor


def content(proposals: list[int], late: bool) -> dict[str, Any]:
    """Cuenca's template linking ``proposals`` (``late``: a milestone past its end)."""
    milestones = [dict(m) for m in MILESTONES]
    if late:
        milestones[1]["due"] = "2024-12-31"
    return {"title": "Cuenca Transparente", "problem": "La información tarda semanas.",
            "description": "Solicitudes de información en línea.",
            "contribution": "Deja rastro público de cada pedido.",
            "ogp_values": ["transparency"], "lead_agency": AGENCY,
            "starts": "2023-02-01", "ends": "2024-06-30", "milestones": milestones,
            "proposals": [str(n) for n in proposals]}


@st.composite
def commitment_fires(draw: st.DrawFn) -> tuple[Any, ...]:
    """A commitment trigger, by staff mostly, sometimes by an implementer, with a reason or not."""
    fields = draw(st.sampled_from([{}, {"response": "Se acabó el presupuesto del año."},
                                   {"response": "corto"}]))
    actor = draw(st.sampled_from([scenario.STAFF, scenario.STAFF, *IMPLEMENTERS, ACTORS[2]]))
    return ("cfire", draw(st.integers(1, 2)), draw(st.sampled_from(COMMITMENT_TRIGGERS)),
            fields, actor)


commitment_commands = st.one_of(
    st.tuples(st.just("draft"), st.lists(st.integers(1, 5), max_size=3), st.booleans()),
    st.tuples(st.just("revise"), st.integers(1, 2),
              st.sampled_from([{"budget": "USD 40.000"}, {"title": "Cuenca Abierta"},
                               {"milestones": [MILESTONES[0]]},
                               {"budget": "USD 60.000", "reason": "Se suma otra entidad"}])),
    st.tuples(st.just("link"), st.integers(1, 2), st.integers(1, 5)),
    st.tuples(st.just("unlink"), st.integers(1, 2), st.integers(1, 5),
              st.sampled_from(["Responde mejor a otro compromiso", " "])),
    commitment_fires(), commitment_fires(),
    st.tuples(st.just("pass"), st.sampled_from(["aprobacion_compromisos",
                                                "modificacion_compromisos"])),
    st.tuples(st.just("report"), st.integers(1, 2), st.sampled_from(["m1", "m2", "m9"]),
              st.booleans(), st.sampled_from([*IMPLEMENTERS, scenario.STAFF])),
    st.tuples(st.just("assess"), st.integers(1, 2), st.sampled_from(["limited", "complete"]),
              st.sampled_from(["marginal", "major"]), st.sampled_from([None, "Corrige"]),
              st.sampled_from([EVALUATOR, scenario.STAFF])),
    st.tuples(st.just("later"), st.sampled_from([dt.date(2023, 6, 25), dt.date(2023, 7, 2),
                                                dt.date(2024, 4, 2), dt.date(2024, 7, 1)])),
)
"""What staff, implementing agencies and the evaluator do to commitments, and time passing."""


commands = st.one_of(
    st.tuples(st.just("member"), st.sampled_from(["Ana", "Ña Rosa", "Luis", " "]),
              st.sampled_from(GROUPS)),
    st.tuples(st.just("vote"), st.sampled_from(DECISIONS), st.integers(0, 12), st.booleans()),
    st.tuples(st.just("activity"), st.sampled_from(ACTIVITIES)),
    st.tuples(st.sampled_from(["open", "close"]), st.sampled_from(PHASES)),
    st.tuples(st.just("extend"), st.sampled_from(PHASES), st.integers(-3, 20)),
    st.tuples(st.just("submit"), st.sampled_from(["online", "mesa", "radio"]),
              st.sampled_from([None, 1, 2, 3, 4])),
    fires(), fires(), commitment_commands,
)


def start(url: str, where: str) -> Scenario:
    """A fresh plan, one past phase 1, the driven scenario, that one up to feedback, or
    further: a commitment drafted there, approved by the committee and being implemented."""
    if where in ("built", "feedback", "implementing"):
        scn = scenario.build(url)
        if where != "built":
            scenario.to_feedback(scn)
        if where == "implementing":
            implementing(scn)
        return scn
    scn = scenario.fresh(url)
    if where == "planning":
        scenario.planning(scn)
    return scn


def implementing(scn: Scenario) -> None:
    """Draft commitment 1 from proposals 1 and 3, present it, approve it, start it."""
    s, staff = scn.services, scenario.STAFF
    key = s.draft_commitment(PLAN, content([1, 3], late=False), staff)
    s.fire_commitment(key, "presentar", {}, staff)
    for member_id in scn.members:
        if not load_plan(scn.engine, PLAN).state.decisions["aprobacion_compromisos"].approved:
            s.vote(PLAN, "aprobacion_compromisos", member_id, True, staff)
    for trigger in ("aprobar", "iniciar"):
        s.fire_commitment(key, trigger, {}, staff)


def member(scn: Scenario, index: int) -> str:
    known = sorted(load_plan(scn.engine, PLAN).state.members)
    return known[index] if index < len(known) else "nadie"


def with_ids(fields: dict[str, str | None]) -> dict[str, str | None]:
    """Turn a merge target's number into its proposal id."""
    into = fields.get("into")
    return {**fields, "into": f"{PLAN}.p{into}"} if into else fields


def later(scn: Scenario, day: dt.date) -> None:
    """Let time run to noon UTC of ``day`` (if still ahead), firing every deadline due by then:
    milestones' reminders, milestones going overdue, phases' deadlines."""
    scn.clock.now = max(scn.clock.now, dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC))
    for due in due_deadlines(scn.engine, scn.clock.now):
        scn.services.fire_deadline(due, "azar")


def commitment_runner(scn: Scenario, command: tuple[Any, ...]) -> Callable[[], object]:
    """Turn a drawn commitment command into a call of the services."""
    s, kind, args = scn.services, command[0], command[1:]
    staff, key = scenario.STAFF, f"{PLAN}.c{args[0]}" if args and isinstance(args[0], int) else ""
    calls: dict[str, Callable[[], object]] = {
        "draft": lambda: s.draft_commitment(PLAN, content(args[0], args[1]), staff),
        "revise": lambda: s.revise_commitment(key, args[1], staff),
        "link": lambda: s.link(key, str(args[1]), staff),
        "unlink": lambda: s.unlink(key, str(args[1]), args[2], staff),
        "cfire": lambda: s.fire_commitment(key, args[1], args[2], args[3]),
        "report": lambda: s.report(key, args[1], "Avance", ["https://evidencia"], args[2],
                                   args[3]),
        "assess": lambda: s.assess(key, args[1], args[2], "Evaluación", ["https://irm"],
                                   args[4], args[3]),
    }
    return calls[kind]


def runner(scn: Scenario, command: tuple[Any, ...]) -> Callable[[], object]:
    """Turn a drawn command into a call of the services."""
    s, kind, args = scn.services, command[0], command[1:]
    staff = scenario.STAFF
    if kind not in PLAN_COMMANDS:
        return commitment_runner(scn, command)
    calls: dict[str, Callable[[], object]] = {
        "member": lambda: s.add_member(PLAN, args[0], args[1], staff),
        "vote": lambda: s.vote(PLAN, args[0], member(scn, args[1]), args[2], staff),
        "activity": lambda: s.complete_activity(PLAN, args[0], "https://evidencia", staff),
        "open": lambda: s.open_phase(PLAN, args[0], "al azar", staff),
        "close": lambda: s.close_phase(PLAN, args[0], "al azar", staff),
        "extend": lambda: s.extend_phase(PLAN, args[0], extended(scn, args[0], args[1]),
                                         "prórroga", staff),
        "submit": lambda: s.submit_proposal(PLAN, "Título", "Texto", args[0], args[1],
                                            scenario.INTAKE),
        "fire": lambda: s.fire(f"{PLAN}.p{args[0]}", args[1], with_ids(args[2]), args[3]),
    }
    return calls[kind]


PLAN_COMMANDS = frozenset({"member", "vote", "activity", "open", "close", "extend", "submit",
                           "fire"})


def extended(scn: Scenario, phase: str, days: int) -> dt.date:
    """The phase's last day moved by ``days`` (not after it when ``days`` <= 0)."""
    region = load_plan(scn.engine, PLAN).state.phases.get(phase)
    ends = DEFINITION.phases[0].ends if region is None else region.ends_on
    return ends + dt.timedelta(days=days)


def apply(scn: Scenario, command: tuple[Any, ...]) -> None:
    """Run a command; if it is rejected, nothing may have been written.

    ``pass`` is every member voting for a decision, each vote a command of its own;
    ``later`` moves the clock and fires what fell due.
    """
    if command[0] == "pass":
        for index in range(len(load_plan(scn.engine, PLAN).state.members)):
            apply(scn, ("vote", command[1], index, True))
        return
    if command[0] == "later":
        later(scn, command[1])
        return
    before = (scenario.event_count(scn.engine), digest(scn.engine))
    try:
        runner(scn, command)()
    except StorageError:
        raise
    except WorkflowError:
        assert (scenario.event_count(scn.engine), digest(scn.engine)) == before, command


def by_id(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Listing order is covered by test_replay; here only the content is compared."""
    return sorted(rows, key=lambda row: row["id"])


def assert_replay_equals_projections(scn: Scenario) -> None:
    replayed = replay_as_of(scn.engine, PLAN)
    plan = replayed.plans[PLAN]
    assert plan.state == load_plan(scn.engine, PLAN).state
    view = plan_view(plan, replayed.counts(PLAN))
    shown = show_plan(scn.engine, PLAN)
    for key in ("committee", "activities"):
        view[key], shown[key] = by_id(view[key]), by_id(shown[key])
    assert view == shown
    _, rows = list_proposals(scn.engine, PLAN)
    assert sorted(replayed.proposals) == sorted(row["proposal_id"] for row in rows)
    with reading(scn.engine) as conn:
        for proposal_id, proposal in replayed.proposals.items():
            stored = read_proposal(conn, proposal_id)
            assert stored is not None
            assert proposal_row(stored) == proposal_row(proposal)
        found = conn.execute(select(t.commitments)).mappings().all()
        stored_commitments = {row["commitment_id"]: commitment_row(
            restore_commitment(dict(row), utc)) for row in found}
    assert stored_commitments == {key: commitment_row(state)
                                  for key, state in replayed.commitments.items()}
    for state in replayed.commitments.values():
        event(f"a commitment ends {state.state}")
        if any(m.overdue_at for m in state.milestones.values()):
            event("a milestone went overdue")
        if any(m.done_at for m in state.milestones.values()):
            event("a milestone was reported done")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(where=st.sampled_from(["fresh", "planning", "built", "feedback", "implementing",
                              "implementing"]),
       history=st.lists(commands, max_size=30))
def test_any_history_verifies_and_replays_to_the_projected_state(
        where: str, history: list[tuple[Any, ...]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        scn = start(f"sqlite:///{Path(folder) / 'cocrea.db'}", where)
        try:
            for command in history:
                apply(scn, command)
            report = verify(scn.engine)
            assert report.ok, report.finding
            assert_replay_equals_projections(scn)
        finally:
            scn.engine.dispose()
