"""Idempotent retries and concurrent writes through the real API, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlalchemy import update

from storage import tables as t
from tests.support.clocked import events
from tests.support.server import Live, live_api

PLAN = "cuenca-2022"
MEMBERS = f"/plans/{PLAN}/committee/members"


def started(api: Live) -> httpx.Client:
    staff = api.client(api.token("staff", "Técnica"))
    assert staff.post("/plans", json={"definition": "cuenca-2022"}).status_code == 201
    return staff


def members_added(api: Live) -> int:
    return len(events(api.engine, "MemberAdded"))


def test_a_retried_post_gets_the_first_answer_and_records_nothing_more(db_url: str) -> None:
    with live_api(db_url) as api:
        staff = started(api)
        key = {"Idempotency-Key": "alta-rosa-1"}
        body = {"name": "Rosa Ávila", "group": "sociedad_civil"}

        first = staff.post(MEMBERS, json=body, headers=key)
        again = staff.post(MEMBERS, json=body, headers=key)

        assert (first.status_code, again.status_code) == (201, 201)
        assert again.json() == first.json() == {"plan": PLAN, "member": "rosa-avila"}
        assert again.headers["Idempotent-Replayed"] == "true"
        assert members_added(api) == 1
        other = staff.post(MEMBERS, json={**body, "name": "Otra"}, headers=key)
        assert other.status_code == 422 and other.json()["title"] == (
            "Clave de idempotencia reutilizada")
        elsewhere = api.client(api.token("admin")).post(MEMBERS, json=body, headers=key)
        assert elsewhere.status_code == 201 and elsewhere.json()["member"] == "rosa-avila-2"


def test_a_refused_post_is_refused_again_the_same_way_on_retry(db_url: str) -> None:
    with live_api(db_url) as api:
        staff = started(api)
        key = {"Idempotency-Key": "cierre-1"}
        first = staff.post(f"/plans/{PLAN}/phases/planeacion_inicial/close",
                           json={"reason": "fin"}, headers=key)
        again = staff.post(f"/plans/{PLAN}/phases/planeacion_inicial/close",
                           json={"reason": "fin"}, headers=key)
        assert first.status_code == again.status_code == 409
        assert again.json() == first.json()
        assert again.headers["content-type"] == "application/problem+json"


def test_parallel_retries_with_one_key_record_one_event(db_url: str) -> None:
    with live_api(db_url) as api:
        token = api.token("staff", "Técnica")
        started(api)
        body = {"name": "Rosa Ávila", "group": "sociedad_civil"}

        def post(_: int) -> httpx.Response:
            with api.client(token) as client:
                return client.post(MEMBERS, json=body, headers={"Idempotency-Key": "paralela"})

        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(post, range(8)))

        assert members_added(api) == 1
        assert {a.status_code for a in answers} <= {201, 409}
        assert all(a.json()["member"] == "rosa-avila" for a in answers if a.status_code == 201)


def test_two_conflicting_writes_one_wins_one_is_told_and_nothing_is_lost(db_url: str) -> None:
    with live_api(db_url) as api:
        staff = started(api)
        token = api.token("staff", "Técnica")
        version = staff.get(f"/plans/{PLAN}").headers["ETag"]

        def add(name: str) -> httpx.Response:
            with api.client(token) as client:
                return client.post(MEMBERS, json={"name": name, "group": "sociedad_civil"},
                                   headers={"If-Match": version})

        with ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(add, ["Rosa", "Luis"]))

        assert sorted(a.status_code for a in answers) == [201, 412]
        winner = next(a for a in answers if a.status_code == 201).json()["member"]
        assert [e["data"]["member"] for e in events(api.engine, "MemberAdded")] == [winner]
        auditor = api.client(api.token("auditor"))
        assert auditor.get("/verify").json()["ok"]


def crashed(api: Live, key: str, request_id: str | None = None) -> None:
    """Make a stored answer look like a request that died before answering, long ago."""
    values: dict[str, object] = {"status": "in_progress", "response_status": None,
                                 "response_body": None,
                                 "created_at": dt.datetime(2020, 1, 1, tzinfo=dt.UTC)}
    if request_id is not None:
        values["request_id"] = request_id
    with api.engine.begin() as conn:
        conn.execute(update(t.idempotency).where(t.idempotency.c.key == key).values(**values))


def test_a_key_whose_request_died_after_writing_says_the_answer_was_lost(db_url: str) -> None:
    with live_api(db_url) as api:
        staff = started(api)
        body, key = {"name": "Rosa Ávila", "group": "sociedad_civil"}, {"Idempotency-Key": "k"}
        assert staff.post(MEMBERS, json=body, headers=key).status_code == 201
        crashed(api, "k")

        retry = staff.post(MEMBERS, json=body, headers=key)

        assert retry.status_code == 409 and retry.json()["title"] == "Respuesta perdida"
        assert members_added(api) == 1


def test_a_key_whose_request_died_before_writing_runs_again(db_url: str) -> None:
    with live_api(db_url) as api:
        staff = started(api)
        body, key = {"name": "Rosa Ávila", "group": "sociedad_civil"}, {"Idempotency-Key": "k"}
        assert staff.post(MEMBERS, json=body, headers=key).status_code == 201
        crashed(api, "k", request_id="murio-antes-de-escribir")

        retry = staff.post(MEMBERS, json=body, headers=key)

        assert retry.status_code == 201 and members_added(api) == 2
        assert staff.post(MEMBERS, json=body, headers=key).headers["Idempotent-Replayed"] == "true"
