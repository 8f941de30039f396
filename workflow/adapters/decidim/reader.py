"""Read a Decidim proposals export: what it is at once, its proposals one by one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from workflow.adapters.decidim.csv_rows import CsvRows
from workflow.adapters.decidim.json_rows import JsonRows
from workflow.adapters.decidim.layout import Layout, layout
from workflow.adapters.decidim.limits import LIMITS, Limits
from workflow.adapters.decidim.problems import Problems, named
from workflow.adapters.decidim.records import DecidimProposal, Generation
from workflow.adapters.decidim.rows import Rows
from workflow.adapters.decidim.source import Kind, locate


class _Rows(Protocol):
    """The rows of a CSV or of a JSON export."""

    @property
    def header(self) -> list[str]: ...

    @property
    def separator(self) -> str | None: ...

    def rows(self, problems: Problems) -> Iterator[tuple[int, list[str]]]: ...

    def progress(self) -> float: ...


def read_export(data: bytes, filename: str, locale: str,
                limits: Limits = LIMITS) -> DecidimExport:
    """Open the proposals export in ``data`` (a file named ``filename``) for ``locale``.

    ``data`` is Decidim's open-data ZIP or its proposals CSV, or an admin export
    (CSV or JSON, or the ZIP it is mailed in). What is wrong with the file as a
    whole (not an export, a missing column, a ZIP without proposals, a limit) is
    refused here, with ImportRejected; the rows are read as the export is iterated.
    """
    problems = Problems(named(filename), locale, limits.problems)
    text = locate(data, problems, limits)
    rows: _Rows = (JsonRows(text, problems, limits) if text.kind == "json"
                   else CsvRows(text, problems, limits))
    found = layout(rows.header, locale, problems) if rows.header else None
    return DecidimExport(problems.source, text.kind, rows, found, locale, limits)


class DecidimExport:
    """A proposals export: what it is, and its proposals (read anew at each iteration).

    Iterating yields each good proposal as its row is read; at the end, if any row
    was faulty, it raises ImportRejected naming every problem (line, column, header),
    so a caller that keeps what it was given until the end imports all or nothing.
    """

    def __init__(self, source: str, kind: Kind, rows: _Rows, found: Layout | None,
                 locale: str, limits: Limits) -> None:
        self.source = source
        """The file's name (and its ZIP entry's), as problems name it."""
        self.kind = kind
        self._rows, self._layout, self._locale, self._limits = rows, found, locale, limits

    @property
    def generation(self) -> Generation | None:
        """Which of Decidim's generations of columns it has (None: the file has no proposals)."""
        return self._layout.generation if self._layout else None

    @property
    def separator(self) -> str | None:
        """A CSV's separator (``;`` or ``,``); None for JSON."""
        return self._rows.separator

    @property
    def locales(self) -> tuple[str, ...]:
        """The languages its titles are in, the one asked for first."""
        return self._layout.locales if self._layout else ()

    def progress(self) -> float:
        """How much of the file the current iteration has read, from 0 to 1."""
        return self._rows.progress()

    def __iter__(self) -> Iterator[DecidimProposal]:
        if self._layout is None:
            return
        problems = Problems(self.source, self._locale, self._limits.problems)
        reader = Rows(self._layout, self._locale, problems, escaped=self.kind == "csv",
                      numbered=self.kind == "csv")
        for read, (line, row) in enumerate(self._rows.rows(problems), 1):
            if read > self._limits.rows:
                problems.add(line, "decidim.too_many_rows",
                             limit=problems.quantity(self._limits.rows))
                break
            proposal = reader.proposal(line, row)
            if proposal is not None:
                yield proposal
        problems.check()
