"""Dates at the ends of the calendar, through the API: an answer or a 422 naming the field."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.support.server import Live, live_api

PLAN = "cuenca-2022"
FAR_FUTURE = ("9999-12-31", "9999-12-31T23:59:59", "9999-12-31T23:59:59.999999-12:00",
              "9999-12-31T23:59:59+14:00", "9998-12-31T23:00:00-05:00")
FAR_PAST = ("0001-01-01", "0001-01-01T00:00:00+14:00", "0001-01-01T00:00:00-14:00",
            "1000-01-01", "1970-01-01T00:00:00Z")


@pytest.fixture
def live(db_url: str) -> Iterator[Live]:
    with live_api(db_url) as served:
        yield served


def staff(live: Live) -> httpx.Client:
    client = live.client(live.token("staff"))
    assert client.post("/plans", json={"definition": PLAN}).status_code == 201
    return client


def test_the_state_as_of_the_far_future_is_the_state_now_and_of_the_far_past_no_plan(
        live: Live) -> None:
    staff(live).post(f"/plans/{PLAN}/phases/planeacion_inicial/open", json={"reason": "inicio"})
    auditor = live.client(live.token("auditor"))

    future = [auditor.get(f"/plans/{PLAN}/state", params={"as_of": m}) for m in FAR_FUTURE]
    past = [auditor.get(f"/plans/{PLAN}/state", params={"as_of": m}) for m in FAR_PAST]

    assert [r.status_code for r in future] == [200] * len(FAR_FUTURE)
    assert {r.json()["phases"][0]["status"] for r in future} == {"open"}
    assert future[0].json()["as_of"] == "9999-12-31T23:59:59.999999+00:00"
    assert [r.status_code for r in past] == [404] * len(FAR_PAST)
    assert {r.json()["key"] for r in past} == {PLAN}


def test_a_plan_moved_past_the_last_day_is_a_422_naming_shift_to(live: Live) -> None:
    client = live.client(live.token("staff"))

    refused = [client.post("/plans", json={"definition": PLAN, "id": f"p{n}", "shift_to": day})
               for n, day in enumerate(("9999-12-31", "9998-06-01", "0001-01-01"))]
    near = client.post("/plans", json={"definition": PLAN, "id": "cerca",
                                       "shift_to": "9997-06-01"})

    assert [(r.status_code, r.json()["field"]) for r in refused] == [(422, "shift_to")] * 3
    assert "9998-12-31" in refused[1].json()["detail"]
    assert near.status_code == 201
    deadlines = client.get("/plans/cerca/deadlines").json()
    assert deadlines[-1]["due_at"].startswith("9998-")


def test_an_extension_past_the_last_day_is_a_422_naming_until(live: Live) -> None:
    client = staff(live)
    phase = f"/plans/{PLAN}/phases/planeacion_inicial"
    assert client.post(f"{phase}/open", json={"reason": "inicio"}).status_code == 200

    refused = client.post(f"{phase}/extend", json={"reason": "prórroga", "until": "9999-12-31"})
    extended = client.post(f"{phase}/extend", json={"reason": "prórroga",
                                                    "until": "9998-12-31"})

    assert (refused.status_code, refused.json()["field"]) == (422, "until")
    assert extended.status_code == 200
    closes = [d for d in client.get(f"/plans/{PLAN}/deadlines").json()
              if d["phase"] == "planeacion_inicial" and d["status"] == "pending"]
    assert {d["due_at"] for d in closes} == {"9998-12-29T00:00:00-05:00",
                                             "9999-01-01T00:00:00-05:00"}
