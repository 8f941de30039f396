"""``cocrea notify``: deliver the outbox once, list messages (the dead ones), retry them."""

from __future__ import annotations

from typing import Annotated

import typer

from notifications.dispatcher import Dispatcher
from notifications.setup import channels_from_env
from notifications.templates import renderer
from storage import outbox
from workflow.cli_support import Db, Json, emit, engine_for, handled
from workflow.clock import utc_now
from workflow.logs import configure_logging
from workflow.messages import say

notify_app = typer.Typer(no_args_is_help=True, help="Notificaciones pendientes.")


@notify_app.command("run")
@handled
def run(db: Db = None, as_json: Json = False) -> None:
    """Deliver what is due in the outbox, one pass."""
    configure_logging()
    done = Dispatcher(engine_for(db), channels_from_env(), utc_now,
                      render=renderer()).run_once()
    data = {"delivered": done.delivered, "retried": done.retried, "dead": done.dead}
    emit(as_json, data, say("es", "cli.notify_pass", delivered=len(done.delivered),
                            retried=len(done.retried), dead=len(done.dead)))


@notify_app.command("list")
@handled
def list_messages(dead: Annotated[bool, typer.Option("--dead", help="Solo los aparcados")]
                  = False, db: Db = None, as_json: Json = False) -> None:
    """List outbox messages (only the dead ones with --dead)."""
    rows = outbox.messages(engine_for(db), "dead" if dead else None)
    lines = [say("es", "cli.notify_line", id=r["message_id"], status=r["status"],
                 channel=r["channel"], to=r["recipient"], attempts=r["attempts"],
                 error=r["last_error"] or "") for r in rows]
    emit(as_json, rows, "\n".join(lines) or say("es", "cli.notify_none"))


@notify_app.command("retry")
@handled
def retry(ids: Annotated[list[str] | None, typer.Argument(help="Ids (por defecto, todos)")]
          = None, db: Db = None) -> None:
    """Send dead messages again (all, or those named)."""
    count = outbox.revive(engine_for(db), utc_now(), ids or None)
    typer.echo(say("es", "cli.notify_revived", count=count))
