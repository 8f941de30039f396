"""Views: a plan and its history as plain data and lines a person reads (CLI, API, site)."""
