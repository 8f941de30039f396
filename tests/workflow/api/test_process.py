"""The whole Cuenca process driven through the real API over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.server import Live, live_api
from tests.workflow.cuenca import MEMBERS

PLAN = "cuenca-2022"
PROPONENT, OTHER = "vecina.totoracocha@example.org", "joven.ricaurte@example.org"
RESPONSE = "Gracias por su aporte: esta es la respuesta razonada del equipo técnico."


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


class Process:
    """Staff, intake and committee clients of one live API, and the steps they take."""

    def __init__(self, api: Live) -> None:
        self.api = api
        self.staff = api.client(api.token("staff", "Dirección de Participación Ciudadana"))
        self.intake = api.client(api.token("intake", "Cuenca Participa"))
        self.committee: dict[str, httpx.Client] = {}
        self.drafted: list[str] = []

    def phase(self, phase: str, move: str) -> None:
        ok(self.staff.post(f"/plans/{PLAN}/phases/{phase}/{move}", json={"reason": "según acta"}))

    def done(self, *activities: str) -> None:
        for activity in activities:
            ok(self.staff.post(f"/plans/{PLAN}/activities/{activity}/done",
                               json={"evidence": f"https://cuenca.gob.ec/{activity}"}))

    def vote_through(self, decision: str) -> None:
        for member, client in self.committee.items():
            tally = ok(client.post(f"/plans/{PLAN}/decisions/{decision}/votes",
                                   json={"member": member, "approve": True}))
            if tally["passed"]:
                return

    def submit(self, title: str, channel: str, mesa: int | None = None,
               email: str | None = None) -> str:
        body = {"title": title, "body": f"Propuesta ciudadana: {title}.", "channel": channel,
                "mesa": mesa, "email": email, "consent": email is not None}
        return str(ok(self.intake.post(f"/plans/{PLAN}/proposals", json=body), 201)["proposal"])

    def commitment(self, *proposals: str) -> str:
        """Draft a commitment answering ``proposals``, present it and record its approval."""
        body = {"title": "Contratación abierta", "problem": "Los contratos no se publican.",
                "description": "Publicar los contratos de obra.",
                "contribution": "Permite vigilar las obras.", "ogp_values": ["transparency"],
                "lead_agency": "Dirección de Compras Públicas", "starts": "2023-02-01",
                "ends": "2024-06-30", "proposals": list(proposals),
                "milestones": [{"description": "Contratos publicados", "output": "Portal",
                                "starts": "2023-02-01", "due": "2023-06-30",
                                "responsible": "Compras Públicas"}]}
        key = str(ok(self.staff.post(f"/plans/{PLAN}/commitments", json=body), 201)["commitment"])
        for trigger in ("presentar", "aprobar"):
            ok(self.staff.post(f"/commitments/{key}/triggers/{trigger}", json={}))
        self.drafted.append(key)
        return key

    def fire(self, proposal: str, *triggers: str, **fields: str) -> str:
        state = ""
        for trigger in triggers:
            state = ok(self.staff.post(f"/proposals/{proposal}/triggers/{trigger}",
                                       json=fields))["state"]
        return state


def test_the_whole_cuenca_process_runs_through_the_api(db_url: str) -> None:
    with live_api(db_url) as api:
        run = Process(api)
        ok(run.staff.post("/plans", json={"definition": "cuenca-2022"}), 201)
        run.phase("planeacion_inicial", "open")
        for name, group in MEMBERS:
            member = ok(run.staff.post(f"/plans/{PLAN}/committee/members",
                                       json={"name": name, "group": group,
                                             "email": f"{group}.{len(run.committee)}@example.org"}),
                        201)["member"]
            run.committee[member] = api.client(api.token("committee", name, member))
        run.done("resolucion_directrices", "mapeo_organizaciones", "constitucion_comite",
                 "metodologia")
        run.vote_through("aprobacion_metodologia")
        run.phase("planeacion_inicial", "close")
        run.phase("vision_estrategica", "open")
        run.done("diagnostico", "vision_local")
        run.phase("vision_estrategica", "close")
        run.phase("difusion", "open")
        run.vote_through("aprobacion_estrategia_comunicacional")
        run.done("estrategia_comunicacional", "voceria", "talleres_sensibilizacion")
        run.phase("designacion_evaluador", "open")
        run.vote_through("designacion_evaluador")
        run.done("designacion")
        run.phase("designacion_evaluador", "close")
        run.phase("recepcion_propuestas", "open")
        run.done("formulario_en_linea", "mesa_1", "mesa_2", "mesa_3")
        p = [run.submit("Datos abiertos de contratación", "online", email=PROPONENT),
             run.submit("Presupuesto participativo juvenil", "mesa", 1, email=OTHER),
             run.submit("Rendición de cuentas por parroquia", "mesa", 2),
             run.submit("Contratos abiertos en obras", "online"),
             run.submit("Consejos barriales de movilidad", "mesa", 3)]
        assert run.fire(p[0], "admitir", "analizar") == "en_analisis"
        assert run.fire(p[1], "no_admitir", response=RESPONSE) == "no_admitida"
        assert run.fire(p[2], "admitir", "analizar", "descartar") == "descartada"
        assert run.fire(p[3], "admitir", "analizar") == "en_analisis"
        assert run.fire(p[3], "fusionar", into=p[0]) == "fusionada"
        assert run.fire(p[4], "admitir", "analizar") == "en_analisis"
        run.phase("recepcion_propuestas", "close")
        run.phase("retroalimentacion", "open")
        for proposal in p[1:4]:
            assert run.fire(proposal, "responder", response=RESPONSE) == "respondida"
        run.phase("consolidacion", "open")
        for proposal in (p[0], p[4]):
            assert run.fire(proposal, "incorporar") == "incorporada"
            assert run.fire(proposal, "responder", response=RESPONSE) == "respondida"
        run.done("consolidacion_propuestas")
        run.vote_through("aprobacion_compromisos")
        run.commitment(p[0], p[4])  # consolidation closes only once they feed a commitment
        run.done("definicion_compromisos", "devolucion_publicada")
        for phase in ("consolidacion", "retroalimentacion", "difusion"):
            run.phase(phase, "close")

        public = api.client()
        plan = ok(public.get(f"/plans/{PLAN}"))
        assert {phase["status"] for phase in plan["phases"]} == {"closed"}
        assert plan["proposals"]["by_state"]["respondida"] == 5
        merged = ok(public.get(f"/proposals/{p[3]}"))
        assert merged["merged_into"] == p[0]
        assert [step.get("trigger") for step in merged["history"]] == [
            None, "admitir", "analizar", "fusionar", "responder"]
        auditor = api.client(api.token("auditor", "Contraloría"))
        report = ok(auditor.get("/verify"))
        assert report["ok"] and report["proposals"] == 5
        contacts_told_but_never_shown(run, p)


def contacts_told_but_never_shown(run: Process, proposals: list[str]) -> None:
    """Proponents who consented are told of the answer; no read shows anyone's email."""
    told = ok(run.staff.get("/notifications", params={"limit": 1000}))["messages"]
    answered = sorted((m["data"]["proposal"], m["recipient"]) for m in told
                      if m["topic"] == "proposal_answered")
    assert answered == [(proposals[0], PROPONENT), (proposals[1], OTHER)]
    public, auditor = run.api.client(), run.api.client(run.api.token("auditor", "Contraloría"))
    reads = [public.get(f"/plans/{PLAN}"), public.get(f"/plans/{PLAN}/proposals"),
             *(public.get(f"/proposals/{x}") for x in proposals),
             public.get(f"/plans/{PLAN}/commitments"),
             auditor.get(f"/plans/{PLAN}/events", params={"limit": 1000}),
             auditor.get(f"/plans/{PLAN}/state", params={"as_of": "2100-01-01"})]
    assert all(r.status_code == 200 and "@example.org" not in r.text for r in reads)
    merged = ok(public.get(f"/proposals/{proposals[3]}"))  # fed through the one it merged into
    assert [c["commitment"] for c in merged["commitments"]] == run.drafted
    assert ok(public.get(f"/commitments/{run.drafted[0]}"))["state"] == "aprobado"


def test_events_record_the_token_and_the_request_id(db_url: str) -> None:
    with live_api(db_url) as api:
        staff = api.client(api.token("staff", "Técnica"))
        created = staff.post("/plans", json={"definition": "cuenca-2022"},
                             headers={"X-Request-ID": "req-0001"})
        assert created.status_code == 201 and created.headers["X-Request-ID"] == "req-0001"
        auditor = api.client(api.token("auditor", "Contraloría"))
        [event] = ok(auditor.get(f"/plans/{PLAN}/events"))["items"]
        assert event["correlation_id"] == "req-0001"
        assert event["actor"].startswith("Técnica (token ") and event["role"] == "staff"
