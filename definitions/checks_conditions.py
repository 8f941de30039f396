"""Checks of conditions (guards), wherever they stand in a definition.

A condition may stand in a phase (``open_when``, ``close_when``, ``extend_when``), in the
proposal lifecycle's ``submit_when``, in a proposal trigger's ``when``, or in the
commitments' ``draft_when``, ``revise_when`` and triggers.
What it names must exist, and some kinds only make sense in some places:
``actor_role`` needs an actor (not a phase) and names only roles cocrea knows
(:data:`definitions.roles.ROLES`: no token could hold another), ``field_given`` a
trigger with fields, ``activities_done`` without a list the required activities
of a phase, ``proposals_linked`` a phase of a process with commitments, and the
guards about one commitment (:data:`~definitions.schema.COMMITMENT_GUARDS`) a
commitment's trigger or revision.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from definitions import schema
from definitions.errors import Problem
from definitions.problems import Reporter
from definitions.roles import ROLES
from definitions.yamlpos import YamlPath

Place = Literal["phase", "submit", "transition", "draft", "commitment", "revise"]
Ids = dict[str, None]
"""Declared ids in the order of the definition (a dict, so that looking one up is immediate)."""


def ids(names: Iterable[str]) -> Ids:
    """Return ``names`` as :data:`Ids` (the first of repeated names counts)."""
    return dict.fromkeys(names)


@dataclass(frozen=True)
class Known:
    """The ids a definition declares, which its references may name."""

    phases: Ids
    decisions: Ids
    activities: Ids
    groups: Ids
    states: Ids
    commitment_states: Ids

    @classmethod
    def of(cls, defn: schema.Definition) -> Known:
        """Collect the declared ids of ``defn``."""
        return cls(
            phases=ids(p.id for p in defn.phases),
            decisions=ids(d.id for d in defn.committee.decisions),
            activities=ids(a.id for p in defn.phases for a in p.activities),
            groups=ids(g.id for g in defn.committee.groups),
            states=ids(defn.proposals.states),
            commitment_states=ids(defn.commitments.states if defn.commitments else ()),
        )


@dataclass(frozen=True)
class Site:
    """Where a condition stands: its path, the part of the definition, the trigger if any."""

    path: YamlPath
    place: Place
    transition: schema.ProposalTransition | None = None


def unknown(
    report: Reporter, path: YamlPath, what: str, name: str, known: Collection[str],
    label: str = "defined",
) -> list[Problem]:
    """Report ``name`` at ``path`` as an unknown ``what`` unless it is ``known``.

    ``label`` names the message that lists the known names when none is close.
    """
    if name in known:
        return []
    return [report.problem(path, f"unknown_{what}", id=name,
                           hint=report.hint(name, known, label))]


def all_conditions(defn: schema.Definition) -> Iterator[tuple[schema.Condition, Site]]:
    """Yield every condition of ``defn`` with the site where it stands."""
    for i, phase in enumerate(defn.phases):
        for key in ("open_when", "close_when", "extend_when"):
            for j, cond in enumerate(getattr(phase, key)):
                yield cond, Site(("phases", i, key, j), "phase")
    for j, cond in enumerate(defn.proposals.submit_when):
        yield cond, Site(("proposals", "submit_when", j), "submit")
    for i, transition in enumerate(defn.proposals.transitions):
        for j, cond in enumerate(transition.when):
            yield cond, Site(("proposals", "transitions", i, "when", j), "transition", transition)
    if defn.commitments is not None:
        yield from _commitment_conditions(defn.commitments)


def _commitment_conditions(
    lifecycle: schema.CommitmentLifecycle,
) -> Iterator[tuple[schema.Condition, Site]]:
    for j, cond in enumerate(lifecycle.draft_when):
        yield cond, Site(("commitments", "draft_when", j), "draft")
    for j, cond in enumerate(lifecycle.revise_when):
        yield cond, Site(("commitments", "revise_when", j), "revise")
    for i, transition in enumerate(lifecycle.transitions):
        for j, cond in enumerate(transition.when):
            yield cond, Site(("commitments", "transitions", i, "when", j), "commitment",
                             transition)


@dataclass(frozen=True)
class Scope:
    """What a condition check needs besides the condition: the declared ids, the reporter."""

    known: Known
    report: Reporter
    fields: dict[int, dict[str, schema.FieldSpec]]
    """Each trigger's fields by name, by the trigger's ``id()``."""
    supports: bool
    """Whether the definition takes public supports."""
    commitments: bool
    """Whether the definition has commitments."""


def check_conditions(defn: schema.Definition, report: Reporter) -> list[Problem]:
    """Check what every condition names, and that its kind fits where it stands."""
    triggers = [*defn.proposals.transitions,
                *(defn.commitments.transitions if defn.commitments else ())]
    fields = {id(t): {f.name: f for f in t.fields} for t in triggers}
    scope = Scope(Known.of(defn), report, fields, defn.proposals.supports is not None,
                  defn.commitments is not None)
    problems: list[Problem] = []
    for cond, site in all_conditions(defn):
        problems += _CHECKS.get(cond.kind, _nothing)(cond, site, scope)
    return problems


def _decision(cond: schema.DecisionApproved, site: Site, scope: Scope) -> list[Problem]:
    path = (*site.path, "decision")
    return unknown(scope.report, path, "decision", cond.decision, scope.known.decisions)


def _phase(cond: schema.PhaseOpen | schema.PhaseClosed, site: Site, scope: Scope) -> list[Problem]:
    path = (*site.path, "phase")
    return unknown(scope.report, path, "phase", cond.phase, scope.known.phases)


def _activities(cond: schema.ActivitiesDone, site: Site, scope: Scope) -> list[Problem]:
    if not cond.activities and site.place != "phase":
        return [scope.report.problem(site.path, "activities_done_needs_list")]
    return _each(scope, (*site.path, "activities"), "activity", cond.activities,
                 scope.known.activities)


def _states(cond: schema.ProposalsInStates, site: Site, scope: Scope) -> list[Problem]:
    return _each(scope, (*site.path, "states"), "state", cond.states, scope.known.states)


def _each(scope: Scope, path: YamlPath, what: str, names: tuple[str, ...],
          known: Ids) -> list[Problem]:
    return [problem for k, name in enumerate(names)
            for problem in unknown(scope.report, (*path, k), what, name, known)]


def _actor_role(cond: schema.ActorRole, site: Site, scope: Scope) -> list[Problem]:
    found = [problem for k, role in enumerate(cond.roles)
             for problem in unknown(scope.report, (*site.path, "roles", k), "role", role, ROLES,
                                    "known_roles")]
    if site.place != "phase":
        return found
    return [scope.report.problem((*site.path, "kind"), "guard_only_in_transitions",
                                 kind=cond.kind), *found]


def _field_given(cond: schema.FieldGiven, site: Site, scope: Scope) -> list[Problem]:
    return _field_of(cond, site, scope)[1]


def _field_of(cond: schema.FieldGiven | schema.FieldAtLeast | schema.FieldIn, site: Site,
              scope: Scope) -> tuple[schema.FieldSpec | None, list[Problem]]:
    """Return the declared field a guard compares, or the problem of it not being there."""
    if site.transition is None:
        return None, [scope.report.problem((*site.path, "kind"), "guard_only_in_transitions",
                                           kind=cond.kind)]
    spec = scope.fields[id(site.transition)].get(cond.field)
    if spec is not None:
        return spec, []
    return None, [scope.report.problem((*site.path, "field"), "field_not_declared",
                                       field=cond.field, trigger=site.transition.trigger)]


def _field_at_least(cond: schema.FieldAtLeast, site: Site, scope: Scope) -> list[Problem]:
    spec, problems = _field_of(cond, site, scope)
    if spec is not None and spec.kind != "integer":
        problems.append(scope.report.problem((*site.path, "field"), "field_not_integer",
                                             field=cond.field, type=spec.kind))
    return problems


def _field_in(cond: schema.FieldIn, site: Site, scope: Scope) -> list[Problem]:
    spec, problems = _field_of(cond, site, scope)
    if spec is not None and spec.kind == "choice":
        problems += [scope.report.problem((*site.path, "values", k), "field_option_unknown",
                                          value=value, field=spec.name,
                                          options=", ".join(spec.options))
                     for k, value in enumerate(cond.values) if value not in spec.options]
    return problems


def _supports(cond: schema.SupportsAtLeast, site: Site, scope: Scope) -> list[Problem]:
    problems = ([] if scope.supports
                else [scope.report.problem((*site.path, "kind"), "supports_not_declared")])
    if cond.states and site.place != "phase":
        problems.append(scope.report.problem((*site.path, "states"), "supports_states_in_phase"))
    return problems + _each(scope, (*site.path, "states"), "state", cond.states,
                            scope.known.states)


def _linked(cond: schema.ProposalsLinked, site: Site, scope: Scope) -> list[Problem]:
    problems = _each(scope, (*site.path, "states"), "state", cond.states, scope.known.states)
    if not scope.commitments:
        problems.append(scope.report.problem((*site.path, "kind"), "commitments_not_declared",
                                             name=cond.kind))
    if site.place != "phase":
        problems.append(scope.report.problem((*site.path, "kind"), "guard_only_in_phases",
                                             kind=cond.kind))
    return problems


def _about_commitment(cond: schema.Condition, site: Site, scope: Scope) -> list[Problem]:
    if site.place in ("commitment", "revise"):
        return []
    return [scope.report.problem((*site.path, "kind"), "guard_only_in_commitments",
                                 kind=cond.kind)]


def _nothing(cond: schema.Condition, site: Site, scope: Scope) -> list[Problem]:
    return []


_CHECKS: dict[str, Callable[..., list[Problem]]] = {
    "decision_approved": _decision,
    "phase_open": _phase,
    "phase_closed": _phase,
    "activities_done": _activities,
    "proposals_in_states": _states,
    "actor_role": _actor_role,
    "field_given": _field_given,
    "field_at_least": _field_at_least,
    "field_in": _field_in,
    "supports_at_least": _supports,
    "proposals_linked": _linked,
    **dict.fromkeys(schema.COMMITMENT_GUARDS, _about_commitment),
}
