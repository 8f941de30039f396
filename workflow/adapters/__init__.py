"""Adapters to what the domain knows nothing of: APScheduler, structlog, Decidim's exports."""
