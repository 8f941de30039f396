"""The command line's help in the deployment's language, from the one message catalogue.

The commands' docstrings stay in English, for developers. What ``--help`` prints
comes from the catalogue: ``help.cocrea`` for the root, ``help.<group>`` and
``help.<group>.<command>`` (``help.plan.create``), and for each option and argument
``help.param.<command>.<name>`` when that command's differs, else ``help.param.<name>``.
"""

from __future__ import annotations

from typing import Any

from definitions.messages import catalogue, say


def localize(command: Any, locale: str, path: tuple[str, ...] = ()) -> list[str]:
    """Give a click command (and all it holds) its help in ``locale``; return the keys missing."""
    missing: list[str] = []
    key = "help." + (".".join(path) or "cocrea")
    if key in catalogue(locale):
        command.help = say(locale, key)
    else:
        missing.append(key)
    for param in command.params:
        if hasattr(param, "help"):
            missing += _param_help(param, locale, path)
    for name, sub in getattr(command, "commands", {}).items():
        missing += localize(sub, locale, (*path, name))
    return missing


def _param_help(param: Any, locale: str, path: tuple[str, ...]) -> list[str]:
    words = catalogue(locale)
    keys = [f"help.param.{'.'.join((*path, param.name))}", f"help.param.{param.name}"]
    found = next((key for key in keys if key in words), None)
    if found is None:
        return [keys[-1]]
    param.help = say(locale, found)
    return []
