"""The definition library's rules: what a reference names, what may be added and removed.

cocrea runs the definitions shipped with it and those an administrator stored in
the database (``cocrea definition add``, ``POST /definitions``). Each is one id at
one version, addressed by the SHA-256 that a plan made from it pins
(:func:`~workflow.domain.catalog.definition_hash`):

- a reference is ``ID`` (the newest version of it, shipped or stored) or ``ID@VERSION``;
- adding an id@version already there with the same content changes nothing; with
  other content it is refused (raise ``version:``), a shipped id@version included;
- a stored definition that a plan pins cannot be removed; a shipped one never can.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from definitions.messages import join, say
from definitions.schema import Definition
from workflow.domain.catalog import definition_hash
from workflow.domain.errors import AlreadyExists, InUse, InvalidInput, NotFound
from workflow.domain.events import Actor
from workflow.domain.failures import invalid, said_in

Origin = Literal["shipped", "stored"]
SHIPPED: Origin = "shipped"
STORED: Origin = "stored"
REFERENCE = re.compile(r"^(?P<id>[a-z0-9][a-z0-9-]{0,63})(?:@(?P<version>[1-9][0-9]{0,8}))?$")
"""``ID`` or ``ID@VERSION``: a definition's id (as the schema writes it) and a version."""


@dataclass(frozen=True, slots=True)
class Reference:
    """What a person names: a definition's id, and its version (None: the newest)."""

    id: str
    version: int | None = None

    def __str__(self) -> str:
        """Return the reference as written: ``ID`` or ``ID@VERSION``."""
        return self.id if self.version is None else f"{self.id}@{self.version}"


def parse_reference(text: str) -> Reference | None:
    """Return the id and version ``text`` names, or None when it is not ``ID[@VERSION]``."""
    found = REFERENCE.match(text)
    if found is None:
        return None
    version = found.group("version")
    return Reference(found.group("id"), None if version is None else int(version))


def exact_reference(text: str, locale: str) -> tuple[str, int]:
    """Return the id and version ``text`` names (``ID@VERSION``); InvalidInput without one."""
    found = parse_reference(text)
    if found is None or found.version is None:
        raise invalid(locale, "definition", "field.definition_version", value=text)
    return found.id, found.version


@dataclass(frozen=True, slots=True)
class Entry:
    """One definition cocrea can run: id, version, hash, and where it comes from."""

    id: str
    version: int
    sha256: str
    title: str
    locale: str
    origin: Origin
    added_at: dt.datetime | None = None
    added_by: Actor | None = None

    @property
    def key(self) -> str:
        """Return ``ID@VERSION``."""
        return f"{self.id}@{self.version}"

    def data(self) -> dict[str, Any]:
        """Return the entry as JSON data (``source`` says shipped or stored)."""
        who = self.added_by
        return {"id": self.id, "version": self.version, "sha256": self.sha256,
                "title": self.title, "locale": self.locale, "source": self.origin,
                "added_at": None if self.added_at is None else self.added_at.isoformat(),
                "added_by": None if who is None else who.name,
                "added_role": None if who is None else who.role}


@dataclass(frozen=True, slots=True)
class StoredDefinition:
    """A definition as the database keeps it: its entry and its YAML text as given."""

    entry: Entry
    yaml: str


@dataclass(frozen=True, slots=True)
class Added:
    """What adding a definition did: the entry now there, and whether it is new."""

    entry: Entry
    new: bool


@dataclass(frozen=True, slots=True)
class PinnedPlan:
    """A plan made from some version of a definition: the version and hash it pins."""

    plan_id: str
    version: int
    sha256: str


def entry_of(definition: Definition, origin: Origin, added_at: dt.datetime | None = None,
             added_by: Actor | None = None) -> Entry:
    """Return the library entry of a parsed definition (its hash as a plan would pin it)."""
    return Entry(definition.id, definition.version, definition_hash(definition),
                 definition.title, definition.locale, origin, added_at, added_by)


def to_store(definition: Definition, yaml: str, actor: Actor, now: dt.datetime
             ) -> StoredDefinition:
    """Return what the database keeps of a definition ``actor`` adds at ``now``."""
    return StoredDefinition(entry_of(definition, STORED, now, actor), yaml)


def admit(candidate: StoredDefinition, stored: StoredDefinition | None,
          shipped: Entry | None) -> Entry | None:
    """Return the entry already there with the candidate's content, or None when it is new.

    ``stored`` is the row of the candidate's id@version, ``shipped`` the shipped
    definition of its id (any version). The same content is the same hash (or,
    should the schema have changed since, the same YAML text); other content under
    an id@version already taken raises AlreadyExists telling to raise ``version:``.
    """
    entry = candidate.entry
    if shipped is not None and shipped.version == entry.version:
        if shipped.sha256 == entry.sha256:
            return shipped
        raise _taken(entry, "error.definition_shipped")
    if stored is None:
        return None
    if stored.entry.sha256 == entry.sha256 or stored.yaml == candidate.yaml:
        return stored.entry
    raise _taken(entry, "error.definition_taken")


def _taken(entry: Entry, key: str) -> AlreadyExists:
    message = say(entry.locale, key, key=entry.key)
    return said_in(entry.locale, AlreadyExists(message, "definition", entry.key))


def pick(entries: Sequence[Entry], reference: Reference, locale: str) -> Entry:
    """Return the entry ``reference`` names: that version, else the newest of its id.

    NotFound lists the definitions there are (or the id's versions) when none fits.
    """
    same = [entry for entry in entries if entry.id == reference.id]
    if not same:
        raise no_definition(locale, str(reference), entries)
    if reference.version is None:
        return max(same, key=lambda entry: (entry.version, entry.origin == SHIPPED))
    for entry in same:
        if entry.version == reference.version:
            return entry
    versions = join([str(entry.version) for entry in sorted(same, key=lambda e: e.version)],
                    locale)
    message = say(locale, "error.no_definition_version", name=reference.id,
                  version=reference.version, versions=versions)
    raise said_in(locale, NotFound(message, "definition", str(reference)))


def no_definition(locale: str, name: str, entries: Sequence[Entry]) -> NotFound:
    """Return the error for a reference naming no definition, listing those there are."""
    known = join(sorted(entry.key for entry in entries), locale)
    message = say(locale, "error.no_definition", name=name, known=known)
    return said_in(locale, NotFound(message, "definition", name))


def pinning(entry: Entry, plans: Sequence[PinnedPlan]) -> list[str]:
    """Return the plans (of the entry's id) that pin it: its hash, or its version.

    The version counts too: should the schema change what a definition's hash
    covers, a plan made before still pins this id@version.
    """
    return sorted(plan.plan_id for plan in plans
                  if plan.sha256 == entry.sha256 or plan.version == entry.version)


def check_removal(entry: Entry, plans: Sequence[PinnedPlan]) -> None:
    """Raise InUse, naming the plans, when a plan pins the stored definition ``entry``."""
    users = pinning(entry, plans)
    if users:
        message = say(entry.locale, "error.definition_in_use", key=entry.key,
                      count=len(users), plans=join(users, entry.locale))
        raise said_in(entry.locale, InUse(message, "definition", entry.key, users))


def shipped_fixed(locale: str, reference: Reference) -> InvalidInput:
    """Return the error for removing a definition shipped with cocrea (it cannot be)."""
    return invalid(locale, "definition", "field.definition_shipped", key=str(reference))
