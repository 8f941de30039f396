"""A proposal's history as a reader sees it: each step, when, in the plan's words.

Each event is told as ``cocrea simulate`` tells it (:func:`workflow.views.timeline.describe`);
a run of supports in a row is one step. Who acted is left out, as the API's
public history leaves it out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from definitions.messages import say
from definitions.schema import Definition
from workflow.views.timeline import Names, describe


@dataclass(slots=True)
class Step:
    """One step of a proposal's history: when (UTC), what, and what it said."""

    at: dt.datetime
    what: str
    response: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)


def number_of(plan_id: str, proposal_id: str) -> int | None:
    """Return a proposal's number from its id (``plan.p12`` → 12), or None if not of the plan."""
    head, _, tail = proposal_id.rpartition(".p")
    return int(tail) if head == plan_id and tail.isdigit() else None


def steps(events: list[dict[str, Any]], definition: Definition, plan_id: str) -> list[Step]:
    """Tell a proposal's events as steps, oldest first."""
    names = Names(definition)
    for event in events:
        into = event["data"].get("into")
        number = number_of(plan_id, into) if into else None
        if into and number is not None:
            names.numbers[into] = number
    told: list[Step] = []
    run = 0
    for event in events:
        at = dt.datetime.fromisoformat(event["occurred_at"])
        supported = event["type"] == "ProposalSupported"
        run = run + 1 if supported and told and run else (1 if supported else 0)
        what = describe(event, names)
        if run > 1:
            told[-1] = Step(at, say(definition.locale, "timeline.supports_run", count=run,
                                    number=names.numbers[event["stream"]],
                                    supports=event["data"]["supports"]))
            continue
        data = event["data"]
        told.append(Step(at, what, data.get("response"), dict(data.get("fields") or {})))
    return told
