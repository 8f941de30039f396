"""What anyone may read through the API, in the plan's time zone."""

from __future__ import annotations

from tests.support.server import Live

PLAN = "cuenca-2022"


def test_anyone_sees_a_plans_deadlines_in_local_time(api: Live) -> None:
    response = api.client().get(f"/plans/{PLAN}/deadlines")

    assert response.status_code == 200
    deadlines = response.json()
    assert len(deadlines) == 23
    assert deadlines[0] == {
        "id": "cuenca-2022/planeacion_inicial/open/20220711T050000Z",
        "phase": "planeacion_inicial", "kind": "open", "days": None,
        "due_at": "2022-07-11T00:00:00-05:00", "status": "pending", "fired_at": None,
        "outcome": None}


def test_a_missing_plan_has_no_deadlines_to_show(api: Live) -> None:
    response = api.client().get("/plans/nada/deadlines")
    assert response.status_code == 404 and response.json()["key"] == "nada"
