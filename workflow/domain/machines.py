"""State machines built from a definition: one per definition and kind.

Each machine is a flat ``transitions.Machine`` with no models attached (the
library FAQ's "static machine" pattern): it fires its events on plain state
objects handed to it, so one machine serves every phase, proposal or commitment
of every plan that pins the same definition. ``auto_transitions`` is off, so only the
triggers the definition declares exist; conditions are the compiled guards.

Phases: each phase of a plan is its own region (a :class:`PhaseRegion`) driven
by the phase machine, so any number of phases may be open at once::

    scheduled --open--> open --close--> closed
    scheduled --hold--> waiting --open--> open       (opening conditions unmet on day one)
                        open --mark_overdue--> overdue --close--> closed
    extend: scheduled -> scheduled, waiting -> waiting, open -> open, overdue -> open
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from transitions import EventData, Machine

from definitions.schema import CommitmentLifecycle, Definition, ProposalLifecycle
from workflow.domain.guards import Guard, GuardContext, unmet

PHASE_STATES = ("scheduled", "waiting", "open", "overdue", "closed")
GuardsOf = Callable[[Any], tuple[Guard, ...]]


class FlatMachine:
    """A model-less ``transitions`` machine and what cocrea asks of it."""

    def __init__(self, machine: Machine) -> None:
        self._machine = machine
        self._events: Mapping[str, Any] = machine.events
        self._table = {(source, name): str(moves[0].dest)
                       for name, event in machine.events.items()
                       for source, moves in event.transitions.items()}

    def declared(self) -> list[str]:
        """Return every declared trigger."""
        return list(self._events)

    def allowed(self, state: str) -> list[str]:
        """Return the triggers declared from ``state``."""
        return [name for name, event in self._events.items() if state in event.transitions]

    def destination(self, state: str, trigger: str) -> str | None:
        """Return where ``trigger`` leads from ``state``, or None if it is not allowed there.

        This is the machine's own transition table, read once when it was built;
        replay steps recorded transitions through it without the per-call cost
        of the library's dispatch.
        """
        return self._table.get((state, trigger))

    def fire(self, model: object, trigger: str, ctx: GuardContext) -> bool:
        """Fire ``trigger`` on ``model``; False when a guard blocks it (nothing changes)."""
        return bool(self._events[trigger].trigger(model, ctx=ctx))


def passes(guards_of: GuardsOf) -> Callable[[EventData], bool]:
    """Return a transitions condition: every guard that ``guards_of(model)`` names holds."""

    def condition(event: EventData) -> bool:
        return not unmet(guards_of(event.model), event.kwargs["ctx"])

    return condition


def build_phase_machine(open_guards: GuardsOf, close_guards: GuardsOf,
                        extend_guards: GuardsOf) -> FlatMachine:
    """Build the machine shared by every phase region of plans pinning one definition."""
    extend = [passes(extend_guards)]
    transitions: list[dict[str, Any]] = [
        {"trigger": "open", "source": ["scheduled", "waiting"], "dest": "open",
         "conditions": [passes(open_guards)]},
        {"trigger": "hold", "source": "scheduled", "dest": "waiting"},
        {"trigger": "close", "source": ["open", "overdue"], "dest": "closed",
         "conditions": [passes(close_guards)]},
        {"trigger": "mark_overdue", "source": "open", "dest": "overdue"},
        {"trigger": "extend", "source": "scheduled", "dest": "scheduled", "conditions": extend},
        {"trigger": "extend", "source": "waiting", "dest": "waiting", "conditions": extend},
        {"trigger": "extend", "source": ["open", "overdue"], "dest": "open",
         "conditions": extend},
    ]
    return FlatMachine(_machine(list(PHASE_STATES), "scheduled", transitions, "phases"))


def build_proposal_machine(definition: Definition, guards: Mapping[str, tuple[Guard, ...]]) -> (
    FlatMachine
):
    """Build the machine shared by every proposal of plans pinning ``definition``."""
    return _lifecycle_machine(definition.proposals, guards, f"{definition.id}:proposals")


def build_commitment_machine(definition: Definition, lifecycle: CommitmentLifecycle,
                             guards: Mapping[str, tuple[Guard, ...]]) -> FlatMachine:
    """Build the machine shared by every commitment of plans pinning ``definition``.

    Only the declared triggers: the evaluator's assessment is not one of them.
    """
    return _lifecycle_machine(lifecycle, guards, f"{definition.id}:commitments")


def _lifecycle_machine(lifecycle: ProposalLifecycle | CommitmentLifecycle,
                       guards: Mapping[str, tuple[Guard, ...]], name: str) -> FlatMachine:
    transitions: list[dict[str, Any]] = [
        {"trigger": t.trigger, "source": list(t.source), "dest": t.dest,
         "conditions": [passes(_constant(guards[t.trigger]))]}
        for t in lifecycle.transitions
    ]
    return FlatMachine(_machine(list(lifecycle.states), lifecycle.initial, transitions, name))


def _constant(guards: tuple[Guard, ...]) -> GuardsOf:
    return lambda _model: guards


def _machine(states: list[str], initial: str, transitions: list[dict[str, Any]],
             name: str) -> Machine:
    return Machine(model=None, states=states, initial=initial, transitions=transitions,
                   auto_transitions=False, send_event=True, name=name)
