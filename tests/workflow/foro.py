"""A process of another municipality, with its own words: a forum, groups and channels.

Villa Esperanza calls its forum "Foro Multiactor de Gobierno Abierto", has no
seats declared, and asks for a road map (``hoja_de_ruta``) that needs at least 12
votes while its scenario seats only four members: that decision can never pass
with them (three vote for it, Darío never does), another is rejected by its votes,
one has nobody entitled to vote (its group has no members) and one passes.
"""

from __future__ import annotations

from pathlib import Path

FORUM = "Foro Multiactor de Gobierno Abierto"
PLAN = "foro-2030"

DEFINITION = """\
id: foro-2030
title: Co-creación del plan de gobierno abierto de Villa Esperanza
version: 1
locale: es
timezone: America/Bogota
committee:
  name: Foro Multiactor de Gobierno Abierto
  groups:
    - id: organizaciones
      name: Organizaciones de la sociedad civil
    - id: alcaldia
      name: Alcaldía de Villa Esperanza
    - id: universidades
      name: Universidades de la región
  decisions:
    - id: hoja_de_ruta
      title: Hoja de ruta del plan
      quorum: {rule: at_least, count: 12}
    - id: reglamento
      title: Reglamento del foro
      quorum: {rule: majority}
    - id: metodologia
      title: Metodología de los encuentros
      quorum: {rule: majority}
    - id: evaluacion
      title: Designación del equipo evaluador
      quorum: {rule: majority}
      voters: [universidades]
phases:
  - id: arranque
    number: 1
    title: Arranque del foro
    starts: 2030-03-04
    ends: 2030-03-15
    close_when:
      - kind: decision_approved
        decision: hoja_de_ruta
    when_overdue: close_when_met
  - id: encuentros
    number: 2
    title: Encuentros ciudadanos
    starts: 2030-03-18
    ends: 2030-04-12
proposals:
  initial: recibida
  states: [recibida, admitida, respondida]
  final: [respondida]
  channels:
    - id: portal
      name: Portal Villa Participa
    - id: cabildos
      name: Cabildos abiertos
      mesas: 2
  submit_when:
    - kind: phase_open
      phase: encuentros
  transitions:
    - trigger: admitir
      title: Admitir la propuesta
      source: [recibida]
      dest: admitida
      when:
        - kind: actor_role
          roles: [staff]
    - trigger: responder
      title: Responder con razones
      source: [admitida]
      dest: respondida
      fields:
        - name: response
      when:
        - kind: field_given
          field: response
notifications:
  - events: [phase_opened, phase_overdue, phase_closed]
    to: [staff]
  - events: [decision_waiting]
    to: [pending_voters]
  - events: [decision_approved]
    to: [committee]
"""

SCENARIO = """\
definition: foro-2030
title: Villa Esperanza, con cuatro miembros en el foro
created_at: "2030-03-01 09:00"
created_by: sec
actors:
  sec: {name: Secretaría del Foro, role: staff}
  portal: {name: Villa Participa, role: intake}
steps:
  - {at: "2030-03-04 10:00", by: sec, do: add_member, name: Ana, group: organizaciones,
     email: ana@example.org}
  - {at: "2030-03-04 10:05", by: sec, do: add_member, name: Beto, group: organizaciones,
     email: beto@example.org}
  - {at: "2030-03-04 10:10", by: sec, do: add_member, name: Carla, group: alcaldia,
     email: carla@example.org}
  - {at: "2030-03-04 10:15", by: sec, do: add_member, name: Darío, group: alcaldia,
     email: dario@example.org}
  - {at: "2030-03-05 18:00", do: vote, member: Ana, decision: reglamento}
  - {at: "2030-03-05 18:05", do: vote, member: Beto, decision: reglamento}
  - {at: "2030-03-05 18:10", do: vote, member: Carla, decision: reglamento}
  - {at: "2030-03-06 18:00", do: vote, member: Ana, decision: metodologia}
  - {at: "2030-03-06 18:05", do: vote, member: Beto, decision: metodologia, approve: false}
  - {at: "2030-03-06 18:10", do: vote, member: Carla, decision: metodologia, approve: false}
  - {at: "2030-03-07 18:00", do: vote, member: Ana, decision: hoja_de_ruta}
  - {at: "2030-03-07 18:05", do: vote, member: Beto, decision: hoja_de_ruta}
  - {at: "2030-03-07 18:10", do: vote, member: Carla, decision: hoja_de_ruta}
  - {at: "2030-03-19 09:00", by: portal, do: submit, ref: p1, channel: portal,
     title: Parques con datos abiertos, body: Publicar el estado de cada parque.}
  - {at: "2030-03-20 19:00", by: portal, do: submit, ref: p2, channel: cabildos, mesa: 2,
     title: Presupuesto por barrio, body: Mostrar el gasto de cada barrio.}
  - {at: "2030-03-21 09:00", by: sec, do: fire, proposal: p1, trigger: admitir}
  - {at: "2030-03-21 09:05", by: sec, do: fire, proposal: p2, trigger: admitir}
  - {at: "2030-03-22 09:00", by: sec, do: fire, proposal: p2, trigger: responder,
     response: Se incorpora al compromiso de presupuesto abierto.}
"""

STATUSES = {"hoja_de_ruta": "unreachable", "reglamento": "approved", "metodologia": "rejected",
            "evaluacion": "waiting"}
"""Where each decision stands once the scenario has run."""


def write(folder: Path, locale: str = "es") -> tuple[Path, Path]:
    """Write the definition (in ``locale``) and its scenario into ``folder``; return both paths."""
    definition = folder / f"foro-{locale}.yaml"
    definition.write_text(DEFINITION.replace("locale: es", f"locale: {locale}"), encoding="utf-8")
    scenario = folder / "escenario-foro.yaml"
    scenario.write_text(SCENARIO, encoding="utf-8")
    return definition, scenario
