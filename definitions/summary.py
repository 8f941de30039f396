"""A one-screen text summary of a definition, in the definition's language (``summary.*``).

Four blocks (five with notification rules): the title line; the phases on a
date line (a text Gantt chart, one row per phase by start date, so overlapping
phases visibly overlap); the
committee (groups with their seats, decisions with their quorum in words);
the proposal lifecycle (channels, states, then each trigger); the commitments,
when it has them (the template's fields, states, each trigger and the assessment);
and who is told of what, by which channel.

A large definition still fits one screen: when the lists (phases, groups,
decisions, triggers, notices) do not all fit, each long one is cut to the same
number of lines, the last of which says how many entries were left out; the
channels and states take at most three lines each.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass

from definitions import schema
from definitions.messages import month_abbreviations, say

WIDTH = 100
HEIGHT = 60
_WRAPPED_LINES = 3
_BAR_WIDTH = 50
_LABEL = 2 + 1 + 22 + 1 + 23 + 1

@dataclass(frozen=True)
class _Listing:
    """Entries of one list in the summary (each one or more lines), which may be cut short."""

    entries: list[list[str]]
    indent: str

    @property
    def height(self) -> int:
        return sum(len(entry) for entry in self.entries)

    def cut(self, lines: int, locale: str) -> list[str]:
        """Return the entries in at most ``lines`` lines, the last saying how many are left out."""
        if self.height <= lines:
            return [line for entry in self.entries for line in entry]
        shown: list[str] = []
        kept = 0
        for entry in self.entries:
            if len(shown) + len(entry) > lines - 1:
                break
            shown += entry
            kept += 1
        more = say(locale, "summary.more", n=len(self.entries) - kept)
        return [*shown, f"{self.indent}{more}"]


Block = list[str | _Listing]


def render_summary(defn: schema.Definition) -> str:
    """Return a summary of ``defn`` of at most 60 lines of at most 100 columns."""
    lo = defn.locale
    header = say(lo, "summary.header", id=defn.id, version=defn.version,
                 timezone=defn.timezone, locale=defn.locale)
    blocks: list[Block] = [[defn.title, header], _phases(defn),
                           _committee(defn.committee, lo), _proposals(defn.proposals, lo)]
    if defn.commitments is not None:
        blocks.append(_commitments(defn.commitments, lo))
    if defn.notifications:
        blocks.append(_notices(defn.notifications, lo))
    lines = _lines_per_listing(blocks)
    return "\n\n".join(
        "\n".join(_fit(line) for part in block
                  for line in ([part] if isinstance(part, str) else part.cut(lines, lo)))
        for block in blocks) + "\n"


def _lines_per_listing(blocks: list[Block]) -> int:
    """Return the most lines any one listing may take for the whole to fit :data:`HEIGHT`."""
    fixed = sum(1 for block in blocks for part in block if isinstance(part, str))
    room = HEIGHT - fixed - (len(blocks) - 1)
    heights = [part.height for block in blocks for part in block if isinstance(part, _Listing)]
    lines = max(heights, default=0)
    while lines > 2 and sum(min(height, lines) for height in heights) > room:
        lines -= 1
    return lines


def _wrap(line: str) -> list[str]:
    return textwrap.wrap(line, WIDTH, subsequent_indent="    ", break_on_hyphens=False)


def _wrapped_list(label: str, items: list[str], locale: str) -> list[str]:
    """Wrap ``label: a, b, c`` into at most three lines, saying how many items are left out."""
    room, length = _WRAPPED_LINES * WIDTH, len(label)
    fitting = 0  # no more than these items can fit, whatever the wrapping
    while fitting < len(items) and length <= room:
        length += len(items[fitting]) + 2
        fitting += 1
    lines = _wrap(label + ", ".join(items[:fitting]))
    if fitting == len(items) and len(lines) <= _WRAPPED_LINES:
        return lines
    low, high = 0, fitting  # as many items as fit with the note of how many more
    while low < high:
        middle = (low + high + 1) // 2
        if len(_wrap(_with_more(label, items, middle, locale))) <= _WRAPPED_LINES:
            low = middle
        else:
            high = middle - 1
    return _wrap(_with_more(label, items, low, locale))


def _with_more(label: str, items: list[str], shown: int, locale: str) -> str:
    more = say(locale, "summary.more", n=len(items) - shown)
    return label + ", ".join([*items[:shown], more])


def _fit(line: str) -> str:
    return line if len(line) <= WIDTH else line[: WIDTH - 1] + "…"


def _phases(defn: schema.Definition) -> Block:
    first = min(p.starts for p in defn.phases)
    last = max(max(p.ends, p.starts) for p in defn.phases)
    span = (last - first).days + 1
    starts = _month_starts(first, last)
    names, ticks = _axis(starts, first, span, month_abbreviations(defn.locale))
    margin = " " * _LABEL
    rows: list[list[str]] = []
    for phase in sorted(defn.phases, key=lambda p: (p.starts, p.number)):
        begin = _column(phase.starts, first, span)
        end = max(begin + 1, _column(phase.ends + dt.timedelta(days=1), first, span))
        dates = f"{phase.starts.isoformat()} → {phase.ends.isoformat()}"
        label = f"{phase.number:>2} {phase.id[:22]:<22} {dates:<23} "
        rows.append([label + " " * begin + "█" * (end - begin)])
    heading = say(defn.locale, "summary.phases", first=first.isoformat(), last=last.isoformat())
    return [heading, margin + names, margin + ticks, _Listing(rows, "   ")]


def _column(day: dt.date, first: dt.date, span: int) -> int:
    return min(_BAR_WIDTH, max(0, (day - first).days) * _BAR_WIDTH // span)


def _month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    month, months = dt.date(first.year, first.month, 1), []
    while month <= last:
        months.append(month)
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def _axis(
    starts: list[dt.date], first: dt.date, span: int, month_names: list[str]
) -> tuple[str, str]:
    """Return the month names (where they fit; the year at the first and each January) and ticks."""
    names, ticks = "", ["─"] * _BAR_WIDTH
    for month in starts:
        column = _column(month, first, span)
        if month >= first and column < _BAR_WIDTH:
            ticks[column] = "┬"
        year = month.month == 1 or month == starts[0]
        name = month_names[month.month - 1] + (f" {month.year}" if year else "")
        if column >= len(names) + (1 if names else 0) and column + len(name) <= _BAR_WIDTH:
            names = names.ljust(column) + name
    return names, "".join(ticks)


def _committee(committee: schema.Committee, lo: str) -> Block:
    groups = []
    for group in committee.groups:
        seats = say(lo, "summary.group_seats", n=group.seats) if group.seats else ""
        groups.append([say(lo, "summary.group", id=group.id, name=group.name, seats=seats)])
    block: Block = [say(lo, "summary.committee", name=committee.name),
                    say(lo, "summary.groups"), _Listing(groups, "    ")]
    if committee.decisions:
        block.append(say(lo, "summary.decisions"))
    decisions = []
    for decision in committee.decisions:
        voters = (say(lo, "summary.voters", groups=", ".join(decision.voters))
                  if decision.voters else say(lo, "summary.everyone"))
        rule = say(lo, f"summary.{decision.quorum.rule}", count=decision.quorum.count)
        decisions.append([say(lo, "summary.decision", id=decision.id, rule=rule,
                              voters=voters)])
    return [*block, _Listing(decisions, "    ")]


def _proposals(lifecycle: schema.ProposalLifecycle, lo: str) -> Block:
    channels = [say(lo, "summary.channel_mesas", id=c.id, name=c.name, n=c.mesas) if c.mesas
                else say(lo, "summary.channel", id=c.id, name=c.name)
                for c in lifecycle.channels]
    final = set(lifecycle.final)
    states = [_state(s, lifecycle.initial, final, lo) for s in lifecycle.states]
    width = max(len(t.trigger) for t in lifecycle.transitions)
    triggers = [[f"    {t.trigger:<{width}}  {', '.join(t.source)} → {t.dest}"]
                for t in lifecycle.transitions]
    return [say(lo, "summary.proposals"),
            *_wrapped_list(say(lo, "summary.channels"), channels, lo),
            *_wrapped_list(say(lo, "summary.states"), states, lo), say(lo, "summary.triggers"),
            _Listing(triggers, "    ")]


def _commitments(lifecycle: schema.CommitmentLifecycle, lo: str) -> Block:
    fields = [f.field if f.required else say(lo, "summary.optional", field=f.field)
              for f in lifecycle.template]
    final = set(lifecycle.final)
    states = [_state(s, lifecycle.initial, final, lo) for s in lifecycle.states]
    moves = [f"{t.trigger} ({t.dest})" for t in lifecycle.transitions]
    assessed = say(lo, "summary.assessment", assessable=", ".join(lifecycle.assessable),
                   assessed=lifecycle.assessed)
    return [say(lo, "summary.commitments"),
            *_wrapped_list(say(lo, "summary.template"), fields, lo),
            *_wrapped_list(say(lo, "summary.states"), states, lo),
            *_wrapped_list(say(lo, "summary.moves"), moves, lo), assessed]


def _state(state: str, initial: str, final: set[str], lo: str) -> str:
    marks = [say(lo, f"summary.{k}") for k, on in (("initial", state == initial),
                                                    ("final", state in final)) if on]
    return say(lo, "summary.state", state=state, marks=", ".join(marks)) if marks else state


def _notices(rules: tuple[schema.NoticeRule, ...], lo: str) -> Block:
    entries = []
    for rule in rules:
        only = ", ".join((*rule.phases, *rule.decisions))
        named: list[str] = [e for e in rule.events if e not in schema.PHASE_EVENTS]
        if set(schema.PHASE_EVENTS) <= set(rule.events):
            named.insert(0, "phase_*")
        else:
            named = list(rule.events)
        events = ", ".join(named) + (f" [{only}]" if only else "")
        entries.append(_wrap(say(lo, "summary.notice", events=events, to=", ".join(rule.to),
                                 by=rule.by)))
    return [say(lo, "summary.notices"), _Listing(entries, "  ")]
