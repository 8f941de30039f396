"""What an import makes of a Decidim export: the rows the engine imports, in the plan's language.

The reader (:mod:`workflow.adapters.decidim`) turns the file into
:class:`~workflow.adapters.decidim.DecidimProposal` records; this turns each into an
:class:`~workflow.domain.imports.Incoming` row: its origin (the host of its URL, its
id, reference and URL), its title and body in the plan's language (or another
present), ``published_at`` as its reception moment, what Decidim said of it as
information, and why the file itself leaves it out (another space or component,
withdrawn, an amendment). A file holding several spaces must be imported naming
one (``space``): else it is refused once read, and nothing is imported.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

from definitions.messages import join, say
from workflow.adapters.decidim import DecidimExport, DecidimProposal, read_export, skip_reason
from workflow.domain.failures import invalid
from workflow.domain.imports import DECIDIM, Incoming, Origin

Progress = Callable[[float], None]
"""Told how much of the file has been read so far, from 0 to 1."""

Rows = Callable[[str], Iterator[Incoming]]
"""The rows of a file, read in the language given (the plan's)."""


def decidim_rows(data: bytes, filename: str, space: int | None = None,
                 component: int | None = None, progress: Progress | None = None) -> Rows:
    """Return how to read the Decidim export ``data`` (named ``filename``) as rows to import.

    ``space`` and ``component``: the participatory space and component whose proposals
    are imported (the others are left out, counted); None takes the file's only space,
    and any component. Reading raises ImportRejected when the file is faulty.
    """

    def rows(locale: str) -> Iterator[Incoming]:
        export = read_export(data, filename, locale)
        yield from incoming(export, locale, space, component, progress)

    return rows


def incoming(export: DecidimExport, locale: str, space: int | None, component: int | None,
             progress: Progress | None = None) -> Iterator[Incoming]:
    """Yield the export's proposals as rows to import; refuse several spaces unless one is named.

    Naming a component names its space too: the rows of the others are left out as of
    another component.
    """
    spaces: Counter[int] = Counter()
    for proposal in export:
        spaces[proposal.space_id] += 1
        yield row_of(proposal, space, component)
        if progress is not None:
            progress(export.progress())
    if space is None and component is None and len(spaces) > 1:
        counts = [say(locale, "import.space_count", space=key, count=n)
                  for key, n in sorted(spaces.items())]
        raise invalid(locale, "space", "import.several_spaces", spaces=join(counts, locale))


def _host(url: str) -> str | None:
    """Return the host a URL names (its scheme and address, the part before the path)."""
    return _hostname("/".join(url.split("/", 3)[:3]))


@functools.lru_cache(maxsize=64)
def _hostname(start: str) -> str | None:
    return urlsplit(start).hostname


def row_of(proposal: DecidimProposal, space: int | None, component: int | None) -> Incoming:
    """Return the row to import of one Decidim proposal (nothing personal: no author)."""
    reason = skip_reason(proposal, space, component)
    host = _host(proposal.url) or _host(proposal.space_url) or ""
    return Incoming(
        line=proposal.line,
        origin=Origin(DECIDIM, host, proposal.decidim_id, proposal.reference, proposal.url),
        title=proposal.title, body=proposal.body, received_at=proposal.published_at,
        information={"state": proposal.state, "answer": proposal.answer,
                     "votes": proposal.votes, "endorsements": proposal.endorsements,
                     "comments": proposal.comments},
        skip=None if reason is None else reason.value)
