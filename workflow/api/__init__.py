"""The staff HTTP API (FastAPI): a thin entry point over the services, like the CLI."""
