"""``cocrea check`` and ``cocrea definition``: check a definition; the definitions a plan can use.

``definition add`` stores a checked definition in the database beside the shipped
ones, ``list`` and ``show`` read them (read-only), ``remove`` takes a stored one
away while no plan pins it. With no database yet (its SQLite file does not exist),
the reads see the shipped definitions only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from definitions.loader import parse_definition, read_source
from definitions.messages import deployment_locale, say
from definitions.registry import resolve_definition_source
from definitions.summary import render_summary
from storage.database import database_url
from workflow.cli.support import (
    DEFAULT_ACTOR,
    ActorName,
    Db,
    Json,
    actor,
    cocrea,
    emit,
    handled,
    reader,
)
from workflow.commands import AddDefinition, RemoveDefinition
from workflow.domain.library import SHIPPED, Entry, exact_reference
from workflow.library import Library

app = typer.Typer(no_args_is_help=True)


@handled
def check(source: Annotated[str, typer.Argument()],
          as_json: Json = False) -> None:
    """Validate a process definition and print its summary."""
    label, text = resolve_definition_source(source)
    definition = parse_definition(text, label)
    emit(as_json, definition.model_dump(mode="json"), "\n\n".join(
        [say(definition.locale, "cli.definition_ok", source=label), render_summary(definition)]))


def library_reader(db: str | None) -> Engine | None:
    """Open, read-only, the database holding stored definitions; None when there is none.

    A SQLite file that does not exist holds no definitions (the shipped ones are
    all there is), and nothing is created; any other database is opened as
    :func:`~workflow.cli.support.reader` opens it.
    """
    url = database_url(db)
    try:
        parsed = make_url(url)
    except ArgumentError:
        return reader(url)  # says in words what is wrong with it
    name = parsed.database
    if parsed.get_backend_name() == "sqlite" and (
            not name or name == ":memory:" or not Path(name).is_file()):
        return None
    return reader(url)


def origin(entry: Entry, locale: str) -> str:
    """Say where a definition comes from: shipped with cocrea, or stored in the database."""
    return say(locale, "library.shipped") if entry.origin == SHIPPED else say(
        locale, "library.stored")


@app.command("add")
@handled
def definition_add(file: Annotated[Path, typer.Argument()], db: Db = None,
                   actor_name: ActorName = DEFAULT_ACTOR, as_json: Json = False) -> None:
    """Store a definition in the database, checked as ``check`` checks it."""
    text = read_source(file)
    definition = parse_definition(text, str(file))
    added = cocrea(db).services().handle(AddDefinition(definition, text, actor(actor_name)))
    entry, lo = added.entry, definition.locale
    message = (say(lo, "cli.definition_added", key=entry.key, hash=entry.sha256) if added.new
               else say(lo, "cli.definition_there", key=entry.key, hash=entry.sha256,
                        origin=origin(entry, lo)))
    emit(as_json, {**entry.data(), "new": added.new}, message)


@app.command("list")
@handled
def definition_list(db: Db = None, actor_name: ActorName = DEFAULT_ACTOR,
                    as_json: Json = False) -> None:
    """List the definitions, shipped and stored: id@version, where from, sha256, title."""
    entries = Library(library_reader(db)).entries()
    lo = deployment_locale()
    emit(as_json, [entry.data() for entry in entries], "\n".join(
        say(lo, "cli.definition_line", key=entry.key, origin=origin(entry, lo),
            hash=entry.sha256[:12], title=entry.title) for entry in entries))


@app.command("show")
@handled
def definition_show(reference: Annotated[str, typer.Argument()], db: Db = None,
                    actor_name: ActorName = DEFAULT_ACTOR, as_json: Json = False) -> None:
    """Show a definition's summary (``ID``: its newest version), as ``check`` does."""
    found = Library(lambda: library_reader(db)).find(reference)
    definition = found.definition
    data: dict[str, Any] = {**(found.entry.data() if found.entry else {}),
                            "definition": definition.model_dump(mode="json")}
    emit(as_json, data, "\n\n".join(
        [say(definition.locale, "cli.definition_ok", source=found.label),
         render_summary(definition)]))


@app.command("remove")
@handled
def definition_remove(reference: Annotated[str, typer.Argument()], db: Db = None,
                      actor_name: ActorName = DEFAULT_ACTOR, as_json: Json = False) -> None:
    """Remove a stored definition's version; refused while a plan pins it."""
    definition_id, version = exact_reference(reference, deployment_locale())
    entry = cocrea(db).services().handle(RemoveDefinition(definition_id, version,
                                                          actor(actor_name)))
    emit(as_json, entry.data(), say(entry.locale, "cli.definition_removed", key=entry.key))
