"""Notices through the API: emails checked at the door; dead messages seen and retried."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from storage import tables as t
from tests.support.server import Live

PLAN = "cuenca-2022"


def test_a_bad_email_or_consent_without_one_is_named(api: Live) -> None:
    intake = api.client(api.token("intake"))
    body = {"title": "Más luz", "body": "Poner luminarias.", "channel": "online"}

    bad = intake.post(f"/plans/{PLAN}/proposals", json={**body, "email": "no-es-correo"})
    bare = intake.post(f"/plans/{PLAN}/proposals", json={**body, "consent": True})

    assert (bad.status_code, bad.json()["field"]) == (422, "email")
    assert "«no-es-correo» no es una dirección de correo" in bad.json()["detail"]
    assert (bare.status_code, bare.json()["field"]) == (422, "consent")
    assert "hace falta un correo" in bare.json()["detail"]


def test_staff_see_the_dead_messages_and_send_them_again(api: Live) -> None:
    staff = api.client(api.token("staff"))
    assert staff.post(f"/plans/{PLAN}/phases/planeacion_inicial/open",
                      json={"reason": "inicio"}).status_code == 200
    queued = staff.get("/notifications?status=pending").json()["messages"]
    assert [m["recipient"] for m in queued] == ["staff"]  # no member has been seated
    target = queued[0]["message_id"]
    with api.engine.begin() as conn:
        conn.execute(update(t.outbox).where(t.outbox.c.message_id == target)
                     .values(status="dead", attempts=6, last_error="SMTP caído"))

    [dead] = staff.get("/notifications", params={"status": "dead"}).json()["messages"]
    revived = staff.post("/notifications/retry", json={"ids": [target]})

    assert (dead["message_id"], dead["attempts"], dead["last_error"]) == (target, 6,
                                                                          "SMTP caído")
    assert revived.json() == {"revived": 1}
    [again] = [m for m in staff.get("/notifications?status=pending").json()["messages"]
               if m["message_id"] == target]
    assert again["attempts"] == 0
    assert dt.datetime.fromisoformat(again["next_attempt_at"]) <= dt.datetime.now(dt.UTC)


def test_a_bad_status_filter_is_named(api: Live) -> None:
    answer = api.client(api.token("staff")).get("/notifications?status=perdido")

    assert answer.status_code == 422 and "status" in answer.text
