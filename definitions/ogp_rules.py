"""OGP's minimum requirements as data: a versioned rule set, each rule citing its standard.

A rule set (``definitions/ogp/ogp-2022.yaml``) lists the requirements of OGP's
Participation & Co-Creation Standards (and OGP Local's own) that cocrea can judge
from a plan's log: what each asks (in Spanish and English), the standard it
comes from, which check judges it and that check's thresholds as parameters. When
OGP revises its standards, a new file (``ogp-2025.yaml``) says so; the checks stay.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from definitions.schema import DefinitionId, Ident, Strict, Text

CheckKind = Literal[
    "forum_sectors", "forum_rules_published", "meetings_every", "record_updated_every",
    "timeline_before_cocreation", "proposals_received", "every_proposal_answered",
    "plan_endorsed_by", "meeting_after_approval",
]
"""Every check cocrea knows how to make from a log (workflow.domain.ogp makes them)."""


class Words(Strict):
    """A text in each language cocrea speaks."""

    es: Text
    en: Text


class Rule(Strict):
    """One requirement: what it asks, where OGP says so, how cocrea judges it."""

    id: Ident
    standard: Text
    asks: Words
    check: CheckKind
    months: int | None = Field(default=None, ge=1, le=24)
    days: int | None = Field(default=None, ge=0, le=366)
    at_least: int | None = Field(default=None, ge=1)
    sector: Literal["government", "non_government"] | None = None
    source: Text


class RuleSet(Strict):
    """A versioned set of OGP requirements."""

    id: DefinitionId
    title: Words
    rules: tuple[Rule, ...] = Field(min_length=1)
