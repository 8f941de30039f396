"""Reading an evidence pack someone else handed over: a ZIP read with limits, streamed.

The pack may be hostile. Before anything is unpacked, the ZIP's directory is
checked: at most ``entries`` members, each named as a plain relative path once,
neither encrypted nor compressed by a method other than stored or deflate, none
declaring more bytes than its limit (``member_bytes`` for what is streamed,
``whole_bytes`` for what is read whole). Unpacking never yields more than an
entry declares (``zipfile`` stops there, and its CRC check then fails), so a
ZIP bomb is refused by its declared size. JSON lines are cut from 1 MiB
pieces, none longer than ``line_bytes``: a member of a million events is read
without holding it.
"""

from __future__ import annotations

import hashlib
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

import orjson
from sqlalchemy import Table

from storage import pack_format as f
from storage.uow import PlanRow

GIB = 1024 ** 3
MIB = 1024 ** 2
PIECE = MIB


@dataclass(frozen=True, slots=True)
class PackLimits:
    """How much of a pack ``audit check`` reads (tests shrink them)."""

    entries: int = 100_000
    """The most members a pack may hold (a definition per pinned version, a table each...)."""
    member_bytes: int = 64 * GIB
    """The most bytes a streamed member (events, a table) may declare: 100 million events."""
    whole_bytes: int = 64 * MIB
    """The most bytes a member read whole may declare (about.json, a definition, the sums)."""
    line_bytes: int = 16 * MIB
    """The longest line of a JSON-lines member (an event pins a definition of a few 10 kB)."""


LIMITS = PackLimits()


class PackRefused(Exception):
    """The pack cannot be read as one: a message key and its parameters say why."""

    def __init__(self, key: str, /, **params: Any) -> None:
        super().__init__(key)
        self.key, self.params = key, params


class BadLine(Exception):
    """A line of a JSON-lines member is not what that member holds."""

    def __init__(self, member: str, line: int, detail: str) -> None:
        super().__init__(member, line, detail)
        self.member, self.line, self.detail = member, line, detail


UNPACKING = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError)
"""What unpacking a damaged (or oddly made) member raises."""


class Pack:
    """An evidence pack opened for reading; see the module docstring."""

    def __init__(self, path: Path, limits: PackLimits = LIMITS) -> None:
        self.path, self.limits = path, limits
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise PackRefused("pack.not_zip", path=str(path), detail=str(exc)) from exc
        self.entries = _entries(self._zip, limits)

    def close(self) -> None:
        """Close the ZIP."""
        self._zip.close()

    def read(self, name: str) -> bytes:
        """Return a member read whole (at most ``whole_bytes``)."""
        info = self.entries[name]
        if info.file_size > self.limits.whole_bytes:
            raise PackRefused("pack.member_too_large", member=name, size=info.file_size,
                              limit=self.limits.whole_bytes)
        with self.opened(name) as stream:
            return stream.read()

    @contextmanager
    def opened(self, name: str) -> Iterator[IO[bytes]]:
        """Open a member to stream it; a damaged one raises PackRefused."""
        try:
            with self._zip.open(self.entries[name]) as stream:
                yield stream
        except UNPACKING as exc:
            raise PackRefused("pack.damaged", member=name, detail=str(exc)) from exc

    def sha256(self, name: str) -> str:
        """Return the SHA-256 of a member's bytes."""
        digest = hashlib.sha256()
        with self.opened(name) as stream:
            while piece := stream.read(PIECE):
                digest.update(piece)
        return digest.hexdigest()

    def lines(self, name: str, digest: Any = None) -> Iterator[bytes]:
        """Yield a member's lines (without their newline); ``digest`` sees every byte."""
        limit = self.limits.line_bytes
        with self.opened(name) as stream:
            rest = b""
            while piece := stream.read(PIECE):
                if digest is not None:
                    digest.update(piece)
                lines = (rest + piece).split(b"\n")
                rest = lines.pop()  # a line longer than a piece ends up here first
                if len(rest) > limit:
                    raise PackRefused("pack.line_too_long", member=name, limit=limit)
                yield from lines
            if rest:
                yield rest

    def rows(self, name: str, digest: Any = None) -> Iterator[Any]:
        """Yield a JSON-lines member's values, line by line; BadLine names one that is not JSON."""
        for number, line in enumerate(self.lines(name, digest), start=1):
            try:
                yield orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                raise BadLine(name, number, str(exc)) from exc


def _entries(archive: zipfile.ZipFile, limits: PackLimits) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > limits.entries:
        raise PackRefused("pack.too_many_members", count=len(infos), limit=limits.entries)
    entries: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        _admissible(info, limits)
        if info.filename in entries:
            raise PackRefused("pack.member_twice", member=info.filename)
        entries[info.filename] = info
    return entries


def _admissible(info: zipfile.ZipInfo, limits: PackLimits) -> None:
    name, path = info.filename, PurePosixPath(info.filename)
    if (path.is_absolute() or ".." in path.parts or "\\" in name or not name
            or info.is_dir()):
        raise PackRefused("pack.bad_name", member=name)
    if info.flag_bits & 0x1:
        raise PackRefused("pack.encrypted", member=name)
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise PackRefused("pack.compression", member=name)
    if info.file_size > limits.member_bytes:
        raise PackRefused("pack.member_too_large", member=name, size=info.file_size,
                          limit=limits.member_bytes)


def event_rows(pack: Pack, width: int, digest: Any = None) -> Iterator[Sequence[Any]]:
    """Yield the lines of ``events.jsonl`` as rows of ``width`` columns (BadLine if not)."""
    for number, row in enumerate(pack.rows(f.EVENTS, digest), start=1):
        if type(row) is not list or len(row) != width or type(row[0]) is not int:
            raise BadLine(f.EVENTS, number, f"not a list of {width} values from a position")
        yield row


class Watch:
    """What the replay's reading notes on its way: some events' hashes, each plan's first event."""

    def __init__(self, positions: set[int]) -> None:
        self.positions = positions
        self.hashes: dict[int, str] = {}
        self.created: dict[str, int] = {}
        """The position of each plan's ``PlanCreated``."""


def replayed(rows: Iterator[Sequence[Any]], watch: Watch) -> Iterator[tuple[Any, ...]]:
    """Yield the columns the replay reads from each events line, in its order.

    (position, stream, kind, version, type, data, actor, role, moment), noting
    what ``watch`` asks for as they pass.
    """
    positions, hashes, created = watch.positions, watch.hashes, watch.created
    for r in rows:
        if r[0] in positions:
            hashes[r[0]] = r[13]
        if r[6] == "PlanCreated":
            created[r[2]] = r[0]
        yield r[0], r[2], r[3], r[5], r[6], r[7], r[8], r[9], r[10]


class PackedProjections:
    """The projections a pack ships, read as verify reads the database's (a Projections)."""

    def __init__(self, pack: Pack, width: int) -> None:
        self.pack, self.width = pack, width
        self._plans = {row[0]: row for row in self._table("plans")}
        self._parts = {table: self._by_plan(table) for table in
                       ("phases", "members", "decisions", "votes", "activities")}

    def read_time(self, value: Any) -> Any:
        """Return a moment as it was read: the pack's moments are decoded already."""
        return value

    def _table(self, table: str) -> Iterator[tuple[Any, ...]]:
        decode, name = f.decoder(table), f.member(table)
        if name not in self.pack.entries:
            raise PackRefused("pack.member_missing", member=name)
        for number, values in enumerate(self.pack.rows(name), start=1):
            try:
                yield decode(values)
            except (ValueError, TypeError) as exc:
                raise BadLine(name, number, str(exc)) from exc

    def _by_plan(self, table: str) -> dict[str, list[dict[str, Any]]]:
        columns, found = f.TABLES[table], dict[str, list[dict[str, Any]]]()
        for row in self._table(table):
            found.setdefault(row[0], []).append(dict(zip(columns, row, strict=True)))
        return found

    @contextmanager
    def rows(self, table: str) -> Iterator[Iterator[tuple[Any, ...]]]:
        """Stream the rows of a table the pack ships."""
        yield self._table(table)

    def plan_ids(self) -> set[str]:
        """Return the ids of the shipped ``plans`` rows."""
        return set(self._plans)

    def plan_row(self, plan_id: str) -> PlanRow | None:
        """Return a plan's shipped row."""
        row = self._plans.get(plan_id)
        return None if row is None else PlanRow(*row)

    def plan_rows(self, table: Table, plan_id: str) -> list[dict[str, Any]]:
        """Return a plan's shipped rows of ``table``."""
        return self._parts[table.name].get(plan_id, [])

    def last_position(self, stream: str) -> int | None:
        """Return the position of a stream's last event in the pack (read again to find it)."""
        last = None
        for row in event_rows(self.pack, self.width):
            if row[2] == stream:
                last = row[0]
        return last
