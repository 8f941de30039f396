"""What an evidence pack holds: the list of member makers ``cocrea audit pack`` writes.

Each maker is a function given the pack's :class:`storage.pack.PackContext` (the
database in one read snapshot, the plan it is scoped to, the head, verify's
report) that yields the members it adds (:class:`storage.pack.Member`). The
members storage ships come first, then each plan's OGP report, then the
optional members (:func:`optional_members`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from storage import pack_format as f
from storage.pack import STORED_MEMBERS, Maker, Member, PackContext, plan_ids
from workflow.reads import ogp_report_in


def ogp_members(ctx: PackContext) -> Iterator[Member]:
    """Yield ``ogp/PLAN.json``: each plan's OGP report, as ``cocrea ogp report PLAN --json``.

    Judged from the events the pack holds (the pack's snapshot, up to its head),
    as of the moment the pack is made.
    """
    for plan_id in plan_ids(ctx):
        report = ogp_report_in(ctx.conn, plan_id, ctx.made_at, ctx.head.position)
        yield Member(f.ogp_member(plan_id),
                     [json.dumps(report, ensure_ascii=False, indent=2).encode()])


def optional_members(ctx: PackContext) -> Iterator[Member]:
    """Yield the members a pack holds when the code that makes them is there: none yet.

    This is where the open-data package (``open-data/``, on the ``data`` branch)
    adds its files. ``audit check`` checks such members by their SHA-256 and
    names them as checked by their sum only, until a check of their own is
    registered in :data:`storage.pack_check.MEMBER_CHECKS` under their prefix.
    """
    yield from ()


MEMBERS: tuple[Maker, ...] = (*STORED_MEMBERS, ogp_members, optional_members)
"""Every maker of a pack, in the order its members are written."""
