"""A definition made ready to run: indexes by id, compiled guards and its machines.

Building one costs a few milliseconds, so catalogs are built once per pinned
definition (by content hash) and shared, read-only, by every plan that pins it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from definitions.schema import (
    Activity,
    Channel,
    CommitmentLifecycle,
    CommitmentTransition,
    Condition,
    Decision,
    DecisionApproved,
    Definition,
    Group,
    Phase,
    PhaseOpen,
    ProposalTransition,
)
from workflow.domain.canonical import canonical_json, sha256_hex
from workflow.domain.guards import Guard, compile_conditions
from workflow.domain.machines import (
    FlatMachine,
    build_commitment_machine,
    build_phase_machine,
    build_proposal_machine,
)


@dataclass(frozen=True)
class Catalog:
    """Everything the engine looks up in a definition, by id."""

    definition: Definition
    definition_hash: str
    phases: dict[str, Phase]
    decisions: dict[str, Decision]
    groups: dict[str, Group]
    activities: dict[str, tuple[Activity, str]]
    channels: dict[str, Channel]
    transitions: dict[str, ProposalTransition]
    open_guards: dict[str, tuple[Guard, ...]]
    close_guards: dict[str, tuple[Guard, ...]]
    extend_guards: dict[str, tuple[Guard, ...]]
    activity_guards: dict[str, tuple[Guard, ...]]
    submit_guards: tuple[Guard, ...]
    trigger_guards: dict[str, tuple[Guard, ...]]
    phase_machine: FlatMachine
    proposal_machine: FlatMachine
    commitments: Commitments | None = None


@dataclass(frozen=True)
class Commitments:
    """What the engine looks up in a definition's commitments: triggers, guards, machine."""

    lifecycle: CommitmentLifecycle
    transitions: dict[str, CommitmentTransition]
    trigger_guards: dict[str, tuple[Guard, ...]]
    draft_guards: tuple[Guard, ...]
    revise_guards: tuple[Guard, ...]
    machine: FlatMachine
    labels: dict[str, str]
    """The template's labels, by field."""

    @classmethod
    def of(cls, definition: Definition, lifecycle: CommitmentLifecycle) -> Commitments:
        """Compile a definition's commitments."""
        guards = {t.trigger: compile_conditions(t.when) for t in lifecycle.transitions}
        return cls(lifecycle, {t.trigger: t for t in lifecycle.transitions}, guards,
                   compile_conditions(lifecycle.draft_when),
                   compile_conditions(lifecycle.revise_when),
                   build_commitment_machine(definition, lifecycle, guards),
                   {f.field: f.label for f in lifecycle.template})


_CATALOGS: dict[str, Catalog] = {}


def definition_hash(definition: Definition) -> str:
    """Return the content hash that pins ``definition`` (SHA-256 of its canonical JSON)."""
    return sha256_hex(canonical_json(definition.model_dump(mode="json")))


def cached_catalog(content_hash: str) -> Catalog | None:
    """Return the catalog already built for a definition hash, if any."""
    return _CATALOGS.get(content_hash)


def pinned_catalog(pinned: dict[str, Any], content_hash: str) -> Catalog:
    """Return the catalog of a definition pinned in a plan's first event (JSON data)."""
    found = _CATALOGS.get(content_hash)
    if found is None:
        definition = Definition.model_validate_json(canonical_json(pinned))
        found = catalog_for(definition, content_hash)
    return found


def catalog_for(definition: Definition, content_hash: str | None = None) -> Catalog:
    """Return the catalog of ``definition``, building it the first time it is asked for."""
    key = content_hash or definition_hash(definition)
    found = _CATALOGS.get(key)
    if found is None:
        found = _CATALOGS[key] = _build(definition, key)
    return found


def _build(definition: Definition, key: str) -> Catalog:
    phases = {p.id: p for p in definition.phases}
    open_guards = {p.id: compile_conditions(p.open_when) for p in definition.phases}
    close_guards = {p.id: compile_conditions(p.close_when) for p in definition.phases}
    extend_guards = {p.id: compile_conditions(p.extend_when) for p in definition.phases}
    lifecycle = definition.proposals
    trigger_guards = {t.trigger: compile_conditions(t.when) for t in lifecycle.transitions}
    return Catalog(
        definition=definition,
        definition_hash=key,
        phases=phases,
        decisions={d.id: d for d in definition.committee.decisions},
        groups={g.id: g for g in definition.committee.groups},
        activities={a.id: (a, p.id) for p in definition.phases for a in p.activities},
        channels={c.id: c for c in lifecycle.channels},
        transitions={t.trigger: t for t in lifecycle.transitions},
        open_guards=open_guards,
        close_guards=close_guards,
        extend_guards=extend_guards,
        activity_guards={a.id: compile_conditions(_activity_conditions(a, p.id))
                         for p in definition.phases for a in p.activities},
        submit_guards=compile_conditions(lifecycle.submit_when),
        trigger_guards=trigger_guards,
        phase_machine=build_phase_machine(lambda r: open_guards[r.phase_id],
                                          lambda r: close_guards[r.phase_id],
                                          lambda r: extend_guards[r.phase_id]),
        proposal_machine=build_proposal_machine(definition, trigger_guards),
        commitments=(None if definition.commitments is None
                     else Commitments.of(definition, definition.commitments)),
    )


def _activity_conditions(activity: Activity, phase_id: str) -> tuple[Condition, ...]:
    """Return the conditions of an activity: its phase runs, its decision (if any) passed."""
    running = PhaseOpen(kind="phase_open", phase=phase_id)
    if activity.decision is None:
        return (running,)
    return (running, DecisionApproved(kind="decision_approved", decision=activity.decision))
