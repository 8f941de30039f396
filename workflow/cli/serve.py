"""``cocrea serve`` (the API and the scheduler in one process) and ``cocrea token``."""

from __future__ import annotations

import os
from typing import Annotated

import typer
import uvicorn

from definitions.messages import deployment_locale, say
from notifications.setup import channels_from_env
from storage.tokens import create_token, list_tokens, revoke_token
from workflow.adapters.logs import configure_logging
from workflow.api.app import create_app
from workflow.api.asgi import LEASE, NOTIFY, POLL
from workflow.api.settings import DEFAULT_MAX_BODY_BYTES, MAX_BODY_ENV
from workflow.cli.support import (
    Db,
    Json,
    cocrea,
    emit,
    fail,
    handled,
    reader,
    warn_if_not_durable,
)

token_app = typer.Typer(no_args_is_help=True)


@handled
def serve(db: Db = None,
          host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
          port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
          poll: Annotated[float, typer.Option("--poll", min=0.1)] = 30.0,
          workers: Annotated[int, typer.Option("--workers", min=1, max=64)] = 1,
          lease: Annotated[float, typer.Option(
              "--lease-seconds", min=1.0)] = 45.0,
          notify: Annotated[float, typer.Option(
              "--notify-every", min=0.1)] = 5.0,
          max_body: Annotated[int, typer.Option(
              "--max-body-bytes", min=1, envvar=MAX_BODY_ENV)] = DEFAULT_MAX_BODY_BYTES,
          ) -> None:
    """Serve the HTTP API, the deadline scheduler (one active, under a lease) and the outbox."""
    configure_logging()
    channels_from_env()  # a wrong setting stops here, named, before the server starts
    wired = cocrea(db)
    engine = wired.engine
    warn_if_not_durable(engine)  # the first thing it says, when it says it
    if workers == 1:
        app = create_app(wired, scheduler=True, poll_seconds=poll, lease_seconds=lease,
                         notify_seconds=notify, max_body_bytes=max_body)
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
        return
    if engine.dialect.name != "postgresql":
        fail(say(deployment_locale(), "cli.workers_need_postgresql"))
    os.environ.update({"COCREA_DATABASE_URL": engine.url.render_as_string(hide_password=False),
                       POLL: str(poll), LEASE: str(lease), NOTIFY: str(notify),
                       MAX_BODY_ENV: str(max_body)})
    engine.dispose()
    uvicorn.run("workflow.api.asgi:app_from_env", factory=True, workers=workers, host=host,
                port=port, log_level="warning", access_log=False)


@token_app.command("create")
@handled
def create(role: Annotated[str, typer.Option("--role")],
           name: Annotated[str, typer.Option("--name")],
           member: Annotated[str | None, typer.Option(
               "--member")] = None,
           agency: Annotated[str | None, typer.Option(
               "--agency", help="La entidad implementadora (rol implementer)")] = None,
           db: Db = None, as_json: Json = False) -> None:
    """Make a token (printed once: only its hash is kept)."""
    lo = deployment_locale()
    if role == "committee" and not member:
        fail(say(lo, "cli.member_needed"))
    agency = (agency or "").strip() or None
    if (role == "implementer") != (agency is not None):
        fail(say(lo, "cli.agency_needed"))
    if not name.strip():
        fail(say(lo, "error.field", field="--name", problem=say(lo, "field.blank")))
    identity, token = create_token(cocrea(db).engine, name.strip(), role, member,
                                   agency=agency)
    emit(as_json, {"token": token, "id": identity.token_id, "name": identity.name,
                   "role": identity.role, "member": identity.member_id,
                   "agency": identity.agency},
         say(lo, "cli.token_created", token=token, id=identity.token_id, role=role))


@token_app.command("revoke")
@handled
def revoke(token_id: Annotated[str, typer.Argument()],
           db: Db = None) -> None:
    """Revoke a token: it stops working at once."""
    if not revoke_token(cocrea(db).engine, token_id):
        fail(say(deployment_locale(), "cli.no_token", id=token_id))
    typer.echo(say(deployment_locale(), "cli.token_revoked", id=token_id))


@token_app.command("list")
@handled
def list_all(db: Db = None, as_json: Json = False) -> None:
    """List tokens: id, name, role, member, dates (never a secret)."""
    rows, lo = list_tokens(reader(db)), deployment_locale()
    lines = [say(lo, "cli.token_line", id=r["token_id"], role=f"{r['role']:<9}", name=r["name"],
                 member=say(lo, "cli.token_member", member=r["member_id"])
                 if r["member_id"] else "",
                 revoked=say(lo, "cli.token_revoked_mark") if r["revoked_at"] else "")
             for r in rows]
    emit(as_json, rows, "\n".join(lines))
