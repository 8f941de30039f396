"""Build a big log quickly, with the engine's own code, in large transactions.

The batches go through the engine's own unit of work (``SqlUnitOfWork``: head
lock, ``append`` with its hash chain, the projection writers) and the domain
aggregates (``Proposal.submit`` / ``Proposal.fire``, machines and guards
included), exactly as ``Services`` drives them, except that one transaction
carries a wave of a whole batch of proposals instead of one command: first
every submission of the batch, then every first trigger, every second
trigger... so streams interleave in the log as they do live. Only the commit
frequency differs from real commands, and ``verify`` must pass on the result
(every run checks that it does). On PostgreSQL the unit of work runs in
psycopg's pipeline mode, as every command's does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Engine

from bench.cuenca import INTAKE, STAFF
from bench.lifecycles import ANSWER, HOT, Triggers, fields_for, submission
from storage.uow import SqlUnitOfWork
from workflow.domain.clock import utc_now
from workflow.domain.plan import Plan
from workflow.domain.proposal import Proposal, proposal_id
from workflow.services import commit


@dataclass
class Planned:
    """A proposal in a batch and the triggers still to fire on it."""

    proposal: Proposal
    triggers: Triggers


def submit_batch(engine: Engine, plan_id: str, triggers: Sequence[Triggers]) -> int:
    """Submit one proposal per entry of ``triggers`` in one transaction, then fire them."""
    with SqlUnitOfWork(engine) as uow:
        plan, batch = uow.plan(plan_id), []
        for wanted in triggers:
            title, body, channel, mesa = submission(plan.state.proposal_count + 1)
            proposal = Proposal.submit(plan, title, body, channel, mesa, INTAKE, utc_now(),
                                       uow.census)
            uow.add(proposal)
            batch.append(Planned(proposal, wanted))
        events = len(commit(uow, utc_now()))
    return events + fire_waves(engine, plan_id, batch)


def advance_batch(engine: Engine, plan_id: str, first: int, last: int) -> int:
    """Fire the answering plan's ``post`` triggers on its proposals ``first..last``."""
    with SqlUnitOfWork(engine) as uow:
        batch = [Planned(uow.proposal(proposal_id(plan_id, n)), ANSWER[(n - 1) % len(ANSWER)][1])
                 for n in range(first, last + 1)]
    return fire_waves(engine, plan_id, [p for p in batch if p.triggers])


def fire_waves(engine: Engine, plan_id: str, batch: Sequence[Planned]) -> int:
    """Fire each proposal's triggers wave by wave, one transaction a wave; count the events."""
    events = 0
    for step in range(max((len(p.triggers) for p in batch), default=0)):
        with SqlUnitOfWork(engine) as uow:
            plan = uow.plan_context(plan_id)
            for i, item in enumerate(batch):
                if step < len(item.triggers):
                    _fire(uow, plan, item, item.triggers[step], batch[i - 1])
            events += len(commit(uow, utc_now()))
    return events


def _fire(uow: SqlUnitOfWork, plan: Plan, item: Planned, trigger: str, other: Planned) -> None:
    target = other.proposal.state if trigger == "fusionar" else None
    fields = fields_for(trigger, target.proposal_id if target else None)
    item.proposal.fire(trigger, fields, plan.state, STAFF, utc_now(), uow.census,
                       {"into": target} if target else None)
    uow.add(item.proposal)


def hot_triggers(first: int, count: int) -> list[Triggers]:
    """Return the hot-plan pattern entries of bulk proposals ``first .. first + count - 1``."""
    return [HOT[(n - 1) % len(HOT)] for n in range(first, first + count)]


def answer_triggers(first: int, count: int) -> list[Triggers]:
    """Return the answering-plan ``pre`` triggers of proposals ``first ..``."""
    return [ANSWER[(n - 1) % len(ANSWER)][0] for n in range(first, first + count)]
