"""The OGP report as plain data (the API, ``--json``) and as lines for people (the CLI)."""

from __future__ import annotations

from typing import Any

from definitions.messages import say
from definitions.ogp_rules import Rule, RuleSet
from workflow.domain.ogp_facts import Judgement

STATUSES = ("met", "not_met", "unknown")
"""What a rule can be: met, not met, not yet known."""


def ogp_view(rules: RuleSet, judged: list[tuple[Rule, Judgement]], plan_id: str,
             as_of: str, locale: str) -> dict[str, Any]:
    """Return the report: each rule with its standard, status, evidence and what is missing."""
    items = [{"id": rule.id, "standard": rule.standard,
              "asks": getattr(rule.asks, locale, rule.asks.es), "status": j.status,
              "status_text": say(locale, f"ogp.status.{j.status}"), "missing": j.missing,
              "evidence": [{"position": e.position, "at": e.at, "what": e.what, "link": e.link}
                           for e in j.evidence],
              "evidence_total": len(j.evidence) if j.total is None else j.total,
              "source": rule.source}
             for rule, j in judged]
    counts = {status: sum(item["status"] == status for item in items) for status in STATUSES}
    return {"rule_set": rules.id, "title": getattr(rules.title, locale, rules.title.es),
            "plan": plan_id, "as_of": as_of, "locale": locale, "counts": counts,
            "rules": items}


def ogp_lines(view: dict[str, Any]) -> list[str]:
    """Say the report for a person: a heading, then each rule and its evidence."""
    locale = view["locale"]
    lines = [say(locale, "ogp.heading", title=view["title"], plan=view["plan"],
                 as_of=view["as_of"], **view["counts"])]
    for item in view["rules"]:
        lines.append(say(locale, "ogp.rule", standard=item["standard"], asks=item["asks"],
                         status=item["status_text"]))
        if item["missing"]:
            lines.append(say(locale, "ogp.rule_missing", missing=item["missing"]))
        lines += [say(locale, "ogp.rule_evidence", position=e["position"], at=e["at"],
                      what=e["what"], link=e["link"] or "").rstrip()
                  for e in item["evidence"][:5]]
        if item["evidence_total"] > 5:
            lines.append(say(locale, "ogp.rule_more", count=item["evidence_total"] - 5))
    return lines
