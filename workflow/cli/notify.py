"""``cocrea notify`` and ``cocrea contact``: the outbox, and the addresses it reaches.

``notify`` delivers the outbox once, lists messages (the dead ones) and retries
them; ``contact forget`` erases a person's address.
"""

from __future__ import annotations

from typing import Annotated

import typer

from definitions.messages import deployment_locale, say
from storage import contacts, outbox, queries
from workflow.adapters.logs import configure_logging
from workflow.cli.support import (
    DEFAULT_ACTOR,
    ActorName,
    Db,
    Json,
    actor,
    cocrea,
    emit,
    fail,
    handled,
    reader,
)
from workflow.commands import SaveAgencyContact
from workflow.domain.clock import utc_now

notify_app = typer.Typer(no_args_is_help=True)
contact_app = typer.Typer(no_args_is_help=True)


@notify_app.command("run")
@handled
def run(db: Db = None, as_json: Json = False) -> None:
    """Deliver what is due in the outbox, one pass."""
    configure_logging()
    done = cocrea(db).dispatcher().run_once()
    data = {"delivered": done.delivered, "retried": done.retried, "dead": done.dead}
    emit(as_json, data, say(deployment_locale(), "cli.notify_pass", delivered=len(done.delivered),
                            retried=len(done.retried), dead=len(done.dead)))


@notify_app.command("list")
@handled
def list_messages(dead: Annotated[bool, typer.Option("--dead")]
                  = False, db: Db = None, as_json: Json = False) -> None:
    """List outbox messages (only the dead ones with --dead)."""
    rows = outbox.messages(reader(db), "dead" if dead else None)
    lo = deployment_locale()
    lines = [say(lo, "cli.notify_line", id=r["message_id"], status=r["status"],
                 channel=r["channel"], to=r["recipient"], attempts=r["attempts"],
                 error=r["last_error"] or "") for r in rows]
    emit(as_json, rows, "\n".join(lines) or say(lo, "cli.notify_none"))


@notify_app.command("retry")
@handled
def retry(ids: Annotated[list[str] | None, typer.Argument()]
          = None, db: Db = None) -> None:
    """Send dead messages again (all, or those named)."""
    count = outbox.revive(cocrea(db).engine, utc_now(), ids or None)
    typer.echo(say(deployment_locale(), "cli.notify_revived", count=count))


@contact_app.command("forget")
@handled
def forget(plan: str,
           member: Annotated[str | None, typer.Option("--member")] = None,
           proposal: Annotated[str | None, typer.Option(
               "--proposal")] = None,
           agency: Annotated[str | None, typer.Option("--agency")] = None,
           db: Db = None) -> None:
    """Erase the email of a member, a proponent or an agency (and cancel what was not sent)."""
    given = [(kind, subject) for kind, subject in (
        ("member", member), ("proponent", proposal), ("agency", agency)) if subject is not None]
    if len(given) != 1:
        fail(say(deployment_locale(), "cli.member_or_proposal"))
    kind, subject = given[0]
    engine = cocrea(db).engine
    locale = queries.load_plan(engine, plan).locale
    cancelled = contacts.forget(engine, plan, kind, subject)
    if cancelled is None:
        fail(say(locale, "cli.no_contact", subject=subject))
    typer.echo(say(locale, "cli.contact_forgotten", subject=subject, cancelled=cancelled))


@contact_app.command("agency")
@handled
def agency_contact(plan: str, agency: Annotated[str, typer.Option("--agency")],
                   email: Annotated[str, typer.Option("--email")],
                   db: Db = None, actor_name: ActorName = DEFAULT_ACTOR) -> None:
    """Keep the address an implementing agency is told at (outside the log; erasable)."""
    wired = cocrea(db)
    wired.services().handle(SaveAgencyContact(plan, agency, email, actor(actor_name)))
    locale = queries.load_plan(wired.engine, plan).locale
    typer.echo(say(locale, "cli.agency_contact_saved", agency=agency.strip()))
