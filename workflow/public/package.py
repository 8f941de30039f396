"""A plan's open-data package: every table as CSV and as JSON Lines, and ``datapackage.json``.

Each table of :data:`workflow.public.tables.TABLES` becomes ``{table}.csv`` (UTF-8,
a header, RFC 4180) and ``{table}.jsonl`` (one JSON object a line), described by a
Frictionless Data Package (v2) ``datapackage.json``: the plan's title, the
licence (:func:`workflow.public.settings.data_license`), and for each file its
schema (field names, Table Schema types, descriptions in the plan's language,
keys), its size in bytes and its SHA-256 (``sha256:<hex>``). JSON Lines rather
than one JSON array: frictionless validates a JSON Lines file's size, hash and
every value against its schema (it cannot count a JSON array's bytes), and a
million events can be read a line at a time.

Everything streams: rows are read a batch at a time (:mod:`storage.public`),
each file is hashed and counted as it is written, into a folder or a ZIP (whose
entries are written as they come, so a ZIP can go straight out over HTTP: see
:func:`zip_stream`). Each table is read once per format, in one snapshot.

The same log gives the same bytes: the ZIP's entries are dated with the plan's
last event, and nothing in the package depends on when it is written.

Each kind of data is one entry of ``TABLES``; a table with no rows yet (no
proposals, no votes) still has both files, its JSON Lines one empty (see
:func:`untyped`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import queue
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

import orjson
from sqlalchemy import Engine

from definitions.messages import say
from storage.public import Record, record
from workflow.public.settings import data_license, public_url
from workflow.public.tables import TABLES, Column, Row, Table

FORMATS = ("csv", "jsonl")
BATCH = 1000
"""Rows written between two pauses (see :func:`write_package`)."""
QUEUED = 8
"""Batches waiting to be written, at most (see :class:`Counted`)."""
CHUNK = 1 << 16
"""Bytes of a ZIP handed out at a time over HTTP."""
PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
LEVEL = 1
"""zlib's fastest level: the ZIP is a tenth larger than at the default (6), written in half
the time (bench/open_data.py)."""
LEVEL_ATTRIBUTE = "compress_level" if hasattr(ZipInfo, "compress_level") else "_compresslevel"
"""Where a ZipInfo keeps its level (``compress_level`` from Python 3.13)."""
DESCRIPTOR = "datapackage.json"


class Sink(Protocol):
    """Where a package's files go: a folder or a ZIP."""

    def entry(self, name: str) -> AbstractContextManager[IO[bytes]]:
        """Open the file ``name`` for writing."""
        ...


class Folder:
    """A package written as files in a folder (made if missing)."""

    def __init__(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        self.path = path

    @contextmanager
    def entry(self, name: str) -> Iterator[IO[bytes]]:
        """Open ``name`` in the folder for writing (replacing what was there)."""
        with (self.path / name).open("wb") as out:
            yield out


class Zipped:
    """A package written as a ZIP into ``out`` (a file, or a stream that cannot seek)."""

    def __init__(self, out: Any, moment: dt.datetime) -> None:
        self.zip = ZipFile(out, "w", compression=ZIP_DEFLATED)
        self.stamp = moment.astimezone(dt.UTC).timetuple()[:6]

    @contextmanager
    def entry(self, name: str) -> Iterator[IO[bytes]]:
        """Open the ZIP entry ``name`` for writing, dated with the plan's last event."""
        info = ZipInfo(name, self.stamp)
        info.compress_type, info.external_attr = ZIP_DEFLATED, 0o644 << 16
        setattr(info, LEVEL_ATTRIBUTE, LEVEL)
        with self.zip.open(info, "w", force_zip64=True) as out:
            yield out

    def close(self) -> None:
        """Write the ZIP's directory."""
        self.zip.close()


class Counted:
    """A file being written: its bytes are written on, counted and hashed (SHA-256) in a thread.

    The thread takes the bytes while the next rows are formatted: zlib, hashlib
    and file writes let go of the GIL, so a second core compresses and hashes
    while the first formats (bench/open_data.py). Use it as a context manager:
    leaving it waits for every byte to be written, and raises what writing raised.
    """

    def __init__(self, out: IO[bytes]) -> None:
        self.out, self.bytes, self.sha256 = out, 0, hashlib.sha256()
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=QUEUED)
        self._failed: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="cocrea-package", daemon=True)
        self._thread.start()

    def __enter__(self) -> Counted:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._queue.put(None)
        self._thread.join()
        if self._failed is not None and _exc[0] is None:
            raise self._failed

    def write(self, data: bytes) -> None:
        """Hand ``data`` over to be written, counted and hashed."""
        if self._failed is not None:
            raise self._failed
        self._queue.put(data)

    def _run(self) -> None:
        while (data := self._queue.get()) is not None:
            if self._failed is None:
                try:
                    self.out.write(data)
                    self.sha256.update(data)
                    self.bytes += len(data)
                except BaseException as error:  # raised in the writer's thread, at its next write
                    self._failed = error

    @property
    def hash(self) -> str:
        """The hash as a Data Package writes it: ``sha256:<hex>``."""
        return f"sha256:{self.sha256.hexdigest()}"


@dataclass
class Written:
    """What a package holds: its descriptor, and the rows of each table."""

    rows: dict[str, int] = field(default_factory=dict)
    descriptor: dict[str, Any] = field(default_factory=dict)


def write_csv(table: Table, columns: tuple[Column, ...], found: Record,
              out: Counted, written: Written) -> Iterator[None]:
    """Write a table as CSV with a header; pause after every :data:`BATCH` rows."""
    values = _converted(columns, "boolean", _flag)
    lines = [csv_line([c.name for c in columns])]
    count = 0
    for count, row in enumerate(table.rows(found), 1):
        lines.append(csv_line(values(row)))
        if count % BATCH == 0:
            out.write("".join(lines).encode())
            lines.clear()
            yield
    out.write("".join(lines).encode())
    written.rows[table.name] = count


SPECIAL = re.compile(r'[,"\r\n]')


def csv_line(row: Row) -> str:
    """Return a row as a CSV line (RFC 4180, as the csv module's minimal quoting writes it).

    A third of what the csv module's writer costs on event rows, whose data is
    JSON full of quotes; :func:`csv_cell` says how each value is written.
    """
    return ",".join(map(csv_cell, row)) + "\r\n"


def csv_cell(value: Any) -> str:
    """Return a value as a CSV cell: empty for None; quoted if it holds ``,``, ``"`` or a break."""
    if value is None:
        return ""
    text = value if type(value) is str else str(value)
    return '"' + text.replace('"', '""') + '"' if SPECIAL.search(text) else text


def _flag(value: Any) -> str:
    return "true" if value else "false"


def _converted(columns: tuple[Column, ...], kind: str,
               convert: Callable[[Any], Any]) -> Callable[[Row], Row]:
    """Return what turns a row's values of type ``kind`` by ``convert`` (None stays None)."""
    where = {i for i, c in enumerate(columns) if c.type == kind}
    if not where:
        return lambda row: row
    return lambda row: [convert(v) if i in where and v is not None else v
                        for i, v in enumerate(row)]


def write_jsonl(table: Table, columns: tuple[Column, ...], found: Record,
                out: Counted, written: Written) -> Iterator[None]:
    """Write a table as JSON Lines (one object a line); pause after every :data:`BATCH` rows."""
    names = [c.name for c in columns]
    values = _converted(columns, "json", orjson.Fragment)  # JSON text goes in as it is
    option = orjson.OPT_SORT_KEYS if table.sorted_keys else 0
    lines: list[bytes] = []
    for count, row in enumerate(table.rows(found), 1):
        lines.append(orjson.dumps(dict(zip(names, values(row), strict=True)), option=option))
        if count % BATCH == 0:
            out.write(b"\n".join(lines) + b"\n")
            lines.clear()
            yield
    if lines:
        out.write(b"\n".join(lines) + b"\n")
    del written


WRITERS = {"csv": write_csv, "jsonl": write_jsonl}


def write_package(found: Record, sink: Sink, written: Written,
                  env: Mapping[str, str] | None = None) -> Iterator[None]:
    """Write every table in each format, then ``datapackage.json``, into ``sink``.

    A generator: it pauses (yields) after every batch of rows written, so a caller
    can send what is ready (see :func:`zip_stream`); run it to the end.
    """
    licence, definition = data_license(env), found.plan.state.definition
    resources = []
    for table in TABLES:
        columns = table.columns(definition)
        for fmt in FORMATS:
            with sink.entry(f"{table.name}.{fmt}") as out, Counted(out) as counted:
                yield from WRITERS[fmt](table, columns, found, counted, written)
            described = resource(table, columns, fmt, counted, found.plan.locale)
            resources.append(described if written.rows[table.name] or fmt != "jsonl"
                             else untyped(described))
    written.descriptor = descriptor(found, resources, env) | {"licenses": [
        {"name": licence.name, "path": licence.path, "title": licence.title}]}
    with sink.entry(DESCRIPTOR) as out:
        out.write(json.dumps(written.descriptor, ensure_ascii=False, indent=2).encode() + b"\n")


def resource(table: Table, columns: tuple[Column, ...], fmt: str, out: Counted,
             locale: str) -> dict[str, Any]:
    """Describe one file of the package: what it holds, its schema, size and hash."""
    schema: dict[str, Any] = {"fields": [_field(c, locale) for c in columns],
                              "primaryKey": list(table.key)}
    if table.sorted_keys and fmt == "jsonl":
        schema["fieldsMatch"] = "equal"  # the keys are sorted, the columns are not
    if table.references:
        schema["foreignKeys"] = [
            {"fields": list(mine), "reference": {
                "resource": f"{other}-{fmt}" if other else "", "fields": list(theirs)}}
            for mine, other, theirs in table.references]
    return {"name": f"{table.name}-{fmt}", "type": "table", "path": f"{table.name}.{fmt}",
            "format": fmt, "mediatype": "text/csv" if fmt == "csv" else "application/jsonl",
            "encoding": "utf-8", "title": say(locale, table.description),
            "bytes": out.bytes, "hash": out.hash, "schema": schema}


def untyped(described: dict[str, Any]) -> dict[str, Any]:
    """Describe an empty JSON Lines file as a file, not a table: its size and hash still hold.

    frictionless (5.21) cannot read a JSON Lines table with no line ("generator
    raised StopIteration"), so the table's schema stays with its CSV twin.
    """
    return {k: v for k, v in described.items() if k != "schema"} | {"type": "file"}


def _field(column: Column, locale: str) -> dict[str, Any]:
    described = {"name": column.name, "type": "object" if column.type == "json" else column.type,
                 "description": say(locale, column.description) if column.said
                 else column.description}
    return described | ({"constraints": column.constraints} if column.constraints else {})


def descriptor(found: Record, resources: list[dict[str, Any]],
               env: Mapping[str, str] | None) -> dict[str, Any]:
    """Describe the package: the plan, its language, the log it was read up to, its files."""
    state, lo = found.plan.state, found.plan.locale
    position, last_hash, moment = found.last_event()
    base = public_url(env)
    return {"$schema": PROFILE, "name": _name(state.plan_id),
            "title": state.definition.title,
            "description": say(lo, "open_data.description", title=state.definition.title,
                               plan=state.plan_id, position=position),
            "created": moment.astimezone(dt.UTC).isoformat(),
            **({"homepage": f"{base}/plans/{state.plan_id}"} if base else {}),
            "cocrea": {"plan": state.plan_id, "language": lo,
                       "definition": {"id": state.definition.id,
                                      "version": state.definition.version,
                                      "hash": state.definition_hash},
                       "log": {"position": position, "hash": last_hash}},
            "resources": resources}


def _name(plan_id: str) -> str:
    """Return a package name from a plan id (lowercase letters, digits, ``-``, ``_``, ``.``)."""
    return "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "-"
                   for c in plan_id.lower())


def export(engine: Engine, plan_id: str, out: Path,
           env: Mapping[str, str] | None = None) -> Written:
    """Write a plan's package to ``out``: a ZIP when it ends in ``.zip``, else a folder.

    A ZIP is written beside its place and moved there when whole.
    """
    written = Written()
    data_license(env)  # a wrong setting stops before anything is written
    with record(engine, plan_id) as found:
        if out.suffix.lower() != ".zip":
            for _ in write_package(found, Folder(out), written, env):
                pass
            return written
        partial = out.with_name(f".{out.name}.part")
        with partial.open("wb") as file:
            zipped = Zipped(Onward(file), found.last_event()[2])
            for _ in write_package(found, zipped, written, env):
                pass
            zipped.close()
        partial.replace(out)
    return written


class Onward:
    """A file seen as a stream that cannot seek, so its ZIP is byte for byte the one streamed.

    (A ZIP written where it can seek goes back to put each entry's sizes in its
    header; one that cannot puts them after the entry.)
    """

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out

    def write(self, data: bytes) -> int:
        """Write ``data`` on."""
        return self.out.write(data)

    def flush(self) -> None:
        """Flush the file."""
        self.out.flush()


class Pipe:
    """A stream that cannot seek: what is written waits until it is taken (a ZIP on its way).

    Written from the thread that writes a file of the package, taken from the one
    that sends it: a lock keeps the two apart.
    """

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.size = 0
        self._lock = threading.Lock()

    def write(self, data: bytes) -> int:
        """Keep ``data``."""
        with self._lock:
            self.parts.append(bytes(data))
            self.size += len(data)
        return len(data)

    def flush(self) -> None:
        """Nothing to flush: the bytes wait to be taken."""

    def take(self) -> bytes:
        """Return what was written since last taken."""
        with self._lock:
            data = b"".join(self.parts)
            self.parts.clear()
            self.size = 0
        return data


def zip_stream(engine: Engine, plan_id: str,
               env: Mapping[str, str] | None = None) -> Iterator[bytes]:
    """Yield a plan's package as a ZIP, a chunk at a time, as it is written."""
    pipe = Pipe()
    with record(engine, plan_id) as found:
        zipped = Zipped(pipe, found.last_event()[2])
        for _ in write_package(found, zipped, Written(), env):
            if pipe.size >= CHUNK:
                yield pipe.take()
        zipped.close()
    yield pipe.take()
