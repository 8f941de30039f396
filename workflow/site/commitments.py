"""Where the pages read commitments from: nothing yet, until commitments exist (issue 13).

The plan page's "Commitments" section renders :func:`of_plan` and a proposal's
page renders :func:`fed_by`; both answer an empty list today, and the templates
say so. When the commitment aggregate lands with its read side, these two
functions are the one place to plug it in: return, per commitment, a mapping
with at least ``id``, ``title``, ``state`` and ``progress`` (milestones done and
due), read at ``at`` (None: now; a past moment: replayed as the plans are), and
the templates ``plan.html`` and ``proposal.html`` show them as they come.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine


def of_plan(engine: Engine, plan_id: str, at: dt.datetime | None) -> list[dict[str, Any]]:
    """Return a plan's commitments with their progress (none until commitments exist)."""
    del engine, plan_id, at
    return []


def fed_by(engine: Engine, proposal_id: str, at: dt.datetime | None) -> list[dict[str, Any]]:
    """Return the commitments a proposal fed, through merges too (none until they exist)."""
    del engine, proposal_id, at
    return []
