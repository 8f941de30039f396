"""Proposals received elsewhere (Decidim) and imported: where each came from, and when.

An imported proposal is received through the definition's online channel at the
moment the other platform published it, which must fall inside the reception
phase's dates (those the lifecycle's ``submit_when`` names with ``phase_open``,
with the extensions the log has). An import may run after reception closed, so
it does not ask whether reception is open *now*: it records ``ProposalImported``,
whose received moment replay checks against the phase's dates as they stood then.

Its origin (the platform, its host, the proposal's id, reference and address
there) is what makes a second import of the same file add nothing; what the
platform said of it (its own state and answer, supports, endorsements, comments)
is kept as information, never as the proposal's lifecycle. No author is read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from definitions.messages import say
from definitions.schema import PhaseOpen
from workflow.domain.catalog import Catalog
from workflow.domain.deadlines import closes_at, opens_at
from workflow.domain.errors import IllegalEvent
from workflow.domain.failures import invalid
from workflow.domain.guards import quoted
from workflow.domain.state import PlanState

DECIDIM = "decidim"
"""The one platform proposals are imported from today."""

ORIGIN_FIELDS = ("decidim_id", "host", "reference", "source", "url")
"""What an imported proposal's ``origin`` holds, sorted."""

INFORMATION = ("answer", "blank_body", "comments", "endorsements", "state", "votes")
"""What an import keeps of the platform's own view of a proposal, sorted: its state and
published answer (raw HTML, as exported), its supports or votes, endorsements and
comments (None where the export has none), and whether its body was blank."""

_TEXTS, _COUNTS = ("answer", "state"), ("comments", "endorsements", "votes")

OriginKey = tuple[str, str, int]
"""An imported proposal's key within its plan: the source, its host, its id there."""


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an imported proposal was made: the platform, its host, its id, reference, URL."""

    source: str
    host: str
    decidim_id: int
    reference: str
    url: str

    @property
    def key(self) -> OriginKey:
        """The key that makes an origin imported once into a plan."""
        return (self.source, self.host, self.decidim_id)

    def data(self) -> dict[str, Any]:
        """Return the origin as an event records it."""
        return {"source": self.source, "host": self.host, "decidim_id": self.decidim_id,
                "reference": self.reference, "url": self.url}

    @classmethod
    def from_data(cls, data: Any, proposal: str) -> Origin:
        """Read an event's origin; IllegalEvent unless it has exactly its fields, well typed."""
        if not isinstance(data, Mapping) or tuple(sorted(data)) != ORIGIN_FIELDS:
            raise IllegalEvent("illegal.origin_shape", proposal=proposal)
        texts = [data[k] for k in ("host", "reference", "source", "url")]
        number = data["decidim_id"]
        if not all(isinstance(t, str) for t in texts) or type(number) is not int:
            raise IllegalEvent("illegal.origin_shape", proposal=proposal)
        return cls(data["source"], data["host"], number, data["reference"], data["url"])


def check_information(data: Any, proposal: str) -> dict[str, Any]:
    """Return an event's ``information``; IllegalEvent unless it has its fields, well typed."""
    if not isinstance(data, Mapping) or tuple(sorted(data)) != INFORMATION:
        raise IllegalEvent("illegal.information_shape", proposal=proposal)
    fits = (all(data[k] is None or isinstance(data[k], str) for k in _TEXTS)
            and all(data[k] is None or type(data[k]) is int for k in _COUNTS)
            and isinstance(data["blank_body"], bool))
    if not fits:
        raise IllegalEvent("illegal.information_shape", proposal=proposal)
    return dict(data)


@dataclass(frozen=True, slots=True)
class Incoming:
    """One proposal of a file to import, as an importer hands it to the engine.

    ``skip`` is why the importer leaves it out, when the file itself says so
    (``other_space``, ``other_component``, ``withdrawn``, ``amendment``); the engine
    adds ``already_imported`` and ``outside_dates``.
    """

    line: int
    """The line of the file where its row begins (problems and reports name it)."""
    origin: Origin
    title: str
    body: str
    received_at: dt.datetime
    """When the platform published it (aware): the proposal's reception moment."""
    information: Mapping[str, Any]
    """The platform's view of it (:data:`INFORMATION` but ``blank_body``)."""
    skip: str | None = None


@dataclass(frozen=True, slots=True)
class Window:
    """When proposals may have been received: from ``opens``, until before ``closes``.

    None on either side: the definition names no reception phase, so no bound.
    """

    opens: dt.datetime | None
    closes: dt.datetime | None

    def holds(self, moment: dt.datetime, now: dt.datetime) -> bool:
        """Whether a proposal received at ``moment`` fits, imported at ``now`` (not later)."""
        return (moment <= now and (self.opens is None or self.opens <= moment)
                and (self.closes is None or moment < self.closes))


def reception_phases(catalog: Catalog) -> list[str]:
    """Return the phases the lifecycle receives proposals in (``submit_when``'s phase_open)."""
    return [c.phase for c in catalog.definition.proposals.submit_when
            if isinstance(c, PhaseOpen)]


def reception_window(plan: PlanState, catalog: Catalog) -> Window:
    """Return the reception's dates as the plan has them now (extensions included).

    From the first instant of the phase's first day to the end of its last day, in
    the plan's zone; with several reception phases, the time they all run.
    """
    tz, regions = plan.definition.timezone, [plan.phases[p] for p in reception_phases(catalog)]
    return Window(max((opens_at(r, tz) for r in regions), default=None),
                  min((closes_at(r, tz) for r in regions), default=None))


def received_moment(text: Any, proposal: str) -> dt.datetime:
    """Read an event's ``received_at`` (ISO 8601 with an offset) as an aware UTC moment."""
    moment = dt.datetime.fromisoformat(text) if isinstance(text, str) else None
    if moment is None or moment.tzinfo is None:
        raise IllegalEvent("illegal.received_at", proposal=proposal, value=str(text))
    return moment.astimezone(dt.UTC)


def import_channel(plan: PlanState, catalog: Catalog, channel: str | None) -> str:
    """Return the channel imported proposals arrive through: ``channel``, or the online one.

    The online channel is the definition's only channel without mesas; with
    several, the caller must name one. A channel of mesas is refused: an
    imported proposal was made on a platform, at no mesa.
    """
    locale = plan.definition.locale
    online = [c for c in catalog.channels.values() if c.mesas == 0]
    if channel is None:
        if len(online) == 1:
            return online[0].id
        raise invalid(locale, "channel", "import.channel_choose",
                      channels=quoted(locale, [c.id for c in online]))
    spec = catalog.channels.get(channel)
    if spec is None:
        raise invalid(locale, "channel", "error.not_found", what=say(locale, "what.channel"),
                      key=channel)
    if spec.mesas:
        raise invalid(locale, "channel", "import.channel_mesas", channel=spec.name,
                      channels=quoted(locale, [c.id for c in online]))
    return channel


@dataclass(frozen=True, slots=True)
class ImportedFrom:
    """What the log says of an imported proposal's origin: its plan, origin and information."""

    plan_id: str
    origin: Origin
    information: dict[str, Any]


def imported_from(plan: PlanState, catalog: Catalog, proposal: str, data: Mapping[str, Any],
                  occurred_at: dt.datetime) -> ImportedFrom:
    """Check a recorded ``ProposalImported`` against its plan as it stood; what it imported.

    Its origin and information must have their fields, its channel must be one
    without mesas (and no mesa given), and it must have been received within the
    reception's dates, not after the import: else IllegalEvent.
    """
    origin = Origin.from_data(data["origin"], proposal)
    information = check_information(data["information"], proposal)
    spec = catalog.channels.get(data["channel"])
    if spec is None or spec.mesas or data["mesa"] is not None:
        raise IllegalEvent("illegal.import_channel", proposal=proposal, channel=data["channel"])
    received = received_moment(data["received_at"], proposal)
    window = reception_window(plan, catalog)
    if not window.holds(received, occurred_at):
        raise IllegalEvent("illegal.received_outside", proposal=proposal,
                           received=received.isoformat(), opens=_iso(window.opens),
                           closes=_iso(window.closes), imported=occurred_at.isoformat())
    return ImportedFrom(plan.plan_id, origin, information)


def _iso(moment: dt.datetime | None) -> str:
    return "—" if moment is None else moment.isoformat()
