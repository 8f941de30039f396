"""Quorum rules: majority, two-thirds, unanimity and at-least-N over entitled members."""

from __future__ import annotations

import pytest

from definitions.schema import Decision, Quorum
from workflow.domain import quorum
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


# --- a decision's status, the one word every reader shows ------------------------------------

FOUR = {k: m for k, m in list(MEMBERS.items())[:4]}


@pytest.mark.parametrize(("rule", "count", "votes", "members", "status"), [
    ("majority", None, yes(2), FOUR, "open"),
    ("majority", None, yes(1, 2), FOUR, "rejected"),
    ("at_least", 12, yes(4), FOUR, "unreachable"),
    ("at_least", 12, {}, {}, "waiting"),
    ("unanimity", None, {}, {}, "waiting"),
    ("at_least", 4, yes(3), FOUR, "open"),
])
def test_a_decisions_status_comes_from_its_tally(rule: str, count: int | None,
                                                 votes: dict[str, bool],
                                                 members: dict[str, Member], status: str) -> None:
    assert quorum.status(tally(decision(rule, count), votes, members), approved=False) == status


def test_a_passed_decision_stays_approved_whatever_its_tally_says_later() -> None:
    more_members_than_when_it_passed = tally(decision("unanimity"), yes(4), MEMBERS)
    assert quorum.status(more_members_than_when_it_passed, approved=True) == "approved"


def test_a_quorum_above_the_members_says_how_many_votes_it_needs_and_how_many_may_vote() -> None:
    t = tally(decision("at_least", 12), yes(4), FOUR)

    assert quorum.why("es", "unreachable", t, "Foro") == (
        "necesita 12 votos a favor y solo 4 miembros pueden votarla")
    assert quorum.why("en", "unreachable", t, "Forum") == (
        "it needs 12 approvals and only 4 members may vote on it")


def test_rejections_and_nobody_to_vote_are_said_too() -> None:
    rejected = tally(decision("majority"), yes(1, 2), FOUR)

    assert quorum.why("es", "rejected", rejected, "Foro") == (
        "con 2 votos en contra ya no puede llegar a 3 votos a favor")
    assert quorum.why("es", "waiting", tally(decision("majority"), {}, {}), "Foro Multiactor") == (
        "aún no hay en «Foro Multiactor» miembros que puedan votarla")
