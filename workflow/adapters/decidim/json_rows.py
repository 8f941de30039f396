"""The proposals of a JSON admin export, made rows as Decidim's CSV writer would make them.

Decidim writes ``JSON.pretty_generate`` of the same serializer the CSV uses: a
list of nested objects, translated fields as objects by language, lists as
lists, ``nil`` as ``null``, moments as Ruby prints them. Each object is flattened
as the CSV writer flattens it (keys joined by ``/``, lists joined by ``", "``), so
one reader serves both; the header is the union of the keys in the order first
seen. The text is read whole (the standard library has no streaming JSON), and
each object keeps the line it begins on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from workflow.adapters.decidim.layout import is_proposals
from workflow.adapters.decidim.limits import Limits
from workflow.adapters.decidim.problems import Problems, echoed
from workflow.adapters.decidim.source import UNPACKING, Overflow, Text, bad_byte

_SPACE = re.compile(r"[ \t\r\n]*")
Flat = dict[str, str]


class JsonRows:
    """A JSON export: its header (the union of the keys), and its objects as rows."""

    separator: str | None = None
    """A JSON export has no separator."""

    def __init__(self, text: Text, problems: Problems, limits: Limits) -> None:
        self.text, self.limits = text, limits
        self.objects = _objects(_read(text, problems), problems)
        problems.check()
        names: dict[str, None] = {}
        for _, flat in self.objects:
            names.update(dict.fromkeys(flat))
        self.header = list(names)
        if self.header and not is_proposals(self.header):
            problems.refuse(1, "decidim.not_export", start=echoed(", ".join(self.header)))
        self.done = 0

    def progress(self) -> float:
        """How much of the proposals the latest reading has made rows, from 0 to 1."""
        return self.done / len(self.objects) if self.objects else 1.0

    def rows(self, problems: Problems) -> Iterator[tuple[int, list[str]]]:
        """Yield each object as a row of the header's cells, with the line it begins on."""
        del problems  # (every problem of the text was found when it was read)
        for done, (line, flat) in enumerate(self.objects, 1):
            self.done = done
            yield line, [flat.get(name, "") for name in self.header]


def _read(text: Text, problems: Problems) -> str:
    try:
        raw = text.counted().read()
    except Overflow:
        problems.refuse(None, "decidim.entry_too_large",
                        limit=problems.quantity(text.limit))
    except UNPACKING:
        problems.refuse(None, "decidim.entry_damaged")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text_stream = text.open()
        found = bad_byte(text_stream)
        line, offset, value = (found[1], found[0], found[2]) if found else (None, 0, 0)
        problems.refuse(line, "decidim.not_utf8", byte=f"{value:02X}", offset=offset)


def _objects(text: str, problems: Problems) -> list[tuple[int, Flat]]:
    """Return each object of the list ``text`` holds, flattened, with the line it begins on."""
    at = _after_space(text, 0)
    if text[at:at + 1] != "[":
        problems.refuse(_line(text, at), "decidim.json_not_list")
    decoder, found = json.JSONDecoder(), []
    at, line, counted = _after_space(text, at + 1), 1, 0
    while text[at:at + 1] != "]":
        line, counted = line + text.count("\n", counted, at), at
        try:
            value, at = decoder.raw_decode(text, at)
            flat = _flat(value) if isinstance(value, dict) else None
        except (json.JSONDecodeError, RecursionError) as error:
            where = error.lineno if isinstance(error, json.JSONDecodeError) else line
            problems.refuse(where, "decidim.bad_json")
        if flat is None:
            problems.add(line, "decidim.json_not_object")
        else:
            found.append((line, flat))
        at = _after_space(text, at)
        if text[at:at + 1] == ",":
            at = _after_space(text, at + 1)
        elif text[at:at + 1] != "]":
            problems.refuse(_line(text, at), "decidim.bad_json")
    if _after_space(text, at + 1) != len(text):
        problems.refuse(_line(text, at + 1), "decidim.bad_json")
    return found


def _after_space(text: str, at: int) -> int:
    found = _SPACE.match(text, at)
    return found.end() if found else at


def _line(text: str, at: int) -> int:
    return text.count("\n", 0, at) + 1


def _flat(value: dict[str, Any]) -> Flat:
    """Flatten an object as Decidim's CSV writer does (``title/es``, lists joined)."""
    flat: Flat = {}
    _flatten(value, "", flat)
    return flat


def _flatten(value: Any, key: str, into: Flat) -> None:
    if isinstance(value, dict):
        for sub, item in value.items():
            _flatten(item, f"{key}/{sub}" if key else sub, into)
    elif isinstance(value, list):
        into[key] = ", ".join(_text(item) for item in value if item is not None)
    else:
        into[key] = _text(value)


def _text(value: Any) -> str:
    """Write a value as Ruby's ``to_s`` would (a hash as Ruby prints it)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        pairs = (f"{json.dumps(key, ensure_ascii=False)}=>{_inspected(item)}"
                 for key, item in value.items())
        return "{" + ", ".join(pairs) + "}"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _inspected(value: Any) -> str:
    return "nil" if value is None else json.dumps(value, ensure_ascii=False)
