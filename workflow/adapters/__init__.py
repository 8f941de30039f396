"""Adapters to libraries the domain knows nothing of: APScheduler, structlog."""
