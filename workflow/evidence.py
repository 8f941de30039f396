"""What an evidence pack holds: the list of member makers ``cocrea audit pack`` writes.

Each maker is a function given the pack's :class:`storage.pack.PackContext` (the
database in one read snapshot, the plan it is scoped to, the head, verify's
report) that yields the members it adds (:class:`storage.pack.Member`). The
members storage ships come first, then each plan's OGP report, then each plan's
open-data package (:func:`open_data_members`).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

from storage import pack_format as f
from storage.pack import STORED_MEMBERS, Maker, Member, PackContext, plan_ids
from storage.public import Record
from storage.uow import read_plan
from workflow.public import package
from workflow.reads import ogp_report_in

OPEN_DATA = "open-data/"
"""Where a pack keeps the plans' open-data packages, one folder a plan."""


def ogp_members(ctx: PackContext) -> Iterator[Member]:
    """Yield ``ogp/PLAN.json``: each plan's OGP report, as ``cocrea ogp report PLAN --json``.

    Judged from the events the pack holds (the pack's snapshot, up to its head),
    as of the moment the pack is made.
    """
    for plan_id in plan_ids(ctx):
        report = ogp_report_in(ctx.conn, plan_id, ctx.made_at, ctx.head.position)
        yield Member(f.ogp_member(plan_id),
                     [json.dumps(report, ensure_ascii=False, indent=2).encode()])


def open_data_members(ctx: PackContext) -> Iterator[Member]:
    """Yield ``open-data/PLAN/FILE``: each plan's open-data package, as ``cocrea export`` writes it.

    Read on the pack's own connection, so it holds the events the pack holds. The
    package is written to a temporary folder first (its files can be large) and
    sent on from there a piece at a time. ``audit check`` checks these members by
    their SHA-256 (it names them as checked by their sum only): what they say is
    the projections' and events' public part, which it checks in full.
    """
    for plan_id in plan_ids(ctx):
        found = Record(ctx.conn, read_plan(ctx.conn, plan_id), ctx.dialect)
        with tempfile.TemporaryDirectory(prefix="cocrea-open-data-") as folder:
            for _ in package.write_package(found, package.Folder(Path(folder)),
                                           package.Written()):
                pass
            for file in sorted(Path(folder).iterdir()):
                yield Member(f"{OPEN_DATA}{plan_id}/{file.name}", _pieces(file))


def _pieces(path: Path, size: int = 1 << 20) -> Iterator[bytes]:
    """Read a file a piece at a time."""
    with path.open("rb") as file:
        while piece := file.read(size):
            yield piece


MEMBERS: tuple[Maker, ...] = (*STORED_MEMBERS, ogp_members, open_data_members)
"""Every maker of a pack, in the order its members are written."""
