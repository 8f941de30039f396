"""The public site over real HTTP, on a simulated Cuenca plan (both databases) and Riverside.

Pages are read as a person's browser gets them: HTML in the plan's language, the
timeline picture's bars, the proposals' filters and pages, any past moment, and
never a contact address.
"""

from __future__ import annotations

import re

import httpx
from sqlalchemy import text

from storage.audit import digest
from tests.support.server import Live
from workflow.site.render import page

PLAN = "/p/cuenca-2022"


def get(live: Live, path: str, status: int = 200) -> str:
    answer = httpx.get(f"{live.url}{path}", timeout=30)
    assert answer.status_code == status, answer.text[:2000]
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    assert "default-src 'none'" in answer.headers["content-security-policy"]
    return answer.text


def bars(html: str, kind: str) -> list[str]:
    """The phases of the timeline's bars of one kind (planned or actual), top to bottom."""
    return re.findall(rf'<rect class="{kind}[^"]*" data-phase="([^"]*)"', html)


def statuses(html: str) -> dict[str, str]:
    return dict(re.findall(r'<g class="phase" data-phase="([^"]+)" data-status="([^"]+)"', html))


def test_the_home_page_lists_the_plan_in_the_deployments_language(cuenca: Live) -> None:
    html = get(cuenca, "/")
    assert html.startswith("<!doctype html>") and '<html lang="es">' in html
    assert "Co-creación del primer Plan de Acción de Gobierno Abierto de Cuenca" in html
    assert "Ninguna fase en curso" in html and "7 de 7 fases cerradas" in html
    assert "60 propuestas" in html and f'href="{PLAN}"' in html


def test_the_plan_page_draws_seven_phases_planned_and_as_they_ran(cuenca: Live) -> None:
    html = get(cuenca, PLAN)
    assert '<html lang="es">' in html
    assert 'role="img" aria-labelledby="chart-title chart-desc"' in html
    assert len(bars(html, "planned")) == 7 and len(bars(html, "actual")) == 7
    assert set(statuses(html).values()) == {"closed"}
    picture = html.split('<ul class="legend">')[0]
    assert picture.count('class="extension"') == 1 and picture.count('class="overdue"') == 1
    assert picture.count('class="waiting"') == 1  # the vision waited for the methodology
    assert "Prorrogada hasta el 25 de noviembre de 2022" in html
    assert "Aprobación de la prórroga de la recepción de propuestas" in html
    assert "5 a favor, 0 en contra; necesita 5 de 9" in html
    assert ('<a href="https://participa.cuenca.gob.ec/gobierno-abierto/mapeo-actores.xlsx"'
            in html)
    assert "60 propuestas recibidas" in html
    assert 'href="/plans/cuenca-2022"' in html and 'href="/plans/cuenca-2022/deadlines"' in html


def test_a_past_moment_shows_the_plan_as_it_was_under_a_banner(cuenca: Live) -> None:
    html = get(cuenca, f"{PLAN}?as_of=2022-10-15")
    assert "Así estaba el 15 de octubre de 2022 a las 23:59" in html
    assert f'href="{PLAN}">Ver cómo está ahora' in html
    found = statuses(html)
    assert found["difusion"] == found["recepcion_propuestas"] == "open"
    assert found["consolidacion"] == "scheduled" and "consolidacion" not in bars(html, "actual")
    assert f'href="{PLAN}/proposals?as_of=2022-10-15"' in html  # the way around stays in the past


def test_a_moment_to_come_shows_the_plan_now_and_says_so(cuenca: Live) -> None:
    html = get(cuenca, f"{PLAN}?as_of=9999-12-31")
    assert "«9999-12-31» todavía no ha llegado" in html and "Así estaba" not in html
    assert set(statuses(html).values()) == {"closed"}


def test_what_is_not_a_moment_is_a_page_saying_so_with_status_422(cuenca: Live) -> None:
    html = get(cuenca, f"{PLAN}?as_of=ayer", 422)
    assert "campo «as_of»: «ayer» no es una fecha u hora ISO 8601" in html
    assert "«x» no es un número entero" in get(cuenca, f"{PLAN}/proposals?mesa=x", 422)


def test_a_missing_plan_or_proposal_is_a_404_page(cuenca: Live) -> None:
    assert "no existe el plan «otro»" in get(cuenca, "/p/otro", 404)
    assert "no existe la propuesta «cuenca-2022.p61»" in get(cuenca, f"{PLAN}/proposals/61", 404)
    assert "no existe la propuesta" in get(cuenca, f"{PLAN}/proposals/12?as_of=2022-09-01", 404)


def numbers(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'href="/p/cuenca-2022/proposals/(\d+)', html)]


def test_the_proposals_list_pages_forward_and_back(cuenca: Live) -> None:
    first = get(cuenca, f"{PLAN}/proposals")
    assert numbers(first) == list(range(1, 51)) and 'rel="prev"' not in first
    following = re.search(r'rel="next" href="([^"]+)"', first)
    assert following and following.group(1) == f"{PLAN}/proposals?after=50"
    second = get(cuenca, following.group(1))
    assert numbers(second) == list(range(51, 61)) and 'rel="next"' not in second
    back = re.search(r'rel="prev" href="([^"]+)"', second)
    assert back and numbers(get(cuenca, back.group(1).replace("&amp;", "&"))) == list(
        range(1, 51))


def test_the_proposals_list_filters_by_channel_mesa_and_state_and_searches_words(
        cuenca: Live) -> None:
    assert len(numbers(get(cuenca, f"{PLAN}/proposals?channel=mesa&mesa=2"))) == 8
    assert numbers(get(cuenca, f"{PLAN}/proposals?state=recibida")) == []
    found = numbers(get(cuenca, f"{PLAN}/proposals?q=AGUA"))
    assert len(found) == 3  # in titles or bodies, whatever the case
    assert numbers(get(cuenca, f"{PLAN}/proposals?q=agua&as_of=2023-06-01")) == found
    assert len(numbers(get(cuenca, f"{PLAN}/proposals?as_of=2022-10-15"))) < 50


def test_a_proposal_shows_its_response_history_and_merges(cuenca: Live) -> None:
    merged = get(cuenca, f"{PLAN}/proposals/24")
    assert "Se fusiona con la propuesta «Publicar en datos abiertos los" in merged
    assert f'href="{PLAN}/proposals/1">la propuesta n.º 1' in merged
    assert merged.count("<time datetime=") >= 3
    target = get(cuenca, f"{PLAN}/proposals/1")
    assert f'href="{PLAN}/proposals/24">N.º 24: Ver todos los procesos' in target
    assert 'href="/proposals/cuenca-2022.p1"' in target
    earlier = get(cuenca, f"{PLAN}/proposals/1?as_of=2022-10-15")
    assert "Todavía no tiene respuesta." in earlier and "N.º 24" not in earlier


def commitment_rows(html: str) -> list[str]:
    return re.findall(r'<tr data-commitment="(\d+)">', html)


def test_the_plan_page_lists_its_commitments_with_their_milestones_and_assessment(
        cuenca: Live) -> None:
    html = get(cuenca, PLAN)
    assert commitment_rows(html) == ["1", "2", "3", "4", "5", "6"]
    assert f'href="{PLAN}/commitments/3">Compromiso n.º 3: Contratación pública' in html
    assert "De 2: a tiempo 1; con retraso 1; vencidos sin cumplir 0" in html  # commitment 3
    assert "De 2: a tiempo 1; con retraso 0; vencidos sin cumplir 1" in html  # commitment 6
    assert "Cumplimiento limitado; apertura del gobierno: no cambió" in html
    assert 'href="/plans/cuenca-2022/commitments"' in html
    before = get(cuenca, f"{PLAN}?as_of=2022-10-15")
    assert commitment_rows(before) == [] and "Todavía no hay compromisos." in before
    assert f'href="{PLAN}/commitments/1?as_of=2023-03-01"' in get(cuenca,
                                                                  f"{PLAN}?as_of=2023-03-01")


def milestones(html: str) -> dict[str, str]:
    return dict(re.findall(r'<tr data-milestone="([^"]+)" data-status="([^"]+)">', html))


def test_a_commitment_shows_its_template_proposals_milestones_and_assessment(
        cuenca: Live) -> None:
    html = get(cuenca, f"{PLAN}/commitments/3")
    assert "<h1>Compromiso n.º 3: Contratación pública abierta e integridad</h1>" in html
    assert "<dt>Problema público que aborda</dt>" in html
    assert "<dt>Entidad implementadora líder</dt>" in html and "1 de febrero de 2023" in html
    assert (f'href="{PLAN}/proposals/18">N.º 18: Adoptar el estándar OCDS con alertas de riesgo'
            ' en compras</a> (Mesas de trabajo, n.º 2)') in html
    assert f'href="{PLAN}/proposals/1">N.º 1:' in html
    assert milestones(html) == {"m1": "late", "m2": "done"}
    assert "Cumplido con retraso el" in html
    assert "<dt>Nivel de cumplimiento</dt><dd>sustancial</dd>" in html
    assert ('<dd data-field="ogp_values"><p>transparencia, rendición de cuentas pública</p>'
            "</dd>") in html  # OGP's values in words, not their ids
    assert 'href="/commitments/cuenca-2022.c3"' in html
    assert milestones(get(cuenca, f"{PLAN}/commitments/6")) == {"m1": "done", "m2": "overdue"}


def test_a_commitment_at_a_past_moment_is_replayed_under_the_banner(cuenca: Live) -> None:
    html = get(cuenca, f"{PLAN}/commitments/3?as_of=2023-03-01")
    assert "Así estaba el" in html and "Todavía no se ha evaluado." in html
    assert milestones(html) == {"m1": "pending", "m2": "pending"}
    assert "en implementacion" in html
    get(cuenca, f"{PLAN}/commitments/3?as_of=2022-10-15", 404)  # not drafted yet
    get(cuenca, f"{PLAN}/commitments/9", 404)
    get(cuenca, f"{PLAN}/commitments/x", 404)


def test_a_proposal_lists_the_commitments_it_fed_merged_ones_through_their_target(
        cuenca: Live) -> None:
    link = f'href="{PLAN}/commitments/3">Compromiso n.º 3: Contratación pública'
    assert link in get(cuenca, f"{PLAN}/proposals/1")
    assert link in get(cuenca, f"{PLAN}/proposals/24")
    earlier = get(cuenca, f"{PLAN}/proposals/24?as_of=2022-12-01")
    assert "Todavía no ha dado lugar a ningún compromiso." in earlier
    assert link + "" not in earlier
    later = get(cuenca, f"{PLAN}/proposals/24?as_of=2023-03-01")
    assert f'href="{PLAN}/commitments/3?as_of=2023-03-01">' in later


def test_the_trust_page_gives_the_logs_head_and_how_to_check_it(cuenca: Live) -> None:
    head = digest(cuenca.engine)
    html = get(cuenca, f"{PLAN}/trust")
    assert f"<code>{head.position}</code>" in html and head.hash in html
    assert "cocrea verify --digest head.json" in html
    then = get(cuenca, f"{PLAN}/trust?as_of=2022-07-12")
    assert head.hash not in then and "Es la cabeza que tenía el registro" in then


def rules(html: str) -> dict[str, str]:
    return dict(re.findall(r'<li class="rule" data-rule="([^"]+)" data-status="([^"]+)"', html))


def test_the_ogp_page_judges_each_requirement_with_its_evidence_as_the_api_does(
        cuenca: Live) -> None:
    html = get(cuenca, f"{PLAN}/ogp")
    report = httpx.get(f"{cuenca.url}/plans/cuenca-2022/ogp", timeout=30).json()

    assert rules(html) == {rule["id"]: rule["status"] for rule in report["rules"]}
    assert rules(html)["forum_rules_public"] == "unknown"
    assert "Requisitos mínimos de los Estándares de Participación y Co-creación de OGP" in html
    assert "la definición no dice qué lo muestra (ogp: forum_rules)" in html
    assert ('<a href="https://participa.cuenca.gob.ec/gobierno-abierto/actas/'
            'comite-2022-07-13.pdf">documento</a>') in html
    assert 'href="/plans/cuenca-2022/ogp"' in html and f'href="{PLAN}/ogp"' in html


def test_the_ogp_page_judges_the_plan_as_it_stood_at_a_past_moment(cuenca: Live) -> None:
    then = rules(get(cuenca, f"{PLAN}/ogp?as_of=2022-08-01"))

    assert then["public_input"] == "unknown" and then["reasoned_response"] == "unknown"
    assert then["forum_multistakeholder"] == "met"


def test_no_page_shows_a_contact_address(cuenca: Live) -> None:
    with cuenca.engine.connect() as conn:
        emails = [row[0] for row in conn.execute(text("SELECT email FROM contacts"))]
    assert emails
    paths = ["/", PLAN, f"{PLAN}/proposals", f"{PLAN}/trust", f"{PLAN}/ogp",
             *[f"{PLAN}/proposals/{n}" for n in range(1, 61)],
             *[f"{PLAN}/commitments/{n}" for n in range(1, 7)]]
    pages = "".join(get(cuenca, path) for path in paths)
    assert [email for email in emails if email in pages] == [] and "@" not in pages


def test_the_site_stays_out_of_the_openapi_document(cuenca: Live) -> None:
    paths = httpx.get(f"{cuenca.url}/openapi.json").json()["paths"]
    assert not [path for path in paths if path == "/" or path.startswith(("/p/", "/trust"))]


def test_riverside_speaks_english_on_every_page(riverside: Live) -> None:
    plan = get(riverside, "/p/riverside-2025")
    assert '<html lang="en">' in plan and "Timeline: what was planned and what happened" in plan
    assert len(bars(plan, "planned")) == 6 and "Skip to content" in plan
    assert commitment_rows(plan) == ["1", "2", "3"] and "Not assessed" in plan
    commitment = get(riverside, "/p/riverside-2025/commitments/2")
    assert "<h1>Commitment no. 2: Open contracts and a lobbying register</h1>" in commitment
    assert '<dd data-field="ogp_values"><p>transparency, public accountability</p></dd>' \
        in commitment
    assert "<dt>Did it open government?</dt><dd>major</dd>" in commitment
    assert "Done on April 28, 2026" in commitment and "(Neighbourhood workshops, no. 2)" \
        in commitment
    listed = get(riverside, "/p/riverside-2025/proposals")
    assert "Proposals of “Riverside" in listed and "12 supporters" in listed
    assert "Verify the record" in get(riverside, "/p/riverside-2025/trust")
    ogp = get(riverside, "/p/riverside-2025/ogp")
    assert "OGP Participation &amp; Co-Creation Standards" in ogp and "What shows it" in ogp
    assert '<html lang="es">' in get(riverside, "/")  # the deployment's language


def test_a_citizens_text_is_escaped_never_markup() -> None:
    html = page("refused.html", "es", 404, title="<b>t</b>", message="<script>x()</script>",
                code=404).body.decode()
    assert "<script>x()" not in html and "&lt;script&gt;x()&lt;/script&gt;" in html
