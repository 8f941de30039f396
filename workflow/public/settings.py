"""The deployment's settings the public record reads: its public address and the data licence.

``COCREA_PUBLIC_URL`` is where the API is published (the notices link to it too):
its host names the calendar's events (``UID: {plan}/{phase}@{host}``; ``cocrea``
when it is not set) and the feed and the package link back to it.
``COCREA_OPEN_DATA_LICENSE`` is the licence the open data is published under, one
of :data:`LICENSES` (default ``CC-BY-4.0``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from definitions.messages import deployment_locale, say
from workflow.domain.errors import InvalidInput
from workflow.domain.failures import said_in

PUBLIC_URL_ENV = "COCREA_PUBLIC_URL"
LICENSE_ENV = "COCREA_OPEN_DATA_LICENSE"


@dataclass(frozen=True)
class License:
    """An open licence as a Data Package names it: SPDX id, where it is written, its title."""

    name: str
    path: str
    title: str


LICENSES = {lic.name: lic for lic in (
    License("CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/",
            "Creative Commons Attribution 4.0 International"),
    License("CC0-1.0", "https://creativecommons.org/publicdomain/zero/1.0/",
            "Creative Commons Zero v1.0 Universal"),
    License("ODC-PDDL-1.0", "https://opendatacommons.org/licenses/pddl/1-0/",
            "Open Data Commons Public Domain Dedication and License v1.0"),
    License("ODC-By-1.0", "https://opendatacommons.org/licenses/by/1-0/",
            "Open Data Commons Attribution License v1.0"),
    License("ODbL-1.0", "https://opendatacommons.org/licenses/odbl/1-0/",
            "Open Data Commons Open Database License v1.0"),
)}
"""The licences a deployment may choose (each an open licence of the Open Definition)."""

DEFAULT_LICENSE = "CC-BY-4.0"
"""Reuse for any purpose, crediting the source: the record stays traceable to the
municipality that kept it, and no right is waived over texts citizens wrote."""


def environment(env: Mapping[str, str] | None) -> Mapping[str, str]:
    """Return ``env``, or the process's environment when None."""
    return os.environ if env is None else env


def public_url(env: Mapping[str, str] | None = None) -> str | None:
    """Return the address the API is published at (no trailing slash), if set."""
    value = environment(env).get(PUBLIC_URL_ENV, "").strip().rstrip("/")
    return value or None


def uid_domain(env: Mapping[str, str] | None = None) -> str:
    """Return the host that ends every calendar UID: the public address's, else ``cocrea``."""
    url = public_url(env)
    return (urlsplit(url).hostname if url else None) or "cocrea"


def data_license(env: Mapping[str, str] | None = None) -> License:
    """Return the licence the open data is published under (InvalidInput naming the setting)."""
    name = environment(env).get(LICENSE_ENV, "").strip() or DEFAULT_LICENSE
    found = LICENSES.get(name)
    if found is None:
        lo = deployment_locale(env)
        message = say(lo, "error.setting", name=LICENSE_ENV, value=name,
                      expected=", ".join(LICENSES))
        raise said_in(lo, InvalidInput(message, LICENSE_ENV))
    return found
