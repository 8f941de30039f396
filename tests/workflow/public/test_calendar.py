"""The calendar feed: phases on the dates they have now, reminders on their day, stable UIDs,
a SEQUENCE that grows with each extension, in the plan's language; read back with icalendar.

On each database: Cuenca's simulated process (its overlapping phases, its extended
reception), a plan extended twice while we watch, and Riverside in English.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping

import pytest
from icalendar import Calendar, Event

from storage.database import open_engine
from storage.public import record
from tests.workflow.cuenca import STAFF, cuenca
from tests.workflow.public.conftest import Simulated
from tests.workflow.riverside import riverside
from workflow.bootstrap import bootstrap
from workflow.public.calendar import calendar
from workflow.testing import Driver

pytestmark = pytest.mark.slow  # real databases

CUENCA = "cuenca-2022"
SEED = {  # each phase's first day and the day after its last, as the seed dates them
    "planeacion_inicial": ("2022-07-11", "2022-07-18"),
    "vision_estrategica": ("2022-07-18", "2022-08-20"),
    "designacion_evaluador": ("2022-09-25", "2022-10-02"),
    "difusion": ("2022-08-29", "2023-01-01"),
    "recepcion_propuestas": ("2022-09-26", "2022-11-26"),  # the seed's 18 Nov, extended to 25
    "retroalimentacion": ("2022-11-28", "2024-01-01"),
    "consolidacion": ("2022-12-05", "2023-02-01"),
}


def feed_bytes(url: str, plan: str, env: Mapping[str, str] | None = None) -> bytes:
    engine = open_engine(url, migrate=False)
    try:
        with record(engine, plan) as found:
            return calendar(found, env or {})
    finally:
        engine.dispose()


def feed(url: str, plan: str, env: Mapping[str, str] | None = None) -> Calendar:
    return Calendar.from_ical(feed_bytes(url, plan, env))


def by_uid(cal: Calendar) -> dict[str, Event]:
    return {str(event["UID"]): event for event in cal.events}


def days(event: Event) -> tuple[str, str]:
    return event.start.isoformat(), event.end.isoformat()


def phases(cal: Calendar, plan: str) -> dict[str, Event]:
    return {uid.removeprefix(f"{plan}/").removesuffix("@cocrea"): event
            for uid, event in by_uid(cal).items() if uid.count("/") == 1}


def overlapping(spans: dict[str, tuple[str, str]]) -> Iterator[tuple[str, str]]:
    names = sorted(spans)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            if spans[a][0] < spans[b][1] and spans[b][0] < spans[a][1]:
                yield a, b


def test_each_phase_is_an_all_day_event_on_its_dates_with_the_seeds_overlaps(
        simulated: Simulated) -> None:
    url = simulated(CUENCA)
    text, cal = feed_bytes(url, CUENCA), feed(url, CUENCA)

    spans = {phase: days(event) for phase, event in phases(cal, CUENCA).items()}

    assert spans == SEED
    assert text.count(b"DTSTART;VALUE=DATE:") == text.count(b"BEGIN:VEVENT")
    assert text.count(b"DTEND;VALUE=DATE:") == text.count(b"BEGIN:VEVENT")
    assert set(overlapping(spans)) == {
        ("designacion_evaluador", "difusion"), ("designacion_evaluador", "recepcion_propuestas"),
        ("difusion", "recepcion_propuestas"), ("difusion", "retroalimentacion"),
        ("consolidacion", "difusion"), ("consolidacion", "retroalimentacion")}


def test_the_extended_reception_has_grown_its_sequence_and_says_how_it_was_published(
        simulated: Simulated) -> None:
    found = phases(feed(simulated(CUENCA), CUENCA), CUENCA)

    assert {phase: event["SEQUENCE"] for phase, event in found.items()} == {
        phase: int(phase == "recepcion_propuestas") for phase in SEED}
    reception = found["recepcion_propuestas"]
    assert str(reception["SUMMARY"]) == "Fase 5: Recepción de las propuestas sugeridas por la " \
        "ciudadanía"
    assert reception["SUMMARY"].params["LANGUAGE"] == "es"
    assert str(reception["DESCRIPTION"]).splitlines()[-2:] == [
        "Fechas publicadas: del 26 de septiembre de 2022 al 18 de noviembre de 2022.",
        "Prorrogada: termina el 25 de noviembre de 2022."]
    # stamped with the last event that touched it: its close at the end of 25 Nov (Guayaquil)
    assert reception["DTSTAMP"].dt == dt.datetime(2022, 11, 26, 5, 0, tzinfo=dt.UTC)
    assert reception["LAST-MODIFIED"].dt == reception["DTSTAMP"].dt


def test_reminders_are_all_day_events_on_their_day_and_move_with_the_extension(
        simulated: Simulated) -> None:
    events = by_uid(feed(simulated(CUENCA), CUENCA))

    reminders = {uid: (days(e), e["SEQUENCE"], str(e["SUMMARY"]))
                 for uid, e in events.items() if "/remind-" in uid}

    assert reminders[f"{CUENCA}/planeacion_inicial/remind-3@cocrea"] == (
        ("2022-07-15", "2022-07-16"), 0, "La fase 1 «Planeación inicial» cierra en 3 días")
    assert reminders[f"{CUENCA}/recepcion_propuestas/remind-7@cocrea"][:2] == (
        ("2022-11-19", "2022-11-20"), 1)  # seven days before the extended close, not the seed's
    assert reminders[f"{CUENCA}/recepcion_propuestas/remind-1@cocrea"][:2] == (
        ("2022-11-25", "2022-11-26"), 1)
    assert len(reminders) == 9  # one per `reminders:` entry of the seven phases


def test_each_milestone_is_an_all_day_event_on_its_due_day_under_a_stable_uid(
        simulated: Simulated) -> None:
    url = simulated(CUENCA)
    events = by_uid(feed(url, CUENCA))
    milestones = {uid: e for uid, e in events.items() if re.search(r"/c[0-9]+/m", uid)}

    assert len(milestones) == 12
    late = milestones[f"{CUENCA}/c3/m1@cocrea"]
    assert days(late) == ("2023-06-30", "2023-07-01")
    assert str(late["SUMMARY"]).startswith("Hito del compromiso 3: ")
    assert "Responsable: Dirección de Compras Públicas" in str(late["DESCRIPTION"])
    assert "Cumplido el 20 de julio de 2023." in str(late["DESCRIPTION"])
    assert late["SEQUENCE"] == 0
    overdue = milestones[f"{CUENCA}/c6/m2@cocrea"]
    assert days(overdue) == ("2024-04-30", "2024-05-01")
    assert "Cumplido" not in str(overdue["DESCRIPTION"])
    assert set(by_uid(feed(url, CUENCA))) == set(events)  # the same UIDs, read again


def test_the_calendar_is_named_zoned_refreshed_and_the_same_bytes_for_the_same_log(
        simulated: Simulated) -> None:
    url = simulated(CUENCA)
    text = feed_bytes(url, CUENCA)
    cal = Calendar.from_ical(text)

    assert cal.calendar_name == "Co-creación del primer Plan de Acción de Gobierno Abierto de " \
        "Cuenca"
    assert str(cal["X-WR-TIMEZONE"]) == "America/Guayaquil"
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in text
    assert b"\r\nX-PUBLISHED-TTL:PT1H\r\n" in text
    assert all(str(event["TRANSP"]) == "TRANSPARENT" for event in cal.events)
    assert feed_bytes(url, CUENCA) == text


def test_uids_end_in_the_public_addresss_host_and_the_feed_links_back_to_the_plan(
        simulated: Simulated) -> None:
    cal = feed(simulated(CUENCA), CUENCA, {"COCREA_PUBLIC_URL": "https://cocrea.cuenca.gob.ec/"})

    assert f"{CUENCA}/difusion@cocrea.cuenca.gob.ec" in by_uid(cal)
    assert str(cal["URL"]) == "https://cocrea.cuenca.gob.ec/plans/cuenca-2022"
    assert str(cal["SOURCE"]) == "https://cocrea.cuenca.gob.ec/plans/cuenca-2022/calendar.ics"


def test_each_extension_moves_the_end_and_raises_the_sequence_under_the_same_uid(
        db_url: str) -> None:
    moments = iter(dt.datetime(2022, 7, 11, 14, m, tzinfo=dt.UTC) for m in range(60))
    staff = Driver(bootstrap(db_url, clock=lambda: next(moments)).services())
    staff.create_plan(cuenca(), STAFF)
    staff.open_phase(CUENCA, "planeacion_inicial", "inicio", STAFF)
    uid, reminder = f"{CUENCA}/planeacion_inicial@cocrea", \
        f"{CUENCA}/planeacion_inicial/remind-3@cocrea"
    before = by_uid(feed(db_url, CUENCA))

    staff.extend_phase(CUENCA, "planeacion_inicial", dt.date(2022, 7, 24), "más tiempo", STAFF)
    once = by_uid(feed(db_url, CUENCA))
    staff.extend_phase(CUENCA, "planeacion_inicial", dt.date(2022, 7, 31), "aún más", STAFF)
    twice = by_uid(feed(db_url, CUENCA))

    assert [(days(f[uid]), f[uid]["SEQUENCE"]) for f in (before, once, twice)] == [
        (("2022-07-11", "2022-07-18"), 0), (("2022-07-11", "2022-07-25"), 1),
        (("2022-07-11", "2022-08-01"), 2)]
    assert [f[uid]["DTSTAMP"].dt.minute for f in (before, once, twice)] == [1, 2, 3]
    assert [days(f[reminder]) for f in (before, once, twice)] == [
        ("2022-07-15", "2022-07-16"), ("2022-07-22", "2022-07-23"), ("2022-07-29", "2022-07-30")]
    other = f"{CUENCA}/difusion@cocrea"
    assert twice[other]["SEQUENCE"] == 0 and twice[other]["DTSTAMP"] == before[other]["DTSTAMP"]


def test_an_english_plan_has_an_english_calendar_in_chicago(simulated: Simulated) -> None:
    plan = "riverside-2025"
    cal = feed(simulated(plan), plan)

    assert str(cal["X-WR-TIMEZONE"]) == "America/Chicago"
    found = phases(cal, plan)
    assert {phase: days(event) for phase, event in found.items()} == {
        p.id: (p.starts.isoformat(), (p.ends + dt.timedelta(days=1)).isoformat())
        for p in riverside().phases}
    first = found["forum_setup"]
    assert str(first["SUMMARY"]).startswith("Phase 1: ")
    assert first["SUMMARY"].params["LANGUAGE"] == "en"
    assert "Published dates: February 17, 2025 to March 14, 2025." in str(first["DESCRIPTION"])
    reminders = [str(e["SUMMARY"]) for uid, e in by_uid(cal).items() if "/remind-" in uid]
    assert reminders and all(" closes in " in text for text in reminders)
