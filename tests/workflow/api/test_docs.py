"""``/docs`` and ``/redoc`` work with no internet: everything they load comes from the server.

Each page is fetched from the running API, every ``src`` and ``href`` in it (and the
OpenAPI document its script loads) is resolved against the page, must stay on the
server, and is fetched from it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from tests.support.server import Live

PAGES = ("/docs", "/redoc")
ABSOLUTE = re.compile(r"""(?:https?:)?//[^\s'"<>)]+""")


class References(HTMLParser):
    """Every ``src`` and ``href`` of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [value for name, value in attrs if name in ("src", "href") and value]


def references(html: str) -> list[str]:
    parser = References()
    parser.feed(html)
    return parser.found


def loaded(html: str) -> list[str]:
    """What the page loads: its src and href, and the OpenAPI document its script fetches."""
    scripted = re.findall(r"""(?:url:|spec-url=)\s*['"]([^'"]+)['"]""", html)
    return references(html) + scripted


@pytest.mark.parametrize("page", PAGES)
def test_the_page_and_everything_it_loads_come_from_the_server(api: Live, page: str) -> None:
    answer = httpx.get(f"{api.url}{page}")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    wanted = loaded(answer.text)
    assert len(wanted) >= 3  # a script, an icon, the OpenAPI document (and Swagger UI's style)

    for link in wanted:
        url = urljoin(f"{api.url}{page}", link)
        assert urlsplit(url).netloc == urlsplit(api.url).netloc, link
        assert httpx.get(url).status_code == 200, link
    assert [u for u in ABSOLUTE.findall(answer.text) if not u.startswith(api.url)] == []


def test_swagger_ui_gets_its_script_and_style_as_script_and_style(api: Live) -> None:
    html = httpx.get(f"{api.url}/docs").text
    kinds = {link.rsplit(".", 1)[-1]: httpx.get(urljoin(api.url, link)).headers["content-type"]
             for link in references(html)}

    assert kinds["js"].startswith(("text/javascript", "application/javascript"))
    assert kinds["css"].startswith("text/css")
    assert kinds["png"] == "image/png"


def test_redoc_asks_for_no_web_fonts_and_swagger_ui_for_no_online_validator(api: Live) -> None:
    swagger, redoc = (httpx.get(f"{api.url}{page}").text for page in PAGES)

    assert "fonts.googleapis.com" not in redoc
    assert '"validatorUrl": null' in swagger


def test_the_docs_are_not_operations_of_the_api(api: Live) -> None:
    paths = httpx.get(f"{api.url}/openapi.json").json()["paths"]

    assert not [path for path in paths if path.startswith(("/docs", "/redoc"))]
