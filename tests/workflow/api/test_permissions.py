"""Who may do what: every role (and no token) against every endpoint, over real HTTP."""

from __future__ import annotations

import pytest

from storage.tokens import revoke_token
from tests.support.server import Live

PLAN = "cuenca-2022"
EVERYONE = ("anonymous", "admin", "staff", "committee", "evaluator", "auditor", "intake",
            "implementer")
TOKENS = EVERYONE[1:]
STAFF = ("admin", "staff")
READERS = ("admin", "staff", "auditor")
PHASE = f"/plans/{PLAN}/phases/planeacion_inicial"

ENDPOINTS: list[tuple[str, str, dict[str, object] | str | None, tuple[str, ...]]] = [
    ("GET", "/health", None, EVERYONE),
    ("GET", "/ready", None, EVERYONE),
    ("GET", "/definitions", None, EVERYONE),
    ("GET", "/definitions/cuenca-2022", None, EVERYONE),
    ("POST", "/definitions/validate", "id: x\n", TOKENS),
    ("GET", "/plans", None, EVERYONE),
    ("GET", f"/plans/{PLAN}", None, EVERYONE),
    ("GET", f"/plans/{PLAN}/proposals", None, EVERYONE),
    ("GET", f"/plans/{PLAN}/deadlines", None, EVERYONE),
    ("GET", f"/proposals/{PLAN}.p1", None, EVERYONE),
    ("POST", "/plans", {"definition": "cuenca-2022", "id": "otro"}, STAFF),
    ("POST", f"{PHASE}/open", {"reason": "inicio"}, STAFF),
    ("POST", f"{PHASE}/close", {"reason": "fin"}, STAFF),
    ("POST", f"{PHASE}/extend", {"reason": "más tiempo", "until": "2031-01-01"}, STAFF),
    ("POST", f"/plans/{PLAN}/activities/mapeo_organizaciones/done", {"evidence": "acta"}, STAFF),
    ("POST", f"/plans/{PLAN}/committee/members", {"name": "Rosa", "group": "sociedad_civil"},
     STAFF),
    ("POST", f"/plans/{PLAN}/decisions/aprobacion_metodologia/votes",
     {"member": "ana", "approve": True}, ("admin", "committee")),
    ("POST", f"/plans/{PLAN}/proposals", {"title": "t", "body": "b", "channel": "online"},
     ("admin", "staff", "intake")),
    ("POST", f"/proposals/{PLAN}.p1/triggers/admitir", {}, STAFF),
    ("GET", f"/plans/{PLAN}/events", None, READERS),
    ("GET", f"/plans/{PLAN}/state?as_of=2022-07-12", None, READERS),
    ("GET", "/verify", None, READERS),
    ("GET", "/digest", None, READERS),
    ("GET", "/notifications?status=dead", None, STAFF),
    ("POST", "/notifications/retry", {"ids": ["nada"]}, STAFF),
    ("GET", f"/plans/{PLAN}/commitments", None, EVERYONE),
    ("GET", f"/commitments/{PLAN}.c1", None, EVERYONE),
    ("POST", f"/plans/{PLAN}/commitments", {"title": "t"}, STAFF),
    ("POST", f"/commitments/{PLAN}.c1/revisions", {"title": "t"}, STAFF),
    ("POST", f"/commitments/{PLAN}.c1/links", {"proposal": "p1"}, STAFF),
    ("POST", f"/commitments/{PLAN}.c1/unlinks", {"proposal": "p1", "reason": "r"}, STAFF),
    ("POST", f"/commitments/{PLAN}.c1/triggers/presentar", {}, STAFF),
    ("POST", f"/commitments/{PLAN}.c1/milestones/m1/reports", {"progress": "p"},
     ("admin", "staff", "implementer")),
    ("POST", f"/commitments/{PLAN}.c1/assessments",
     {"completion": "limited", "opened_government": "marginal", "text": "t"}, ("evaluator",)),
]


@pytest.fixture(scope="module", autouse=True)
def ana(api: Live) -> None:
    """Seat Ana, whom committee tokens in these tests vote as."""
    admin = api.client(api.token("admin"))
    assert admin.post(f"/plans/{PLAN}/committee/members",
                      json={"name": "Ana", "group": "sociedad_civil"}).status_code == 201


@pytest.mark.parametrize(("method", "path", "body", "allowed"), ENDPOINTS,
                         ids=[f"{m} {p}" for m, p, _, _ in ENDPOINTS])
@pytest.mark.parametrize("role", EVERYONE)
def test_every_role_against_every_endpoint(api: Live, role: str, method: str, path: str,
                                          body: dict[str, object] | str | None,
                                          allowed: tuple[str, ...]) -> None:
    token = None if role == "anonymous" else api.token(role, member="ana")
    client = api.client(token)
    kwargs = ({"content": body, "headers": {"content-type": "application/yaml"}}
              if isinstance(body, str) else {"json": body} if body is not None else {})
    response = client.request(method, path, **kwargs)

    if role in allowed:
        assert response.status_code not in (401, 403), response.text
    else:
        assert response.status_code == (401 if role == "anonymous" else 403), response.text
        problem = response.json()
        assert response.headers["content-type"] == "application/problem+json"
        if role != "anonymous":
            assert set(problem["roles_needed"]) == set(allowed)
            assert f"el rol «{role}» no puede hacer esto" in problem["detail"]


def test_a_committee_token_votes_only_as_its_own_member(api: Live) -> None:
    someone_else = api.client(api.token("committee", "Bruno", member="bruno"))
    response = someone_else.post(f"/plans/{PLAN}/decisions/aprobacion_metodologia/votes",
                                 json={"member": "ana", "approve": True})
    assert response.status_code == 403
    assert "solo vota como su propio miembro (bruno)" in response.json()["detail"]


def test_a_revoked_or_forged_token_is_refused(api: Live) -> None:
    token = api.token("staff", "Temporal")
    assert revoke_token(api.engine, token.split("_")[1])
    for bad in (token, token[:-2] + "xx", "cocrea_nada_nada", "basura"):
        response = api.client(bad).post("/plans", json={"definition": "cuenca-2022"})
        assert response.status_code == 401
        assert response.json()["detail"] == "el token no es válido o fue revocado"
