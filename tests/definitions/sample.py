"""Small definitions for tests: a minimal valid one, and helpers to break it on purpose."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from definitions.loader import parse_definition
from workflow.domain.errors import DefinitionError, Problem

CUENCA = Path(__file__).parents[2] / "definitions" / "cuenca-2022.yaml"

_MINIMAL = """\
id: muestra
title: Proceso de muestra
version: 1
locale: es
timezone: America/Guayaquil
committee:
  name: Comité de muestra
  groups:
    - id: sociedad
      name: Sociedad civil
      seats: 3
    - id: gobierno
      name: Gobierno local
      seats: 2
  decisions:
    - id: aprobacion
      title: Aprobación de la metodología
      quorum: {rule: majority}
phases:
  - id: inicio
    number: 1
    title: Inicio
    starts: 2022-07-11
    ends: 2022-07-17
    activities:
      - id: metodologia
        title: Metodología
        decision: aprobacion
    close_when:
      - kind: decision_approved
        decision: aprobacion
  - id: propuestas
    number: 2
    title: Propuestas
    starts: 2022-07-18
    ends: 2022-08-19
    open_when:
      - kind: phase_closed
        phase: inicio
proposals:
  initial: recibida
  states: [recibida, admitida, respondida]
  final: [respondida]
  channels:
    - id: online
      name: En línea
  submit_when:
    - kind: phase_open
      phase: propuestas
  transitions:
    - trigger: admitir
      title: Admitir
      source: [recibida]
      dest: admitida
      when:
        - kind: actor_role
          roles: [staff]
    - trigger: responder
      title: Responder
      source: [admitida]
      dest: respondida
      fields:
        - name: response
      when:
        - kind: field_given
          field: response
"""


def minimal_yaml() -> str:
    """Return a small valid definition: two phases, two groups, one decision, three states."""
    return _MINIMAL


def cuenca_yaml() -> str:
    """Return the text of the shipped Cuenca 2022 definition."""
    return CUENCA.read_text(encoding="utf-8")


def edit(text: str, old: str, new: str) -> str:
    """Replace the one occurrence of ``old`` in ``text`` with ``new``."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def line_of(text: str, needle: str, after: str = "") -> int:
    """Return the 1-based line of the first ``needle`` (after the first ``after``) in ``text``."""
    start = text.index(after) if after else 0
    return text.count("\n", 0, text.index(needle, start)) + 1


def problems_of(text: str, locale: str = "es") -> list[Problem]:
    """Return the problems the loader reports for ``text``, which must be invalid."""
    with pytest.raises(DefinitionError) as caught:
        parse_definition(text, "prueba.yaml", locale)
    return caught.value.problems


def only_problem(text: str, locale: str = "es") -> Problem:
    """Return the single problem the loader reports for ``text``."""
    problems = problems_of(text, locale)
    assert len(problems) == 1, problems
    return problems[0]


# --- large and hostile documents (also used by bench.check) --------------------------------


def many_phases_yaml(count: int, chained: bool = False) -> str:
    """Return the minimal definition with ``count`` one-day phases instead of its two.

    ``chained``: each phase opens when the one before it has closed (a chain of
    ``count`` conditions for the cycle check to follow).
    """
    head, rest = minimal_yaml().split("phases:\n", 1)
    tail = rest[rest.index("proposals:\n"):].replace("phase: propuestas", "phase: fase_0")
    first = dt.date(2022, 1, 1)
    phases = []
    for i in range(count):
        day = (first + dt.timedelta(days=i)).isoformat()
        phases.append(f"  - id: fase_{i}\n    number: {i + 1}\n    title: Fase {i}\n"
                      f"    starts: {day}\n    ends: {day}\n")
        if chained and i:
            phases.append(f"    open_when:\n      - kind: phase_closed\n"
                          f"        phase: fase_{i - 1}\n")
    return "".join([head, "phases:\n", *phases, tail])


def everything_large_yaml(count: int) -> str:
    """Return a valid definition with ``count`` of every list: phases, groups, decisions, states,
    channels, triggers and notice rules."""
    text = many_phases_yaml(count)
    groups = "".join(f"    - {{id: grupo_{i}, name: Grupo {i}, seats: 2}}\n" for i in range(count))
    decisions = "".join(f"    - {{id: decision_{i}, title: D, quorum: {{rule: majority}}}}\n"
                        for i in range(count))
    states = ", ".join(f"estado_{i}" for i in range(count))
    channels = "".join(f"    - {{id: canal_{i}, name: Canal {i}}}\n" for i in range(count))
    triggers = "".join(f"    - {{trigger: paso_{i}, title: P, source: [{_state(i)}], "
                       f"dest: {_state(i + 1)}}}\n" for i in range(count))
    triggers += (f"    - {{trigger: cerrar, title: C, source: [{_state(count)}], "
                 "dest: respondida}\n")
    notices = "".join(f"  - {{events: [phase_opened], to: [staff], phases: [fase_{i}]}}\n"
                      for i in range(count))
    text = edit(text, "  groups:\n", "  groups:\n" + groups)
    text = edit(text, "  decisions:\n", "  decisions:\n" + decisions)
    text = edit(text, "[recibida, admitida, respondida]",
                f"[recibida, admitida, respondida, {states}]")
    text = edit(text, "  channels:\n", "  channels:\n" + channels)
    text = edit(text, "  transitions:\n", "  transitions:\n" + triggers)
    return text + "notifications:\n" + notices


def _state(i: int) -> str:
    """The i-th state of a chain from ``admitida`` through every ``estado_`` to ``respondida``."""
    return "admitida" if i == 0 else f"estado_{i - 1}"


def billion_laughs(levels: int = 9, width: int = 10) -> str:
    """Return a few hundred bytes whose nested aliases stand for ``width ** levels`` values."""
    lines = ['a0: &a0 "ja"']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]"
              for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def merge_key_bomb(levels: int = 30) -> str:
    """Return mappings each merging (``<<``) the one before twice: 2 ** ``levels`` keys merged."""
    lines = ["m0: &m0 {k0: 1, k1: 2}"]
    lines += [f"m{i}: &m{i} {{<<: [*m{i - 1}, *m{i - 1}], x{i}: 1}}"
              for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"
