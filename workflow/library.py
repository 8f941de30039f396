"""The definitions a plan can be made from: shipped with cocrea, stored in a database, or a file.

What a person names is resolved here, above :mod:`definitions` (which knows no
database): ``ID`` is the newest version of that id among the shipped and the
stored definitions, ``ID@VERSION`` that version, and anything else that looks like
a path is read as a YAML file (where files are allowed: never from the API). A
known id wins over a file of the same name. A name that fits none is a NotFound
listing the definitions there are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from definitions.loader import parse_definition, read_source
from definitions.messages import resolved
from definitions.registry import shipped_definition, shipped_definitions
from definitions.schema import Definition
from storage import definitions as stored
from workflow.domain.catalog import cached_catalog
from workflow.domain.library import (
    Entry,
    Reference,
    no_definition,
    parse_reference,
    pick,
)
from workflow.services import shipped_entry

StoredOpener = Callable[[], Engine | None]
"""Opens the database holding stored definitions when first needed (None: there is none)."""
PARSED_KEPT = 32
"""How many stored definitions a process keeps parsed (a large one takes a second to parse,
and anyone may read it: ``GET /definitions/{id}``)."""
_PARSED: dict[str, Definition] = {}


@dataclass(frozen=True)
class Found:
    """A definition found by name: parsed, the label its problems name, its library entry."""

    definition: Definition
    label: str
    entry: Entry | None
    """None for a file (not in the library)."""


class Library:
    """The shipped definitions and those stored in one database (if any)."""

    def __init__(self, engine: Engine | StoredOpener | None = None, files: bool = True) -> None:
        """Look in ``engine``'s database (or the one ``engine()`` opens, when first needed).

        With ``files`` False a name is never read as a file (the API's case).
        """
        self._opener: StoredOpener = engine if callable(engine) else lambda: engine
        self._opened: list[Engine | None] = []
        self._files = files

    def _open(self) -> Engine | None:
        if not self._opened:
            self._opened.append(self._opener())
        return self._opened[0]

    def entries(self) -> list[Entry]:
        """Return every definition there is, shipped and stored, by id and version."""
        shipped = [e for e in map(shipped_entry, shipped_definitions()) if e is not None]
        engine = self._open()
        found = shipped + (stored.entries(engine) if engine is not None else [])
        return sorted(found, key=lambda e: (e.id, e.version, e.origin))

    def entry(self, reference: Reference, locale: str | None = None) -> Entry:
        """Return the entry ``reference`` names (NotFound listing what there is)."""
        return pick(self.entries(), reference, resolved(locale))

    def find(self, name: str, locale: str | None = None) -> Found:
        """Return the definition ``name`` names: ``ID``, ``ID@VERSION`` or a file path.

        Raises NotFound (listing the definitions there are) when it names none, and
        DefinitionError when what it names is not a valid definition.
        """
        lo = resolved(locale)
        if self._files and _path_like(name):
            return _file(Path(name), lo)
        reference = parse_reference(name)
        entries = self.entries()
        if reference is not None and any(entry.id == reference.id for entry in entries):
            return self.load(pick(entries, reference, lo))
        if self._files and Path(name).is_file():
            return _file(Path(name), lo)
        raise no_definition(lo, name, entries)

    def load(self, entry: Entry) -> Found:
        """Return the definition of a library entry, parsed (once: it is content-addressed)."""
        if entry.origin == "shipped":
            return Found(shipped_definition(entry.id), entry.key, entry)
        return Found(_PARSED.get(entry.sha256) or self._parse(entry), entry.key, entry)

    def _parse(self, entry: Entry) -> Definition:
        catalog = cached_catalog(entry.sha256)  # a plan made from it: parsed already
        if catalog is not None:
            return catalog.definition
        engine = self._open()
        kept = None if engine is None else stored.read(engine, entry.id, entry.version)
        if kept is None:
            raise no_definition(resolved(None), entry.key, self.entries())
        definition = parse_definition(kept.yaml, entry.key)
        if len(_PARSED) >= PARSED_KEPT:
            del _PARSED[next(iter(_PARSED))]  # the oldest
        _PARSED[entry.sha256] = definition
        return definition


def _file(path: Path, locale: str) -> Found:
    return Found(parse_definition(read_source(path, locale), str(path)), str(path), None)


def _path_like(name: str) -> bool:
    """Whether ``name`` can only be a file path (ids hold no folder separator, no dot)."""
    return "/" in name or "\\" in name or name.endswith((".yaml", ".yml"))
