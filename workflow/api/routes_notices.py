"""The outbox through the API: what was sent, what waits, what was parked dead; retry.

Staff only: a message names its recipient (a member's or proponent's email),
which is personal data and never public.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import structlog
from fastapi import APIRouter, Depends, Query, Request

from storage import outbox
from storage.tokens import Identity
from workflow.api.auth import STAFF, require
from workflow.api.bodies import Retry
from workflow.api.problems import documented_errors
from workflow.domain.texts import check_line

router = APIRouter(responses=documented_errors())
Staff = Annotated[Identity, Depends(require(*STAFF))]
log = structlog.get_logger("cocrea.api")


@router.get("/notifications", tags=["avisos"])
def list_notifications(
        request: Request, who: Staff,
        status: Annotated[Literal["pending", "sending", "delivered", "dead", "cancelled"] | None,
                          Query(description="openapi.notifications.status")] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> dict[str, Any]:
    """List outbox messages (``status=dead``: the parked ones), oldest first."""
    rows = outbox.messages(request.app.state.engine, status, limit)
    return {"messages": rows, "status": status, "limit": limit}


@router.post("/notifications/retry", tags=["avisos"])
def retry(request: Request, body: Retry, who: Staff) -> dict[str, Any]:
    """Put dead messages back in the queue, due now (all, or those listed in ``ids``)."""
    for message_id in body.ids or ():
        check_line(None, "ids", message_id)
    count = outbox.revive(request.app.state.engine, request.app.state.clock(), body.ids)
    log.info("notifications_revived", count=count, by=who.token_id, ids=body.ids)
    return {"revived": count}
