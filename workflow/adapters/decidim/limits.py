"""How much of a file the Decidim reader accepts, so that hostile input stays cheap.

Anyone who may import can send a file; each limit is checked while reading,
before more is read or unpacked, and a file beyond one is refused with a problem
naming it. A real export is far inside all of them: Cuenca's 2022 process had a
few hundred proposals; 100,000 rows of the 0.30 columns are about 70 MB.

A CSV cell may hold at most what :func:`csv.field_size_limit` allows (131,072
characters unless a program changes it; cocrea does not): that limit is the
standard library's, process-wide, so it is not one of these.
"""

from __future__ import annotations

from dataclasses import dataclass

MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """The limits of one reading (tests shrink them)."""

    file_bytes: int = 512 * MIB
    """The largest file (a ZIP, a CSV or a JSON export), in bytes."""
    zip_entries: int = 1_000
    """The most entries a ZIP may hold (an open-data ZIP holds a few dozen)."""
    entry_bytes: int = 1024 * MIB
    """The most bytes a ZIP's proposals entry may unpack to (declared and counted)."""
    json_bytes: int = 64 * MIB
    """The largest JSON export: it is read whole (the standard library has no streaming JSON)."""
    line_chars: int = MIB
    """The longest physical line (a line longer than any row Decidim writes is not read)."""
    row_chars: int = 8 * MIB
    """The longest row, its lines together (45 cells of the longest a cell may be: 5.9 M)."""
    rows: int = 1_000_000
    """The most proposals a file may hold."""
    problems: int = 100
    """The most problems one refusal lists (the first ones); the rest are counted."""


LIMITS = Limits()
"""The limits of every reading, unless a caller says otherwise."""
