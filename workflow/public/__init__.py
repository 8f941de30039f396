"""The public record, read-only: a plan's calendar feed and its open-data package.

Both read a plan through :mod:`storage.public` (one snapshot, streamed), speak the
plan's language, and never hold contact data: the ``contacts`` table and the
outbox are never read.
"""
