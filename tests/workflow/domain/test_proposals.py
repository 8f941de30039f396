"""Proposals: the declared lifecycle only, its guards, its fields, and the reasoned response."""

from __future__ import annotations

import pytest

from tests.workflow.cuenca import STAFF, START, Census, plan_receiving
from workflow.domain.errors import GuardFailed, InvalidInput, InvalidTrigger, UnknownTrigger
from workflow.domain.events import Actor
from workflow.domain.plan import Plan
from workflow.domain.proposal import Proposal

RESPONSE = "Se incorpora al compromiso de datos abiertos por su viabilidad."


def submit(plan: Plan, census: Census, channel: str = "online",
           mesa: int | None = None) -> Proposal:
    proposal = Proposal.submit(plan, "Contratos abiertos", "Publicar los contratos", channel,
                               mesa, STAFF, START, census)
    census.proposals.append(proposal)
    return proposal


def test_proposals_are_numbered_within_their_plan_and_start_received() -> None:
    plan, census = plan_receiving(), Census([])
    first, second = submit(plan, census), submit(plan, census, "mesa", 2)
    assert (first.state.proposal_id, second.state.proposal_id) == ("cuenca-2022.p1",
                                                                   "cuenca-2022.p2")
    assert (second.state.state, second.state.mesa) == ("recibida", 2)


def test_a_proposal_is_refused_while_reception_is_not_open() -> None:
    plan = plan_receiving()
    plan.state.phases["recepcion_propuestas"].state = "closed"
    with pytest.raises(GuardFailed, match=r"«Recepción de las propuestas.*» no está abierta"):
        submit(plan, Census([]))


@pytest.mark.parametrize(("channel", "mesa", "field"), [
    ("mesa", None, "mesa"), ("mesa", 4, "mesa"), ("online", 1, "mesa"), ("correo", None, "channel"),
])
def test_channels_and_mesas_are_checked(channel: str, mesa: int | None, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        submit(plan_receiving(), Census([]), channel, mesa)
    assert caught.value.field == field


def test_an_undeclared_trigger_is_rejected_listing_the_declared_ones() -> None:
    plan, census = plan_receiving(), Census([])
    proposal = submit(plan, census)
    for trigger in ("to_respondida", "aprobar"):
        with pytest.raises(UnknownTrigger) as caught:
            proposal.fire(trigger, {}, plan.state, STAFF, START, census)
        assert "admitir" in caught.value.declared
    assert proposal.state.state == "recibida"


def test_a_declared_trigger_from_the_wrong_state_lists_the_allowed_ones() -> None:
    plan, census = plan_receiving(), Census([])
    proposal = submit(plan, census)
    with pytest.raises(InvalidTrigger) as caught:
        proposal.fire("responder", {"response": RESPONSE}, plan.state, STAFF, START, census)
    assert caught.value.allowed == ["admitir", "no_admitir"]
    assert caught.value.state == "recibida"


def test_only_staff_may_triage_a_proposal() -> None:
    plan, census = plan_receiving(), Census([])
    proposal = submit(plan, census)
    with pytest.raises(GuardFailed, match="el rol «intake» no puede hacer esto"):
        proposal.fire("admitir", {}, plan.state, Actor("decidim", "intake"), START, census)


def test_not_admitting_needs_a_reason_of_some_length() -> None:
    plan, census = plan_receiving(), Census([])
    proposal = submit(plan, census)
    with pytest.raises(InvalidInput, match="«response»: es obligatorio"):
        proposal.fire("no_admitir", {}, plan.state, STAFF, START, census)
    with pytest.raises(GuardFailed, match="falta «response» con al menos 20 caracteres"):
        proposal.fire("no_admitir", {"response": "no"}, plan.state, STAFF, START, census)


def test_a_field_the_trigger_does_not_declare_is_refused() -> None:
    plan, census = plan_receiving(), Census([])
    proposal = submit(plan, census)
    with pytest.raises(InvalidInput, match="«into»: el disparador «admitir» no admite"):
        proposal.fire("admitir", {"into": "x"}, plan.state, STAFF, START, census)


def test_a_merge_names_another_proposal_of_the_same_plan() -> None:
    plan, census = plan_receiving(), Census([])
    proposal, other = submit(plan, census), submit(plan, census)
    for p in (proposal, other):
        p.fire("admitir", {}, plan.state, STAFF, START, census)
        p.fire("analizar", {}, plan.state, STAFF, START, census)
    with pytest.raises(InvalidInput, match="no puede fusionarse consigo misma"):
        proposal.fire("fusionar", {"into": proposal.state.proposal_id}, plan.state, STAFF,
                      START, census, {"into": proposal.state})
    with pytest.raises(InvalidInput, match=r"no existe la propuesta «cuenca-2022\.p9»"):
        proposal.fire("fusionar", {"into": "cuenca-2022.p9"}, plan.state, STAFF, START, census)
    proposal.fire("fusionar", {"into": other.state.proposal_id}, plan.state, STAFF, START,
                  census, {"into": other.state})
    assert (proposal.state.state, proposal.state.merged_into) == ("fusionada", "cuenca-2022.p2")


def test_the_reasoned_response_is_given_while_feedback_is_open() -> None:
    plan, census = plan_receiving(), Census([])
    proposal = submit(plan, census)
    proposal.fire("no_admitir", {"response": RESPONSE}, plan.state, STAFF, START, census)
    with pytest.raises(GuardFailed, match="«Retroalimentación y devolución ciudadana» no está"):
        proposal.fire("responder", {"response": RESPONSE}, plan.state, STAFF, START, census)
    plan.state.phases["retroalimentacion"].state = "open"
    proposal.fire("responder", {"response": RESPONSE}, plan.state, STAFF, START, census)
    assert (proposal.state.state, proposal.state.response) == ("respondida", RESPONSE)
