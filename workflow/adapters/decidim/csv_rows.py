"""The rows of a CSV export, streamed, each with the physical line it begins on.

Decidim writes CSV with Ruby's writer: ``;`` between cells unless the install set
``DECIDIM_DEFAULT_CSV_COL_SEP`` (``,``), a cell quoted only when it holds the
separator, a quote or a line break, and LF between rows. The separator is told
from the header row, whose first cell is ``id``. The text is read a line at a
time (never a line longer than the limit), so a row's first line is known even
when its body spans several.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from workflow.adapters.decidim.layout import is_proposals
from workflow.adapters.decidim.limits import Limits
from workflow.adapters.decidim.problems import Problems, echoed
from workflow.adapters.decidim.source import UNPACKING, Counted, Overflow, Text, bad_byte

if TYPE_CHECKING:
    from _csv import Reader

SEPARATORS = (";", ",")
"""Decidim's default separator first."""


class _TooLong(Exception):
    """A line is longer than the limit (the file is not a Decidim export, or is damaged)."""


class _RowTooLong(Exception):
    """A row's lines add up to more than the limit (a quote opened and never closed, often)."""


class CsvRows:
    """A CSV export: its header and separator, and its rows (read anew each time)."""

    def __init__(self, text: Text, problems: Problems, limits: Limits) -> None:
        self.text, self.limits = text, limits
        self.counted: Counted | None = None
        self.header, self.separator = self._header(problems)

    def progress(self) -> float:
        """How much of the text the latest reading has read, from 0 to 1."""
        done = self.counted.count if self.counted is not None else 0
        return min(1.0, done / self.text.size) if self.text.size else 1.0

    def rows(self, problems: Problems) -> Iterator[tuple[int, list[str]]]:
        """Yield each row after the header, with the line it begins on; note what breaks."""
        if self.separator is None:
            return
        stream, self.counted = self.text.text()
        lines = _Lines(stream.readline, self.limits.line_chars, self.limits.row_chars)
        reader = csv.reader(lines, delimiter=self.separator, strict=True)
        try:
            yield from _rows(reader, lines, problems)
        except UnicodeDecodeError:
            self._not_utf8(problems)
        except Overflow:
            self._too_large(problems)
        except UNPACKING:
            problems.add(None, "decidim.entry_damaged")
        except _TooLong:
            problems.add(lines.count, "decidim.line_too_long",
                         limit=problems.quantity(self.limits.line_chars))
        except _RowTooLong:
            problems.add(lines.count - lines.in_row + 1, "decidim.row_too_long",
                         limit=problems.quantity(self.limits.row_chars))

    def _header(self, problems: Problems) -> tuple[list[str], str | None]:
        """Return the header's names and separator (none of either if the file is empty)."""
        stream, _ = self.text.text()
        try:
            first = stream.readline(self.limits.line_chars + 1)
            blank = not first.strip() and not stream.read(1)
        except UnicodeDecodeError:
            self._not_utf8(problems)
            raise problems.rejected() from None
        except Overflow:
            self._too_large(problems)
            raise problems.rejected() from None
        except UNPACKING:
            problems.refuse(None, "decidim.entry_damaged")
        if blank:
            return [], None
        line = first.rstrip("\r\n")
        for separator in SEPARATORS:
            names = line.split(separator)
            if is_proposals(names):
                return names, separator
        problems.refuse(1, "decidim.not_export", start=echoed(line))

    def _too_large(self, problems: Problems) -> None:
        problems.add(None, "decidim.entry_too_large",
                     limit=problems.quantity(self.text.limit))

    def _not_utf8(self, problems: Problems) -> None:
        found = bad_byte(self.text.open())
        line, offset, value = (found[1], found[0], found[2]) if found else (None, 0, 0)
        problems.add(line, "decidim.not_utf8", byte=f"{value:02X}", offset=offset)


def _rows(reader: Reader, lines: _Lines, problems: Problems) -> Iterator[tuple[int, list[str]]]:
    """Yield the rows after the header (line 1), each with the line it begins on.

    A row the CSV cannot be parsed at (a quote never closed, text after a closing
    quote, a cell too long) is the last read: where the rows after it begin can no
    longer be told.
    """
    while True:
        start = reader.line_num + 1
        lines.row_began()
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            key, params = _broken(error, problems)
            problems.add(start, key, **params)
            return
        if row and start > 1:
            yield start, row


def _broken(error: csv.Error, problems: Problems) -> tuple[str, dict[str, Any]]:
    """Return what a row's csv.Error says, in cocrea's words (from the standard library's)."""
    said = str(error)
    if "field larger than field limit" in said:
        return "decidim.cell_too_long", {"limit": problems.quantity(csv.field_size_limit())}
    if "unexpected end of data" in said:
        return "decidim.unclosed_quote", {}
    if "expected after" in said:
        return "decidim.after_quote", {}
    return "decidim.broken_row", {}


class _Lines:
    """The lines of a text, each at most ``longest`` characters, a row's at most ``widest``."""

    def __init__(self, readline: Callable[[int], str], longest: int, widest: int) -> None:
        self.readline, self.longest, self.widest = readline, longest, widest
        self.count = 0
        """How many lines were read."""
        self.in_row = self.row_chars = 0
        """How many lines, and characters, the row being read has so far."""

    def __iter__(self) -> Iterator[str]:
        return self

    def row_began(self) -> None:
        """Count the lines and characters of a new row from here."""
        self.in_row = self.row_chars = 0

    def __next__(self) -> str:
        line = self.readline(self.longest + 1)
        self.count += 1
        if not line:
            raise StopIteration
        if len(line) > self.longest:
            raise _TooLong
        self.in_row += 1
        self.row_chars += len(line)
        if self.row_chars > self.widest:
            raise _RowTooLong
        return line
