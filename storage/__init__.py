"""Storage: SQLAlchemy event store, projections and unit of work (SQLite and PostgreSQL)."""
