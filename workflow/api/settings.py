"""How much a request may send: the body limits of the API and the variable that sets them."""

from __future__ import annotations

from definitions.limits import MAX_DEFINITION_BYTES

MAX_BODY_ENV = "COCREA_MAX_BODY_BYTES"
"""Environment variable (and ``cocrea serve --max-body-bytes``): the most a POST may send."""

DEFAULT_MAX_BODY_BYTES = 1024 * 1024
"""1 MiB: far above any command (a proposal's body is at most 20,000 characters)."""

VALIDATE_MAX_BODY_BYTES = MAX_DEFINITION_BYTES
"""``POST /definitions`` and ``/definitions/validate`` send a whole definition: as much as a
definition may be."""

IMPORT_PATH = "/plans/{plan}/imports/decidim"
"""Where a Decidim export is sent to be imported (the file itself is the body)."""

IMPORT_MAX_BODY_BYTES = 64 * 1024 * 1024
"""64 MiB: a Decidim export sent to be imported. As much as the reader takes of a JSON
export (read whole), about 90,000 proposals as CSV, and many more zipped (the open-data
ZIP packs a CSV about 5 to 10 times); Cuenca's 2022 export is about 200 KB. The body is
held in memory while it is read, and imports run one at a time, so a server holds at
most one such body in an import (a larger export is imported with ``cocrea import``,
which reads up to 512 MiB)."""

ROUTE_MAX_BODY_BYTES = {"/definitions/validate": VALIDATE_MAX_BODY_BYTES,
                        "/definitions": VALIDATE_MAX_BODY_BYTES,
                        IMPORT_PATH: IMPORT_MAX_BODY_BYTES}
"""Paths whose POST has its own limit instead of the default (``{name}`` is one segment)."""

BINARY_BODY_PATHS = frozenset({IMPORT_PATH})
"""Paths whose POST body is a file of bytes (a ZIP), not UTF-8 text: admission does not
decode it (the reader checks a CSV's or a JSON's UTF-8 itself, naming the line)."""
