"""POST /plans/{plan}/imports/decidim over real HTTP: the file as the body, who may send it."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import pytest

from tests.support.server import Live, live_api, problem
from tests.workflow.decidim_files import ADMIN, PLAN, SEMICOLON, ZIP, data, imported_ids
from workflow.api.settings import IMPORT_MAX_BODY_BYTES

PATH = f"/plans/{PLAN}/imports/decidim"
ZIP_TYPE = {"content-type": "application/zip"}
CSV_TYPE = {"content-type": "text/csv; charset=utf-8"}


@pytest.fixture
def live(db_url: str) -> Iterator[Live]:
    with live_api(db_url) as running:
        admin = running.client(running.token("admin"))
        assert admin.post("/plans", json={"definition": "cuenca-2022"}).status_code == 201
        yield running


def test_the_platform_imports_the_open_data_zip_and_the_public_sees_where_each_came_from(
        live: Live) -> None:
    platform = live.client(live.token("intake", "Cuenca Participa"))
    answer = platform.post(PATH, params={"space": 7}, content=data(ZIP), headers=ZIP_TYPE)
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert (report["imported"], report["dry_run"], report["rows"]) == (9, False, 13)
    assert report["skipped"] == {"already_imported": 0, "other_space": 1, "other_component": 0,
                                 "withdrawn": 1, "amendment": 1, "outside_dates": 1}
    assert [p["decidim_id"] for p in report["proposals"]] == imported_ids()
    public = live.client().get(f"/proposals/{PLAN}.p1").json()
    assert public["submitted_at"] == "2022-09-26T08:15:02-05:00"
    assert public["origin"] == {
        "source": "decidim", "host": "participa.cuenca.gob.ec", "decidim_id": 5120,
        "reference": "CP-PROP-2022-09-5120",
        "url": ("https://participa.cuenca.gob.ec/processes/cocreacion-ogp-2022/f/85/"
                "proposals/5120"),
        "information": {"state": "accepted", "answer": public["origin"]["information"]["answer"],
                        "votes": 14, "endorsements": 2, "comments": 3, "blank_body": False}}
    assert public["origin"]["information"]["answer"].startswith("<p>")
    assert public["history"][0]["type"] == "ProposalImported"
    assert "Quizhpi" not in str(public)


def test_a_dry_run_answers_the_same_report_and_a_second_import_adds_nothing(
        live: Live) -> None:
    staff = live.client(live.token("staff"))
    dry = staff.post(PATH, params={"dry_run": "true"}, content=data(ADMIN[1]),
                     headers={"content-type": "application/json"})
    assert live.client().get(f"/plans/{PLAN}/proposals").json()["items"] == []
    done = staff.post(PATH, content=data(ADMIN[1]), headers={"content-type": "application/json"})
    assert {**dry.json(), "dry_run": False} == done.json()
    again = staff.post(PATH, content=data(SEMICOLON), params={"space": 7}, headers=CSV_TYPE)
    assert (again.json()["imported"], again.json()["skipped"]["already_imported"]) == (0, 9)


def test_only_staff_admins_and_the_intake_platform_import(live: Live) -> None:
    for role in ("auditor", "committee", "evaluator"):
        refused = problem(live.client(live.token(role)).post(
            PATH, params={"dry_run": "true", "space": 7}, content=data(ZIP), headers=ZIP_TYPE),
            403)
        assert refused["roles_needed"] == ["intake", "admin", "staff"]
    problem(live.client().post(PATH, content=data(ZIP), headers=ZIP_TYPE), 401)
    admin = live.client(live.token("admin"))
    assert admin.post(PATH, params={"dry_run": "true", "space": 7}, content=data(ZIP),
                      headers=ZIP_TYPE).status_code == 200


def test_a_faulty_file_is_a_422_listing_every_problem_with_its_line_and_column(
        live: Live) -> None:
    staff = live.client(live.token("staff"))
    broken = data(SEMICOLON).replace(b"2022-09-26 13:15:02 UTC", b"ayer", 1).replace(
        b"\n5127;", b"\nx5127;", 1)
    body = problem(staff.post(PATH, content=broken, headers=CSV_TYPE), 422)
    assert body["type"].endswith("/archivo-no-importable")  # type: ignore[union-attr]
    assert body["detail"] == "proposals.csv no se puede importar (2 problemas); no se importó nada:"
    assert body["more"] == 0
    assert [(p["line"], p["column"], p["name"]) for p in body["problems"]] == [  # type: ignore[union-attr]
        (2, 30, "published_at"), (9, 1, "id")]
    assert body["problems"][1]["message"] == "«x5127» no es un número entero"  # type: ignore[index]
    assert live.client().get(f"/plans/{PLAN}/proposals").json()["items"] == []


def test_a_zip_that_is_not_utf8_text_is_taken_and_another_media_type_is_a_415(
        live: Live) -> None:
    staff = live.client(live.token("staff"))
    assert b"\x00" in data(ZIP)  # bytes no text body may hold
    assert staff.post(PATH, params={"space": 7, "dry_run": "true"}, content=data(ZIP),
                      headers=ZIP_TYPE).status_code == 200
    body = problem(staff.post(PATH, content=data(ZIP),
                              headers={"content-type": "application/octet-stream"}), 415)
    assert body["types"] == ["application/zip", "text/csv", "application/json"]
    other = problem(staff.post(f"/plans/{PLAN}/proposals", content=data(ZIP),
                               headers=ZIP_TYPE), 415)
    assert other["type"].endswith("/codificacion-no-admitida")  # type: ignore[union-attr]


def test_an_export_over_the_routes_limit_is_a_413_before_it_is_read(live: Live) -> None:
    token = live.token("staff")
    host, port = live.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:  # a length it says
        sock.sendall((f"POST {PATH} HTTP/1.1\r\nHost: {host}\r\nContent-Type: text/csv\r\n"
                      f"Authorization: Bearer {token}\r\n"
                      f"Content-Length: {IMPORT_MAX_BODY_BYTES + 1}\r\n\r\nid;").encode())
        answer = sock.recv(65536).decode()
    assert answer.startswith("HTTP/1.1 413")
    assert json.loads(answer.split("\r\n\r\n", 1)[1])["limit"] == IMPORT_MAX_BODY_BYTES
    staff = live.client(token)
    assert problem(staff.post(f"/plans/{PLAN}/proposals", content=b"x" * (2 * 1024 * 1024),
                              headers={"content-type": "application/json"}), 413)["limit"] == (
        1024 * 1024)


def test_several_spaces_without_one_named_are_a_422_naming_the_field(live: Live) -> None:
    staff = live.client(live.token("staff"))
    body = problem(staff.post(PATH, content=data(ZIP), headers=ZIP_TYPE), 422)
    assert body["field"] == "space"
