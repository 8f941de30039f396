"""What entry points read: storage's queries made into the views people and programs see."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from storage import queries
from workflow.views.plan import plan_view


def show_plan(engine: Engine, plan_id: str) -> dict[str, Any]:
    """Return the plan's current view (see :func:`workflow.views.plan.plan_view`)."""
    return plan_view(*queries.plan_and_counts(engine, plan_id))
