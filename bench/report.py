"""The figures table and the verdict on each target."""

from __future__ import annotations

from typing import Any

TARGETS = {
    "engine_vs_raw": ("commands/s, engine ÷ raw one-row durable commits", 0.5),
    "engine_vs_peer": ("commands/s, engine ÷ eventsourcing peer", 1.0),
    "verify_vs_raw": ("verify events/s ÷ raw SELECT rows/s", 0.25),
    "verify_peak_rss_mib": ("verify peak RSS (MiB), child + its chain worker", 500.0),
    "one_more_time_ratio": ("one more proposal: ms, largest ÷ smallest plan", 1.5),
    "one_more_vs_raw_ratio": ("one more proposal: × raw commit, largest ÷ smallest", 1.5),
    "one_more_memory_ratio": ("one more proposal: heap peak at largest ÷ smallest", 1.5),
}
UPPER_BOUNDS = {"verify_peak_rss_mib", "one_more_time_ratio", "one_more_vs_raw_ratio",
                "one_more_memory_ratio"}


def figures(db: dict[str, Any]) -> dict[str, float]:
    """The figures the targets are about, for one database."""
    commands, verify, costs = db["commands"], db["verify"], list(db["one_more_proposal"].values())
    return {
        "engine_vs_raw": commands["engine_vs_raw"],
        "engine_vs_peer": commands["engine_vs_peer"],
        "verify_vs_raw": verify["verify_vs_raw"],
        "verify_peak_rss_mib": verify["peak_rss_mib"],
        "one_more_time_ratio": costs[-1]["ms_per_pair"] / costs[0]["ms_per_pair"],
        "one_more_vs_raw_ratio": costs[-1]["per_raw_commit"] / costs[0]["per_raw_commit"],
        "one_more_memory_ratio": costs[-1]["alloc_peak_kib"] / costs[0]["alloc_peak_kib"],
    }


def targets_met(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per database, each figure and whether it meets its target."""
    verdicts: dict[str, dict[str, Any]] = {}
    for name, db in results["databases"].items():
        verdicts[name] = {}
        for key, value in figures(db).items():
            bound = TARGETS[key][1]
            met = value <= bound if key in UPPER_BOUNDS else value >= bound
            verdicts[name][key] = {"value": value, "target": bound, "met": met}
    return verdicts


def render(results: dict[str, Any]) -> str:
    """Return the figures as a text table."""
    names = list(results["databases"])
    lines = [f"{'figure':58}" + "".join(f"{n:>24}" for n in names)]

    def row(label: str, values: list[str]) -> None:
        lines.append(f"{label:58}" + "".join(f"{v:>24}" for v in values))

    dbs = [results["databases"][n] for n in names]
    row("log: events", [f"{d['log']['events']:,}" for d in dbs])
    row("log: proposals (hot plan)",
        [f"{d['log']['proposals']:,} ({d['log']['hot_plan_proposals']:,})" for d in dbs])
    row("build seconds", [f"{d['build_seconds']:.0f}" for d in dbs])
    for who in ("raw", "engine", "peer", "floor"):
        row(f"durable commands/s, {who} (median)",
            [f"{d['commands']['rates'][who]['median_per_s']:.0f}" for d in dbs])
    row("verify events/s", [f"{d['verify']['events_per_s']:.0f}" for d in dbs])
    row("raw SELECT rows/s (median)", [f"{d['verify']['raw_select_rows_per_s']:.0f}" for d in dbs])
    row("verify seconds, each run (all ok?)",
        [f"{'/'.join(f'{x:.1f}' for x in _runs(d))} ({d['verify']['ok']})" for d in dbs])
    for size, cost in results["databases"][names[0]]["one_more_proposal"].items():
        where = f"{cost.get('plan_size', size):,}" + (", full log" if "full" in size else "")
        row(f"one more proposal, plan at {where}: ms, ×raw, KiB",
            [_cost(d["one_more_proposal"].get(size)) for d in dbs])
    lines.append("")
    verdicts = results["targets"]
    for key, (label, bound) in TARGETS.items():
        sign = "≤" if key in UPPER_BOUNDS else "≥"
        cells = [f"{verdicts[n][key]['value']:.2f} {'ok' if verdicts[n][key]['met'] else 'MISS'}"
                 for n in names]
        row(f"{label} ({sign}{bound:g})", cells)
    lines.append("")
    row("ceiling: floor (the statements alone) ÷ raw", [_share(d, "floor_vs_raw") for d in dbs])
    row("engine ÷ floor", [_share(d, "engine_vs_floor") for d in dbs])
    return "\n".join(lines)


def _share(db: dict[str, Any], key: str) -> str:
    value = db["commands"].get(key)
    return "-" if value is None else f"{value:.2f}"


def _runs(db: dict[str, Any]) -> list[float]:
    seconds = db["verify"]["seconds"]
    return seconds if isinstance(seconds, list) else [seconds]


def _cost(cost: dict[str, float] | None) -> str:
    if cost is None:
        return "-"
    return (f"{cost['ms_per_pair']:.2f}, {cost['per_raw_commit']:.1f}×, "
            f"{cost['alloc_peak_kib']:.0f}")
