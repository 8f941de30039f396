"""``cocrea simulate``: the shipped Cuenca scenario on a virtual clock, and bad scenarios."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from workflow.cli.app import app
from workflow.cli.simulate import shipped_scenario

runner = CliRunner()


def simulate(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["simulate", *args])
    return result.exit_code, result.output


def test_the_shipped_scenario_runs_the_whole_cuenca_process_and_verifies(db_url: str) -> None:
    code, out = simulate("--db", db_url, "--json")
    assert code == 0, out
    run = json.loads(out)

    phases = {k: (p["opened"], p["closed"], p["waited"], p["overdue"], p["extended_to"])
              for k, p in run["summary"]["phases"].items()}
    assert phases == {
        "planeacion_inicial": ("2022-07-11 00:00", "2022-07-18 10:30", False, True, None),
        "vision_estrategica": ("2022-07-18 10:30", "2022-08-20 00:00", True, False, None),
        "designacion_evaluador": ("2022-09-25 00:00", "2022-10-02 00:00", False, False, None),
        "difusion": ("2022-08-29 00:00", "2023-01-01 00:00", False, False, None),
        "recepcion_propuestas": ("2022-09-26 00:00", "2022-11-26 00:00", False, False,
                                 "2022-11-25"),
        "retroalimentacion": ("2022-11-28 00:00", "2024-01-01 00:00", False, False, None),
        "consolidacion": ("2022-12-05 00:00", "2023-02-01 00:00", False, False, None),
    }
    proposals = run["summary"]["proposals"]
    assert proposals["total"] == 60
    assert proposals["by_channel"] == {
        "mesa 1": {"name": "Mesas de trabajo, n.º 1", "state": {"respondida": 8}, "outcome": {
            "descartada": 1, "fusionada": 1, "incorporada": 5, "no_admitida": 1}},
        "mesa 2": {"name": "Mesas de trabajo, n.º 2", "state": {"respondida": 8}, "outcome": {
            "descartada": 1, "incorporada": 6, "no_admitida": 1}},
        "mesa 3": {"name": "Mesas de trabajo, n.º 3", "state": {"respondida": 8}, "outcome": {
            "descartada": 1, "fusionada": 1, "incorporada": 5, "no_admitida": 1}},
        "online": {"name": "Plataforma Cuenca Participa", "state": {"respondida": 36},
                   "outcome": {"descartada": 5, "fusionada": 2, "incorporada": 26,
                               "no_admitida": 3}},
    }
    decisions = {k: (d["approved"], d["for"], d["against"])
                 for k, d in run["summary"]["decisions"].items()}
    assert decisions == {
        "aprobacion_metodologia": ("2022-07-18 10:30", 5, 1),
        "aprobacion_estrategia_comunicacional": ("2022-09-05 16:50", 5, 1),
        "designacion_evaluador": ("2022-09-27 17:50", 6, 0),
        "aprobacion_compromisos": ("2023-01-20 18:00", 6, 1),
        "prorroga_recepcion": ("2022-11-14 18:40", 5, 0),
        "modificacion_compromisos": (None, 0, 0),
    }
    commitments = {c["number"]: (c["lead_agency"], c["state"],
                                 [p["number"] for p in c["proposals"]],
                                 tuple(c["milestones"].values()), c["completion"],
                                 c["opened_government"])
                   for c in run["summary"]["commitments"].values()}
    # milestones: total, on time, late, overdue and not done, still to do
    assert commitments == {
        1: ("Dirección General de Comunicación Social", "evaluado", [2, 22, 34, 49],
            (2, 2, 0, 0, 0), "complete", "major"),
        2: ("Dirección General de Informática", "evaluado",
            [4, 6, 15, 23, 25, 30, 37, 42, 46, 47, 53, 56, 60],
            (2, 2, 0, 0, 0), "complete", "marginal"),
        3: ("Dirección de Compras Públicas", "evaluado", [1, 13, 14, 18, 28, 50],
            (2, 1, 1, 0, 0), "substantial", "major"),
        4: ("Dirección General Financiera", "evaluado", [3, 8, 16, 38, 43, 59],
            (2, 2, 0, 0, 0), "complete", "marginal"),
        5: ("Dirección Municipal de Participación Ciudadana", "evaluado",
            [7, 9, 11, 31, 33, 40, 57], (2, 2, 0, 0, 0), "complete", "major"),
        6: ("Dirección General de Planificación", "evaluado", [17, 19, 29, 35, 51, 54],
            (2, 1, 0, 1, 0), "limited", "did_not_change"),
    }
    assert run["summary"]["commitments"]["cuenca-2022.c3"]["proposals"][3] == {
        "number": 18, "channel": "Mesas de trabajo, n.º 2"}
    assert run["deadlines_fired"] == 36
    assert run["verify"] == {"ok": True, "events": 486, "finding": None}
    assert len(run["timeline"]) == 486
    assert [line["what"] for line in run["timeline"] if "vencido sin informe" in line["what"]] == [
        "Compromiso n.º 3, hito m1: vencido sin informe de cumplimiento (vencía el 2023-06-30)",
        "Compromiso n.º 6, hito m2: vencido sin informe de cumplimiento (vencía el 2024-04-30)"]
    assert run["timeline"][22] == {
        "at": "2022-07-18 00:00", "who": "sistema",
        "what": "La fase «Planeación inicial» queda vencida: la decisión «Aprobación de la "
                "metodología de co-creación» no está aprobada (4 a favor, 1 en contra de 9 con "
                "voto; se necesitan 5)"}


@pytest.mark.slow  # a real SQLite file
def test_with_no_arguments_it_runs_on_a_fresh_sqlite_file_and_prints_for_people() -> None:
    code, out = simulate()

    assert code == 0, out
    assert out.startswith("Simulación: Co-creación del primer Plan de Acción")
    assert "  2022-07-18 10:30  Se cierra la fase «Planeación inicial»: vencida, se cierra " in out
    assert "  5. Recepción de las propuestas sugeridas por la ciudadanía: previsto 2022-09-26 → " \
           "2022-11-18; abrió 2022-09-26 00:00, cerró 2022-11-26 00:00 [prorrogada hasta el " \
           "2022-11-25]" in out
    assert "Verificado: 486 eventos" in out
    assert ("  3. «Contratación pública abierta e integridad» — Dirección de Compras Públicas:"
            " evaluado\n     propuestas: Plataforma Cuenca Participa (n.º 1, 13, 14), Mesas de"
            " trabajo, n.º 2 (n.º 18, 50), Mesas de trabajo, n.º 3 (n.º 28)\n     2 hitos: a"
            " tiempo 1, con retraso 1, vencidos sin cumplir 0, por cumplir 0\n     evaluación:"
            " cumplimiento sustancial; ¿contribuyó a abrir el gobierno? significativo\n") in out
    database = out.rsplit("Base de datos de la simulación: sqlite:///", 1)[1].strip()
    assert Path(database).is_file()


def edited(tmp_path: Path, old: str, new: str) -> Path:
    text = shipped_scenario("cuenca-2022")[1]
    assert old in text
    path = tmp_path / "escenario.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    text = path.read_text(encoding="utf-8")
    return text.count("\n", 0, text.index(needle)) + 1


def test_a_step_the_engine_refuses_stops_the_run_naming_its_line_and_the_reason(
        tmp_path: Path, sqlite_url: str) -> None:
    # The first online proposal, moved to before reception opens.
    path = edited(tmp_path, '{at: "2022-09-26 08:00", by: plataforma',
                  '{at: "2022-09-25 08:00", by: plataforma')

    code, out = simulate("--scenario", str(path), "--db", sqlite_url)

    assert code == 1
    line = line_of(path, '{at: "2022-09-25 08:00", by: plataforma')
    assert f"escenario.yaml:{line}: steps[" in out
    assert "el paso no se pudo dar: no se puede recibir la propuesta: la fase «Recepción de " \
           "las propuestas sugeridas por la ciudadanía» no está abierta (está programada)" in out


def test_an_unknown_action_is_named_with_its_line_and_the_valid_ones(tmp_path: Path) -> None:
    path = edited(tmp_path, "do: activity, activity: resolucion_directrices",
                  "do: actividad, activity: resolucion_directrices")

    code, out = simulate("--scenario", str(path))

    assert code == 1
    assert f"escenario.yaml:{line_of(path, 'do: actividad')}: steps[0].do: acción " \
           "desconocida 'actividad' en 'do'; acciones válidas: add_member, vote, activity, " \
           "submit, fire, support, meeting, extend, open, close" in out


def test_unknown_actors_and_members_are_all_reported_before_anything_runs(
        tmp_path: Path) -> None:
    path = edited(tmp_path, "by: tecnica, do: activity, activity: resolucion_directrices",
                  "by: tecnico, do: activity, activity: resolucion_directrices")
    text = path.read_text(encoding="utf-8").replace('member: "Ana Lucía Quizhpi"',
                                                    'member: "Ana Quizhpi"', 1)
    path.write_text(text, encoding="utf-8")

    code, out = simulate("--scenario", str(path))

    assert code == 1
    assert "escenario.yaml: 2 problemas" in out
    assert f"escenario.yaml:{line_of(path, 'by: tecnico')}: steps[0].by: actor desconocido " \
           "'tecnico' (declárelo en 'actors'); ¿quiso decir 'tecnica'?" in out
    assert f"escenario.yaml:{line_of(path, 'Ana Quizhpi')}: steps[" in out
    assert "'Ana Quizhpi' no se ha incorporado como miembro en un paso anterior; ¿quiso decir " \
           "'Ana Lucía Quizhpi'?" in out


def test_an_actor_in_a_role_cocrea_does_not_know_is_named_with_its_line(tmp_path: Path) -> None:
    text = shipped_scenario("cuenca-2022")[1]
    role = text[text.index("role: ", text.index("actors:")):].split("}")[0]
    path = edited(tmp_path, role, "role: tecnica")

    code, out = simulate("--scenario", str(path))

    assert code == 1
    assert f"escenario.yaml:{line_of(path, 'role: tecnica')}: actors." in out
    assert "rol desconocido 'tecnica': ningún token puede tenerlo; roles de cocrea: " in out
