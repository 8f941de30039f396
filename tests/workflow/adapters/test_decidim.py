"""The Decidim reader: every sample export read as expected, every broken one named by line.

The samples (tests/fixtures/decidim, see its README) are written exactly as
Decidim writes them; expected_records.json says what each row holds. Broken files
are made here from the good ones, one fault at a time.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import pytest

from workflow.adapters.decidim import (
    DecidimProposal,
    Generation,
    Limits,
    Skip,
    read_export,
    skip_reason,
)
from workflow.adapters.decidim.layout import generation
from workflow.adapters.decidim.source import Counted, Overflow
from workflow.domain.errors import ImportProblem, ImportRejected, InvalidInput

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "decidim"
EXPECTED: list[dict[str, Any]] = json.loads((FIXTURES / "expected_records.json").read_text())
BY_ID = {row["id"]: row for row in EXPECTED}
HEADERS: dict[str, list[str]] = json.loads((FIXTURES / "headers.json").read_text())

ZIP = "participa.cuenca.gob.ec-open-data.zip"
SEMICOLON = "proposals_0.27.7-0.28.x_semicolon.csv"
COMMA = "proposals_0.27.7-0.28.x_comma.csv"
GUAYAQUIL = "proposals_0.27.7-0.28.x_semicolon_tz-guayaquil.csv"
OLDER = "proposals_0.27.3-0.27.5_semicolon.csv"
V029 = "proposals_0.29.x_semicolon.csv"
V030 = "proposals_0.30-dev_semicolon.csv"
ADMIN_CSV = "admin_export_component85_0.27.7-0.28.x.csv"
ADMIN_JSON = "admin_export_component85_0.27.7-0.28.x.json"

OPEN_DATA = {  # every proposal of both spaces
    SEMICOLON: (Generation.V026, ";"), COMMA: (Generation.V026, ","),
    GUAYAQUIL: (Generation.V026, ";"), OLDER: (Generation.V026, ";"),
    V029: (Generation.V029, ";"), V030: (Generation.V030, ";"), ZIP: (Generation.V026, ";")}
ADMIN = {ADMIN_CSV: (Generation.V026, ";"), ADMIN_JSON: (Generation.V026, None)}  # space 7


def data(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def read(name: str, locale: str = "es", raw: bytes | None = None,
         limits: Limits | None = None) -> list[DecidimProposal]:
    content = data(name) if raw is None else raw
    return list(read_export(content, name, locale, *([limits] if limits else [])))


def refusal(raw: bytes, name: str = SEMICOLON, locale: str = "en",
            limits: Limits | None = None) -> ImportRejected:
    with pytest.raises(ImportRejected) as caught:
        read(name, locale, raw, limits)
    return caught.value


def only(error: ImportRejected) -> ImportProblem:
    assert len(error.problems) == 1, error.problems
    return error.problems[0]


def physical_line(raw: bytes, starts: bytes) -> int:
    """The line of ``raw`` that begins with ``starts`` (found independently of the reader)."""
    lines = raw.split(b"\n")
    return next(number for number, line in enumerate(lines, 1) if line.startswith(starts))


def expected_text(row: dict[str, Any], wanted: str) -> tuple[str, str, str]:
    titles, bodies = row["title"], row["body_exported_plain_text"]
    for locale in [wanted, *titles]:
        if titles.get(locale) and bodies.get(locale):
            return locale, titles[locale], bodies[locale]
    raise AssertionError(row["id"])


def expected_state(row: dict[str, Any], generation: Generation) -> str | None:
    state = row["state_0.27_0.28" if generation is Generation.V026 else "state_0.29_plus"]
    return state or None


# --- every sample export -------------------------------------------------------------------

@pytest.mark.parametrize("name", [*OPEN_DATA, *ADMIN])
def test_every_export_gives_the_proposals_expected_row_for_row(name: str) -> None:
    generation = {**OPEN_DATA, **ADMIN}[name][0]
    proposals = read(name)
    spaces = {7, 9} if name in OPEN_DATA else {7}
    assert [p.decidim_id for p in proposals] == [row["id"] for row in EXPECTED
                                                 if row["participatory_space_id"] in spaces]
    for proposal in proposals:
        row = BY_ID[proposal.decidim_id]
        assert (proposal.space_id, proposal.component_id, proposal.reference, proposal.url) == (
            row["participatory_space_id"], row["component_id"], row["reference"], row["url"])
        assert (proposal.locale, proposal.title, proposal.body) == expected_text(row, "es")
        assert proposal.published_at == dt.datetime.fromisoformat(row["published_at_utc"])
        assert proposal.state == expected_state(row, generation)
        assert (proposal.withdrawn, proposal.is_amend, proposal.amends_id) == (
            row["withdrawn"], row["is_amend"], row["amends_proposal_id"])


@pytest.mark.parametrize("name", [*OPEN_DATA, *ADMIN])
def test_the_generation_and_the_separator_are_told_by_the_header(name: str) -> None:
    export = read_export(data(name), name, "es")
    assert (export.generation, export.separator) == {**OPEN_DATA, **ADMIN}[name]
    assert export.kind == ("json" if name.endswith(".json") else "csv")
    assert export.locales == ("es", "en")


@pytest.mark.parametrize(("label", "expected"), [
    ("0.27.3-0.27.5", Generation.V026), ("0.27.7-0.28.x", Generation.V026),
    ("0.29.x", Generation.V029), ("0.30-dev", Generation.V030)])
def test_the_generation_is_told_by_the_header_alone(label: str, expected: Generation) -> None:
    assert generation(HEADERS[label]) is expected


def test_the_likes_of_031_are_read_as_endorsements() -> None:
    raw = data(V030).replace(b";endorsements/total_count;endorsements/user_endorsements;",
                             b";likes/total_count;likes/user_likes;")
    assert [p.endorsements for p in read(V030, raw=raw)] == [p.endorsements for p in read(V030)]


def test_votes_hidden_are_none_and_a_custom_state_is_kept_as_written() -> None:
    raw = data(V029).replace(b"UTC;14;2;Juan", b"UTC;;2;Juan").replace(
        b";accepted;", b";en_ejecucion;")
    first = read(V029, raw=raw)[0]
    assert (first.decidim_id, first.votes, first.state) == (5120, None, "en_ejecucion")


def test_the_zip_is_read_from_its_proposals_entry_and_equals_the_csv_inside_it() -> None:
    export = read_export(data(ZIP), ZIP, "es")
    assert export.source == f"{ZIP} (entrada participa.cuenca.gob.ec-open-data-proposals.csv)"
    assert list(export) == read(SEMICOLON)


def test_both_separators_and_both_formats_give_the_same_proposals() -> None:
    assert read(COMMA) == read(SEMICOLON)
    admin_csv = [replace(p, line=0) for p in read(ADMIN_CSV)]
    admin_json = [replace(p, line=0) for p in read(ADMIN_JSON)]
    assert admin_json == admin_csv


def test_a_moment_keeps_the_offset_decidim_wrote_and_is_the_same_instant() -> None:
    utc, local = read(SEMICOLON), read(GUAYAQUIL)
    assert [p.published_at for p in utc] == [p.published_at for p in local]
    late = next(p for p in local if p.decidim_id == 5230)
    assert late.published_at.isoformat() == BY_ID[5230]["published_at_guayaquil"]
    assert next(p for p in utc if p.decidim_id == 5230).published_at.tzinfo == dt.UTC


# --- awkward rows --------------------------------------------------------------------------

@pytest.mark.parametrize("name", [SEMICOLON, COMMA, V030, ADMIN_CSV])
def test_each_proposal_knows_the_physical_line_its_row_begins_on(name: str) -> None:
    raw, separator = data(name), b"," if name == COMMA else b";"
    for proposal in read(name):
        assert proposal.line == physical_line(raw, str(proposal.decidim_id).encode() + separator)
    assert [p.line for p in read(SEMICOLON)][:3] == [2, 9, 14]  # a 7-line body, then 5


def test_each_proposal_of_a_json_export_knows_the_line_its_object_begins_on() -> None:
    raw = data(ADMIN_JSON)
    for proposal in read(ADMIN_JSON):
        assert proposal.line == physical_line(raw, f'    "id": {proposal.decidim_id},'.encode()) - 1


def test_the_quote_decidim_puts_before_a_formula_is_taken_away_in_csv_only() -> None:
    by_id = {p.decidim_id: p for p in read(SEMICOLON)}
    assert by_id[5133].title == "=Más luminarias en El Barranco"
    assert by_id[5140].title.startswith("+593 ") and "y +593 7" in by_id[5140].body
    assert by_id[5166].title == "- Reducir el ruido nocturno en la Calle Larga"
    assert by_id[5166].body.splitlines() == ["- Controles los fines de semana",
                                             "- Horarios de cierre", "- Campañas de convivencia"]
    assert by_id[5171].title == "@CuencaGAD: wifi gratuito en los mercados"
    json_titles = {p.decidim_id: p.title for p in read(ADMIN_JSON)}
    assert json_titles[5133] == by_id[5133].title  # JSON is not escaped: nothing to take away


def test_quotes_separators_and_emoji_inside_cells_are_kept() -> None:
    by_id = {p.decidim_id: p for p in read(COMMA)}
    assert by_id[5127].title == 'Ciclovía "segura" en la Av. Ordóñez Lasso; con separación física'
    assert by_id[5230].title == "Mercado itinerante, feria agroecológica y trueque en San Sebastián"
    assert "🌳" in by_id[5241].title


def test_a_proposal_without_the_language_asked_for_falls_back_to_one_it_has() -> None:
    by_id = {p.decidim_id: p for p in read(SEMICOLON, "es")}
    assert (by_id[5152].locale, by_id[5152].fell_back) == ("en", True)
    assert by_id[5152].title == "Bilingual signage for tourists in the historic center"
    assert (by_id[5120].locale, by_id[5120].fell_back) == ("es", False)
    in_english = {p.decidim_id: p for p in read(SEMICOLON, "en")}
    assert (in_english[5152].locale, in_english[5152].fell_back) == ("en", False)
    # 5203 has title/en and body/en written as "" (an official proposal): Spanish, then
    assert (in_english[5203].locale, in_english[5203].fell_back) == ("es", True)
    assert in_english[5203].title == "Plan de movilidad activa 2023"


def test_decidims_answer_and_state_are_kept_as_information_when_published() -> None:
    by_id = {p.decidim_id: p for p in read(SEMICOLON)}
    assert (by_id[5120].state, by_id[5120].answer) == (
        "accepted", "<p>Propuesta aceptada. Se incorporará al Plan de Acción OGP Local 2023.</p>")
    assert (by_id[5127].state, by_id[5127].answer) == (None, None)
    assert (by_id[5133].state, by_id[5133].answer) == ("evaluating", None)
    english = {p.decidim_id: p for p in read(SEMICOLON, "en")}
    assert english[5152].answer == "<p>Not feasible: heritage signage is regulated by INPC.</p>"


def test_counts_and_themes_are_read_in_every_generation() -> None:
    old = {p.decidim_id: p for p in read(SEMICOLON)}[5120]
    assert (old.votes, old.endorsements, old.comments) == (14, 2, 3)
    assert (old.category, old.scope, old.taxonomies) == ("Ambiente", None, ())
    assert {p.decidim_id: p for p in read(SEMICOLON, "en")}[5127].scope == "Urban parishes"
    new = {p.decidim_id: p for p in read(V030)}[5120]
    assert (new.votes, new.endorsements, new.comments) == (14, 2, 3)
    assert (new.category, new.scope, new.taxonomies) == (None, None, ("Ambiente",))
    assert {p.decidim_id: p for p in read(V030, "en")}[5120].taxonomies == ("Environment",)


def test_a_withdrawal_is_read_from_the_state_up_to_028_and_from_its_column_after() -> None:
    for name, state in ((SEMICOLON, "withdrawn"), (V029, "not_answered"),
                        (V030, "not_answered")):
        withdrawn = [p for p in read(name) if p.withdrawn]
        assert [(p.decidim_id, p.state) for p in withdrawn] == [(5189, state)]


def test_nothing_personal_is_kept() -> None:
    assert not {"author", "authors", "email", "name", "names"} & {f.name for f in
                                                                 fields(DecidimProposal)}
    kept = repr(read(SEMICOLON) + read(ADMIN_JSON))
    for row in EXPECTED:
        for name in row["author_names_as_exported"]:
            assert name not in kept
    assert "profiles/" not in kept and "Juan Pérez" not in kept  # authors' links, endorsers


def test_a_bom_is_tolerated_and_an_empty_export_holds_no_proposals() -> None:
    assert read(SEMICOLON, raw=b"\xef\xbb\xbf" + data(SEMICOLON)) == read(SEMICOLON)
    for empty in (b"", b"\n"):
        export = read_export(empty, "participa.cuenca.gob.ec-open-data-proposals.csv", "es")
        assert (list(export), export.generation, export.separator) == ([], None, None)
    assert read(ADMIN_JSON, raw=b"[]\n") == []


def test_a_file_saved_again_with_crlf_line_ends_keeps_its_rows_and_lines() -> None:
    crlf = read(SEMICOLON, raw=data(SEMICOLON).replace(b"\n", b"\r\n"))
    assert [(p.decidim_id, p.line) for p in crlf] == [(p.decidim_id, p.line)
                                                      for p in read(SEMICOLON)]
    assert crlf[0].body.startswith("Proponemos habilitar huertos comunitarios en al menos")
    assert "cinco\r\nparques" in crlf[0].body


def test_progress_runs_to_the_end_of_the_file_and_each_iteration_reads_it_anew() -> None:
    export = read_export(data(ZIP), ZIP, "es")
    seen = [export.progress() for _ in export]
    assert seen == sorted(seen) and seen[0] > 0 and export.progress() == 1.0
    assert list(export) == list(export) == read(ZIP)


# --- which proposals an import skips -------------------------------------------------------

def test_skips_are_the_callers_one_reason_each_so_that_counts_add_up() -> None:
    proposals = read(ZIP)
    reasons = {p.decidim_id: skip_reason(p, space=7) for p in proposals}
    assert {key: reason for key, reason in reasons.items() if reason} == {
        5150: Skip.OTHER_SPACE, 5189: Skip.WITHDRAWN, 5204: Skip.AMENDMENT}
    assert skip_reason(next(p for p in proposals if p.decidim_id == 5120), 7, 91) is (
        Skip.OTHER_COMPONENT)
    assert [skip_reason(p) for p in proposals].count(None) == 11


# --- files that are not what they claim ----------------------------------------------------

def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def zip_entries() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data(ZIP))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_a_zip_without_proposals_is_refused_naming_what_it_holds() -> None:
    entries = {k: v for k, v in zip_entries().items() if "-proposals." not in k}
    problem = only(refusal(zipped(entries), ZIP))
    assert problem.line is None
    assert "holds no proposals" in problem.message
    assert "participa.cuenca.gob.ec-open-data-meetings.csv" in problem.message


def test_a_zip_with_two_proposals_files_is_refused() -> None:
    entries = {"a-open-data-proposals.csv": data(SEMICOLON),
               "b-open-data-proposals.csv": data(COMMA)}
    assert "several proposals files" in only(refusal(zipped(entries), ZIP)).message


def test_an_admin_export_mailed_as_a_zip_is_read_from_inside() -> None:
    raw = zipped({"proposals-26.11.2022-3600.json": data(ADMIN_JSON)})
    assert read("proposals.zip", raw=raw) == read(ADMIN_JSON)


def test_a_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    bomb = zipped({"x-open-data-proposals.csv": b"id;is_amend\n" + b"\n" * 5_000_000})
    assert len(bomb) < 10_000
    problem = only(refusal(bomb, "bomb.zip", limits=Limits(entry_bytes=1_000_000)))
    assert "unpacks to 5,000,012 bytes; at most 1,000,000 are read" in problem.message


def test_unpacking_is_counted_and_stops_at_the_limit_whatever_the_entry_declared() -> None:
    counted = Counted(io.BytesIO(b"x" * 100), 64)
    with pytest.raises(Overflow):
        counted.read()
    assert counted.count == 100


def test_a_zip_that_lies_about_its_size_is_refused_as_damaged() -> None:
    honest = zipped({"x-open-data-proposals.csv": data(SEMICOLON)})
    size = len(data(SEMICOLON)).to_bytes(4, "little")
    lying = honest.replace(size, (100).to_bytes(4, "little"))
    error = refusal(lying, "lying.zip")
    assert any("damaged" in p.message for p in error.problems)


def test_too_many_entries_or_bytes_are_refused_before_anything_is_read() -> None:
    many = zipped({f"{n}.csv": b"" for n in range(5)})
    assert "holds 5 entries; at most 3" in only(
        refusal(many, ZIP, limits=Limits(zip_entries=3))).message
    assert "at most 1,000 are read" in only(
        refusal(data(SEMICOLON), limits=Limits(file_bytes=1000))).message
    assert "export the proposals as CSV" in only(
        refusal(data(ADMIN_JSON), ADMIN_JSON, limits=Limits(json_bytes=1000))).message


def test_a_file_that_is_not_a_proposals_export_is_named_at_line_1() -> None:
    meetings = zip_entries()["participa.cuenca.gob.ec-open-data-meetings.csv"]
    problem = only(refusal(meetings, "participa.cuenca.gob.ec-open-data-meetings.csv"))
    assert problem.line == 1 and "not a Decidim proposals export" in problem.message
    assert only(refusal(b"Hola; esto no es\n", "nota.csv")).line == 1
    png = only(refusal(b"\x89PNG\r\n\x1a\n", "photo.png"))
    assert (png.line, "0x89, at offset 0" in png.message) == (1, True)


def test_a_file_not_in_utf8_is_named_with_its_line_and_byte_offset() -> None:
    raw = data(SEMICOLON).replace("Ordóñez".encode(), "Ordóñez".encode("latin-1"))
    problem = only(refusal(raw))
    offset = raw.index(b"Ord\xf3")
    assert problem.line == physical_line(raw, b"5127;")
    assert f"the byte 0xF3, at offset {offset + 3}" in problem.message


@pytest.mark.parametrize(("name", "column", "missing"), [
    (SEMICOLON, "published_at", "published_at"),
    (SEMICOLON, "supports", "supports"),
    (V029, "withdrawn", "withdrawn"),
    (V030, "url", "url")])
def test_a_missing_column_is_named_at_line_1(name: str, column: str, missing: str) -> None:
    raw = data(name)
    header, rest = raw.split(b"\n", 1)
    renamed = b";".join(b"x_" + cell if cell == column.encode() else cell
                        for cell in header.split(b";"))
    problem = only(refusal(renamed + b"\n" + rest, name))
    assert problem.line == 1 and f"the column “{missing}” is missing" in problem.message


def test_a_file_without_titles_in_any_language_is_refused_at_line_1() -> None:
    raw = data(SEMICOLON).replace(b";title/es;", b";titulo/es;").replace(b";title/en;", b";t/en;")
    assert "no column title/LANGUAGE (such as title/en)" in only(refusal(raw)).message


def test_a_column_named_twice_is_named_with_both_columns() -> None:
    raw = data(SEMICOLON).replace(b";address;", b";state;", 1)
    problem = only(refusal(raw))
    assert (problem.line, problem.column, problem.name) == (1, 19, "state")
    assert "first as column 16" in problem.message


def test_a_bad_date_is_named_with_its_line_column_and_header() -> None:
    raw = data(SEMICOLON).replace(b"2022-09-29 00:40:11 UTC", b"2022-09-31 00:40:11 UTC")
    problem = only(refusal(raw))
    assert (problem.line, problem.column, problem.name) == (9, 30, "published_at")
    assert "«2022-09-31 00:40:11 UTC» is not a moment" in problem.message
    assert "line 9, column 30 (published_at): «2022-09-31" in str(refusal(raw))


def test_every_problem_is_found_not_only_the_first() -> None:
    raw = (data(SEMICOLON).replace(b"5133;2320;", b"51x3;2320;")
           .replace(b"2022-10-07 16:02:33 UTC", b"yesterday")
           .replace(b";false;;;;;\n5171;", b";maybe;;;;;\n5171;")
           .replace(b"5189;2315;", b"5189;2315;;"))
    error = refusal(raw)
    found = [(p.line, p.column, p.name) for p in error.problems]
    assert found == [(physical_line(raw, b"51x3;"), 1, "id"),
                     (physical_line(raw, b"5140;"), 30, "published_at"),
                     (physical_line(raw, b"5166;"), 34, "is_amend"),
                     (physical_line(raw, b"5189;"), None, None)]
    assert "the row has 40 cells; the header has 39" in error.problems[-1].message
    assert str(error).startswith(f"{SEMICOLON} cannot be imported (4 problems); nothing was")


def test_a_row_faulty_in_two_cells_names_both() -> None:
    raw = data(SEMICOLON).replace(b"5133;2320;", b"51x3;2320;").replace(
        b"2022-10-03 20:21:07 UTC", b"")
    assert [(p.column, p.message) for p in refusal(raw).problems] == [
        (1, "«51x3» is not a whole number"), (30, "this cell is empty; every proposal has one")]


def test_beyond_the_limit_problems_are_counted_not_listed() -> None:
    raw = re.sub(rb"UTC;https", b"UTC?;https", data(SEMICOLON))
    error = refusal(raw, limits=Limits(problems=2))
    assert (len(error.problems), error.more) == (2, 11)
    assert str(error).endswith("… and 11 more problems")


def test_a_quote_never_closed_is_named_at_the_line_its_row_begins() -> None:
    raw = data(SEMICOLON)
    cut = raw[:raw.index(b"Centenario.")]  # inside 5133's quoted body, to the end
    assert only(refusal(cut)).line == physical_line(raw, b"5133;")
    assert "never closed" in only(refusal(cut)).message


def test_text_after_a_closing_quote_is_named() -> None:
    raw = data(SEMICOLON).replace(b'"Iluminaci', b'"Ilu"minaci')
    problems = refusal(raw).problems
    assert problems[0].line == physical_line(raw, b"5133;")
    assert "text follows a closing quote" in problems[0].message


def test_a_line_or_a_cell_too_long_is_refused() -> None:
    raw = data(SEMICOLON)
    long_line = raw.replace(b"Centenario.", b"Centenario." + b"x" * 2000)
    problem = only(refusal(long_line, limits=Limits(line_chars=1000)))
    assert problem.line == physical_line(raw, b"Centenario.")
    long_cell = raw.replace(b"Centenario.", b"\n".join([b"y" * 99] * 1500))
    problem = only(refusal(long_cell))
    assert problem.line == physical_line(raw, b"5133;")
    assert "longer than 131,072 characters" in problem.message


def test_a_row_too_long_is_refused_at_the_line_it_begins_and_not_held_in_memory() -> None:
    raw = data(SEMICOLON)
    endless = raw.replace(b'"Iluminaci', b'"' + b"z\n" * 200_000 + b"Iluminaci")
    problem = only(refusal(endless, limits=Limits(row_chars=100_000)))
    assert problem.line == physical_line(raw, b"5133;")
    assert "the row that begins here is longer than 100,000 characters" in problem.message


def test_a_file_with_too_many_rows_is_refused() -> None:
    problem = only(refusal(data(SEMICOLON), limits=Limits(rows=5)))
    assert problem.line == physical_line(data(SEMICOLON), b"5166;")  # the sixth
    assert "more than 5 proposals" in problem.message


def test_a_proposal_twice_is_named_where_it_repeats() -> None:
    raw = data(SEMICOLON)
    row = next(line for line in raw.split(b"\n") if line.startswith(b"5189;"))
    twice = raw + row + b"\n"
    problem = only(refusal(twice))
    assert (problem.line, problem.name) == (twice.count(b"\n"), "id")
    assert f"(first on line {physical_line(raw, b'5189;')})" in problem.message


def test_a_title_holding_a_control_character_is_named_at_its_cell() -> None:
    raw = data(SEMICOLON).replace(b"Huertos urbanos", b"Huertos\x07urbanos")
    problem = only(refusal(raw))
    assert (problem.line, problem.column, problem.name) == (2, 14, "title/es")
    assert "U+0007" in problem.message


# --- JSON ------------------------------------------------------------------------------------

def json_with(change: Any) -> bytes:
    proposals = json.loads(data(ADMIN_JSON))
    change(proposals)
    return json.dumps(proposals, ensure_ascii=False, indent=2).encode()


def test_json_problems_name_the_line_of_the_proposal_and_the_key() -> None:
    def break_two(proposals: list[dict[str, Any]]) -> None:
        proposals[1]["published_at"] = "29/09/2022"
        proposals[2]["title"] = {"es": "", "en": ""}

    raw = json_with(break_two)
    problems = refusal(raw, ADMIN_JSON).problems
    lines = [number for number, line in enumerate(raw.split(b"\n"), 1) if line == b"  {"]
    assert [(p.line, p.column, p.name) for p in problems] == [
        (lines[1], None, "published_at"), (lines[2], None, "title/en")]
    assert str(refusal(raw, ADMIN_JSON)).splitlines()[1].startswith(
        f"line {lines[1]}, “published_at”: «29/09/2022» is not a moment")


@pytest.mark.parametrize(("raw", "line", "said"), [
    (b'{"id": 1}', 1, "is a list of proposals"),
    (b"[\n  1,\n  2\n]", 2, "not a proposal"),
    (b'[\n  {"id": 1,\n  "is_amend": tru}\n]', 3, "not valid JSON"),
    (b'[\n  {"id": 1}\n] x', 3, "not valid JSON")])
def test_a_broken_json_export_is_named_by_line(raw: bytes, line: int, said: str) -> None:
    problem = refusal(raw, ADMIN_JSON).problems[0]
    assert problem.line == line and said in problem.message


# --- the refusal -----------------------------------------------------------------------------

def test_a_refusal_is_a_bad_file_field_said_in_the_plans_language() -> None:
    raw = data(SEMICOLON).replace(b"2022-09-29 00:40:11 UTC", b"2022-09-31 00:40:11 UTC")
    spanish = refusal(raw, locale="es")
    assert isinstance(spanish, InvalidInput) and spanish.field == "file"
    assert (spanish.locale, str(spanish).splitlines()) == ("es", [
        f"{SEMICOLON} no se puede importar (1 problema); no se importó nada:",
        "línea 9, columna 30 (published_at): «2022-09-31 00:40:11 UTC» no es un momento como "
        "los escribe Decidim (como 2022-09-29 00:40:11 UTC, o con un desfase como -0500)"])
    assert refusal(raw, locale="en").locale == "en"
