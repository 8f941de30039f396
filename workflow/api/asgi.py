"""The app as uvicorn's worker processes build it (``cocrea serve --workers N``).

Each worker reads its settings from the environment ``cocrea serve`` sets, opens
its own engine, and runs its own scheduler under the shared lease.
"""

from __future__ import annotations

import os

from fastapi import FastAPI

from workflow.adapters.logs import configure_logging
from workflow.api.app import create_app
from workflow.api.settings import DEFAULT_MAX_BODY_BYTES, MAX_BODY_ENV
from workflow.bootstrap import bootstrap

POLL = "COCREA_POLL_SECONDS"
LEASE = "COCREA_LEASE_SECONDS"
NOTIFY = "COCREA_NOTIFY_SECONDS"


def app_from_env() -> FastAPI:
    """Build a worker's app from COCREA_DATABASE_URL, the settings above, the body limit."""
    configure_logging()
    cocrea = bootstrap(os.environ["COCREA_DATABASE_URL"], migrate=False)
    return create_app(cocrea, scheduler=True, poll_seconds=float(os.environ.get(POLL, "30")),
                      lease_seconds=float(os.environ.get(LEASE, "45")),
                      notify_seconds=float(os.environ.get(NOTIFY, "5")),
                      max_body_bytes=int(os.environ.get(MAX_BODY_ENV, DEFAULT_MAX_BODY_BYTES)))
