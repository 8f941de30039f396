"""The roles cocrea knows: who may act, and what a definition's ``actor_role`` may name.

A person acts through a token (the API) or the command line, and every token
holds one of :data:`ROLES`. An ``implementer`` token is bound to one implementing
agency and reports only on the commitments that agency leads; the ``evaluator``
assesses commitments. The scheduler acts as the system actor, in
:data:`SYSTEM_ROLE`, and only moves phases and milestones on their dates; since
``actor_role`` may stand only in proposal and commitment triggers, ``submit_when``,
``draft_when`` and ``revise_when``, which the system actor never fires, a definition
names people's roles only.
"""

from __future__ import annotations

ROLES: tuple[str, ...] = ("admin", "staff", "committee", "evaluator", "auditor", "intake",
                          "implementer")
"""The roles a token may hold, and the only ones a definition or a scenario may name."""

SYSTEM_ROLE = "system"
"""The role of the system actor (the deadline scheduler); no token holds it."""
