"""What a header row says: the generation, where each column is, and the languages present.

Decidim's header is the union of its rows' keys in the order first seen, so a
translation first met in a later row is appended at the end (``…;title/en;body/en``):
columns are found by name, never by position. A translated field has a column a
language, ``title/es``; ``title/machine_translations/en`` is not one of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from workflow.adapters.decidim.problems import Problems, named
from workflow.adapters.decidim.records import Generation

COMMON = ("id", "participatory_space/id", "component/id", "state", "reference",
          "published_at", "url", "is_amend")
"""The columns every generation has and the reader needs."""

REQUIRED = {
    Generation.V026: (*COMMON, "supports"),
    Generation.V029: (*COMMON, "votes", "withdrawn"),
    Generation.V030: (*COMMON, "withdrawn"),
}
"""The columns a file of each generation must have (0.30+ may hide its votes)."""

TRANSLATED = ("title", "body")
"""The translated fields a file must have in at least one language."""

Languages = tuple[tuple[str, int], ...]
"""A translated field's columns: (language, index), the language asked for first."""


def generation(names: Sequence[str]) -> Generation:
    """Tell the generation of a proposals export by its header's names."""
    if any(name.startswith(("taxonomies/", "likes/")) for name in names):
        return Generation.V030
    if "votes" in names or "withdrawn" in names:
        return Generation.V029
    return Generation.V026


MARKERS = frozenset(("is_amend", "original_proposal/url"))
"""Columns only a proposals export has, in every generation (amendments are proposals').

Meetings, results and comments have ``id`` first too, and ``related_proposals``.
"""


def is_proposals(names: Sequence[str]) -> bool:
    """Whether a header is a proposals export's: its first column ``id``, and one of MARKERS."""
    return bool(names) and names[0] == "id" and not MARKERS.isdisjoint(names)


@dataclass(frozen=True, slots=True)
class Layout:
    """Where a file's columns are (0-based indexes), and which languages it has."""

    names: tuple[str, ...]
    generation: Generation
    index: dict[str, int]
    title: Languages
    body: dict[str, int]
    answer: Languages
    category: Languages
    scope: Languages

    def at(self, name: str) -> int | None:
        """Return the index of the column ``name``, or None when the file has none."""
        return self.index.get(name)

    def first(self, *names: str) -> int | None:
        """Return the index of the first of ``names`` the file has."""
        return next((self.index[name] for name in names if name in self.index), None)

    @property
    def locales(self) -> tuple[str, ...]:
        """The languages titles are in, the language asked for first."""
        return tuple(language for language, _ in self.title)


def layout(names: Sequence[str], locale: str, problems: Problems) -> Layout:
    """Read a proposals header (``names``) for ``locale``; refuse it if a column is missing."""
    index: dict[str, int] = {}
    for position, name in enumerate(names):
        if name in index:
            problems.add(1, "decidim.duplicate_column", column=position + 1, name=named(name),
                         first=index[name] + 1)
        index.setdefault(name, position)
    found = generation(names)
    for name in REQUIRED[found]:
        if name not in index:
            problems.add(1, "decidim.missing_column", missing=name, generation=found.value)
    for field in TRANSLATED:
        if not languages(names, field, locale):
            problems.add(1, "decidim.missing_translated", field=field, locale=locale)
    problems.check()
    return Layout(tuple(names), found, index, languages(names, "title", locale),
                  dict(languages(names, "body", locale)), languages(names, "answer", locale),
                  languages(names, "category/name", locale),
                  languages(names, "scope/name", locale))


def languages(names: Sequence[str], field: str, locale: str) -> Languages:
    """Return the columns of ``field`` a language each: ``locale``, its variants, the rest.

    The rest keep the header's order. ``es`` asked for prefers ``es``, then ``es-MX``.
    """
    prefix = field + "/"
    found = [(name[len(prefix):], position) for position, name in enumerate(names)
             if name.startswith(prefix) and "/" not in name[len(prefix):]
             and len(name) > len(prefix)]
    language = locale.split("-", 1)[0]

    def rank(item: tuple[str, int]) -> int:
        key = item[0]
        return 0 if key == locale else 1 if key.split("-", 1)[0] == language else 2

    return tuple(sorted(found, key=rank))
