"""Email addresses people give to be told: checked here, kept by storage out of the log."""

from __future__ import annotations

import re

from workflow.domain.failures import invalid
from workflow.domain.texts import check_line

EMAIL = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\".]{2,}$")


def checked_email(locale: str, field: str, value: str) -> str:
    """Return ``value`` trimmed if it looks like one email address; else InvalidInput."""
    address = value.strip()
    check_line(locale, field, address)
    if len(address) > 254 or not EMAIL.match(address):
        raise invalid(locale, field, "field.email", value=value)
    return address


def proponent_email(locale: str, email: str | None, consent: bool) -> str | None:
    """Return the proponent's address to keep: only given with consent to be told.

    Consent without an address is an error; an address without consent is not
    kept at all (data minimisation): the proponent will not be written to.
    """
    if email is None or not email.strip():
        if consent:
            raise invalid(locale, "consent", "field.consent_without_email")
        return None
    address = checked_email(locale, "email", email)
    return address if consent else None
