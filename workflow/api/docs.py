"""The API's documentation, ``/docs`` (Swagger UI) and ``/redoc`` (ReDoc), with no internet.

FastAPI's own pages load their scripts, styles and icon from a CDN (and ReDoc's
fonts from Google), which a municipal intranet or an offline laptop never
reaches: the page stays blank. These pages are FastAPI's, pointed at the files
shipped inside this package (``workflow/api/static``, upstream builds with their
licences; see the README there) and served by the API itself under
:data:`ASSETS`. Nothing they load leaves the server.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from definitions.messages import deployment_locale, say

ASSETS = "/docs/assets"
"""Where the pages' own files are served (``swagger-ui/``, ``redoc/``)."""

router = APIRouter(include_in_schema=False)


def mount_assets(app: FastAPI) -> None:
    """Serve the shipped Swagger UI and ReDoc files under :data:`ASSETS`."""
    app.mount(ASSETS, StaticFiles(packages=[("workflow.api", "static")]), name="docs-assets")


@router.get("/docs")
def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI over this API's OpenAPI document, from the server's own files."""
    base = _base(request)
    return get_swagger_ui_html(
        openapi_url=f"{base}/openapi.json", title=say(deployment_locale(), "docs.title"),
        swagger_js_url=f"{base}{ASSETS}/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url=f"{base}{ASSETS}/swagger-ui/swagger-ui.css",
        swagger_favicon_url=f"{base}{ASSETS}/swagger-ui/favicon-32x32.png",
        oauth2_redirect_url=None,
        # No badge from the online validator: it would send the document out to be checked.
        swagger_ui_parameters={"validatorUrl": None})


@router.get("/redoc")
def redoc(request: Request) -> HTMLResponse:
    """ReDoc over this API's OpenAPI document, from the server's own files (no web fonts)."""
    base = _base(request)
    return get_redoc_html(
        openapi_url=f"{base}/openapi.json", title=say(deployment_locale(), "docs.title"),
        redoc_js_url=f"{base}{ASSETS}/redoc/redoc.standalone.js",
        redoc_favicon_url=f"{base}{ASSETS}/swagger-ui/favicon-32x32.png",
        with_google_fonts=False)


def _base(request: Request) -> str:
    """Return the path the API is mounted under (empty unless a proxy says otherwise)."""
    return str(request.scope.get("root_path", "")).rstrip("/")
