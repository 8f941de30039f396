"""Checks of the ``ogp:`` links: each names a decision, activity or phase the definition has."""

from __future__ import annotations

from definitions import schema
from definitions.checks_conditions import Known, unknown
from definitions.errors import Problem
from definitions.problems import Reporter


def check_ogp_links(defn: schema.Definition, report: Reporter) -> list[Problem]:
    """Report an ``ogp:`` link naming something the definition does not declare."""
    links, known = defn.ogp, Known.of(defn)
    named = (("plan_approval", "decision", links.plan_approval, known.decisions),
             ("forum_rules", "activity", links.forum_rules, known.activities),
             ("cocreation_starts", "phase", links.cocreation_starts, known.phases))
    return [problem for key, what, name, ids in named if name is not None
            for problem in unknown(report, ("ogp", key), what, name, ids)]
