"""An import, row by row: which proposals of a file it receives, which it leaves out and why.

:class:`Importer` decides for each :class:`~workflow.domain.imports.Incoming` row,
in the file's order: a proposal already imported into the plan (by origin) is
left out, so is one the file itself marks (another space or component, withdrawn,
an amendment), and one published outside the reception's dates; every other one
becomes a proposal numbered after the plan's count. :class:`ImportReport` counts
each reason and lists what an import did (or, in a dry run, would do).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from workflow.domain.events import Actor
from workflow.domain.imports import Incoming, OriginKey, Window, import_channel, reception_window
from workflow.domain.plan import Plan
from workflow.domain.proposal import Proposal

ALREADY_IMPORTED = "already_imported"
OUTSIDE_DATES = "outside_dates"
REASONS = (ALREADY_IMPORTED, "other_space", "other_component", "withdrawn", "amendment",
           OUTSIDE_DATES)
"""Why an import leaves a row out, one reason a row, the first that applies in this order."""


@dataclass(frozen=True, slots=True)
class ImportedRow:
    """A row imported: its line, its id and reference there, the proposal it became."""

    line: int
    decidim_id: int
    reference: str
    proposal: str
    blank_body: bool
    """Its body was blank, so the proposal's body is its title."""


@dataclass(frozen=True, slots=True)
class SkippedRow:
    """A row left out: its line, its id and reference there, when it was published, why."""

    line: int
    decidim_id: int
    reference: str
    received_at: dt.datetime
    reason: str


@dataclass
class ImportReport:
    """What an import did, or (``dry_run``) would do: counts by reason and the rows.

    Rows left out as already imported are counted, not listed (a re-import of a
    large file would list them all).
    """

    plan: str
    source: str
    channel: str
    window: Window
    dry_run: bool
    imported: list[ImportedRow] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def rows(self) -> int:
        """How many rows were read."""
        return len(self.imported) + sum(self.counts.values())

    def data(self) -> dict[str, Any]:
        """Return the report as plain data (moments in UTC, ISO 8601)."""
        def iso(moment: dt.datetime | None) -> str | None:
            return None if moment is None else moment.isoformat()

        return {"plan": self.plan, "source": self.source, "channel": self.channel,
                "dry_run": self.dry_run, "rows": self.rows,
                "window": {"opens": iso(self.window.opens), "closes": iso(self.window.closes)},
                "imported": len(self.imported),
                "skipped": {reason: self.counts[reason] for reason in REASONS},
                "proposals": [{"line": r.line, "decidim_id": r.decidim_id,
                               "reference": r.reference, "proposal": r.proposal,
                               "blank_body": r.blank_body} for r in self.imported],
                "left_out": [{"line": r.line, "decidim_id": r.decidim_id,
                              "reference": r.reference, "received_at": iso(r.received_at),
                              "reason": r.reason} for r in self.skipped]}


class Importer:
    """Decides what an import makes of each row of one file, for one plan, at one moment."""

    def __init__(self, plan: Plan, channel: str | None, known: set[OriginKey], actor: Actor,
                 now: dt.datetime, source: str, dry_run: bool) -> None:
        self.plan, self.known, self.actor, self.now = plan, known, actor, now
        window = reception_window(plan.state, plan.catalog)
        self.report = ImportReport(plan.state.plan_id, source,
                                   import_channel(plan.state, plan.catalog, channel), window,
                                   dry_run)

    def take(self, row: Incoming) -> Proposal | None:
        """Return the proposal ``row`` becomes, or None when the import leaves it out."""
        reason = self._reason(row)
        if reason is not None:
            self.report.counts[reason] += 1
            if reason != ALREADY_IMPORTED:
                self.report.skipped.append(SkippedRow(row.line, row.origin.decidim_id,
                                                      row.origin.reference, row.received_at,
                                                      reason))
            return None
        proposal = Proposal.imported(self.plan, row, self.report.channel, self.actor, self.now)
        self.known.add(row.origin.key)
        self.report.imported.append(ImportedRow(
            row.line, row.origin.decidim_id, row.origin.reference,
            proposal.state.proposal_id, not row.body.strip()))
        return proposal

    def _reason(self, row: Incoming) -> str | None:
        if row.origin.key in self.known:
            return ALREADY_IMPORTED
        if row.skip is not None:
            return row.skip
        if not self.report.window.holds(row.received_at, self.now):
            return OUTSIDE_DATES
        return None
