"""The roles cocrea knows: who may act, and what a definition's ``actor_role`` may name.

A person acts through a token (the API) or the command line, and every token
holds one of :data:`ROLES`. The scheduler acts as the system actor, in
:data:`SYSTEM_ROLE`, and only moves phases on their dates; since ``actor_role``
may stand only in proposal triggers and ``submit_when``, which the system actor
never fires, a definition names people's roles only.
"""

from __future__ import annotations

ROLES: tuple[str, ...] = ("admin", "staff", "committee", "evaluator", "auditor", "intake")
"""The roles a token may hold, and the only ones a definition or a scenario may name."""

SYSTEM_ROLE = "system"
"""The role of the system actor (the deadline scheduler); no token holds it."""
