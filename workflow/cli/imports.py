"""``cocrea import decidim``: import the proposals of a Decidim export into a plan.

It reads what Decidim exports (the open-data ZIP or its proposals CSV, an admin
export as CSV or JSON), imports all or nothing in one transaction, and prints what
it imported (each row's line and the proposal it became) and what it left out, by
reason. ``--dry-run`` does everything but commit. On a terminal a large file shows
its progress on stderr. A faulty file is refused with every problem's line and column.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from definitions.loader import unreadable_reason
from definitions.messages import number, say
from storage import queries
from workflow.adapters.decidim import LIMITS
from workflow.adapters.decidim_import import Progress, decidim_rows
from workflow.cli.render import import_text
from workflow.cli.support import (
    DEFAULT_ACTOR,
    ActorName,
    Db,
    Json,
    actor,
    cocrea,
    emit,
    handled,
)
from workflow.commands import ImportProposals
from workflow.domain.errors import ImportProblem, ImportRejected

app = typer.Typer(no_args_is_help=True)
STEPS = 1000
"""The progress bar's steps (it is redrawn at most this many times)."""


@app.command("decidim")
@handled
def import_decidim(plan: str, file: Annotated[Path, typer.Argument()],
                   dry_run: Annotated[bool, typer.Option("--dry-run")] = False,
                   space: Annotated[int | None, typer.Option("--space")] = None,
                   component: Annotated[int | None, typer.Option("--component")] = None,
                   channel: Annotated[str | None, typer.Option("--channel")] = None,
                   db: Db = None, actor_name: ActorName = DEFAULT_ACTOR,
                   as_json: Json = False) -> None:
    """Import a Decidim export's proposals into a plan, all or nothing."""
    wired = cocrea(db)
    found = queries.load_plan(wired.engine, plan)
    data = read_file(file, found.locale)
    with progress_bar(found.locale) as progress:
        rows = decidim_rows(data, file.name, space, component, progress)
        report = wired.services().handle(ImportProposals(
            plan, file.name, rows, actor(actor_name), channel, dry_run))
    emit(as_json, report.data(), import_text(report, found.state.definition))


def read_file(path: Path, locale: str) -> bytes:
    """Return the bytes of the file to import, or refuse it (ImportRejected) in words."""
    try:
        size = path.stat().st_size
        if size > LIMITS.file_bytes:
            raise _unreadable(path, say(locale, "decidim.too_large", size=number(size, locale),
                                        limit=number(LIMITS.file_bytes, locale)), locale)
        return path.read_bytes()
    except OSError as error:
        raise _unreadable(path, say(locale, "import.unreadable",
                                    reason=unreadable_reason(error, locale)), locale) from error


def _unreadable(path: Path, message: str, locale: str) -> ImportRejected:
    return ImportRejected(str(path), [ImportProblem(None, message)], locale=locale)


@contextmanager
def progress_bar(locale: str) -> Iterator[Progress | None]:
    """Show how much of the file is read, on stderr, when it is a terminal (else nothing)."""
    if not sys.stderr.isatty():
        yield None
        return
    with typer.progressbar(length=STEPS, label=say(locale, "import.progress"),
                           file=sys.stderr) as bar:
        def tell(done: float) -> None:
            step = int(done * STEPS)
            if step > bar.pos:
                bar.update(step - bar.pos)

        yield tell
