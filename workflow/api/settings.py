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

ROUTE_MAX_BODY_BYTES = {"/definitions/validate": VALIDATE_MAX_BODY_BYTES,
                        "/definitions": VALIDATE_MAX_BODY_BYTES}
"""Paths whose POST has its own limit instead of the default."""
