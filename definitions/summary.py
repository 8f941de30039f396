"""A one-screen text summary of a definition, in the definition's language.

Four blocks (five with notification rules): the title line; the phases on a
date line (a text Gantt chart, one row per phase by start date, so overlapping
phases visibly overlap); the
committee (groups with their seats, decisions with their quorum in words);
the proposal lifecycle (channels, states, then each trigger); and who is told
of what, by which channel.
"""

from __future__ import annotations

import datetime as dt
import textwrap

from definitions import schema

WIDTH = 100
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
    },
}


def render_summary(defn: schema.Definition) -> str:
    """Return a summary of ``defn`` of at most 50 lines of at most 100 columns."""
    words = _WORDS.get(defn.locale, _WORDS["es"])
    header = words["header"].format(id=defn.id, version=defn.version,
                                    timezone=defn.timezone, locale=defn.locale)
    blocks = [[defn.title, header], _phases(defn, words), _committee(defn.committee, words),
              _proposals(defn.proposals, words)]
    if defn.notifications:
        blocks.append(_notices(defn.notifications, words))
    return "\n\n".join("\n".join(_fit(line) for line in block) for block in blocks) + "\n"


def _wrap(line: str) -> list[str]:
    return textwrap.wrap(line, WIDTH, subsequent_indent="    ", break_on_hyphens=False)


def _fit(line: str) -> str:
    return line if len(line) <= WIDTH else line[: WIDTH - 1] + "…"


def _phases(defn: schema.Definition, words: dict[str, str]) -> list[str]:
    first = min(p.starts for p in defn.phases)
    last = max(max(p.ends, p.starts) for p in defn.phases)
    span = (last - first).days + 1
    starts = _month_starts(first, last)
    names, ticks = _axis(starts, first, span, words["months"].split())
    margin = " " * _LABEL
    rows = [f"{words['phases']} ({first.isoformat()} → {last.isoformat()})",
            margin + names, margin + ticks]
    for phase in sorted(defn.phases, key=lambda p: (p.starts, p.number)):
        begin = _column(phase.starts, first, span)
        end = max(begin + 1, _column(phase.ends + dt.timedelta(days=1), first, span))
        dates = f"{phase.starts.isoformat()} → {phase.ends.isoformat()}"
        label = f"{phase.number:>2} {phase.id[:22]:<22} {dates:<23} "
        rows.append(label + " " * begin + "█" * (end - begin))
    return rows


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


def _committee(committee: schema.Committee, words: dict[str, str]) -> list[str]:
    lines = [f"{words['committee']}: {committee.name}", f"  {words['groups']}:"]
    for group in committee.groups:
        seats = f" ({words['seats'].format(n=group.seats)})" if group.seats else ""
        lines.append(f"    {group.id} — {group.name}{seats}")
    if committee.decisions:
        lines.append(f"  {words['decisions']}:")
    for decision in committee.decisions:
        voters = (words["voters"].format(groups=", ".join(decision.voters))
                  if decision.voters else words["everyone"])
        rule = words[decision.quorum.rule].format(count=decision.quorum.count)
        lines.append(f"    {decision.id}: {rule}; {voters}")
    return lines


def _proposals(lifecycle: schema.ProposalLifecycle, words: dict[str, str]) -> list[str]:
    channels = ", ".join(
        f"{c.id} ({c.name}" + (f", {words['mesas'].format(n=c.mesas)})" if c.mesas else ")")
        for c in lifecycle.channels
    )
    states = ", ".join(_state(s, lifecycle, words) for s in lifecycle.states)
    width = max(len(t.trigger) for t in lifecycle.transitions)
    lines = [words["proposals"], *_wrap(f"  {words['channels']}: {channels}"),
             *_wrap(f"  {words['states']}: {states}"), f"  {words['triggers']}:"]
    for t in lifecycle.transitions:
        lines.append(f"    {t.trigger:<{width}}  {', '.join(t.source)} → {t.dest}")
    return lines


def _state(state: str, lifecycle: schema.ProposalLifecycle, words: dict[str, str]) -> str:
    marks = [words[k] for k, on in (("initial", state == lifecycle.initial),
                                    ("final", state in lifecycle.final)) if on]
    return f"{state} ({', '.join(marks)})" if marks else state


def _notices(rules: tuple[schema.NoticeRule, ...], words: dict[str, str]) -> list[str]:
    lines = [words["notices"]]
    for rule in rules:
        only = ", ".join((*rule.phases, *rule.decisions))
        named: list[str] = [e for e in rule.events if e not in schema.PHASE_EVENTS]
        if set(schema.PHASE_EVENTS) <= set(rule.events):
            named.insert(0, "phase_*")
        else:
            named = list(rule.events)
        events = ", ".join(named) + (f" [{only}]" if only else "")
        lines += _wrap(f"  {events} → {', '.join(rule.to)} ({words['by']} {rule.by})")
    return lines
