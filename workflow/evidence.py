"""What an evidence pack holds: the list of member makers ``cocrea audit pack`` writes.

Each maker is a function given the pack's :class:`storage.pack.PackContext` (the
database in one read snapshot, the plan it is scoped to, the head, verify's
report) that yields the members it adds (:class:`storage.pack.Member`). The
members storage ships come first. The OGP report and the open-data package are
added here, one maker each, when their code lands::

    def ogp_members(ctx: PackContext) -> Iterator[Member]:
        for plan_id in plans_of(ctx):            # ctx.plan, or every plan
            report = ogp_report(ctx.conn, plan_id)  # read in the pack's snapshot
            yield Member(f"ogp/{plan_id}.json", [json.dumps(report).encode()])

    MEMBERS = (*STORED_MEMBERS, ogp_members, open_data_members)

``audit check`` checks such members by their SHA-256 (and names them as checked
by their sum only) until a check of their own is registered in
:data:`storage.pack_check.MEMBER_CHECKS` under their prefix (``ogp/``).
"""

from __future__ import annotations

from storage.pack import STORED_MEMBERS, Maker

MEMBERS: tuple[Maker, ...] = (*STORED_MEMBERS,)
"""Every maker of a pack, in the order its members are written."""
