"""Commitments for the site's pages: their template fields labelled, their milestones judged.

A milestone is done, late, overdue or pending (:func:`workflow.domain.milestones.judged`),
as ``cocrea simulate``'s summary counts them (:mod:`workflow.views.commitment_story`).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from definitions.commitments import value_words
from workflow.domain.milestones import judged
from workflow.domain.plan import Plan
from workflow.domain.state import CommitmentState

STATUSES = ("done", "late", "overdue", "pending")
"""What a milestone can be on a page, in the order a page counts them."""


def milestones(state: CommitmentState, timezone: str) -> list[dict[str, Any]]:
    """List a commitment's milestones, each with its status (what anyone may read)."""
    return [{"id": m.milestone_id, "description": m.description, "output": m.output,
             "starts": m.starts, "due": m.due, "responsible": m.responsible,
             "done_at": m.done_at, "status": judged(m, timezone)}
            for m in state.milestones.values()]


def progress(state: CommitmentState, timezone: str) -> dict[str, int]:
    """Count a commitment's milestones by status, and in all (``total``)."""
    counted = Counter(judged(m, timezone) for m in state.milestones.values())
    return {**{s: counted[s] for s in STATUSES}, "total": len(state.milestones)}


def glance(plan: Plan, state: CommitmentState) -> dict[str, Any]:
    """Return a commitment as its plan's page lists it: title, agency, state, progress."""
    assessed = state.assessment or {}
    return {"number": state.number, "title": state.title, "agency": state.lead_agency,
            "state": state.state.replace("_", " "),
            "progress": progress(state, plan.state.definition.timezone),
            "completion": assessed.get("completion"),
            "opened": assessed.get("opened_government")}


def template(plan: Plan, state: CommitmentState) -> list[tuple[str, str, str]]:
    """Return the template fields given, in the definition's order: (field, label, value).

    Dates stay ISO (the page writes them in words); OGP values are named in the
    plan's language.
    """
    lifecycle = plan.state.definition.commitments
    fields = [] if lifecycle is None else lifecycle.template
    found = []
    for spec in fields:
        value = state.fields.get(spec.field)
        if value in (None, "", []):
            continue
        text = value_words(value, plan.locale) if isinstance(value, list) else str(value)
        found.append((spec.field, spec.label, text))
    return found
