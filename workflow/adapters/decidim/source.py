"""Where the proposals are in the bytes given: a CSV, a JSON export, or an entry of a ZIP.

Decidim's open-data ZIP (``HOST-open-data.zip``) holds one flat entry an entity,
``HOST-open-data-ENTITY.csv``; an admin export arrives as a ZIP holding
``proposals-DATE-SECONDS.csv`` (or ``.json``). A file is told by its first bytes,
never by its name: a ZIP begins ``PK``, a JSON export ``[``, anything else is read
as CSV. A ZIP is refused before it is unpacked if it holds too many entries or its
proposals entry declares too many bytes, and while it is unpacked if the entry
turns out longer than it declared.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Literal

from workflow.adapters.decidim.limits import Limits
from workflow.adapters.decidim.problems import Problems, named

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

Kind = Literal["csv", "json"]

_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_JSON = re.compile(rb"(?:\xef\xbb\xbf)?[ \t\r\n]*[\[{]")
_END_OF_DIRECTORY = b"PK\x05\x06"
_OPEN_DATA = "-open-data-proposals.csv"
_ADMIN = re.compile(r"proposals(?:-[^/]*)?\.(?:csv|json)")
_LISTED = 10
"""The most entry names a problem lists."""


class Overflow(Exception):
    """More bytes were unpacked than the limit (or than the entry declared)."""


UNPACKING = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError)
"""What unpacking a damaged (or oddly compressed) ZIP entry raises."""


@dataclass(frozen=True, slots=True)
class Text:
    """The proposals file found in what was given: its name, kind, size and bytes."""

    source: str
    kind: Kind
    size: int
    """Its length in bytes (as declared, for a ZIP's entry)."""
    limit: int
    """The most bytes it may turn out to hold."""
    open: Callable[[], IO[bytes]]
    """A fresh stream of its bytes, from the start, each call."""

    def counted(self) -> Counted:
        """Return a fresh stream of its bytes that counts them and refuses more than the limit."""
        return Counted(self.open(), self.limit)

    def text(self) -> tuple[io.TextIOWrapper, Counted]:
        """Return its text (UTF-8, a BOM skipped, line ends kept) and the stream it counts."""
        counted = self.counted()
        return io.TextIOWrapper(io.BufferedReader(counted), "utf-8-sig", newline=""), counted


class Counted(io.RawIOBase):
    """A binary stream that counts the bytes read through it; past ``limit`` it raises Overflow."""

    def __init__(self, inner: IO[bytes], limit: int) -> None:
        super().__init__()
        self._inner, self._limit = inner, limit
        self.count = 0

    def readable(self) -> bool:
        """Say that it can be read."""
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        """Read the next bytes into ``buffer``; how many."""
        view = memoryview(buffer).cast("B")
        data = self._inner.read(len(view))
        view[:len(data)] = data
        self.count += len(data)
        if self.count > self._limit:
            raise Overflow
        return len(data)


def locate(data: bytes, problems: Problems, limits: Limits) -> Text:
    """Find the proposals in ``data`` (named ``problems.source``), or refuse what cannot."""
    size = len(data)
    if size > limits.file_bytes:
        problems.refuse(None, "decidim.too_large", size=problems.quantity(size),
                        limit=problems.quantity(limits.file_bytes))
    if data.startswith(_ZIP):
        return _entry(data, problems, limits)
    kind: Kind = "json" if _JSON.match(data) else "csv"
    if kind == "json" and size > limits.json_bytes:
        problems.refuse(None, "decidim.json_too_large", limit=problems.quantity(limits.json_bytes))
    return Text(problems.source, kind, size, size, lambda: io.BytesIO(data))


def _entry(data: bytes, problems: Problems, limits: Limits) -> Text:
    declared = _declared_entries(data)
    if declared is not None and declared > limits.zip_entries:
        problems.refuse(None, "decidim.zip_entries", count=problems.quantity(declared),
                        limit=problems.quantity(limits.zip_entries))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError):
        problems.refuse(None, "decidim.zip_damaged")
    entries = [info for info in archive.infolist() if not info.is_dir()]
    if len(entries) > limits.zip_entries:
        problems.refuse(None, "decidim.zip_entries", count=problems.quantity(len(entries)),
                        limit=problems.quantity(limits.zip_entries))
    info = _proposals_entry(entries, problems)
    problems.source = problems.say("import.source_entry", file=problems.source,
                                   entry=named(info.filename))
    return _checked(archive, info, problems, limits)


def _declared_entries(data: bytes) -> int | None:
    """Return how many entries a ZIP's central directory says it holds (65,535: maybe more)."""
    at = data.rfind(_END_OF_DIRECTORY, max(0, len(data) - 65_557))
    if at < 0 or at + 12 > len(data):
        return None
    return int.from_bytes(data[at + 10:at + 12], "little")


def _proposals_entry(entries: list[zipfile.ZipInfo], problems: Problems) -> zipfile.ZipInfo:
    def base(info: zipfile.ZipInfo) -> str:
        return info.filename.rsplit("/", 1)[-1]

    found = ([info for info in entries if base(info).endswith(_OPEN_DATA)]
             or [info for info in entries if _ADMIN.fullmatch(base(info))])
    if len(found) == 1:
        return found[0]
    if found:
        problems.refuse(None, "decidim.zip_ambiguous", names=_listed(found, problems))
    problems.refuse(None, "decidim.zip_no_proposals", names=_listed(entries, problems))


def _listed(entries: list[zipfile.ZipInfo], problems: Problems) -> str:
    names = [named(info.filename) for info in entries[:_LISTED]] or [problems.say("none")]
    if len(entries) > _LISTED:
        names.append(problems.say("decidim.and_more", count=len(entries) - _LISTED))
    return ", ".join(names)


def _checked(archive: zipfile.ZipFile, info: zipfile.ZipInfo, problems: Problems,
             limits: Limits) -> Text:
    kind: Kind = "json" if info.filename.endswith(".json") else "csv"
    limit = limits.json_bytes if kind == "json" else limits.entry_bytes
    if info.flag_bits & 0x1:
        problems.refuse(None, "decidim.zip_encrypted")
    if info.file_size > limit:
        problems.refuse(None, "decidim.entry_declares_too_much",
                        size=problems.quantity(info.file_size),
                        limit=problems.quantity(limit))
    return Text(problems.source, kind, info.file_size, min(limit, info.file_size),
                lambda: archive.open(info))


def bad_byte(stream: IO[bytes], chunk: int = 1 << 16) -> tuple[int, int, int] | None:
    """Return the offset, line and value of the first byte of ``stream`` that is not UTF-8."""
    utf8 = codecs.getincrementaldecoder("utf-8")()
    offset = lines = 0
    while True:
        piece = stream.read(chunk)
        pending = len(utf8.getstate()[0])
        try:
            utf8.decode(piece, final=not piece)
        except UnicodeDecodeError as error:
            at = offset - pending + error.start
            before = piece[:max(0, at - offset)]
            return at, lines + before.count(b"\n") + 1, error.object[error.start]
        if not piece:
            return None
        offset += len(piece)
        lines += piece.count(b"\n")
