"""Read a commitment file: its YAML, its shape, its meaning, every problem with its line."""

from __future__ import annotations

import functools
from typing import Any

from definitions.commitment_file import (
    CommitmentContent,
    MilestoneEntry,
    draft_problems,
    plain,
    whole_problems,
)
from definitions.commitments import MILESTONE_FIELDS
from definitions.errors import Problem
from definitions.loader import parse_document
from definitions.messages import say
from definitions.paths import format_path
from definitions.problems import Reporter
from definitions.schema import CommitmentLifecycle


def parse_commitment(text: str, source: str, lifecycle: CommitmentLifecycle, locale: str,
                     draft: bool) -> CommitmentContent:
    """Read a commitment file (to draft, or with ``draft=False`` the changes of an edit).

    Raises DefinitionError listing every problem with its YAML line, in ``locale``.
    """
    meaning = functools.partial(_file_problems, lifecycle=lifecycle, draft=draft)
    return parse_document(text, source, locale, CommitmentContent, meaning)


def _file_problems(content: CommitmentContent, report: Reporter,
                   lifecycle: CommitmentLifecycle, draft: bool) -> list[Problem]:
    findings = draft_problems(content, lifecycle, draft)
    if draft:
        entries = [(("milestones", i), _entry(m)) for i, m in enumerate(content.milestones)]
        findings += whole_problems(content.given(), entries)
    return [Problem(format_path(path), report.lines.line_of(path),
                    say(report.locale, key, **params)) for path, key, params in findings]


def _entry(entry: MilestoneEntry) -> dict[str, Any]:
    return {name: plain(getattr(entry, name)) for name in MILESTONE_FIELDS
            if getattr(entry, name) is not None}
