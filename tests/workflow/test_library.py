"""The library's commands over the fake unit of work: the same rules as on a database."""

from __future__ import annotations

import pytest

from definitions.loader import parse_definition
from tests.definitions.sample import edit, minimal_yaml
from workflow.domain.errors import AlreadyExists, InUse
from workflow.domain.events import Actor
from workflow.testing import Driver, in_memory

ADMIN = Actor("admin", "admin")


def test_in_memory_a_definition_is_added_once_and_kept_while_a_plan_pins_it() -> None:
    services, store = in_memory()
    staff = Driver(services)
    text = minimal_yaml()
    definition = parse_definition(text)

    assert staff.add_definition(definition, text, ADMIN).new
    assert not staff.add_definition(definition, text, ADMIN).new
    other = edit(text, "title: Proceso de muestra", "title: Otro")
    with pytest.raises(AlreadyExists):
        staff.add_definition(parse_definition(other), other, ADMIN)
    staff.create_plan(definition, ADMIN, "plan")
    with pytest.raises(InUse):
        staff.remove_definition("muestra", 1, ADMIN)

    assert list(store.definitions) == [("muestra", 1)]
