"""Control characters in what a request sends, on SQLite and PostgreSQL alike, over HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.storage.scenario import fresh, outreach_and_reception, planning, submit_four, vision
from tests.support.server import Live, live_api

PLAN = "cuenca-2022"


@pytest.fixture
def receiving(db_url: str) -> Iterator[tuple[Live, str]]:
    """A live API over a plan whose reception is open, with its first proposal's id."""
    scn = fresh(db_url)
    planning(scn)
    vision(scn)
    outreach_and_reception(scn)
    first = submit_four(scn)[0]
    scn.engine.dispose()
    with live_api(db_url) as live:
        yield live, first


def answer(response: httpx.Response) -> tuple[int, object]:
    return response.status_code, response.json().get("field")


def test_a_nul_in_any_text_is_a_422_naming_the_field(
        receiving: tuple[Live, str]) -> None:
    live, proposal = receiving
    admin = live.client(live.token("admin"))
    plan, fire = f"/plans/{PLAN}", f"/proposals/{proposal}/triggers"
    sent = {
        "title": admin.post(f"{plan}/proposals", json={
            "title": "Parques\x00", "body": "Más parques", "channel": "online"}),
        "body": admin.post(f"{plan}/proposals", json={
            "title": "Parques", "body": "Más\x00parques", "channel": "online"}),
        "response": admin.post(f"{fire}/no_admitir", json={"response": "No\x00"}),
        "into": admin.post(f"{fire}/fusionar", json={"into": f"{PLAN}.p2\x00"}),
        "reason": admin.post(f"{plan}/phases/recepcion_propuestas/close",
                             json={"reason": "cierre\x00"}),
        "evidence": admin.post(f"{plan}/activities/mesa_1/done", json={"evidence": "acta\x00"}),
        "name": admin.post(f"{plan}/committee/members", json={
            "name": "Zoila\x00", "group": "sociedad_civil"}),
        "email": admin.post(f"{plan}/committee/members", json={
            "name": "Zoila", "group": "sociedad_civil", "email": "zoila\x00@example.org"}),
        "member": admin.post(f"{plan}/decisions/aprobacion_metodologia/votes", json={
            "member": "ana\x00", "approve": True}),
        "ids": admin.post("/notifications/retry", json={"ids": ["m\x00"]}),
    }
    assert {field: answer(response) for field, response in sent.items()} == {
        field: (422, field) for field in sent}
    assert "contiene un carácter no admitido (U+0000, en la posición 8)" in sent[
        "title"].json()["detail"]


def test_other_control_characters_are_refused_too(receiving: tuple[Live, str]) -> None:
    live, _ = receiving
    intake = live.client(live.token("intake"))
    codes = {}
    for char in ("\x1b", "\x7f", "\x9b", "\r"):
        sent = intake.post(f"/plans/{PLAN}/proposals", json={
            "title": f"Parques{char}[2J", "body": "Más parques", "channel": "online"})
        codes[repr(char)] = answer(sent)
    assert set(codes.values()) == {(422, "title")}


def test_line_breaks_and_tabs_in_a_proposals_body_are_kept(
        receiving: tuple[Live, str]) -> None:
    live, _ = receiving
    intake = live.client(live.token("intake"))
    text = "Primero:\n\tmás parques.\r\nSegundo:\n\tmás árboles."
    made = intake.post(f"/plans/{PLAN}/proposals", json={
        "title": "Parques", "body": text, "channel": "online"})
    assert made.status_code == 201, made.text
    assert live.client().get(made.headers["location"]).json()["body"] == text


def test_a_nul_in_a_path_or_a_query_never_reaches_the_database(
        receiving: tuple[Live, str]) -> None:
    live, _ = receiving
    staff, anyone = live.client(live.token("staff")), live.client()
    assert {
        "plan": anyone.get("/plans/cuenca%002022").status_code,
        "proposal": anyone.get(f"/proposals/{PLAN}.p1%00").status_code,
        "deadlines": anyone.get("/plans/x%00/deadlines").status_code,
        "command": staff.post("/plans/x%00/phases/difusion/close",
                              json={"reason": "r"}).status_code,
        "state": answer(anyone.get(f"/plans/{PLAN}/proposals", params={"state": "a\x00"})),
        "channel": answer(anyone.get(f"/plans/{PLAN}/proposals",
                                     params={"channel": "\x00"})),
    } == {"plan": 404, "proposal": 404, "deadlines": 404, "command": 404,
          "state": (422, "state"), "channel": (422, "channel")}
