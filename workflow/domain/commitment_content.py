"""What drafting or revising a commitment gives, read and checked into what its event keeps.

The checks are the definition layer's (:mod:`definitions.commitment_file`), the same
a commitment file gets with its lines; here a problem is an InvalidInput naming the
field (``milestones[2].due``), in the plan's language. Texts are checked for control
characters (a title, an agency and who is responsible are one line each).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from definitions.commitment_file import (
    CommitmentContent,
    Finding,
    MilestoneEntry,
    draft_problems,
    said,
    whole_problems,
)
from definitions.commitments import MILESTONE_FIELDS, TEMPLATE
from definitions.paths import YamlPath
from definitions.schema import CommitmentLifecycle
from workflow.domain.errors import InvalidInput
from workflow.domain.failures import invalid, invalid_because
from workflow.domain.state import CommitmentState, MilestoneState
from workflow.domain.texts import check_line, check_prose

LINES = ("title", "lead_agency", "responsible")
"""Texts that are one line."""

Milestones = list[dict[str, Any]]


def drafted(content: CommitmentContent, lifecycle: CommitmentLifecycle,
            locale: str) -> tuple[dict[str, Any], Milestones]:
    """Return a draft's template fields and its milestones (numbered m1, m2, ...)."""
    _refuse(locale, draft_problems(content, lifecycle, draft=True))
    fields = content.given()
    milestones = [{"milestone": f"m{i}", **_entry(entry)}
                  for i, entry in enumerate(content.milestones, start=1)]
    _check_texts(locale, fields, [(("milestones", i), m) for i, m in enumerate(milestones)])
    _refuse(locale, whole_problems(fields, [(("milestones", i), m)
                                            for i, m in enumerate(milestones)]))
    return fields, milestones


def revised(content: CommitmentContent, state: CommitmentState, lifecycle: CommitmentLifecycle,
            locale: str) -> tuple[dict[str, Any], Milestones]:
    """Return what a revision changes: the fields that differ, the milestones' changes.

    A milestone entry naming one of the commitment's milestones keeps only what
    differs; one without an id is a new milestone, numbered after the last. The
    whole commitment, as it would be, must still hold together (its milestones'
    dates inside its own). Nothing changing is refused.
    """
    _refuse(locale, draft_problems(content, lifecycle, draft=False))
    fields = {k: v for k, v in content.given().items() if state.fields.get(k) != v}
    changes = _milestone_changes(content.milestones, state, locale)
    if not fields and not changes:
        raise invalid(locale, "fields", "commitment.nothing_changes")
    _check_texts(locale, fields, [(("milestones", i), m) for i, m in enumerate(changes)])
    whole = {**state.fields, **fields}
    _refuse(locale, whole_problems(whole, _merged(state, changes)))
    return fields, changes


def _milestone_changes(entries: tuple[MilestoneEntry, ...], state: CommitmentState,
                       locale: str) -> Milestones:
    changes: Milestones = []
    number = len(state.milestones)
    for i, entry in enumerate(entries):
        given = _entry(entry)
        if entry.milestone is None:
            number += 1
            changes.append({"milestone": f"m{number}", **given})
            continue
        current = state.milestones.get(entry.milestone)
        if current is None:
            raise invalid(locale, f"milestones[{i}].milestone", "commitment.no_milestone",
                          milestone=entry.milestone)
        differs = {k: v for k, v in given.items() if milestone_value(current, k) != v}
        if differs:
            changes.append({"milestone": entry.milestone, **differs})
    return changes


def milestone_value(milestone: MilestoneState, name: str) -> Any:
    """Return a milestone's field as an event keeps it (dates as ISO text)."""
    value = getattr(milestone, name)
    return value.isoformat() if name in ("starts", "due") else value


def _merged(state: CommitmentState,
            changes: Milestones) -> list[tuple[YamlPath, Mapping[str, Any]]]:
    """Return every milestone as it would be, with where a problem of it is said."""
    merged: dict[str, tuple[YamlPath, dict[str, Any]]] = {
        key: (("milestones", key), {k: milestone_value(m, k) for k in MILESTONE_FIELDS})
        for key, m in state.milestones.items()}
    for i, change in enumerate(changes):
        base = merged.get(change["milestone"], ((), {}))[1]
        merged[change["milestone"]] = (("milestones", i), {**base, **change})
    return list(merged.values())


def _entry(entry: MilestoneEntry) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name in MILESTONE_FIELDS:
        value = getattr(entry, name)
        if value is not None:
            found[name] = value.isoformat() if name in ("starts", "due") else value.strip()
    return found


def _check_texts(locale: str, fields: Mapping[str, Any],
                 milestones: Any) -> None:
    for name, value in fields.items():
        if TEMPLATE[name] == "text":
            (check_line if name in LINES else check_prose)(locale, name, value)
    for path, milestone in milestones:
        for name in ("description", "output", "responsible"):
            if name in milestone:
                field = f"milestones[{path[1]}].{name}"
                (check_line if name in LINES else check_prose)(locale, field, milestone[name])


def _refuse(locale: str, findings: list[Finding]) -> None:
    """Raise the first finding as an InvalidInput naming its field."""
    if findings:
        raise problem(locale, findings[0])


def problem(locale: str, finding: Finding) -> InvalidInput:
    """Return a finding as the InvalidInput that names its field."""
    where, what = said(locale, finding)
    return invalid_because(locale, where, what)
