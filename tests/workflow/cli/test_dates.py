"""Dates at the ends of the calendar, on the command line: an answer or one line naming
the option, never a traceback (``replay`` as a real ``cocrea`` process)."""

from __future__ import annotations

from pathlib import Path

from tests.definitions.sample import cuenca_yaml, edit
from tests.storage.scenario import cocrea
from tests.workflow.cli.test_commands import ok, runner
from workflow.cli.app import app
from workflow.cli.simulate import shipped_scenario

PLAN = "cuenca-2022"
OUT_OF_RANGE = "está fuera de las fechas que se admiten: de 1001-01-01 a 9998-12-31"


def one_error_line(err: str) -> str:
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    return err.strip()


def refused(*args: str) -> str:
    """Run ``cocrea`` in this process; it must exit 1 with one line on stderr."""
    result = runner.invoke(app, list(args))
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1
    return one_error_line(result.stderr)


def test_replay_as_of_the_far_future_is_the_state_now_and_of_the_far_past_no_plan(
        db_url: str) -> None:
    ok(db_url, "plan", "create", "--definition", PLAN)
    ok(db_url, "phase", "open", PLAN, "planeacion_inicial", "--reason", "inicio")

    future, past = cocrea(["replay", PLAN, "--as-of", "9999-12-31", "--db", db_url],
                          ["replay", PLAN, "--as-of", "0001-01-01", "--db", db_url])

    assert (future.code, future.err) == (0, "")
    assert future.out.startswith("Estado a 9999-12-31\n") and "abierta" in future.out
    assert past.code == 1
    assert one_error_line(past.err) == f"error: no existe el plan «{PLAN}»"


def test_far_dates_for_until_shift_to_and_clock_start_are_one_line_naming_the_field(
        db_url: str) -> None:
    ok(db_url, "plan", "create", "--definition", PLAN)
    ok(db_url, "phase", "open", PLAN, "planeacion_inicial", "--reason", "inicio")

    until = refused("phase", "extend", PLAN, "planeacion_inicial", "--until", "9999-12-31",
                    "--reason", "prórroga", "--db", db_url)
    shift = refused("plan", "create", "--definition", PLAN, "--id", "lejos",
                    "--shift-to", "9999-12-01", "--db", db_url)
    clock = refused("scheduler", "run", "--once", "--clock-start", "9999-12-31T23:59:59",
                    "--db", db_url)

    assert until == f"error: campo «until»: «9999-12-31» {OUT_OF_RANGE}"
    assert shift == f"error: campo «shift_to»: «9999-12-01» {OUT_OF_RANGE}"
    assert clock == f"error: campo «--clock-start»: «9999-12-31T23:59:59» {OUT_OF_RANGE}"


def test_a_date_that_is_not_iso_names_its_option(sqlite_url: str) -> None:
    ok(sqlite_url, "plan", "create", "--definition", PLAN)

    as_of = refused("replay", PLAN, "--as-of", "2022-02-30", "--db", sqlite_url)
    until = refused("phase", "extend", PLAN, "planeacion_inicial", "--until", "mañana",
                    "--reason", "x", "--db", sqlite_url)
    clock = refused("scheduler", "run", "--once", "--clock-start", "ayer", "--db", sqlite_url)

    assert as_of.startswith("error: campo «--as-of»: «2022-02-30»")
    assert until.startswith("error: campo «--until»: «mañana»")
    assert clock.startswith("error: campo «--clock-start»: «ayer»")


def test_a_scenario_step_or_a_phase_at_9999_12_31_is_a_problem_at_its_line(
        tmp_path: Path) -> None:
    text = shipped_scenario(PLAN)[1]
    scenario = tmp_path / "escenario.yaml"
    scenario.write_text(text.replace('{at: "2022-07-11 09:00"', '{at: "9999-12-31 09:00"', 1),
                        encoding="utf-8")
    definition = tmp_path / "lejana.yaml"
    definition.write_text(edit(cuenca_yaml(), "ends: 2022-08-19", "ends: 9999-12-31"),
                          encoding="utf-8")
    ends_line = cuenca_yaml().count("\n", 0, cuenca_yaml().index("ends: 2022-08-19")) + 1

    simulated = runner.invoke(app, ["simulate", "--scenario", str(scenario)])
    checked = runner.invoke(app, ["check", str(definition)])

    line = text.count("\n", 0, text.index('{at: "2022-07-11 09:00"')) + 1
    assert simulated.exit_code == 1 and isinstance(simulated.exception, SystemExit)
    assert (f"escenario.yaml:{line}: steps[0].at: 'at' (9999-12-31 09:00:00) {OUT_OF_RANGE}"
            in simulated.stderr)
    assert checked.exit_code == 1 and isinstance(checked.exception, SystemExit)
    assert (f"lejana.yaml:{ends_line}: phases[1].ends: 'ends' (9999-12-31) {OUT_OF_RANGE}"
            in checked.stderr)


def test_scenario_moments_with_and_without_an_offset_are_put_in_order(tmp_path: Path) -> None:
    text = shipped_scenario(PLAN)[1]
    scenario = tmp_path / "escenario.yaml"
    scenario.write_text(text.replace('{at: "2022-07-12 10:00"',
                                     '{at: "2022-07-11T09:00:00-05:00"', 1), encoding="utf-8")
    backwards = tmp_path / "al-reves.yaml"
    backwards.write_text(text.replace('{at: "2022-07-12 10:00"',
                                      '{at: "2022-07-11T08:00:00-05:00"', 1), encoding="utf-8")

    ran = runner.invoke(app, ["simulate", "--scenario", str(scenario), "--json"])
    refused_order = runner.invoke(app, ["simulate", "--scenario", str(backwards)])

    assert ran.exit_code == 0, ran.output
    assert refused_order.exit_code == 1 and isinstance(refused_order.exception, SystemExit)
    assert ("steps[1].at: el paso (2022-07-11 08:00:00-05:00) es anterior al paso previo "
            "(2022-07-11 09:00:00)" in refused_order.stderr)
