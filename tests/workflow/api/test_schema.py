"""schemathesis against /openapi.json of the live API: no 500, no answer off its schema.

Bounded so CI stays within a minute or two: EXAMPLES generated requests per
operation, with an admin token so the commands are exercised past
authentication. Every check runs but "schema-valid data is accepted": a
well-formed request may still be refused for what the domain knows and a schema
cannot say (a new last day that is not after the current one, a vote on a
decision already passed, a text holding a control character). Then every method
a path does not take, once per path: a 405 must say in ``Allow`` what the path
takes, and an OPTIONS answer's ``Allow`` must list exactly its documented methods.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    allow_header_conformance,
    positive_data_acceptance,
    unsupported_method,
)
from schemathesis.generation import GenerationMode
from schemathesis.generation.meta import CoverageScenario, coverage_scenario

from tests.support.server import Live
from tests.workflow.cuenca import cuenca

KNOWN = {
    "plan": ["cuenca-2022"], "definition": ["cuenca-2022"], "proposal": ["cuenca-2022.p1"],
    "phase": [p.id for p in cuenca().phases],
    "activity": [a.id for p in cuenca().phases for a in p.activities],
    "decision": [d.id for d in cuenca().committee.decisions],
    "trigger": [t.trigger for t in cuenca().proposals.transitions],
}
"""Ids that exist, so half the generated paths reach past "not found"."""
EXAMPLES = 400
"""Generated requests per operation: about a minute and a half on two shared cores."""


def operations(live: Live) -> list[Any]:
    schema = schemathesis.openapi.from_url(f"{live.url}/openapi.json")
    return [result.ok() for result in schema.get_all_operations()]


def test_the_api_keeps_to_its_own_schema(api: Live) -> None:
    headers = {"Authorization": f"Bearer {api.token('admin', 'Esquema')}"}
    found = operations(api)
    assert len(found) >= 20
    failures: dict[str, str] = {}
    for operation in found:

        @given(case=operation.as_strategy(), data=st.data())
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def call(case: Any, data: st.DataObject) -> None:
            for name in case.path_parameters or {}:
                if name in KNOWN and data.draw(st.booleans()):
                    case.path_parameters[name] = data.draw(st.sampled_from(KNOWN[name]))
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

        try:
            call()
        except (Exception, BaseExceptionGroup) as exc:  # try every operation, report all
            failures[operation.label] = str(exc)[:2000]
    assert failures == {}


def test_every_method_a_path_does_not_take_is_a_405_that_says_which_it_takes(api: Live) -> None:
    headers = {"Authorization": f"Bearer {api.token('admin', 'Métodos')}"}
    failures: dict[str, str] = {}
    sent = 0
    for operation in operations(api):
        config = operation.schema.config.generation_for(operation=operation)
        for case in operation.schema.iter_coverage_cases(
                operation, generation_modes=[GenerationMode.NEGATIVE], generation_config=config):
            if coverage_scenario(case) != CoverageScenario.UNSPECIFIED_HTTP_METHOD:
                continue
            sent += 1
            try:
                case.call_and_validate(headers=headers,
                                       checks=[unsupported_method, allow_header_conformance])
            except (Exception, BaseExceptionGroup) as exc:
                failures[f"{case.method} {operation.path}"] = str(exc)[:2000]
    assert sent > 100 and failures == {}
