"""The site in a real browser: Debian's Chromium, headless, driven by Selenium.

A real ``cocrea serve`` serves the simulated Cuenca 2022 plan and Riverside's (in
English) from one SQLite file. Every page loads with no console error, asks
nothing of any other origin and has no serious or critical axe-core violation;
the timeline draws seven phase bars that overlap as the seed's dates do; a moment
in mid-October 2022 shows difusión and recepción open and consolidación not yet
begun; pages fit a phone and print without their navigation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from definitions.registry import shipped_definition
from tests.support.browser import Browser, chromium, need_chromium
from tests.support.server import serve, stop
from tests.workflow.site.conftest import simulated

PAGES = ["/", "/trust", "/p/cuenca-2022", "/p/cuenca-2022?as_of=2022-10-15",
         "/p/cuenca-2022/proposals", "/p/cuenca-2022/proposals?q=agua&as_of=2023-01-01",
         "/p/cuenca-2022/proposals/24", "/p/cuenca-2022/trust",
         "/p/cuenca-2022/ogp", "/p/cuenca-2022/commitments/3",
         "/p/cuenca-2022/commitments/6?as_of=2023-03-01", "/p/riverside-2025",
         "/p/riverside-2025/proposals?state=answered", "/p/riverside-2025/proposals/2"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real ``cocrea serve`` over both simulated processes; its base URL."""
    need_chromium()
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'site.db'}"
    simulated(simulated(url), "riverside-2025")
    process, base = serve(url)
    try:
        yield base
    finally:
        stop(process)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory, site: str) -> Iterator[Browser]:
    with chromium(tmp_path_factory.mktemp("profile")) as driven:
        yield driven


@pytest.mark.parametrize("path", PAGES)
def test_a_page_loads_cleanly_offline_and_accessibly(browser: Browser, site: str,
                                                     path: str) -> None:
    browser.open(f"{site}{path}")
    lang = browser.driver.find_element(By.TAG_NAME, "html").get_attribute("lang")
    assert lang == ("en" if "riverside" in path else "es")
    assert browser.driver.find_element(By.TAG_NAME, "h1").text
    assert [e for e in browser.console() if e["level"] in ("SEVERE", "WARNING")] == []
    asked = browser.requests()
    assert asked and [u for u in asked if not u.startswith((f"{site}/", "data:"))] == []
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]])
               for v in browser.axe() if v["impact"] in ("serious", "critical")]
    assert serious == []


def planned_bars(browser: Browser) -> dict[str, dict[str, float]]:
    return {bar.get_attribute("data-phase") or "": bar.rect for bar in
            browser.driver.find_elements(By.CSS_SELECTOR, "svg.chart rect.planned")}


def test_the_timeline_draws_seven_phase_bars_overlapping_as_the_seeds_dates(
        browser: Browser, site: str) -> None:
    browser.open(f"{site}/p/cuenca-2022")
    bars = planned_bars(browser)
    phases = {p.id: p for p in shipped_definition("cuenca-2022").phases}
    assert len(bars) == 7 and set(bars) == set(phases)
    by_start = sorted(phases, key=lambda k: (phases[k].starts, phases[k].number))
    assert sorted(bars, key=lambda k: bars[k]["y"]) == by_start  # one row each, by first day

    def drawn_over(a: str, b: str) -> bool:
        return (bars[a]["x"] < bars[b]["x"] + bars[b]["width"]
                and bars[b]["x"] < bars[a]["x"] + bars[a]["width"])

    def dated_over(a: str, b: str) -> bool:
        return phases[a].starts <= phases[b].ends and phases[b].starts <= phases[a].ends

    assert {(a, b) for a, b in combinations(sorted(phases), 2) if drawn_over(a, b)} == {
        (a, b) for a, b in combinations(sorted(phases), 2) if dated_over(a, b)}
    assert all(drawn_over("difusion", k) for k in ("designacion_evaluador",
                                                   "recepcion_propuestas", "retroalimentacion",
                                                   "consolidacion"))
    days = {k: (phases[k].ends - phases[k].starts).days + 1 for k in phases}
    per_day = {k: bars[k]["width"] / days[k] for k in phases}
    assert max(per_day.values()) - min(per_day.values()) < 0.05  # one date axis for all


def test_mid_october_2022_shows_difusion_and_recepcion_open_and_consolidacion_not_begun(
        browser: Browser, site: str) -> None:
    browser.open(f"{site}/p/cuenca-2022?as_of=2022-10-15")
    driver = browser.driver
    assert driver.find_element(By.CSS_SELECTOR, ".banner").is_displayed()
    status = {g.get_attribute("data-phase"): g.get_attribute("data-status")
              for g in driver.find_elements(By.CSS_SELECTOR, "svg.chart g.phase")}
    assert status["difusion"] == status["recepcion_propuestas"] == "open"
    assert status["consolidacion"] == status["retroalimentacion"] == "scheduled"
    actual = {bar.get_attribute("data-phase"): bar.rect
              for bar in driver.find_elements(By.CSS_SELECTOR, "svg.chart rect.actual")}
    assert "consolidacion" not in actual and "retroalimentacion" not in actual
    now = driver.find_element(By.CSS_SELECTOR, "svg.chart line.now").rect
    for running in ("difusion", "recepcion_propuestas"):  # solid up to the moment shown
        assert abs(actual[running]["x"] + actual[running]["width"] - now["x"]) < 2
    assert dt.date(2022, 10, 15).strftime("%Y") in driver.find_element(
        By.CSS_SELECTOR, "svg.chart .now-label").text


def test_on_a_phone_the_page_fits_the_screen_and_the_picture_scrolls(
        tmp_path: Path, site: str) -> None:
    with chromium(tmp_path / "phone", width=390, height=844) as phone:
        phone.open(f"{site}/p/cuenca-2022")
        fits = phone.driver.execute_script(
            "return document.documentElement.scrollWidth <= window.innerWidth")
        scrolls = phone.driver.execute_script(
            "const c = document.querySelector('.chart-scroll');"
            "return c.scrollWidth > c.clientWidth")
    assert fits and scrolls


def test_printed_the_page_keeps_its_content_and_drops_the_navigation(
        browser: Browser, site: str) -> None:
    browser.open(f"{site}/p/cuenca-2022")
    driver = browser.driver
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})  # type: ignore[attr-defined]
    try:
        assert not driver.find_element(By.CSS_SELECTOR, ".top nav").is_displayed()
        assert driver.find_element(By.CSS_SELECTOR, "svg.chart").is_displayed()
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})  # type: ignore[attr-defined]
    assert driver.print_page().startswith("JVBER")  # a PDF
