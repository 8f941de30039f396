"""``cocrea audit check``: check an evidence pack with no database and no server.

The same passes verify runs, fed from the pack's lines instead of the database:
the chain (:func:`storage.chain.check_chain`, or :func:`~storage.chain.check_links`
for a pack of one plan), the legal replay (:func:`storage.audit.replay_rows`) and
the projections (:func:`storage.audit_projections.compare_projections`). Around
them, what only a pack has: ``SHA256SUMS`` against every member, the pinned
definitions against the plans that pinned them, an OGP report for each plan
replayed (and none for another), the head against ``digest.json``
and ``about.json``, verify's report against the chain, and (``--digest``) a head
kept elsewhere. On a large pack the chain pass, and the sum of ``events.jsonl``,
run in a second process while this one replays, as verify does.

Each check reports its first finding; an event's is named at its position.
Optional members other code adds (the open-data package) are checked by
their sums (``PackReport.sums_only``) until a check of their own is plugged in
(:data:`MEMBER_CHECKS`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from definitions.messages import resolved, say
from storage import pack_format as f
from storage.audit import collector_paused, earliest, replay_rows
from storage.audit_projections import compare_projections
from storage.chain import (
    ChainResult,
    Finding,
    chain_json,
    chain_result,
    check_chain,
    check_links,
    collected,
    kept_head,
    request,
    spawn,
)
from storage.eventstore import GENESIS, Head
from storage.pack_read import (
    LIMITS,
    MIB,
    BadLine,
    Pack,
    PackedProjections,
    PackLimits,
    PackRefused,
    Watch,
    event_rows,
    replayed,
)
from workflow.domain.canonical import canonical_json
from workflow.domain.replay import Replay

PARALLEL_BYTES = 32 * MIB
"""From an ``events.jsonl`` this large on (about 50,000 events), the chain pass runs beside."""
WHOLE, ONE_PLAN = len(f.COLUMNS), len(f.COLUMNS) + 1
"""The width of an events line in a pack of the whole log, and of one plan."""


@dataclass
class PackReport:
    """What the check of a pack found: its scope, what it replayed, and every finding."""

    plan: str | None = None
    events: int = 0
    plans: int = 0
    proposals: int = 0
    head: Head = field(default_factory=lambda: Head(0, GENESIS))
    findings: list[Finding] = field(default_factory=list)
    sums_only: list[str] = field(default_factory=list)
    """Members checked by their SHA-256 alone (no check of their own yet)."""

    @property
    def ok(self) -> bool:
        """Whether every check passed."""
        return not self.findings

    def add(self, finding: Finding | None) -> None:
        """Keep a finding (None: the check passed)."""
        if finding is not None:
            self.findings.append(finding)

    def ordered(self) -> list[Finding]:
        """Return the findings, those at an event first, by position."""
        return sorted(self.findings, key=lambda x: (x.position is None, x.position or 0))


def check_pack(path: Path, kept: Head | None = None, locale: str | None = None,
               parallel: bool | None = None, limits: PackLimits = LIMITS) -> PackReport:
    """Check the pack at ``path`` (and a kept digest); findings in ``locale``."""
    locale, report = resolved(locale), PackReport()
    try:
        pack = Pack(path, limits)
    except PackRefused as exc:
        report.add(_refused(exc, locale))
        return report
    try:
        _check(pack, kept, locale, parallel, report)
    except PackRefused as exc:
        report.add(_refused(exc, locale))
    finally:
        pack.close()
    return report


def _refused(exc: PackRefused, locale: str) -> Finding:
    return Finding(None, say(locale, exc.key, **exc.params), locale)


def _check(pack: Pack, kept: Head | None, locale: str, parallel: bool | None,
           report: PackReport) -> None:
    sums = _sums(pack)
    about = _about(pack)
    report.plan, width = about["plan"], ONE_PLAN if about["plan"] else WHOLE
    report.findings += _listed(pack, sums, locale)
    if f.EVENTS not in pack.entries:
        raise PackRefused("pack.member_missing", member=f.EVENTS)
    if parallel is None:
        parallel = pack.entries[f.EVENTS].file_size >= PARALLEL_BYTES
    replay, watch = Replay(), Watch({_verified_head(pack)[0]})
    with _chain_beside(pack, width, kept, locale, parallel) as chained:
        found = _replay(pack, width, replay, watch, locale)
        after = [] if found is not None else _after_replay(pack, width, replay, watch, locale)
    chain, events_sum, hashed = chained()
    report.events, report.head = chain.events, chain.head
    report.plans, report.proposals = len(replay.plans), len(replay.proposals)
    report.add(earliest(chain.finding, found))
    for finding in after:
        report.add(finding)
    report.findings += _heads(pack, about, chain, watch, locale)
    report.findings += _check_sums(pack, sums, {**hashed, f.EVENTS: events_sum}, report,
                                   locale)
    for prefix, check in MEMBER_CHECKS.items():
        if any(name.startswith(prefix) for name in pack.entries):
            report.add(_guarded(partial(check, pack, replay, locale), prefix, width, locale))


def _after_replay(pack: Pack, width: int, replay: Replay, watch: Watch,
                  locale: str) -> list[Finding | None]:
    """Compare what the replay gave with the projections, definitions and OGP reports.

    Run while the worker still chains and sums; said after the chain's finding.
    """
    return [_guarded(lambda: compare_projections(PackedProjections(pack, width), replay,
                                                 locale), f.PROJECTIONS, width, locale),
            _check_definitions(pack, replay, watch, locale),
            _guarded(partial(_check_reports, pack, replay, watch, locale), f.OGP, width,
                     locale)]


def _sums(pack: Pack) -> dict[str, str]:
    if f.SUMS not in pack.entries:
        raise PackRefused("pack.member_missing", member=f.SUMS)
    sums: dict[str, str] = {}
    for number, line in enumerate(pack.read(f.SUMS).decode(errors="replace").splitlines(), 1):
        sha, _, name = line.partition("  ")
        if len(sha) != 64 or not name:
            raise PackRefused("pack.bad_sums", line=number)
        sums[name] = sha
    return sums


def _about(pack: Pack) -> dict[str, Any]:
    if f.ABOUT not in pack.entries:
        raise PackRefused("pack.member_missing", member=f.ABOUT)
    about = _json(pack, f.ABOUT)
    if (not isinstance(about, dict) or about.get("format") != f.FORMAT
            or about.get("version") != f.VERSION):
        raise PackRefused("pack.not_a_pack", member=f.ABOUT, format=f"{f.FORMAT} {f.VERSION}")
    return about


def _json(pack: Pack, name: str) -> Any:
    try:
        return json.loads(pack.read(name))
    except ValueError as exc:
        raise PackRefused("pack.bad_json", member=name, detail=str(exc)) from exc


def _listed(pack: Pack, sums: dict[str, str], locale: str) -> list[Finding]:
    """Check every member but the sums is listed in them, and every listed one is there."""
    found = [Finding(None, say(locale, "pack.member_missing", member=name), locale)
             for name in sums if name not in pack.entries]
    found += [Finding(None, say(locale, "pack.member_unlisted", member=name), locale)
              for name in pack.entries if name not in sums and name != f.SUMS]
    return found


def _verified_head(pack: Pack) -> tuple[int, str]:
    """Return the head verify's report names (position -1: none can be read)."""
    try:
        head = _json(pack, f.VERIFY)["head"]
        return int(head["position"]), str(head["hash"])
    except (PackRefused, KeyError, TypeError, ValueError):
        return -1, ""


@contextmanager
def _chain_beside(pack: Pack, width: int, kept: Head | None, locale: str, parallel: bool,
                  ) -> Iterator[Callable[[], tuple[ChainResult, str, dict[str, str]]]]:
    """Run the chain pass in a worker while the body replays, or after it.

    The worker also sums every other member (the open data of a million events is
    most of a pack's bytes), so those sums cost no time beside the replay; run here,
    the sums are left to :func:`_check_sums`.
    """
    if not parallel:
        yield lambda: (*chain_pass(pack, width, kept, locale), {})
        return
    worker = spawn("storage.pack_check", {
        "pack": str(pack.path), "width": width, "locale": locale,
        "kept": None if kept is None else [kept.position, kept.hash],
        "limits": dataclasses.astuple(pack.limits)})
    try:
        yield lambda: _answer(collected(worker))
    except BaseException:
        worker.kill()
        raise


def _answer(data: dict[str, Any]) -> tuple[ChainResult, str, dict[str, str]]:
    return chain_result(data["chain"]), data["sha256"], dict(data["sums"])


def member_sums(pack: Pack) -> dict[str, str]:
    """Return the SHA-256 of every member but the events and the manifest (none it cannot read).

    A member it cannot read is left out: :func:`_check_sums` reads it again and says why.
    """
    found = {}
    for name in pack.entries:
        if name not in (f.EVENTS, f.SUMS):
            with contextlib.suppress(PackRefused):
                found[name] = pack.sha256(name)
    return found


def chain_pass(pack: Pack, width: int, kept: Head | None,
               locale: str) -> tuple[ChainResult, str]:
    """Run the chain pass over ``events.jsonl``; return its result and the member's SHA-256."""
    digest = hashlib.sha256()
    check = check_chain if width == WHOLE else check_links
    try:
        result = check(event_rows(pack, width, digest), f.PACK_MOMENTS, kept, locale)
    except BadLine as exc:
        result = ChainResult(0, Head(0, GENESIS), _bad_line(exc, width, locale))
    except PackRefused as exc:
        return ChainResult(0, Head(0, GENESIS), _refused(exc, locale)), ""
    if result.finding is not None:  # it stopped early: the sum needs every byte
        try:
            return result, pack.sha256(f.EVENTS)
        except PackRefused:
            return result, ""
    return result, digest.hexdigest()


def _bad_line(exc: BadLine, width: int, locale: str) -> Finding:
    """Name a line that cannot be read (in a pack of the whole log, line N is event #N)."""
    at = exc.line if exc.member == f.EVENTS and width == WHOLE else None
    return Finding(at, say(locale, "pack.bad_line", member=exc.member, line=exc.line,
                           detail=exc.detail), locale)


def _replay(pack: Pack, width: int, replay: Replay, watch: Watch,
            locale: str) -> Finding | None:
    try:
        with collector_paused():
            return replay_rows(replayed(event_rows(pack, width), watch), f.PACK_MOMENTS,
                               replay, locale)
    except BadLine as exc:
        return _bad_line(exc, width, locale)


def _guarded(check: Callable[[], Finding | None], members: str, width: int,
             locale: str) -> Finding | None:
    """Run a check over ``members``; what it cannot read or compare is its finding.

    A pack may hold values of any JSON type where a column has one: comparing
    them can raise what no row of a database would.
    """
    try:
        return check()
    except BadLine as exc:
        return _bad_line(exc, width, locale)
    except PackRefused as exc:
        return _refused(exc, locale)
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        return Finding(None, say(locale, "pack.unreadable", member=members, detail=repr(exc)),
                       locale)


def _check_definitions(pack: Pack, replay: Replay, watch: Watch,
                       locale: str) -> Finding | None:
    """Check each plan's pinned definition is shipped, byte for byte, and none unpinned."""
    pinned = set()
    for plan_id, plan in replay.plans.items():
        sha = plan.state.definition_hash
        name, position = f"{f.DEFINITIONS}{sha}.json", watch.created.get(plan_id)
        pinned.add(name)
        if name not in pack.entries:
            return Finding(position, say(locale, "pack.definition_missing", plan=plan_id,
                                         hash=sha, position=position), locale)
        text = pack.read(name)
        model = plan.catalog.definition.model_dump(mode="json")
        if hashlib.sha256(text).hexdigest() != sha or text != canonical_json(model).encode():
            return Finding(position, say(locale, "pack.definition_differs", member=name,
                                         plan=plan_id, position=position), locale)
    for name in sorted(n for n in pack.entries if n.startswith(f.DEFINITIONS)):
        if name not in pinned:
            return Finding(None, say(locale, "pack.definition_unpinned", member=name), locale)
    return None


def _check_reports(pack: Pack, replay: Replay, watch: Watch, locale: str) -> Finding | None:
    """Check each plan replayed has its OGP report, that it is that plan's, and no other is there.

    Its sum is checked with the others; what it says is the server's judgement,
    read in the pack's snapshot: ``audit check`` does not judge the rules again.
    """
    expected = {f.ogp_member(plan_id): plan_id for plan_id in replay.plans}
    for name, plan_id in expected.items():
        position = watch.created.get(plan_id)
        if name not in pack.entries:
            return Finding(position, say(locale, "pack.ogp_missing", plan=plan_id,
                                         position=position, member=name), locale)
        report = _json(pack, name)
        if not isinstance(report, dict) or report.get("plan") != plan_id or not isinstance(
                report.get("rules"), list):
            return Finding(position, say(locale, "pack.ogp_not_its_own", member=name,
                                         plan=plan_id), locale)
    for name in sorted(n for n in pack.entries if n.startswith(f.OGP)):
        if name not in expected:
            return Finding(None, say(locale, "pack.ogp_unknown", member=name), locale)
    return None


def _heads(pack: Pack, about: dict[str, Any], chain: ChainResult, watch: Watch,
           locale: str) -> list[Finding]:
    """Check the head ``about.json`` and ``digest.json`` name against the chain; verify's too."""
    found: list[Finding] = []
    head = _head_of(about.get("head"))
    digest = _head_of(_json(pack, f.DIGEST)) if f.DIGEST in pack.entries else head
    if digest != head:
        found.append(Finding(None, say(locale, "pack.digest_member", member=f.DIGEST,
                                       position=digest.position, about=head.position), locale))
    if chain.finding is None:
        found += _head_fits(head, chain, about["plan"] is not None, locale)
    found += _verified(pack, watch, locale)
    return found


def _head_of(data: Any) -> Head:
    try:
        return Head(int(data["position"]), str(data["hash"]))
    except (KeyError, TypeError, ValueError):
        return Head(-1, "")


def _head_fits(head: Head, chain: ChainResult, one_plan: bool, locale: str) -> list[Finding]:
    """Check the pack's head is its last event (in a plan's pack: when that event is its own)."""
    last = chain.head
    if head.position < last.position or (not one_plan and head.position > last.position):
        return [Finding(min(head.position, last.position) + 1,
                        say(locale, "audit.head", head=head.position, last=last.position),
                        locale)]
    if head.position == last.position and head.hash != last.hash:
        return [Finding(head.position, say(locale, "pack.head_hash", position=head.position),
                        locale)]
    return []


def _verified(pack: Pack, watch: Watch, locale: str) -> list[Finding]:
    """Check verify's report passed, and names a head the pack's chain holds."""
    if f.VERIFY not in pack.entries:
        return []  # said as a missing member
    data = _json(pack, f.VERIFY)
    finding = data.get("finding") if isinstance(data, dict) else None
    if not isinstance(data, dict) or not data.get("ok") or finding:
        detail = finding.get("message", "?") if isinstance(finding, dict) else "?"
        return [Finding(None, say(locale, "pack.verify_failed", member=f.VERIFY,
                                  detail=detail), locale)]
    position, sha = _verified_head(pack)
    seen = watch.hashes.get(position)
    if position > 0 and seen is not None and seen != sha:
        return [Finding(position, say(locale, "pack.verify_head", position=position), locale)]
    return []


MEMBER_CHECKS: dict[str, Callable[[Pack, Replay, str], Finding | None]] = {}
"""Checks of members other code adds, by the start of their names (``ogp/``, ``open-data/``):
each is given the pack, the replay and the language, after the sums are checked."""

KNOWN = (f.EVENTS, f.ABOUT, f.DIGEST, f.VERIFY, f.DEFINITIONS, f.PROJECTIONS, f.OGP)
"""The members this module checks beyond their sums."""


def _check_sums(pack: Pack, sums: dict[str, str], hashed: dict[str, str], report: PackReport,
                locale: str) -> list[Finding]:
    """Check every listed member has the SHA-256 ``SHA256SUMS`` gives it.

    ``hashed`` holds the sums already taken (the events', and the worker's); the others
    are taken here.
    """
    found = []
    for name, sha in sums.items():
        if name not in pack.entries:
            continue
        actual = hashed.get(name) or pack.sha256(name)
        if actual != sha:
            found.append(Finding(None, say(locale, "pack.sum_mismatch", member=name), locale))
        if not name.startswith((*KNOWN, *MEMBER_CHECKS)):
            report.sums_only.append(name)
    return found


def main() -> None:
    """Worker entry: the chain pass over a pack's events, printed as JSON with every sum."""
    asked = request()
    pack = Pack(Path(asked["pack"]), PackLimits(*asked["limits"]))
    try:
        result, sha = chain_pass(pack, asked["width"], kept_head(asked["kept"]),
                                 asked["locale"])
        sums = member_sums(pack)
    finally:
        pack.close()
    print(json.dumps({"chain": chain_json(result), "sha256": sha, "sums": sums}))


if __name__ == "__main__":
    main()
