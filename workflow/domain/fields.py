"""What a proposal trigger takes: each field read by its declared type, checked, then kept.

A definition declares a trigger's fields by name and type (text, a whole number,
a date, a web address, one of a list, a proposal of the same plan). A command
gives them as people type them; :func:`read_fields` checks each against its
declaration (refusing, with the field named, one that is not declared, missing,
of the wrong type or out of bounds) and returns the values the event keeps:
text, whole numbers, ISO dates and proposal ids.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

from definitions import days
from definitions.messages import say
from definitions.schema import FieldSpec
from workflow.domain.errors import InvalidInput
from workflow.domain.failures import invalid
from workflow.domain.state import ProposalState
from workflow.domain.texts import check_line, check_prose

Value = str | int
"""What an event keeps of a field: text, a whole number, an ISO date or a proposal id."""

Targets = Mapping[str, ProposalState | None]
"""The proposals that proposal fields name, by field (None: there is no such proposal)."""

SPECIAL = ("response", "into")
"""Fields with a meaning of their own, kept at the top of the event's data."""

MAX_URL = 2000


class Reading:
    """One trigger's fields being read.

    Whose (a proposal's, a commitment's id), the plan, the language, and the
    proposals that proposal fields name.
    """

    def __init__(self, subject: str, plan_id: str, locale: str,
                 targets: Targets | None = None) -> None:
        self.subject, self.plan_id, self.locale = subject, plan_id, locale
        self.targets: Targets = targets or {}

    def value(self, spec: FieldSpec, given: object) -> Value:
        """Return ``given`` read as ``spec``'s type, or raise InvalidInput naming the field."""
        return READERS[spec.kind](self, spec, given)

    def fail(self, spec: FieldSpec, problem: str, /, **params: object) -> InvalidInput:
        """Return the error of ``spec``'s value (the message ``problem``), naming the field."""
        return invalid(self.locale, spec.name, problem, **params)


def read_fields(specs: tuple[FieldSpec, ...], given: Mapping[str, object], trigger: str,
                reading: Reading) -> dict[str, Value]:
    """Return the given fields of ``trigger`` read by type (blank ones count as not given)."""
    declared = {spec.name: spec for spec in specs}
    present = {name: value for name, value in given.items()
               if value is not None and not (isinstance(value, str) and not value.strip())}
    for name in present:
        if name not in declared:
            raise invalid(reading.locale, name, "field.not_declared", trigger=trigger)
    for spec in specs:
        if spec.required and spec.name not in present:
            raise invalid(reading.locale, spec.name, "field.required")
    return {name: reading.value(declared[name], value) for name, value in present.items()}


def event_fields(values: Mapping[str, Value]) -> dict[str, object]:
    """Return the event data of read fields: the special ones on top, the others in ``fields``."""
    data: dict[str, object] = {k: values[k] for k in SPECIAL if k in values}
    own = {k: v for k, v in values.items() if k not in SPECIAL}
    if own:
        data["fields"] = own
    return data


def _text(reading: Reading, spec: FieldSpec, given: object) -> Value:
    if not isinstance(given, str):
        raise reading.fail(spec, "field.text")
    text = given.strip()
    check_prose(reading.locale, spec.name, text)
    if spec.min_length is not None and len(text) < spec.min_length:
        raise reading.fail(spec, "field.too_short", count=spec.min_length)
    if spec.max_length is not None and len(text) > spec.max_length:
        raise reading.fail(spec, "field.too_long", count=spec.max_length)
    return text


def _integer(reading: Reading, spec: FieldSpec, given: object) -> Value:
    number = given if isinstance(given, int) and not isinstance(given, bool) else None
    if isinstance(given, str) and given.strip().lstrip("-").isdigit() and len(given) <= 19:
        number = int(given.strip())
    if number is None:
        raise reading.fail(spec, "field.integer")
    if spec.minimum is not None and number < spec.minimum:
        raise reading.fail(spec, "field.minimum", minimum=spec.minimum)
    if spec.maximum is not None and number > spec.maximum:
        raise reading.fail(spec, "field.maximum", maximum=spec.maximum)
    return number


def _date(reading: Reading, spec: FieldSpec, given: object) -> Value:
    try:
        day = dt.date.fromisoformat(str(given).strip())
    except ValueError:
        raise reading.fail(spec, "field.date") from None
    if not days.in_range(day):
        raise reading.fail(spec, "field.out_of_range", value=day, first=days.FIRST_DAY,
                           last=days.LAST_DAY)
    return day.isoformat()


def _url(reading: Reading, spec: FieldSpec, given: object) -> Value:
    text = str(given).strip()
    check_line(reading.locale, spec.name, text)
    parts = urlsplit(text)
    if len(text) > MAX_URL or parts.scheme not in ("http", "https") or not parts.hostname:
        raise reading.fail(spec, "field.url")
    return text


def _choice(reading: Reading, spec: FieldSpec, given: object) -> Value:
    if str(given).strip() not in spec.options:
        raise reading.fail(spec, "field.choice", options=", ".join(spec.options))
    return str(given).strip()


def _proposal(reading: Reading, spec: FieldSpec, given: object) -> Value:
    key = str(given).strip()
    check_line(reading.locale, spec.name, key)
    target = reading.targets.get(spec.name)
    if target is None:
        raise reading.fail(spec, "error.not_found", what=say(reading.locale, "what.proposal"),
                           key=key)
    if target.proposal_id == reading.subject:
        raise reading.fail(spec, "field.self_merge" if spec.name == "into" else "field.itself")
    if target.plan_id != reading.plan_id:
        raise reading.fail(spec, "field.other_plan", key=key)
    return target.proposal_id


READERS: dict[str, Callable[[Reading, FieldSpec, object], Value]] = {
    "text": _text, "integer": _integer, "date": _date, "url": _url, "choice": _choice,
    "proposal": _proposal,
}
"""Each field type and how a value of it is read."""
