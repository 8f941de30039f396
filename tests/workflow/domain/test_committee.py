"""The committee: members in groups, one vote each, changeable until the decision passes."""

from __future__ import annotations

import pytest

from definitions.loader import parse_definition
from tests.definitions.sample import cuenca_yaml, edit
from tests.workflow.cuenca import MEMBERS, STAFF, START, new_plan, with_committee
from workflow.domain.errors import GuardFailed, InvalidInput, NotFound


def test_members_get_readable_unique_ids_from_their_names() -> None:
    plan = new_plan()
    first = plan.add_member("Inés Peña", "sector_publico", STAFF, START)
    second = plan.add_member("Inés Peña", "sociedad_civil", STAFF, START)
    assert (first, second) == ("ines-pena", "ines-pena-2")


def test_a_group_takes_no_more_members_than_its_seats() -> None:
    plan = with_committee(new_plan())
    with pytest.raises(InvalidInput, match="ya tiene sus 3 miembros"):
        plan.add_member("Julia", "sociedad_civil", STAFF, START)


def test_an_unknown_group_is_not_found() -> None:
    with pytest.raises(NotFound, match="no existe el grupo «prensa»"):
        new_plan().add_member("Julia", "prensa", STAFF, START)


def test_a_member_votes_once_and_a_second_vote_replaces_the_first() -> None:
    plan = with_committee(new_plan())
    plan.vote("aprobacion_metodologia", "ana", False, STAFF, START)
    tally = plan.vote("aprobacion_metodologia", "ana", True, STAFF, START)
    assert (tally.approvals, tally.rejections) == (1, 0)
    assert plan.state.decisions["aprobacion_metodologia"].votes == {"ana": True}


def test_the_vote_that_meets_the_quorum_passes_the_decision_in_the_same_command() -> None:
    plan = with_committee(new_plan())
    for member in ("ana", "bruno", "carla", "diego"):
        plan.vote("aprobacion_metodologia", member, True, STAFF, START)
    plan.pending.clear()
    tally = plan.vote("aprobacion_metodologia", "elena", True, STAFF, START)
    assert tally.passed
    assert [e.type for e in plan.pending] == ["VoteCast", "DecisionApproved"]


def test_a_passed_decision_takes_no_more_votes() -> None:
    plan = with_committee(new_plan())
    for member in ("ana", "bruno", "carla", "diego", "elena"):
        plan.vote("aprobacion_metodologia", member, True, STAFF, START)
    with pytest.raises(InvalidInput, match="ya fue aprobada; no admite más votos"):
        plan.vote("aprobacion_metodologia", "hugo", False, STAFF, START)


def test_votes_name_a_known_member_and_decision() -> None:
    plan = with_committee(new_plan())
    with pytest.raises(NotFound, match="no existe el miembro «zoe»"):
        plan.vote("aprobacion_metodologia", "zoe", True, STAFF, START)
    with pytest.raises(NotFound, match="no existe la decisión «otra»"):
        plan.vote("otra", "ana", True, STAFF, START)


def test_a_quorum_the_members_cannot_meet_says_why_in_the_phases_unmet_conditions() -> None:
    text = edit(cuenca_yaml(), "quorum: {rule: majority}\n    - id: aprobacion_estrategia",
                "quorum: {rule: at_least, count: 12}\n    - id: aprobacion_estrategia")
    text = text.replace("      seats: 3\n", "")  # without seats, check cannot tell
    plan = new_plan(parse_definition(text))
    for name, group in MEMBERS[:4]:
        plan.add_member(name, group, STAFF, START)
    plan.open_phase("planeacion_inicial", "inicio", STAFF, START)

    with pytest.raises(GuardFailed) as caught:
        plan.close_phase("planeacion_inicial", "fin", STAFF, START)

    assert caught.value.unmet[-1] == (
        "la decisión «Aprobación de la metodología de co-creación» no puede aprobarse: necesita "
        "12 votos a favor y solo 4 miembros pueden votarla")
