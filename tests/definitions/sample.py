"""Small definitions for tests: a minimal valid one, and helpers to break it on purpose."""

from __future__ import annotations

from pathlib import Path

import pytest

from definitions.loader import parse_definition
from workflow.errors import DefinitionError, Problem

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
