"""What every CLI command shares: options, the database, output, and the error table.

Errors are mapped to answers in one place (:func:`handled`): a WorkflowError
prints its message (a definition error, every problem with its line) and exits
1; nothing a user types produces a Python traceback.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from typing import Annotated, Any, ParamSpec, TypeVar

import structlog
import typer
from sqlalchemy import Engine
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from definitions.messages import deployment_locale, resolved, say
from storage.database import database_url, durability_settings, open_engine, unsafe_settings
from storage.uow import SqlUnitOfWork
from workflow.domain.errors import DefinitionError, WorkflowError
from workflow.domain.events import Actor
from workflow.domain.failures import database_failed, invalid_because
from workflow.services import Services

P = ParamSpec("P")
R = TypeVar("R")

Db = Annotated[str | None, typer.Option("--db", help="URL de la base de datos "
                                        "(o COCREA_DATABASE_URL; por defecto sqlite:///cocrea.db)")]
ActorName = Annotated[str, typer.Option(
    "--actor", help="Quién ejecuta la orden (queda en los eventos que cause)")]
Json = Annotated[bool, typer.Option("--json", help="Salida en JSON")]
Expect = Annotated[int | None, typer.Option("--expect-version",
                                            help="Falla si el plan o la propuesta cambió")]
DEFAULT_ACTOR = "tecnico"
log = structlog.get_logger("cocrea.database")


def engine_for(db: str | None) -> Engine:
    """Open (and migrate) the database the user named, with errors in words."""
    url = database_url(db)
    try:
        return open_engine(url)
    except ArgumentError as exc:
        raise invalid_because(deployment_locale(), "--db", str(exc)) from exc
    except SQLAlchemyError as exc:
        detail = str(exc).splitlines()[0]
        raise database_failed(deployment_locale(), detail) from exc


def warn_if_not_durable(engine: Engine) -> dict[str, str]:
    """Warn when the database can lose writes it acknowledged; return the settings at fault.

    The warning goes to stderr as a line for people, then to the log as
    ``durability_at_risk`` with every setting read. No fault: nothing is said.
    """
    settings = durability_settings(engine)
    unsafe = unsafe_settings(settings)
    if unsafe:
        typer.echo(say(deployment_locale(), "cli.durability_at_risk",
                       settings=", ".join(f"{k}={v}" for k, v in unsafe.items())), err=True)
        log.warning("durability_at_risk", settings=settings, unsafe=sorted(unsafe),
                    database=engine.url.render_as_string(hide_password=True))
    return unsafe


def services(engine: Engine) -> Services:
    """Return the services over an open database."""
    return Services(lambda: SqlUnitOfWork(engine))


def actor(name: str) -> Actor:
    """Return the CLI's actor: staff, named by ``--actor``."""
    return Actor(name.strip() or DEFAULT_ACTOR, "staff")


def emit(as_json: bool, data: Any, text: str) -> None:
    """Print ``data`` as JSON, or ``text`` for a person."""
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        typer.echo(text)


def fail(message: str, code: int = 1) -> None:
    """Print an error for a person on stderr and exit with ``code``."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def describe(error: WorkflowError) -> str:
    """Return an error as a person reads it (a definition error lists every problem)."""
    if isinstance(error, DefinitionError):
        lo = resolved(error.locale)
        lines = [str(error)]
        lines += [say(lo, "cli.problem_line", source=error.source, line=p.line or "?",
                      path=p.path or say(lo, "cli.document"), message=p.message)
                  for p in error.problems]
        return "\n".join(lines)
    return f"error: {error}"


def handled(command: Callable[P, R]) -> Callable[P, R]:
    """Map every error of a command to a message and an exit code (the one error table)."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except WorkflowError as exc:
            typer.echo(describe(exc), err=True)
            raise typer.Exit(1) from exc
        except SQLAlchemyError as exc:
            detail = str(exc).splitlines()[0]
            typer.echo(say(deployment_locale(), "error.database", detail=detail), err=True)
            raise typer.Exit(1) from exc
        except (OSError, ValueError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from exc

    return run


def parse_date(value: str, option: str, locale: str | None = None) -> dt.date:
    """Return the ISO date ``value`` given for ``option``; one error line when it is not."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        lo = resolved(locale)
        fail(say(lo, "error.field", field=option, problem=say(lo, "cli.bad_date", value=value)))
        raise
