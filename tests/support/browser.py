"""Debian's Chromium driven by Selenium, headless and offline, for the site's browser tests.

``chromium()`` starts ``/usr/bin/chromium`` through ``/usr/bin/chromedriver`` (no
driver download: Selenium is given both paths) with a fresh profile and everything
that would call out (background networking, component updates, sync) off. The
browser's console and its network requests are logged, so a test can assert a page
said no error and asked nothing of any other origin. axe-core runs from the file
vendored in ``tests/support/axe`` (its README says why and which).

Where Chromium is missing, browser tests are skipped on a developer's machine and
fail under CI (``CI`` set), which installs it (``.ci/run``).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webdriver import WebDriver

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
AXE = Path(__file__).parent / "axe" / "axe.min.js"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--no-default-browser-check", "--disable-dev-shm-usage",
         "--disable-features=Translate,OptimizationHints,MediaRouter")
"""Headless; no sandbox (CI runs as root); nothing in the background that would go online."""


def need_chromium() -> None:
    """Skip (fail under CI) when Debian's chromium and chromium-driver are not installed."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    if not missing:
        return
    reason = (f"no {' or '.join(missing)}: install the Debian packages 'chromium' and "
              "'chromium-driver'")
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the browser tests", pytrace=False)
    pytest.skip(reason)


@dataclass
class Browser:
    """A driven Chromium: open pages, read what they logged and asked for, run axe."""

    driver: WebDriver

    def open(self, url: str) -> None:
        """Load ``url`` and wait until the page has loaded (forgetting earlier logs)."""
        self.console()
        self.requests()
        self.driver.get(url)

    def console(self) -> list[dict[str, Any]]:
        """Return what the page wrote to the console since last asked (errors included)."""
        return list(self.driver.get_log("browser"))  # type: ignore[no-untyped-call]

    def requests(self) -> list[str]:
        """Return every URL the page asked for since last asked (from the network log)."""
        found = []
        for entry in self.driver.get_log("performance"):  # type: ignore[no-untyped-call]
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.requestWillBeSent":
                found.append(message["params"]["request"]["url"])
        return found

    def axe(self) -> list[dict[str, Any]]:
        """Run axe-core on the page; return its violations."""
        source = AXE.read_bytes()
        assert hashlib.sha256(source).hexdigest() == AXE_SHA256, "tests/support/axe changed"
        self.driver.execute_script(source.decode("utf-8"))
        found: dict[str, Any] = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']})"
            ".then(r => done({violations: r.violations}), e => done({error: String(e)}));")
        assert "error" not in found, found
        return list(found["violations"])


@contextmanager
def chromium(profile: Path, width: int = 1280, height: int = 1000) -> Iterator[Browser]:
    """Start a headless Chromium with a fresh profile in ``profile``; quit it at the end."""
    need_chromium()
    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)),
                              options=options)
    driver.set_script_timeout(120)
    driver.set_page_load_timeout(60)
    browser = Browser(driver)
    try:
        browser.open("about:blank")  # leave the new-tab page (the browser's own) behind
        browser.console()
        browser.requests()
        yield browser
    finally:
        driver.quit()
