"""Work run in other OS processes (spawned), racing each other on one database.

Each racer opens its own engine, waits at the barrier so that all start
together, runs its commands through Services, and reports on the queue.
"""

from __future__ import annotations

from typing import Any

from storage.database import open_engine
from tests.storage.scenario import INTAKE, PLAN, STAFF, services_for
from workflow.domain.clock import utc_now
from workflow.domain.errors import ConcurrencyError


def vote_expecting(url: str, version: int, decision: str, member: str, barrier: Any,
                   results: Any) -> None:
    """Vote as ``member`` expecting the plan at ``version``; report 'ok' or the conflict."""
    services = services_for(open_engine(url, migrate=False), utc_now)
    barrier.wait()
    try:
        services.vote(PLAN, decision, member, True, STAFF, expected_version=version)
    except ConcurrencyError as exc:
        results.put((member, "conflict", str(exc)))
    else:
        results.put((member, "ok", ""))


def submit_many(url: str, racer: int, count: int, barrier: Any, results: Any) -> None:
    """Submit ``count`` proposals (no expected version); report their ids."""
    services = services_for(open_engine(url, migrate=False), utc_now)
    barrier.wait()
    ids = [services.submit_proposal(PLAN, f"Propuesta {racer}.{n}", "Texto", "online", None,
                                    INTAKE) for n in range(count)]
    results.put((racer, ids))
