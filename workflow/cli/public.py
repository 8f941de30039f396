"""The public record from the command line: a plan's calendar feed and its open-data package.

Both only read (the database is opened read-only) and say what they wrote in the
plan's language.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from definitions.messages import say
from storage.public import record
from workflow.cli.support import DEFAULT_ACTOR, ActorName, Db, Json, emit, handled, reader
from workflow.public import package
from workflow.public.calendar import calendar as calendar_feed

Out = Annotated[Path | None, typer.Option("--out")]


@handled
def calendar(plan: str, out: Out = None, db: Db = None,
             actor_name: ActorName = DEFAULT_ACTOR) -> None:
    """Write a plan's calendar feed (iCalendar) to ``--out``, else to standard output."""
    with record(reader(db), plan) as found:
        body, title, lo = calendar_feed(found), found.plan.state.definition.title, found.plan.locale
    if out is None:
        sys.stdout.buffer.write(body)
        return
    out.write_bytes(body)
    typer.echo(say(lo, "cli.calendar_written", title=title, path=out))


@handled
def export(plan: str, out: Annotated[Path, typer.Option("--out")], db: Db = None,
           actor_name: ActorName = DEFAULT_ACTOR, as_json: Json = False) -> None:
    """Write a plan's open data to ``--out``: a folder, or a ZIP when it ends in ``.zip``."""
    written = package.export(reader(db), plan, out)
    described = written.descriptor
    lo = described["cocrea"]["language"]
    files = [{"path": r["path"], "bytes": r["bytes"], "hash": r["hash"]}
             for r in described["resources"]]
    emit(as_json, {"out": str(out), "files": files, "rows": written.rows},
         say(lo, "cli.open_data_written", title=described["title"], path=out,
             files=len(files) + 1, proposals=say(lo, "count.proposals",
                                                 count=written.rows["proposals"]),
             events=say(lo, "count.events", count=written.rows["events"])))
