"""Before a POST's body is read: its token, its size and its encoding, over real HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from storage.database import open_engine
from storage.tokens import create_token
from tests.support.server import Live, problem, serve, stop

PLAN = "cuenca-2022"
MIB = 1024 * 1024


def chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    """A JSON proposal of ``total`` bytes, sent chunked (no Content-Length)."""
    head, tail = b'{"title": "t", "channel": "online", "body": "', b'"}'
    yield head
    left = total - len(head) - len(tail)
    while left > 0:
        yield b"x" * min(size, left)
        left -= size
    yield tail


def peak_kib(pid: int) -> int:
    """The most resident memory a process has had (VmHWM), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


@pytest.fixture
def staff(api: Live) -> httpx.Client:
    return api.client(api.token("staff", "Técnica"))


def test_a_post_without_a_valid_token_is_401_before_its_body_is_looked_at(api: Live) -> None:
    for client in (api.client(), api.client("cocrea_nada_falso")):
        body = problem(client.post(f"/plans/{PLAN}/committee/members", content=b'{"name": ',
                                   headers={"content-type": "application/json"}), 401)
        assert body["type"].endswith("/no-autenticado")  # type: ignore[union-attr]


def test_a_body_over_the_limit_is_413_naming_it_whether_its_length_is_told_or_not(
        staff: httpx.Client) -> None:
    told = problem(staff.post(f"/plans/{PLAN}/proposals", content=b"x" * (MIB + 1),
                              headers={"content-type": "application/json"}), 413)
    streamed = problem(staff.post(f"/plans/{PLAN}/proposals", content=chunks(2 * MIB),
                                  headers={"content-type": "application/json"}), 413)
    assert told["limit"] == streamed["limit"] == MIB
    assert told["detail"] == f"el cuerpo de la petición supera el límite de {MIB} bytes"


def test_a_definition_to_validate_may_be_larger_than_a_command_up_to_its_own_limit(
        staff: httpx.Client) -> None:
    padding = "# " + "x" * 1000 + "\n"
    large = "id: X\n" + padding * (2 * MIB // len(padding))  # 2 MiB: over a command's limit
    too_large = padding * (5 * MIB // len(padding) + 1)
    headers = {"content-type": "application/yaml"}
    checked = problem(staff.post("/definitions/validate", content=large, headers=headers), 422)
    assert checked["type"].endswith("/definicion-no-valida")  # type: ignore[union-attr]
    refused = problem(staff.post("/definitions/validate", content=too_large, headers=headers),
                      413)
    assert refused["limit"] == 5 * MIB


@pytest.mark.parametrize("encoded", [
    json.dumps({"name": "Ana", "group": "sociedad_civil"}).encode("utf-16"),
    json.dumps({"name": "Ana", "group": "sociedad_civil"}).encode("utf-16-le"),
    json.dumps({"name": "Ana", "group": "sociedad_civil"}).encode("utf-32"),
    '{"name": "Añá", "group": "sociedad_civil"}'.encode("latin-1"),
], ids=["utf-16", "utf-16-without-bom", "utf-32", "latin-1"])
def test_a_body_not_in_utf8_is_415(staff: httpx.Client, encoded: bytes) -> None:
    body = problem(staff.post(f"/plans/{PLAN}/committee/members", content=encoded,
                              headers={"content-type": "application/json"}), 415)
    assert body["detail"] == "el cuerpo de la petición debe estar en UTF-8 (RFC 8259, §8.1)"


def test_a_yaml_definition_not_in_utf8_is_415_too(staff: httpx.Client) -> None:
    problem(staff.post("/definitions/validate", content="id: cañar\n".encode("utf-16"),
                       headers={"content-type": "application/yaml"}), 415)


def test_thirty_megabytes_are_refused_without_the_server_holding_them(sqlite_url: str) -> None:
    token = create_token(open_engine(sqlite_url), "Técnica", "staff")[1]
    process, url = serve(sqlite_url)
    try:
        with httpx.Client(base_url=url, timeout=60) as client:
            for _ in range(3):  # warm up: what the first requests load stays loaded
                client.post(f"/plans/{PLAN}/proposals", content=chunks(4096),
                            headers={"Authorization": f"Bearer {token}"})
            before = peak_kib(process.pid)
            anonymous = client.post(f"/plans/{PLAN}/proposals", content=chunks(30 * MIB))
            with_token = client.post(f"/plans/{PLAN}/proposals", content=chunks(30 * MIB),
                                     headers={"Authorization": f"Bearer {token}"})
            grown = peak_kib(process.pid) - before
    finally:
        stop(process)
    assert (anonymous.status_code, with_token.status_code) == (401, 413)
    assert grown < 5 * 1024, f"the server's peak memory grew by {grown} KiB"


def test_serve_takes_its_body_limit_from_the_environment(sqlite_url: str) -> None:
    token = create_token(open_engine(sqlite_url), "Técnica", "staff")[1]
    process, url = serve(sqlite_url, env={"COCREA_MAX_BODY_BYTES": "1000"})
    try:
        refused = httpx.post(f"{url}/plans", content=b" " * 1001,
                             headers={"Authorization": f"Bearer {token}",
                                      "content-type": "application/json"})
    finally:
        stop(process)
    assert refused.status_code == 413 and refused.json()["limit"] == 1000
