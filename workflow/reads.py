"""What entry points read: storage's queries made into the views people and programs see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine

from definitions.messages import deployment_locale
from definitions.registry import rule_set
from storage import audit, queries
from workflow.domain import ogp
from workflow.domain.failures import not_found
from workflow.views.ogp import ogp_view
from workflow.views.plan import plan_view


def show_plan(engine: Engine, plan_id: str) -> dict[str, Any]:
    """Return the plan's current view (see :func:`workflow.views.plan.plan_view`)."""
    return plan_view(*queries.plan_and_counts(engine, plan_id))


def ogp_report(engine: Engine, plan_id: str, as_of: dt.datetime,
               rules: str = "ogp-2022") -> dict[str, Any]:
    """Return the OGP report of a plan as it was at ``as_of`` (see :mod:`workflow.domain.ogp`)."""
    replay, history = audit.history_as_of(engine, plan_id, as_of)
    plan = replay.plans.get(plan_id)
    if plan is None:
        raise not_found(deployment_locale(), "plan", plan_id)
    proposals = [p for p in replay.proposals.values() if p.plan_id == plan_id]
    facts = ogp.Facts(plan.state, proposals, history, as_of)
    chosen = rule_set(rules)
    return ogp_view(chosen, ogp.report(chosen, facts), plan_id, facts.when(as_of), plan.locale)
