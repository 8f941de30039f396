"""``cocrea check``: validate a process definition and print its summary."""

from __future__ import annotations

from typing import Annotated

import typer

from definitions.loader import parse_definition
from definitions.messages import say
from definitions.registry import resolve_definition_source
from definitions.summary import render_summary
from workflow.cli.support import (
    Json,
    emit,
    handled,
)


@handled
def check(source: Annotated[str, typer.Argument()],
          as_json: Json = False) -> None:
    """Validate a process definition and print its summary."""
    label, text = resolve_definition_source(source)
    definition = parse_definition(text, label)
    emit(as_json, definition.model_dump(mode="json"), "\n\n".join(
        [say(definition.locale, "cli.definition_ok", source=label), render_summary(definition)]))
