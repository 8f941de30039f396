"""OGP's commitment template: the fixed names of its fields, their types, and the scales.

A definition's ``commitments.template`` picks which of these fields a process asks
for and how it labels them; their names, meanings and types are OGP's (OGP Local's
action-plan template), so every process's commitments read alike:

    title          text   the commitment's name
    problem        text   the public problem it addresses
    causes         text   the causes of that problem
    description    text   what the commitment is
    contribution   text   how it contributes to solving the problem
    ogp_values     values the OGP values it serves, at least one of the first three:
                          transparency, civic_participation, public_accountability,
                          technology_innovation
    lead_agency    text   the lead implementing agency (an implementer token names it)
    other_actors   text   other actors, government and non-government
    starts, ends   date   when the commitment runs
    budget         text   its budget

Every milestone has a description, an expected output, start and due dates inside
the commitment's, and who is responsible. The independent evaluator's assessment
uses the IRM's scales: completion and "did it open government?".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from definitions.messages import join, say

TemplateType = Literal["text", "date", "values"]

TEMPLATE: dict[str, TemplateType] = {
    "title": "text", "problem": "text", "causes": "text", "description": "text",
    "contribution": "text", "ogp_values": "values", "lead_agency": "text",
    "other_actors": "text", "starts": "date", "ends": "date", "budget": "text",
}
"""OGP's template fields, by name, and each one's type."""

NEEDED = ("title", "lead_agency", "starts", "ends")
"""Fields every process must ask for: the engine names, binds and dates commitments by them."""

MAX_LENGTH: dict[str, int] = {"title": 300, "lead_agency": 120}
"""Texts shorter than the rest (20,000 characters): a title, an agency's name."""

MAX_TEXT = 20_000

OGP_VALUES = ("transparency", "civic_participation", "public_accountability",
              "technology_innovation")
"""The OGP values a commitment may serve (OGP's glossary, "relevance")."""

CORE_VALUES = OGP_VALUES[:3]
"""A commitment must serve at least one of these; technology and innovation only beside one."""


def value_words(values: Iterable[str], locale: str) -> str:
    """Name OGP values in ``locale``, one after another: ``transparencia, rendición de cuentas``."""
    return join([say(locale, f"ogp_value.{value}") for value in values], locale)

MILESTONE_FIELDS = ("description", "output", "starts", "due", "responsible")
"""Every milestone's fields (all required): what, its expected output, dates, who."""

COMPLETION = ("not_started", "limited", "substantial", "complete")
"""The IRM's completion scale, in order."""

OPENED_GOVERNMENT = ("worsened", "did_not_change", "marginal", "major", "outstanding")
"""The IRM's "did it open government?" scale, in order."""
