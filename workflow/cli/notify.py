"""``cocrea notify`` and ``cocrea contact``: the outbox, and the addresses it reaches.

``notify`` delivers the outbox once, lists messages (the dead ones) and retries
them; ``contact forget`` erases a person's address.
"""

from __future__ import annotations

from typing import Annotated

import typer

from storage import contacts, outbox
from workflow.adapters.logs import configure_logging
from workflow.cli.support import Db, Json, cocrea, emit, fail, handled, reader
from workflow.domain.clock import utc_now
from workflow.domain.messages import say

notify_app = typer.Typer(no_args_is_help=True, help="Notificaciones pendientes.")
contact_app = typer.Typer(no_args_is_help=True, help="Correos de miembros y proponentes.")


@notify_app.command("run")
@handled
def run(db: Db = None, as_json: Json = False) -> None:
    """Deliver what is due in the outbox, one pass."""
    configure_logging()
    done = cocrea(db).dispatcher().run_once()
    data = {"delivered": done.delivered, "retried": done.retried, "dead": done.dead}
    emit(as_json, data, say("es", "cli.notify_pass", delivered=len(done.delivered),
                            retried=len(done.retried), dead=len(done.dead)))


@notify_app.command("list")
@handled
def list_messages(dead: Annotated[bool, typer.Option("--dead", help="Solo los aparcados")]
                  = False, db: Db = None, as_json: Json = False) -> None:
    """List outbox messages (only the dead ones with --dead)."""
    rows = outbox.messages(reader(db), "dead" if dead else None)
    lines = [say("es", "cli.notify_line", id=r["message_id"], status=r["status"],
                 channel=r["channel"], to=r["recipient"], attempts=r["attempts"],
                 error=r["last_error"] or "") for r in rows]
    emit(as_json, rows, "\n".join(lines) or say("es", "cli.notify_none"))


@notify_app.command("retry")
@handled
def retry(ids: Annotated[list[str] | None, typer.Argument(help="Ids (por defecto, todos)")]
          = None, db: Db = None) -> None:
    """Send dead messages again (all, or those named)."""
    count = outbox.revive(cocrea(db).engine, utc_now(), ids or None)
    typer.echo(say("es", "cli.notify_revived", count=count))


@contact_app.command("forget")
@handled
def forget(plan: str,
           member: Annotated[str | None, typer.Option("--member", help="Id del miembro")] = None,
           proposal: Annotated[str | None, typer.Option(
               "--proposal", help="Id de la propuesta (su proponente)")] = None,
           db: Db = None) -> None:
    """Erase the email of a member or a proponent (and cancel what was not yet sent)."""
    if (member is None) == (proposal is None):
        fail(say("es", "cli.member_or_proposal"))
    kind, subject = ("member", member) if member is not None else ("proponent", proposal)
    assert subject is not None
    cancelled = contacts.forget(cocrea(db).engine, plan, kind, subject)
    if cancelled is None:
        fail(say("es", "cli.no_contact", subject=subject))
    typer.echo(say("es", "cli.contact_forgotten", subject=subject, cancelled=cancelled))
