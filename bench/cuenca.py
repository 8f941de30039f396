"""The Cuenca 2022 definition and plans driven to the phases the benchmark needs.

Setting a plan up goes through the real engine (``Services`` over
``SqlUnitOfWork``), one durable command at a time: it is a few dozen commands.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import Engine

from definitions.loader import parse_definition
from definitions.registry import resolve_definition_source
from definitions.schema import Definition
from workflow.bootstrap import bootstrap
from workflow.domain.events import Actor
from workflow.services import Services
from workflow.testing import Driver

STAFF = Actor("tecnica", "staff")
INTAKE = Actor("cuenca-participa", "intake")
EVIDENCE = "https://cuenca.gob.ec/acta"
MEMBERS = [("Ana", "sociedad_civil"), ("Diego", "academia_sector_privado"),
           ("Gabriela", "sector_publico")]
HOT_PLAN = "cuenca-2022"
"""The plan with the big proposal count, receiving proposals (recepción open)."""
ANSWER_PLAN = "cuenca-2022-devolucion"
"""A second plan of the same definition, reception closed, retroalimentación open."""


@cache
def cuenca() -> Definition:
    """The shipped Cuenca 2022 definition."""
    label, text = resolve_definition_source("cuenca-2022")
    return parse_definition(text, label)


def services(engine: Engine) -> Driver:
    """The engine's services over its SQL unit of work (one durable transaction a command)."""
    return Driver(bootstrap(engine=engine).services())


class PlanDriver:
    """Drives one plan through its phases with the engine's own commands."""

    def __init__(self, svc: Services, plan_id: str) -> None:
        self.svc = svc
        self.plan_id = plan_id
        self.members: list[str] = []

    def create(self) -> None:
        self.svc.create_plan(cuenca(), STAFF, self.plan_id)
        self.members = [self.svc.add_member(self.plan_id, name, group, STAFF)
                        for name, group in MEMBERS]

    def approve(self, decision: str) -> None:
        for member in self.members:
            tally = self.svc.vote(self.plan_id, decision, member, True, STAFF)
            if tally.passed:
                return

    def done(self, *activities: str) -> None:
        for activity in activities:
            self.svc.complete_activity(self.plan_id, activity, EVIDENCE, STAFF)

    def open(self, phase: str) -> None:
        self.svc.open_phase(self.plan_id, phase, "según calendario", STAFF)

    def close(self, phase: str) -> None:
        self.svc.close_phase(self.plan_id, phase, "completada", STAFF)


def open_reception(svc: Services, plan_id: str) -> PlanDriver:
    """Create a plan and take it to recepción de propuestas open (phases 1-2 closed)."""
    plan = PlanDriver(svc, plan_id)
    plan.create()
    plan.open("planeacion_inicial")
    plan.approve("aprobacion_metodologia")
    plan.done("resolucion_directrices", "mapeo_organizaciones", "constitucion_comite",
              "metodologia")
    plan.close("planeacion_inicial")
    plan.open("vision_estrategica")
    plan.done("diagnostico", "vision_local")
    plan.close("vision_estrategica")
    plan.open("difusion")
    plan.approve("aprobacion_estrategia_comunicacional")
    plan.done("estrategia_comunicacional")
    plan.open("recepcion_propuestas")
    return plan


def open_feedback(plan: PlanDriver) -> None:
    """Close reception and open retroalimentación and consolidación."""
    plan.done("formulario_en_linea", "mesa_1", "mesa_2", "mesa_3")
    plan.close("recepcion_propuestas")
    plan.open("retroalimentacion")
    plan.open("consolidacion")

