"""A commitment as people write it: OGP's template fields, milestones and the proposals it answers.

The same document drafts a commitment (``cocrea commitment draft PLAN --file c.yaml``,
``POST /plans/{plan}/commitments``, a scenario's ``draft`` step) and revises one
(``edit``: only the fields that change; a milestone entry naming ``milestone: m2``
changes that milestone, one without adds a new one)::

    title: Cuenca Transparente
    ogp_values: [transparency, civic_participation]
    lead_agency: Dirección de Comunicación
    starts: 2023-02-01
    ends: 2024-06-30
    milestones:
      - {description: ..., output: ..., starts: 2023-02-01, due: 2023-06-30, responsible: ...}
    proposals: [p2, p14]

Its shape is checked by pydantic (a field OGP's template does not have is refused,
with the valid ones); its meaning against the definition's template by
:func:`draft_problems` and :func:`whole_problems`, which the domain runs too: every
problem is a message key (``commitment.*``) at a path, so a file says each with its
YAML line (:mod:`definitions.commitment_loader`) and a command names the field
(``milestones[2].due``). Nothing here reads YAML.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Annotated, Any

from pydantic import Field, StringConstraints, field_validator

from definitions import days
from definitions.commitments import CORE_VALUES, MILESTONE_FIELDS, OGP_VALUES, TEMPLATE
from definitions.messages import say
from definitions.paths import YamlPath, format_path
from definitions.schema import CommitmentLifecycle, Ident, Strict, Text

Long = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
Title = Annotated[str, StringConstraints(min_length=1, max_length=300)]
Agency = Annotated[str, StringConstraints(min_length=1, max_length=120)]
MilestoneId = Annotated[str, StringConstraints(pattern=r"^m[1-9][0-9]{0,3}$")]
Ref = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class MilestoneEntry(Strict):
    """A milestone: all five fields for a new one; ``milestone`` and the changes for an edit."""

    milestone: MilestoneId | None = None
    description: Long | None = None
    output: Long | None = None
    starts: dt.date | None = None
    due: dt.date | None = None
    responsible: Text | None = None


class CommitmentContent(Strict):
    """OGP's template fields (those the process asks for), milestones, linked proposals."""

    title: Title | None = None
    problem: Long | None = None
    causes: Long | None = None
    description: Long | None = None
    contribution: Long | None = None
    ogp_values: tuple[Ident, ...] | None = Field(default=None, max_length=len(OGP_VALUES))
    lead_agency: Agency | None = None
    other_actors: Long | None = None
    starts: dt.date | None = None
    ends: dt.date | None = None
    budget: Long | None = None
    milestones: tuple[MilestoneEntry, ...] = Field(default=(), max_length=200)
    proposals: tuple[Ref, ...] = Field(default=(), max_length=1000)
    reason: Text | None = None

    @field_validator("proposals", mode="before")
    @classmethod
    def _numbers_as_text(cls, value: object) -> object:
        """Read a proposal named by its number (``22``) as the text ``"22"``."""
        if isinstance(value, list | tuple):
            return [str(v) if isinstance(v, int) and not isinstance(v, bool) else v
                    for v in value]
        return value

    def given(self) -> dict[str, Any]:
        """Return the template fields given, by name (dates as ISO text, values as a list)."""
        found: dict[str, Any] = {}
        for name in TEMPLATE:
            value = getattr(self, name)
            if value is not None:
                found[name] = plain(value)
        return found


Finding = tuple[YamlPath, str, dict[str, Any]]
"""A problem of a commitment's content: where, its message key, and the key's parameters."""


def plain(value: object) -> Any:
    """Return a value as an event keeps it: dates as ISO text, tuples as lists."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def draft_problems(content: CommitmentContent, lifecycle: CommitmentLifecycle,
                   draft: bool) -> list[Finding]:
    """Return what is wrong with the fields and milestone entries as given.

    A field the process does not ask for; for a draft, a required field missing, a
    milestone naming an id or lacking a field; for an edit, a new milestone lacking
    a field. Dates and values are :func:`whole_problems`' (on the whole commitment).
    """
    asked = {f.field: f for f in lifecycle.template}
    given = content.given()
    found: list[Finding] = [((name,), "commitment.not_asked", {"field": name})
                            for name in given if name not in asked]
    if draft:
        found += [((f.field,), "commitment.required", {"label": f.label})
                  for f in lifecycle.template if f.required and f.field not in given]
    for i, entry in enumerate(content.milestones):
        if draft and entry.milestone is not None:
            found.append((("milestones", i, "milestone"), "commitment.milestone_id_in_draft", {}))
        if entry.milestone is None:
            found += [(("milestones", i, name), "commitment.milestone_field", {"field": name})
                      for name in MILESTONE_FIELDS if getattr(entry, name) is None]
    return found


def whole_problems(fields: Mapping[str, Any],
                   milestones: Sequence[tuple[YamlPath, Mapping[str, Any]]]) -> list[Finding]:
    """Return what is wrong with a whole commitment: its values, its dates, its milestones'.

    ``fields`` are its template values (ISO dates); ``milestones`` each milestone's
    values (ISO dates), with the path a problem of it is said at.
    """
    found: list[Finding] = []
    values = fields.get("ogp_values")
    if values is not None:
        found += _value_problems(list(values))
    starts, ends = (_day(fields.get(k)) for k in ("starts", "ends"))
    found += [((name,), "commitment.day_out_of_range", _bounds(day))
              for name, day in (("starts", starts), ("ends", ends))
              if day is not None and not days.in_range(day)]
    if starts and ends and ends < starts:
        found.append((("ends",), "commitment.ends_before_starts", {"starts": starts}))
    for path, milestone in milestones:
        found += _milestone_dates(path, milestone, starts, ends)
    return found


def _value_problems(values: list[str]) -> list[Finding]:
    found: list[Finding] = [(("ogp_values", k), "commitment.unknown_value",
                             {"value": v, "values": ", ".join(OGP_VALUES)})
                            for k, v in enumerate(values) if v not in OGP_VALUES]
    if len(set(values)) != len(values):
        found.append((("ogp_values",), "commitment.value_twice", {}))
    if not set(values) & set(CORE_VALUES):
        found.append((("ogp_values",), "commitment.core_value", {"values": ", ".join(CORE_VALUES)}))
    return found


def _milestone_dates(path: YamlPath, milestone: Mapping[str, Any], starts: dt.date | None,
                     ends: dt.date | None) -> list[Finding]:
    begin, due = _day(milestone.get("starts")), _day(milestone.get("due"))
    found: list[Finding] = [((*path, name), "commitment.day_out_of_range", _bounds(day))
                            for name, day in (("starts", begin), ("due", due))
                            if day is not None and not days.in_range(day)]
    if begin and due and due < begin:
        found.append(((*path, "due"), "commitment.due_before_starts", {"starts": begin}))
    for name, day in (("starts", begin), ("due", due)):
        if day and starts and ends and not starts <= day <= ends:
            found.append(((*path, name), "commitment.outside_dates",
                          {"day": day, "starts": starts, "ends": ends}))
    return found


def _day(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value) if isinstance(value, str) else None


def _bounds(day: dt.date) -> dict[str, Any]:
    return {"value": day, "first": days.FIRST_DAY, "last": days.LAST_DAY}


def said(locale: str, finding: Finding) -> tuple[str, str]:
    """Return where a finding stands (``milestones[2].due``) and what it says, in ``locale``."""
    path, key, params = finding
    return format_path(path), say(locale, key, **params)
