"""Texts given to commands: no control characters, but line breaks and tabs in prose."""

from __future__ import annotations

import subprocess

import pytest

from tests.storage.scenario import COCREA
from tests.workflow.cuenca import STAFF, START, Census, new_plan, plan_receiving
from workflow.domain.errors import InvalidInput
from workflow.domain.proposal import Proposal
from workflow.domain.texts import check_keys, check_line, check_prose

REFUSED_EVERYWHERE = ["\x00", "\x01", "\x1b", "\x7f", "\x85", "\x9b", "\ud800", "\udcff", "\r"]


@pytest.mark.parametrize("char", REFUSED_EVERYWHERE, ids=ascii)
def test_a_control_character_or_a_lone_surrogate_is_refused_naming_the_field(
        char: str) -> None:
    for check in (check_line, check_prose):
        with pytest.raises(InvalidInput) as caught:
            check("es", "title", f"ab{char}c")
        assert caught.value.field == "title"
        assert f"(U+{ord(char):04X}, en la posición 3)" in str(caught.value)


def test_prose_may_break_lines_and_hold_tabs_but_a_line_may_not() -> None:
    text = "Uno:\n\tdos.\r\nTres."
    check_prose("es", "body", text)
    for char in ("\n", "\t", "\r\n"):
        with pytest.raises(InvalidInput):
            check_line("es", "title", f"a{char}b")


def test_the_message_is_in_the_language_asked_for() -> None:
    with pytest.raises(InvalidInput, match=r"field “group”: holds a character that is not "
                                           r"allowed \(U\+0000, at position 2\)"):
        check_keys("en", plan="cuenca", group="a\x00")


def test_a_proposal_refuses_a_control_character_in_its_title_and_keeps_lines_in_its_body(
        ) -> None:
    plan, census = plan_receiving(), Census([])
    with pytest.raises(InvalidInput) as caught:
        Proposal.submit(plan, "Parques\x1b[2J", "Más parques", "online", None, STAFF, START,
                        census)
    assert caught.value.field == "title"
    kept = Proposal.submit(plan, "Parques", "Uno.\n\tDos.", "online", None, STAFF, START, census)
    assert kept.state.body == "Uno.\n\tDos."


def test_a_member_name_with_a_control_character_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        new_plan().add_member("Ana\x07", "sociedad_civil", STAFF, START)
    assert caught.value.field == "name"


def test_the_command_line_refuses_them_too_naming_the_field(sqlite_url: str) -> None:
    subprocess.run([*COCREA, "plan", "create", "--definition", "cuenca-2022",
                    "--db", sqlite_url], check=True, capture_output=True)
    escape = subprocess.run([*COCREA, "committee", "add-member", "cuenca-2022", "--name",
                             "Ana\x1b[2J", "--group", "sociedad_civil", "--db", sqlite_url],
                            check=False, capture_output=True, text=True)
    # Bytes that are not UTF-8 reach Python as lone surrogates.
    not_utf8 = subprocess.run([*COCREA, "phase", "open", "cuenca-2022",
                               "planeacion_inicial", "--reason", b"inicio \xff",
                               "--db", sqlite_url], check=False, capture_output=True)
    assert escape.returncode == 1
    assert "campo «name»: contiene un carácter no admitido (U+001B" in escape.stderr
    assert not_utf8.returncode == 1
    assert "campo «reason»: contiene un carácter no admitido (U+DCFF" in not_utf8.stderr.decode(
        errors="replace")
