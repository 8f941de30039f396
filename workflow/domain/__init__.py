"""The domain: what a plan, a proposal and time do, with no framework and no I/O.

It imports only the standard library, :mod:`definitions` and pydantic (an
import-linter contract holds this): machines built from a definition, guards and
quorums, the plan and proposal aggregates, deadlines and what time does to phases,
notices, replay, and the typed error tree.
"""
