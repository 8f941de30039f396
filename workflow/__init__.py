"""cocrea's engine, in rooms that depend one way: entry points → services → domain.

- :mod:`workflow.domain`: the machines, guards, aggregates, deadlines, notices and
  replay; standard library, :mod:`definitions` and pydantic only.
- :mod:`workflow.commands` and :mod:`workflow.services`: one dataclass per command and
  one handler table over a unit of work (:mod:`workflow.ports`).
- :mod:`workflow.bootstrap`: the one place that wires storage, services, the deadline
  runner and the dispatcher for every entry point.
- :mod:`workflow.runner`: the deadline runner (the one deadline code path).
- :mod:`workflow.views`: plans and histories as plain data and lines for people.
- entry points: :mod:`workflow.cli`, :mod:`workflow.api`; :mod:`workflow.simulation`
  (a scenario on a virtual clock); :mod:`workflow.adapters` (APScheduler, logging).
"""
