"""The one message catalogue: complete in both languages, used as written, never glued."""

from __future__ import annotations

import ast
import datetime as dt
import re
import string
import typing
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from definitions import messages, schema, shape
from definitions.commitments import COMPLETION, OGP_VALUES, OPENED_GOVERNMENT
from definitions.loader import _YAML_WORDS
from definitions.messages import LOCALES, catalogue, long_date, long_moment, say
from workflow.api.problems import ERRORS, TABLE
from workflow.domain import quorum
from workflow.domain.deadlines import Kind
from workflow.domain.machines import PHASE_STATES
from workflow.domain.replay import EVENT_FIELDS
from workflow.views.ogp import STATUSES

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("definitions", "workflow", "storage", "notifications")
SAYERS = {"say", "say_from"}


def sources() -> Iterator[tuple[Path, ast.Module]]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            yield path, ast.parse(path.read_text(encoding="utf-8"), str(path))


TREES = list(sources())
TEMPLATES = sorted((ROOT / "workflow" / "site" / "templates").glob("*.html"))
"""The site's templates say keys too: ``t("site.nav.home")``."""
QUOTED = re.compile(r"""["']([a-z_]+(?:\.[a-z_0-9]+)+\.?)["']""")
BUILT_IN_TEMPLATE = re.compile(r"""\bt\(\s*["']([a-z_.]+\.)["']\s*~""")
GLUED_IN_TEMPLATE = re.compile(r"""\bt\([^()]*\)\s*~|~\s*t\(""")


def names(template: str) -> set[str]:
    """The placeholders of a str.format template, by their root name."""
    found = set()
    for _, field, _, _ in string.Formatter().parse(template):
        if field is not None:
            found.add(field.split(".")[0].split("[")[0])
    return found


def placeholders(message: messages.Message) -> set[str]:
    if isinstance(message, str):
        return names(message)
    return set().union(*(names(text) for form, text in message.items() if form != "count"))


def forms(message: messages.Message) -> list[str]:
    return [] if isinstance(message, str) else [text for f, text in message.items() if f != "count"]


# --- every key in both languages, with the same placeholders -------------------------------

def test_every_key_exists_in_spanish_and_in_english() -> None:
    spanish, english = set(catalogue("es")), set(catalogue("en"))
    assert sorted(spanish - english) == [] and sorted(english - spanish) == []


def misfits(key: str) -> list[str]:
    """Say how a message's placeholders differ between languages or plural forms."""
    spanish, english = catalogue("es")[key], catalogue("en")[key]
    found = [] if placeholders(spanish) == placeholders(english) else [f"{key}: es ≠ en"]
    return found + [f"{key}: {text!r}" for text in forms(spanish) + forms(english)
                    if names(text) != placeholders(spanish)]


def test_a_message_has_the_same_placeholders_in_every_language_and_plural_form() -> None:
    assert [misfit for key in sorted(catalogue("es")) for misfit in misfits(key)] == []


@pytest.mark.parametrize("locale", LOCALES)
def test_a_plural_message_counts_a_placeholder_and_has_the_forms_of_its_language(
        locale: str) -> None:
    categories = set(messages._locale(locale).plural_form.tags) | {"other"}
    for key, message in catalogue(locale).items():
        if isinstance(message, dict):
            assert message["count"] in placeholders(message), key
            assert {"one", "other"} <= set(message) - {"count"} <= categories, key


# --- Babel: plurals, numbers, dates ----------------------------------------------------------

@pytest.mark.parametrize(("locale", "count", "said"), [
    ("es", 0, "0 días"), ("es", 1, "1 día"), ("es", 2, "2 días"),
    ("en", 0, "0 days"), ("en", 1, "1 day"), ("en", 2, "2 days"),
    ("es", 2000, "2000 días"), ("es", 12345, "12.345 días"), ("en", 12345, "12,345 days")])
def test_a_count_picks_its_plural_form_by_babels_rules_and_is_written_as_a_number(
        locale: str, count: int, said: str) -> None:
    assert say(locale, "count.days", count=count) == said


def test_dates_and_moments_are_written_in_words_by_babel_in_the_plans_zone() -> None:
    moment = dt.datetime(2022, 7, 17, 5, 0, tzinfo=dt.UTC)
    zone = ZoneInfo("America/Guayaquil")
    assert long_date(dt.date(2022, 7, 17), "es") == "17 de julio de 2022"
    assert long_date(dt.date(2022, 7, 17), "en") == "July 17, 2022"
    assert long_moment(moment, zone, "es") == "17 de julio de 2022 a las 00:00"
    assert long_moment(moment, zone, "en") == "July 17, 2022 at 00:00"


@pytest.mark.parametrize(("env", "locale"), [
    ({}, "es"), ({"COCREA_LOCALE": "en"}, "en"), ({"COCREA_LOCALE": " EN "}, "en"),
    ({"COCREA_LOCALE": "fr"}, "es")])
def test_the_deployments_language_is_cocrea_locale_and_spanish_otherwise(
        env: dict[str, str], locale: str) -> None:
    assert messages.deployment_locale(env) == locale
    assert messages.setting_is_known(env) == (env.get("COCREA_LOCALE", "es").strip().lower()
                                              in LOCALES)


def test_an_unknown_language_reads_spanish() -> None:
    assert say("fr", "none") == say("es", "none") == "ninguno"


# --- every key the code uses exists, and every key is used -----------------------------------

def literal(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def called(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(
        func, ast.Attribute) else ""


def calls() -> Iterator[ast.Call]:
    for _, tree in TREES:
        yield from (node for node in ast.walk(tree) if isinstance(node, ast.Call))


def families() -> set[str]:
    return {key.split(".")[0] + "." for key in catalogue("es")}


def keys_written_in_code() -> set[str]:
    """Every string constant of the code that is a key or names a family (``cli.…``)."""
    prefixes, keys = tuple(families()), set(catalogue("es"))
    found = set()
    for _, tree in TREES:
        parts = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)
                 for part in node.values}
        for node in ast.walk(tree):
            text = literal(node)
            if text and id(node) not in parts and (text in keys or (
                    text.startswith(prefixes) and " " not in text and text[-1] != ".")):
                found.add(text)
    for path in TEMPLATES:
        found |= {key for key in QUOTED.findall(path.read_text(encoding="utf-8")) if key in keys}
    return found


def dynamic_prefixes() -> set[str]:
    """The literal beginnings of keys built at run time: ``say(lo, f"status.{state}")``."""
    found = set()
    for call in calls():
        if called(call) in SAYERS and len(call.args) > 1 and isinstance(call.args[1],
                                                                          ast.JoinedStr):
            found.add(literal(call.args[1].values[0]) or "")
    for path in TEMPLATES:
        found |= set(BUILT_IN_TEMPLATE.findall(path.read_text(encoding="utf-8")))
    return found


def problem_keys() -> set[str]:
    """The problems of a definition the code reports, ``definition.<key>``."""
    keys = {key for call in calls() if called(call) in ("problem", "_repeats")
            for key in [literal(call.args[1])] if key}
    keys |= {f"unknown_{what}" for call in calls() if called(call) in ("unknown", "_each")
             for what in [literal(call.args[2])] if what}
    keys |= shape._SAME_KEYS | set(shape._KEYS.values()) | {
        "date", "ident", "definition_id", "document_mapping", "invalid_value",
        "step_tag_invalid", "step_tag_not_found", "defined", "valid_fields", "known_roles",
        "template_fields"}
    keys |= {"too_many_bytes", "too_deep", "too_long_key", "too_many_aliases",
             "too_many_expanded"}  # OverLimit's keys
    return {f"definition.{key}" for key in keys}


def what_keys() -> set[str]:
    return {f"what.{what}" for call in calls() if called(call) in ("not_found", "already_exists")
            for what in [literal(call.args[1])] if what}


def api_keys() -> set[str]:
    kinds = {slug for _, _, slug, _ in TABLE}
    kinds |= {kind for call in calls() if called(call) == "ApiProblem"
              for kind in [literal(call.args[1])] if kind}
    tags = {tag for call in calls() for keyword in call.keywords if keyword.arg == "tags"
            and isinstance(keyword.value, ast.List) for tag in map(literal, keyword.value.elts)
            if tag}
    return ({f"problem.{kind}" for kind in kinds} | {f"openapi.error.{s}" for s in ERRORS}
            | {f"openapi.tag.{tag}" for tag in tags})


FAMILIES: dict[str, tuple[str, ...]] = {
    "status.": PHASE_STATES,
    "decision.": quorum.STATUSES,
    "decision_why.": quorum.BLOCKED,
    "action.": ("open", "close"),
    "timeline.": tuple(EVENT_FIELDS),
    "deadline.": typing.get_args(Kind),
    "deadline_status.": ("pending", "fired", "cancelled"),
    "outcome.": ("PhaseOpened", "PhaseHeld", "PhaseClosed", "PhaseOverdue", "PhaseClosingSoon",
                 "DeadlineSkipped", "MilestoneOverdue", "MilestoneDueSoon"),
    "sim.notice_": ("pending", "sending", "delivered", "dead", "cancelled"),
    "sim.channel_": ("email", "webhook", "log"),
    "sim.channel_off_": ("email", "webhook"),
    "sim.": ("waited", "overdue"),
    "summary.": (*typing.get_args(schema.Quorum.model_fields["rule"].annotation), "initial",
                 "final"),
    "yaml.": tuple(slug for _, slug in _YAML_WORDS),
    "completion.": COMPLETION,
    "ogp_value.": OGP_VALUES,
    "opened.": OPENED_GOVERNMENT,
    "notice.": tuple(f"{topic}.{part}" for topic in (*typing.get_args(schema.NoticeEvent),
                                                     "other") for part in ("subject", "body")),
    "ogp.status.": STATUSES,
    "ogp.evidence.": ("member", "document", "meeting", "timeline", "proposal", "answered",
                      "vote", "approved"),
    "ogp.unknown.": ("sectors", "no_link", "not_yet", "no_meetings", "no_proposals",
                     "answers_pending"),
    "ogp.missing.": ("sectors", "rules_not_published", "gap", "no_documents", "record_gap",
                     "late_timeline", "no_input", "unanswered", "no_endorsement",
                     "no_meeting_after"),
}
"""Keys the code builds at run time: each literal beginning, and every ending it can get."""

BUILT_ELSEWHERE = ("definition.", "what.", "problem.")
"""Beginnings whose keys are gathered from the calls that name them (see above)."""


def keys_the_code_can_say() -> set[str]:
    built = {prefix + end for prefix, ends in FAMILIES.items() for end in ends}
    return (keys_written_in_code() | built | problem_keys() | what_keys() | api_keys())


def test_every_key_built_at_run_time_belongs_to_a_family_the_tests_know() -> None:
    assert dynamic_prefixes() <= set(FAMILIES) | set(BUILT_ELSEWHERE)


def test_every_key_the_code_can_say_is_in_the_catalogue() -> None:
    assert sorted(keys_the_code_can_say() - set(catalogue("es"))) == []


def test_every_key_in_the_catalogue_is_said_somewhere() -> None:
    unused = set(catalogue("es")) - keys_the_code_can_say()
    assert sorted(key for key in unused if not key.startswith("help.")) == []


# --- no message glued together in code -------------------------------------------------------

def says(node: ast.AST) -> bool:
    """Whether ``node`` is a call of say() (or holds one in a chain of + or %)."""
    if isinstance(node, ast.Call):
        return called(node) in SAYERS
    if isinstance(node, ast.BinOp):
        return says(node.left) or says(node.right)
    return False


def is_glued(node: ast.AST) -> bool:
    """Whether ``node`` adds text to a said message: ``+``, ``%``, ``+=``, an f-string, format."""
    if isinstance(node, ast.BinOp):
        return isinstance(node.op, ast.Add | ast.Mod) and says(node)
    if isinstance(node, ast.AugAssign):
        return isinstance(node.op, ast.Add) and says(node.value)
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(part, ast.FormattedValue) and says(part.value)
                   for part in node.values)
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("format", "format_map") and says(node.func.value))


def glued(tree: ast.Module) -> Iterator[ast.AST]:
    return (node for node in ast.walk(tree) if is_glued(node))


def test_no_message_is_built_by_gluing_say_to_other_text() -> None:
    found = [f"{path.relative_to(ROOT)}:{node.lineno}" for path, tree in TREES
             for node in glued(tree)]
    assert found == []


def test_no_template_glues_a_said_message_to_other_text() -> None:
    found = [f"{path.name}: {match}" for path in TEMPLATES
             for match in GLUED_IN_TEMPLATE.findall(path.read_text(encoding="utf-8"))]
    assert TEMPLATES and found == []


def test_the_template_readers_find_keys_families_and_glue() -> None:
    text = """{{ t("site.nav.home") }} {{ t("status." ~ s) }} {{ t('x.y') ~ "!" }}"""
    assert QUOTED.findall(text) == ["site.nav.home", "x.y"]
    assert BUILT_IN_TEMPLATE.findall(text) == ["status."]
    assert len(GLUED_IN_TEMPLATE.findall(text)) == 1


def test_the_glue_detector_finds_what_it_looks_for() -> None:
    tree = ast.parse(GLUED)
    assert len(list(glued(tree))) == 4


GLUED = """
a = say(lo, "k") + "x"
b = f"{say(lo, 'k')}!"
c = say(lo, "k").format(x=1)
d = "x"
d += say(lo, "k")
e = "\\n".join([say(lo, "k"), "x"])
"""
