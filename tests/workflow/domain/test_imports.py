"""Imported proposals: received when published elsewhere, within the reception's dates, once.

The live side (``Proposal.imported``, the reception window, the channel) and what
replay re-checks of a recorded ``ProposalImported`` (its dates as the plan had them
then, its origin once a plan, its shape).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.workflow.cuenca import STAFF, START, approve, cuenca, new_plan, plan_receiving
from workflow.domain.errors import IllegalEvent, InvalidInput
from workflow.domain.events import Actor, DomainEvent
from workflow.domain.imports import (
    DECIDIM,
    Incoming,
    Origin,
    import_channel,
    reception_window,
)
from workflow.domain.plan import Plan
from workflow.domain.proposal import Proposal
from workflow.domain.replay import Replay

INTAKE = Actor("cuenca-participa", "intake")
LATER = dt.datetime(2023, 1, 10, 15, 0, tzinfo=dt.UTC)
"""When the imports run: after reception closed."""
HOST = "participa.cuenca.gob.ec"
INFO = {"state": "accepted", "answer": "<p>Aceptada</p>", "votes": 12, "endorsements": 2,
        "comments": 3}


def row(decidim_id: int = 5120, published: str = "2022-09-26 08:15:02-05:00",
        body: str = "Huertos comunitarios en cinco parques", line: int = 2) -> Incoming:
    origin = Origin(DECIDIM, HOST, decidim_id, f"CP-PROP-2022-09-{decidim_id}",
                    f"https://{HOST}/processes/cocreacion-ogp-2022/f/85/proposals/{decidim_id}")
    return Incoming(line, origin, "Huertos urbanos", body, dt.datetime.fromisoformat(published),
                    INFO)


def imported(plan: Plan, *rows: Incoming, now: dt.datetime = LATER) -> list[DomainEvent]:
    return [Proposal.imported(plan, r, "online", INTAKE, now).pending[0] for r in rows]


def replay(*events: DomainEvent) -> Replay:
    found = Replay()
    for position, e in enumerate(events, 1):
        found.apply_fields(position, e.stream_id, e.stream_type, e.version, e.type, e.data,
                           e.actor, e.occurred_at)
    return found


def test_an_imported_proposal_is_received_online_when_decidim_published_it() -> None:
    plan = new_plan()
    proposal = Proposal.imported(plan, row(), "online", INTAKE, LATER)
    event = proposal.pending[0]
    assert (event.type, event.version, event.occurred_at) == ("ProposalImported", 1, LATER)
    assert proposal.state.proposal_id == "cuenca-2022.p1" == event.data["proposal"]
    assert proposal.state.submitted_at == dt.datetime(2022, 9, 26, 13, 15, 2, tzinfo=dt.UTC)
    assert (proposal.state.channel, proposal.state.mesa, proposal.state.state) == (
        "online", None, "recibida")
    assert event.data["origin"] == {
        "source": "decidim", "host": HOST, "decidim_id": 5120, "reference": "CP-PROP-2022-09-5120",
        "url": f"https://{HOST}/processes/cocreacion-ogp-2022/f/85/proposals/5120"}
    assert event.data["received_at"] == "2022-09-26T13:15:02+00:00"
    assert event.data["information"] == {**INFO, "blank_body": False}
    assert plan.state.proposal_count == 1


def test_a_blank_body_becomes_the_title_and_the_information_says_so() -> None:
    event = imported(new_plan(), row(body=" \n "))[0]
    assert event.data["body"] == event.data["title"] == "Huertos urbanos"
    assert event.data["information"]["blank_body"] is True


def test_reception_runs_from_the_first_instant_of_its_first_day_to_the_end_of_its_last() -> None:
    plan = new_plan()
    window = reception_window(plan.state, plan.catalog)
    assert window.opens == dt.datetime(2022, 9, 26, 5, 0, tzinfo=dt.UTC)  # 00:00 in Guayaquil
    assert window.closes == dt.datetime(2022, 11, 19, 5, 0, tzinfo=dt.UTC)
    last_minute = dt.datetime(2022, 11, 18, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert window.holds(last_minute, LATER)
    assert not window.holds(window.closes, LATER)
    assert not window.holds(window.opens - dt.timedelta(seconds=1), LATER)
    assert not window.holds(window.opens, window.opens - dt.timedelta(seconds=1))  # not yet


def test_the_online_channel_is_the_only_one_without_mesas_unless_one_is_named() -> None:
    plan = new_plan()
    assert import_channel(plan.state, plan.catalog, None) == "online"
    with pytest.raises(InvalidInput, match=r"«channel».*canal de mesas de trabajo"):
        import_channel(plan.state, plan.catalog, "mesa")
    with pytest.raises(InvalidInput, match=r"«channel».*no existe el canal «correo»"):
        import_channel(plan.state, plan.catalog, "correo")


def test_with_several_channels_without_mesas_the_import_must_name_one() -> None:
    lifecycle = cuenca().proposals
    channels = (*lifecycle.channels, lifecycle.channels[0].model_copy(update={"id": "correo"}))
    two = cuenca().model_copy(update={"proposals": lifecycle.model_copy(
        update={"channels": channels})})
    plan = Plan.create("otra", two, 0, STAFF, START)
    with pytest.raises(InvalidInput,
                       match=r"«channel».*varios canales sin mesas.*«online», «correo»"):
        import_channel(plan.state, plan.catalog, None)
    assert import_channel(plan.state, plan.catalog, "correo") == "correo"


def test_replay_rebuilds_imported_proposals_with_their_origin_and_dates() -> None:
    plan = new_plan()
    events = imported(plan, row(5120), row(5127, "2022-09-28 19:40:11-05:00"))
    found = replay(*plan.pending, *events)
    assert [p.submitted_at.isoformat() for p in found.proposals.values()] == [
        "2022-09-26T13:15:02+00:00", "2022-09-29T00:40:11+00:00"]
    assert {k: v.origin.decidim_id for k, v in found.origins.items()} == {
        "cuenca-2022.p1": 5120, "cuenca-2022.p2": 5127}
    assert found.origins["cuenca-2022.p1"].information == {**INFO, "blank_body": False}


def test_replay_refuses_a_proposal_imported_twice_into_a_plan() -> None:
    plan = new_plan()
    first, again = imported(plan, row(5120), row(5120))
    with pytest.raises(IllegalEvent, match="importa otra vez CP-PROP-2022-09-5120"):
        replay(*plan.pending, first, again)


def edited(event: DomainEvent, **changes: Any) -> DomainEvent:
    return DomainEvent(event.stream_id, event.stream_type, event.version, event.type,
                       {**event.data, **changes}, event.actor, event.occurred_at)


def test_replay_refuses_a_proposal_received_outside_the_reception() -> None:
    plan = new_plan()
    event = imported(plan, row())[0]
    for moment in ("2022-11-19T05:00:00+00:00", "2022-09-26T04:59:59+00:00"):
        with pytest.raises(IllegalEvent, match="fuera de la recepción"):
            replay(*plan.pending, edited(event, received_at=moment))


def test_replay_refuses_a_proposal_received_after_it_was_imported() -> None:
    plan = new_plan()
    early = dt.datetime(2022, 9, 26, 13, 0, tzinfo=dt.UTC)
    event = imported(plan, row(), now=early)[0]  # published at 13:15, imported at 13:00
    with pytest.raises(IllegalEvent, match="después de importarse"):
        replay(*plan.pending, event)


def test_an_import_is_checked_against_the_reception_as_extended_when_it_ran() -> None:
    plan = plan_receiving()
    approve(plan, "prorroga_recepcion")
    before = imported(plan, row(5241, "2022-11-19 09:05:00-05:00"))[0]
    plan.extend_phase("recepcion_propuestas", dt.date(2022, 11, 25), "prórroga", STAFF, START)
    extended = [e for e in plan.pending if e.type == "PhaseExtended"]
    others = [e for e in plan.pending if e.type != "PhaseExtended"]
    after = edited(before, proposal="cuenca-2022.p1")
    assert len(replay(*others, *extended, after).origins) == 1
    with pytest.raises(IllegalEvent, match="fuera de la recepción"):
        replay(*others, before, *extended)


@pytest.mark.parametrize(("change", "said"), [
    ({"origin": {"source": "decidim", "host": HOST, "decidim_id": 1, "reference": "R"}},
     "no tiene los campos de un origen"),
    ({"origin": {"source": "decidim", "host": HOST, "decidim_id": "1", "reference": "R",
                 "url": "u"}}, "no tiene los campos de un origen"),
    ({"information": {**INFO, "blank_body": False, "author": "Ana"}},
     "información de Decidim.*no tiene sus campos"),
    ({"information": {**INFO, "votes": "12", "blank_body": False}},
     "información de Decidim.*no tiene sus campos"),
    ({"received_at": "2022-09-26T13:15:02"}, "no es un momento ISO 8601 con su desfase"),
    ({"channel": "mesa", "mesa": 1}, "no es un canal sin mesas"),
    ({"mesa": 2}, "no es un canal sin mesas"),
    ({"number": 2}, "el número de propuesta 2 no sigue a 0"),
])
def test_replay_refuses_an_import_whose_data_does_not_fit(change: dict[str, Any],
                                                          said: str) -> None:
    plan = new_plan()
    event = imported(plan, row())[0]
    with pytest.raises(IllegalEvent, match=said):
        replay(*plan.pending, edited(event, **change))


def test_replay_refuses_an_import_with_a_field_more() -> None:
    plan = new_plan()
    event = imported(plan, row())[0]
    with pytest.raises(IllegalEvent, match="ProposalImported tiene los campos"):
        replay(*plan.pending, edited(event, author="Ana"))
