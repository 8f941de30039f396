"""Paths into a YAML document or a command's input, and how a person reads one.

A path is a tuple of mapping keys (``str``) and list indices (``int``), e.g.
``("phases", 2, "ends")``, read ``phases[2].ends``. Kept apart from the YAML reader
so that the domain names the fields of a command the same way, without YAML.
"""

from __future__ import annotations

YamlPath = tuple[str | int, ...]


def format_path(path: YamlPath) -> str:
    """Spell a path the way a person reads it: ``phases[2].close_when[0].decision``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text
