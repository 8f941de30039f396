"""Quorum rules: majority, two-thirds, unanimity and at-least-N over entitled members."""

from __future__ import annotations

import pytest

from definitions.schema import Decision, Quorum
from workflow.domain.quorum import tally
from workflow.domain.state import Member

MEMBERS = {f"m{i}": Member(f"m{i}", f"M{i}", "a" if i < 6 else "b") for i in range(9)}


def decision(rule: str, count: int | None = None, voters: tuple[str, ...] = ()) -> Decision:
    return Decision(id="d", title="D", quorum=Quorum(rule=rule, count=count),  # type: ignore[arg-type]
                    voters=voters)


def yes(n: int, no: int = 0) -> dict[str, bool]:
    votes = {f"m{i}": True for i in range(n)}
    votes.update({f"m{i}": False for i in range(n, n + no)})
    return votes


@pytest.mark.parametrize(("rule", "count", "needed"), [
    ("majority", None, 5), ("two_thirds", None, 6), ("unanimity", None, 9), ("at_least", 4, 4),
])
def test_each_rule_needs_its_number_of_approvals_out_of_nine(rule: str, count: int | None,
                                                              needed: int) -> None:
    d = decision(rule, count)
    assert tally(d, yes(needed - 1), MEMBERS).passed is False
    assert tally(d, yes(needed), MEMBERS).passed is True
    assert tally(d, yes(needed), MEMBERS).needed == needed


def test_a_majority_is_more_than_half_so_a_tie_does_not_pass() -> None:
    even = {k: m for k, m in list(MEMBERS.items())[:8]}
    assert tally(decision("majority"), yes(4, 4), even).passed is False
    assert tally(decision("majority"), yes(5, 3), even).passed is True


def test_rejections_make_a_decision_hopeless_once_the_quorum_is_out_of_reach() -> None:
    assert tally(decision("two_thirds"), yes(0, 3), MEMBERS).hopeless is False
    assert tally(decision("two_thirds"), yes(0, 4), MEMBERS).hopeless is True
    assert tally(decision("unanimity"), yes(8, 1), MEMBERS).hopeless is True


def test_only_members_of_the_voting_groups_count() -> None:
    only_b = decision("unanimity", voters=("b",))
    t = tally(only_b, {"m0": True, "m6": True, "m7": True, "m8": True}, MEMBERS)
    assert (t.approvals, t.voters, t.passed) == (3, 3, True)


def test_no_decision_passes_or_fails_without_members() -> None:
    for rule in ("unanimity", "majority"):
        assert tally(decision(rule), {}, {}).passed is False
        assert tally(decision(rule), {}, {}).hopeless is False
