"""A one-screen text summary of a definition, in the definition's language.

Four blocks (five with notification rules): the title line; the phases on a
date line (a text Gantt chart, one row per phase by start date, so overlapping
phases visibly overlap); the
committee (groups with their seats, decisions with their quorum in words);
the proposal lifecycle (channels, states, then each trigger); and who is told
of what, by which channel.

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

WIDTH = 100
HEIGHT = 50
_WRAPPED_LINES = 3
_BAR_WIDTH = 50
_LABEL = 2 + 1 + 22 + 1 + 23 + 1

_WORDS: dict[str, dict[str, str]] = {
    "es": {
        "header": "id {id} · versión {version} · zona horaria {timezone} · idioma {locale}",
        "phases": "Fases", "committee": "Comité", "seats": "{n} puestos",
        "voters": "votan: {groups}", "everyone": "votan todos los grupos",
        "majority": "mayoría de los miembros", "two_thirds": "dos tercios de los miembros",
        "unanimity": "unanimidad de los miembros", "at_least": "al menos {count} votos a favor",
        "groups": "Grupos", "decisions": "Decisiones", "triggers": "Disparadores",
        "proposals": "Propuestas",
        "channels": "Canales", "mesas": "{n} mesas", "states": "Estados",
        "initial": "inicial", "final": "final", "notices": "Avisos", "by": "por",
        "months": "ene feb mar abr may jun jul ago sep oct nov dic",
        "more": "… y {n} más",
    },
    "en": {
        "header": "id {id} · version {version} · time zone {timezone} · language {locale}",
        "phases": "Phases", "committee": "Committee", "seats": "{n} seats",
        "voters": "voters: {groups}", "everyone": "every group votes",
        "majority": "majority of the members", "two_thirds": "two thirds of the members",
        "unanimity": "every member", "at_least": "at least {count} votes in favour",
        "groups": "Groups", "decisions": "Decisions", "triggers": "Triggers",
        "proposals": "Proposals",
        "channels": "Channels", "mesas": "{n} tables", "states": "States",
        "initial": "initial", "final": "final", "notices": "Notices", "by": "by",
        "months": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
        "more": "… and {n} more",
    },
}


@dataclass(frozen=True)
class _Listing:
    """Entries of one list in the summary (each one or more lines), which may be cut short."""

    entries: list[list[str]]
    indent: str

    @property
    def height(self) -> int:
        return sum(len(entry) for entry in self.entries)

    def cut(self, lines: int, words: dict[str, str]) -> list[str]:
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
        return [*shown, self.indent + words["more"].format(n=len(self.entries) - kept)]


Block = list[str | _Listing]


def render_summary(defn: schema.Definition) -> str:
    """Return a summary of ``defn`` of at most 50 lines of at most 100 columns."""
    words = _WORDS.get(defn.locale, _WORDS["es"])
    header = words["header"].format(id=defn.id, version=defn.version,
                                    timezone=defn.timezone, locale=defn.locale)
    blocks: list[Block] = [[defn.title, header], _phases(defn, words),
                           _committee(defn.committee, words), _proposals(defn.proposals, words)]
    if defn.notifications:
        blocks.append(_notices(defn.notifications, words))
    lines = _lines_per_listing(blocks)
    return "\n\n".join(
        "\n".join(_fit(line) for part in block
                  for line in ([part] if isinstance(part, str) else part.cut(lines, words)))
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


def _wrapped_list(label: str, items: list[str], words: dict[str, str]) -> list[str]:
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
        if len(_wrap(_with_more(label, items, middle, words))) <= _WRAPPED_LINES:
            low = middle
        else:
            high = middle - 1
    return _wrap(_with_more(label, items, low, words))


def _with_more(label: str, items: list[str], shown: int, words: dict[str, str]) -> str:
    more = words["more"].format(n=len(items) - shown)
    return label + ", ".join([*items[:shown], more])


def _fit(line: str) -> str:
    return line if len(line) <= WIDTH else line[: WIDTH - 1] + "…"


def _phases(defn: schema.Definition, words: dict[str, str]) -> Block:
    first = min(p.starts for p in defn.phases)
    last = max(max(p.ends, p.starts) for p in defn.phases)
    span = (last - first).days + 1
    starts = _month_starts(first, last)
    names, ticks = _axis(starts, first, span, words["months"].split())
    margin = " " * _LABEL
    rows: list[list[str]] = []
    for phase in sorted(defn.phases, key=lambda p: (p.starts, p.number)):
        begin = _column(phase.starts, first, span)
        end = max(begin + 1, _column(phase.ends + dt.timedelta(days=1), first, span))
        dates = f"{phase.starts.isoformat()} → {phase.ends.isoformat()}"
        label = f"{phase.number:>2} {phase.id[:22]:<22} {dates:<23} "
        rows.append([label + " " * begin + "█" * (end - begin)])
    return [f"{words['phases']} ({first.isoformat()} → {last.isoformat()})",
            margin + names, margin + ticks, _Listing(rows, "   ")]


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


def _committee(committee: schema.Committee, words: dict[str, str]) -> Block:
    groups = []
    for group in committee.groups:
        seats = f" ({words['seats'].format(n=group.seats)})" if group.seats else ""
        groups.append([f"    {group.id} — {group.name}{seats}"])
    block: Block = [f"{words['committee']}: {committee.name}", f"  {words['groups']}:",
                    _Listing(groups, "    ")]
    if committee.decisions:
        block.append(f"  {words['decisions']}:")
    decisions = []
    for decision in committee.decisions:
        voters = (words["voters"].format(groups=", ".join(decision.voters))
                  if decision.voters else words["everyone"])
        rule = words[decision.quorum.rule].format(count=decision.quorum.count)
        decisions.append([f"    {decision.id}: {rule}; {voters}"])
    return [*block, _Listing(decisions, "    ")]


def _proposals(lifecycle: schema.ProposalLifecycle, words: dict[str, str]) -> Block:
    channels = [
        f"{c.id} ({c.name}" + (f", {words['mesas'].format(n=c.mesas)})" if c.mesas else ")")
        for c in lifecycle.channels
    ]
    final = set(lifecycle.final)
    states = [_state(s, lifecycle.initial, final, words) for s in lifecycle.states]
    width = max(len(t.trigger) for t in lifecycle.transitions)
    triggers = [[f"    {t.trigger:<{width}}  {', '.join(t.source)} → {t.dest}"]
                for t in lifecycle.transitions]
    return [words["proposals"], *_wrapped_list(f"  {words['channels']}: ", channels, words),
            *_wrapped_list(f"  {words['states']}: ", states, words), f"  {words['triggers']}:",
            _Listing(triggers, "    ")]


def _state(state: str, initial: str, final: set[str], words: dict[str, str]) -> str:
    marks = [words[k] for k, on in (("initial", state == initial), ("final", state in final))
             if on]
    return f"{state} ({', '.join(marks)})" if marks else state


def _notices(rules: tuple[schema.NoticeRule, ...], words: dict[str, str]) -> Block:
    entries = []
    for rule in rules:
        only = ", ".join((*rule.phases, *rule.decisions))
        named: list[str] = [e for e in rule.events if e not in schema.PHASE_EVENTS]
        if set(schema.PHASE_EVENTS) <= set(rule.events):
            named.insert(0, "phase_*")
        else:
            named = list(rule.events)
        events = ", ".join(named) + (f" [{only}]" if only else "")
        entries.append(_wrap(f"  {events} → {', '.join(rule.to)} ({words['by']} {rule.by})"))
    return [words["notices"], _Listing(entries, "  ")]
