"""One row of a proposals export made a :class:`DecidimProposal`, or its faulty cells named.

A row is read at full speed; only when one of its cells is wrong is it read again,
cell by cell, to name every faulty one (line, column and header) as a problem.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from workflow.adapters.decidim import cells
from workflow.adapters.decidim.layout import Languages, Layout
from workflow.adapters.decidim.problems import Problems, echoed
from workflow.adapters.decidim.records import DecidimProposal
from workflow.domain.errors import InvalidInput
from workflow.domain.texts import check_line, check_prose

Parse = Callable[[str], object]

_SAID: dict[Parse, str] = {cells.whole: "decidim.not_a_number", cells.count: "decidim.not_a_number",
         cells.flag: "decidim.bad_boolean", cells.moment: "decidim.bad_date"}
"""What a problem says of a cell each parser refuses."""


class _Refused(ValueError):
    """A title or body holds what no text of cocrea may hold (its column, and why)."""

    def __init__(self, index: int, error: InvalidInput) -> None:
        super().__init__(str(error))
        self.index, self.detail = index, str(error)


class Rows:
    """The proposals of one reading's rows, in the language asked for (or another present)."""

    def __init__(self, layout: Layout, locale: str, problems: Problems, escaped: bool,
                 numbered: bool) -> None:
        self.layout, self.locale, self.problems = layout, locale, problems
        self.plain = cells.unescaped if escaped else cells.as_written
        self.numbered = numbered
        self.width = len(layout.names)
        self.seen: dict[int, int] = {}
        at, first = layout.index, layout.first
        self.id, self.space, self.component = (at["id"], at["participatory_space/id"],
                                               at["component/id"])
        self.state, self.reference, self.url = at["state"], at["reference"], at["url"]
        self.published, self.is_amend = at["published_at"], at["is_amend"]
        self.space_url = layout.at("participatory_space/url")
        self.withdrawn = layout.at("withdrawn")
        self.votes, self.comments = first("votes", "supports"), layout.at("comments")
        self.endorsements = first("likes/total_count", "endorsements/total_count")
        self.original, self.taxonomies = (layout.at("original_proposal/url"),
                                          layout.at("taxonomies/name"))
        typed: list[tuple[int | None, Parse]] = [
            (self.id, cells.whole), (self.space, cells.whole), (self.component, cells.whole),
            (self.published, cells.moment), (self.is_amend, cells.flag),
            (self.withdrawn, cells.flag), (self.votes, cells.count),
            (self.endorsements, cells.count), (self.comments, cells.count)]
        self.typed = [(index, parse) for index, parse in typed if index is not None]

    def proposal(self, line: int, row: Sequence[str]) -> DecidimProposal | None:
        """Return the proposal of ``row`` (beginning on ``line``), or None if it is faulty."""
        if len(row) != self.width:
            self.problems.add(line, "decidim.cell_count", found=len(row), expected=self.width)
            return None
        try:
            proposal = self._read(line, row)
        except ValueError:
            self._name_faults(line, row)
            return None
        first = self.seen.setdefault(proposal.decidim_id, line)
        if first != line:
            self._add(line, self.id, "decidim.duplicate_id", id=proposal.decidim_id, first=first)
            return None
        return proposal

    def _read(self, line: int, row: Sequence[str]) -> DecidimProposal:
        locale, title, body = self._text(row)
        state = row[self.state] or None
        withdrawn = self.withdrawn is not None and cells.flag(row[self.withdrawn])
        return DecidimProposal(
            decidim_id=cells.whole(row[self.id]), reference=row[self.reference],
            url=row[self.url], space_id=cells.whole(row[self.space]),
            space_url=self._cell(row, self.space_url),
            component_id=cells.whole(row[self.component]), title=title, body=body,
            locale=locale, fell_back=locale != self.locale,
            published_at=cells.moment(row[self.published]), state=state,
            answer=self._translated(row, self.layout.answer) if state else None,
            votes=cells.count(self._cell(row, self.votes)),
            endorsements=cells.count(self._cell(row, self.endorsements)),
            comments=cells.count(self._cell(row, self.comments)),
            category=self._translated(row, self.layout.category),
            scope=self._translated(row, self.layout.scope),
            taxonomies=cells.taxonomy_names(self._cell(row, self.taxonomies), self.locale),
            is_amend=cells.flag(row[self.is_amend]),
            amends_id=cells.amended(self._cell(row, self.original)),
            withdrawn=withdrawn or state == "withdrawn", line=line)

    def _text(self, row: Sequence[str]) -> tuple[str, str, str]:
        """Return the language, title and body: the first language with both, else a title."""
        found: tuple[str, str, str] | None = None
        for locale, index in self.layout.title:
            title = self.plain(row[index])
            if title and not title.isspace():
                body_at = self.layout.body.get(locale)
                body = self.plain(self._cell(row, body_at))
                self._check(check_line, "title", title, index)
                self._check(check_prose, "body", body, body_at)
                if body and not body.isspace():
                    return locale, title, body
                found = found or (locale, title, body)
        if found is None:
            raise ValueError("no title")
        return found

    def _check(self, check: Callable[[str, str, str], None], field: str, text: str,
               index: int | None) -> None:
        try:
            check(self.locale, field, text)
        except InvalidInput as error:
            raise _Refused(index if index is not None else 0, error) from error

    def _translated(self, row: Sequence[str], columns: Languages) -> str | None:
        for _, index in columns:
            text = row[index]
            if text and not text.isspace():
                return self.plain(text)
        return None

    @staticmethod
    def _cell(row: Sequence[str], index: int | None) -> str:
        return row[index] if index is not None else ""

    def _name_faults(self, line: int, row: Sequence[str]) -> None:
        """Note every faulty cell of ``row`` (it is read again, cell by cell)."""
        before = len(self.problems.found) + self.problems.more
        for index, parse in self.typed:
            try:
                parse(row[index])
            except ValueError:
                value = row[index]
                key = _SAID[parse] if value else "decidim.missing_value"
                self._add(line, index, key, value=echoed(value))
        self._title_faults(line, row)
        if len(self.problems.found) + self.problems.more == before:
            self.problems.add(line, "decidim.broken_row")

    def _title_faults(self, line: int, row: Sequence[str]) -> None:
        try:
            self._text(row)
        except _Refused as refused:
            self._add(line, refused.index, "decidim.not_allowed", detail=refused.detail)
        except ValueError:
            self._add(line, self.layout.title[0][1], "decidim.no_title")

    def _add(self, line: int, index: int | None, key: str, /, **params: object) -> None:
        name = self.layout.names[index] if index is not None else None
        column = index + 1 if index is not None and self.numbered else None
        self.problems.add(line, key, column=column, name=name, **params)
