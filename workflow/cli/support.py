"""What every CLI command shares: options, the database, output, and the error table.

Errors are mapped to answers in one place (:func:`handled`): a WorkflowError
prints its message (a definition error, every problem with its line) and exits
1; nothing a user types produces a Python traceback.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import structlog
import typer
from sqlalchemy import Engine
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from definitions.messages import deployment_locale, resolved, say
from storage.database import database_url, durability_settings, unsafe_settings
from workflow.bootstrap import Cocrea, bootstrap
from workflow.domain.clock import Clock, utc_now
from workflow.domain.errors import DefinitionError, WorkflowError
from workflow.domain.events import Actor
from workflow.domain.failures import database_failed, invalid_because

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
log = structlog.get_logger("cocrea.cli")


def cocrea(db: str | None, readonly: bool = False, clock: Clock = utc_now) -> Cocrea:
    """Wire cocrea over the database the user named (read-only for commands that only read).

    Commands that change something migrate the database first; those that only
    read open it read-only and never migrate (an audit never writes to what it
    audits). Errors come out in words.
    """
    url = database_url(db)
    try:
        return bootstrap(url, readonly=readonly, clock=clock)
    except ArgumentError as exc:
        raise invalid_because(deployment_locale(), "--db", str(exc)) from exc
    except SQLAlchemyError as exc:
        detail = str(exc).splitlines()[0]
        raise database_failed(deployment_locale(), detail) from exc


def reader(db: str | None) -> Engine:
    """Open the database the user named for reading only (see :func:`cocrea`)."""
    return cocrea(db, readonly=True).engine


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
    """Map every error of a command to a message and an exit code (the one error table).

    A typed error is the user's to fix: its message, exit 1. The database failing
    is said in words, exit 1. Output whose reader went away (``cocrea events | head``)
    ends quietly, exit 0. Anything else is a bug in cocrea, never disguised as the
    user's error: one line saying so and where its traceback was written, exit 70.
    """

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            result = command(*args, **kwargs)
            sys.stdout.flush()  # a reader gone after the last write is found here, not at exit
            return result
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError as exc:
            raise reader_gone() from exc
        except WorkflowError as exc:
            typer.echo(describe(exc), err=True)
            raise typer.Exit(1) from exc
        except SQLAlchemyError as exc:
            detail = str(exc).splitlines()[0]
            typer.echo(say(deployment_locale(), "error.database", detail=detail), err=True)
            raise typer.Exit(1) from exc
        except Exception as exc:
            typer.echo(say(deployment_locale(), "cli.internal_error",
                           error=f"{type(exc).__name__}: {exc}", path=write_crash_report(exc)),
                       err=True)
            raise typer.Exit(INTERNAL_ERROR) from exc

    return run


def reader_gone() -> typer.Exit:
    """Return the quiet end of a command whose output nobody reads any more (exit 0).

    Standard output is pointed at the null device, so what is still buffered goes
    nowhere instead of failing again, with "Broken pipe", as the process exits.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return typer.Exit(0)


INTERNAL_ERROR = 70
"""Exit code of a bug in cocrea (EX_SOFTWARE), apart from a user's error (1)."""


def write_crash_report(error: BaseException) -> Path:
    """Write ``error``'s traceback to a file of its own and return where (for the bug report)."""
    folder = Path(tempfile.gettempdir()) / "cocrea-errors"
    folder.mkdir(exist_ok=True)
    path = folder / f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}-{os.getpid()}.log"
    path.write_text("".join(traceback.format_exception(error)), encoding="utf-8")
    log.error("internal_error", error=repr(error), report=str(path))
    return path


def parse_date(value: str, option: str, locale: str | None = None) -> dt.date:
    """Return the ISO date ``value`` given for ``option``; one error line when it is not."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        lo = resolved(locale)
        fail(say(lo, "error.field", field=option, problem=say(lo, "cli.bad_date", value=value)))
        raise
