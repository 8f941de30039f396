"""What the reader makes of one proposal of a Decidim export, and which ones an import skips."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass


class Generation(enum.StrEnum):
    """The columns of a proposals export, told apart by its header row.

    0.26, 0.27 and 0.28 write the same columns (later 0.27 and 0.28 releases add
    ``author/*`` and ``answered_at`` to both alike), so a header cannot tell them apart.
    """

    V026 = "0.26–0.28"
    """``supports``; a withdrawn proposal's ``state`` is ``withdrawn``."""
    V029 = "0.29"
    """``votes``, ``withdrawn`` and ``withdrawn_at``; ``category/*`` and ``scope/*``."""
    V030 = "0.30+"
    """``taxonomies/*`` instead of category and scope; ``likes/*`` from 0.31."""


@dataclass(frozen=True, slots=True)
class DecidimProposal:
    """One proposal as Decidim exported it, in the plan's language where it has one.

    Nothing personal is kept: no author (Decidim's proposal exports hold names and
    profile links, never e-mail addresses; cocrea's log is append-only, so a name
    written there could never be erased, and the engine has no use for it).
    """

    decidim_id: int
    reference: str
    """Decidim's stable reference, e.g. ``CP-PROP-2022-09-5127``."""
    url: str
    space_id: int
    """The participatory space (process, assembly) it was made in."""
    space_url: str
    component_id: int
    title: str
    body: str
    """The body as Decidim exported it: plain text, hard-wrapped, HTML tags removed."""
    locale: str
    """The language of ``title`` and ``body`` (a key of Decidim's translated fields)."""
    fell_back: bool
    """Whether ``locale`` is not the language asked for (the proposal lacks it)."""
    published_at: dt.datetime
    """When Decidim published it (aware, in the offset Decidim wrote)."""
    state: str | None
    """Decidim's own state (``accepted``, a custom token, ...), as information; None if none."""
    answer: str | None
    """Decidim's published answer as exported (HTML), in ``locale`` or another; None if none."""
    votes: int | None
    """Supports (up to 0.28) or votes (0.29+); None when hidden."""
    endorsements: int | None
    """Endorsements (likes from 0.31); None when the export has no such column."""
    comments: int | None
    category: str | None
    scope: str | None
    taxonomies: tuple[str, ...]
    """0.30+: the names of its taxonomies (category and scope are None there)."""
    is_amend: bool
    amends_id: int | None
    """The Decidim id of the proposal an amendment amends, when its URL says it."""
    withdrawn: bool
    line: int
    """The physical line of the file where its row (or JSON object) begins."""


class Skip(enum.StrEnum):
    """Why an import leaves a proposal of the file out (counted, not an error)."""

    OTHER_SPACE = "other_space"
    OTHER_COMPONENT = "other_component"
    WITHDRAWN = "withdrawn"
    AMENDMENT = "amendment"


def skip_reason(proposal: DecidimProposal, space: int | None = None,
                component: int | None = None) -> Skip | None:
    """Return why an import into ``space`` (and ``component``) skips ``proposal``, or None.

    One reason each, the first that applies in the order of :class:`Skip`, so the
    counts of an import add up; None (of ``space`` or ``component``) takes any.
    """
    if space is not None and proposal.space_id != space:
        return Skip.OTHER_SPACE
    if component is not None and proposal.component_id != component:
        return Skip.OTHER_COMPONENT
    if proposal.withdrawn:
        return Skip.WITHDRAWN
    if proposal.is_amend:
        return Skip.AMENDMENT
    return None
