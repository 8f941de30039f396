"""Random histories: whatever staff try, the log verifies and replays to the projections."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage.audit import digest, replay_as_of, verify
from storage.projections import proposal_row
from storage.queries import list_proposals, load_plan, reading
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


commands = st.one_of(
    st.tuples(st.just("member"), st.sampled_from(["Ana", "Ña Rosa", "Luis", " "]),
              st.sampled_from(GROUPS)),
    st.tuples(st.just("vote"), st.sampled_from(DECISIONS), st.integers(0, 12), st.booleans()),
    st.tuples(st.just("activity"), st.sampled_from(ACTIVITIES)),
    st.tuples(st.sampled_from(["open", "close"]), st.sampled_from(PHASES)),
    st.tuples(st.just("extend"), st.sampled_from(PHASES), st.integers(-3, 20)),
    st.tuples(st.just("submit"), st.sampled_from(["online", "mesa", "radio"]),
              st.sampled_from([None, 1, 2, 3, 4])),
    fires(), fires(),
)


def start(url: str, where: str) -> Scenario:
    """A fresh plan, one past phase 1, the driven scenario, or that one up to feedback."""
    if where in ("built", "feedback"):
        scn = scenario.build(url)
        if where == "feedback":
            scenario.to_feedback(scn)
        return scn
    scn = scenario.fresh(url)
    if where == "planning":
        scenario.planning(scn)
    return scn


def member(scn: Scenario, index: int) -> str:
    known = sorted(load_plan(scn.engine, PLAN).state.members)
    return known[index] if index < len(known) else "nadie"


def with_ids(fields: dict[str, str | None]) -> dict[str, str | None]:
    """Turn a merge target's number into its proposal id."""
    into = fields.get("into")
    return {**fields, "into": f"{PLAN}.p{into}"} if into else fields


def runner(scn: Scenario, command: tuple[Any, ...]) -> Callable[[], object]:
    """Turn a drawn command into a call of the services."""
    s, kind, args = scn.services, command[0], command[1:]
    staff = scenario.STAFF
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


def extended(scn: Scenario, phase: str, days: int) -> dt.date:
    """The phase's last day moved by ``days`` (not after it when ``days`` <= 0)."""
    region = load_plan(scn.engine, PLAN).state.phases.get(phase)
    ends = DEFINITION.phases[0].ends if region is None else region.ends_on
    return ends + dt.timedelta(days=days)


def apply(scn: Scenario, command: tuple[Any, ...]) -> None:
    """Run a command; if it is rejected, nothing may have been written."""
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


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(where=st.sampled_from(["fresh", "planning", "built", "feedback"]),
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
