"""``cocrea proposal support`` and ``proposal fire --field``, in the plan's language (English)."""

from __future__ import annotations

from typer.testing import CliRunner

from tests.workflow.riverside import CLERK, PLAN, with_published_ideas
from workflow.cli.app import app

runner = CliRunner()


def cocrea(db: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--db", db])
    return result.exit_code, result.output


def test_a_support_is_counted_once_and_said_in_the_plans_language(db_url: str) -> None:
    plan, (idea,) = with_published_ideas(1, db_url)
    plan.until("2025-05-16 12:00")

    first = cocrea(db_url, "proposal", "support", idea, "--supporter", "k-1")
    again = cocrea(db_url, "proposal", "support", idea, "--supporter", "k-1")

    assert first == (0, f"Proposal “{idea}”: 1 support.\n")
    assert again[0] == 1
    assert again[1] == (f"error: this key already supported the proposal “{idea}”: each "
                        "support counts once\n")


def test_own_fields_are_given_as_name_value_and_a_malformed_one_is_named(db_url: str) -> None:
    plan, (idea,) = with_published_ideas(1, db_url)
    plan.until("2025-05-16 12:00")
    for n in range(5):
        plan.staff.support(idea, f"s{n}", CLERK)
    for name in ("Luis Herrera", "Aisha Khan", "Ben Carter"):
        plan.staff.vote(PLAN, "shortlist_criteria", plan.members[name], True, CLERK)
    plan.until("2025-07-02 10:00")

    bad = cocrea(db_url, "proposal", "fire", idea, "shortlist", "--field", "estimated_cost")
    good = cocrea(db_url, "proposal", "fire", idea, "shortlist", "--field",
                  "estimated_cost=9000", "--field", "priority=high")

    assert bad[0] == 1 and "--field name=value" in bad[1]
    assert good == (0, f"Proposal “{idea}”: Shortlist the idea → shortlisted.\n")
