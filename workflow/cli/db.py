"""``cocrea db upgrade``: bring a database's schema to this cocrea's, on purpose.

Commands that change something migrate on their own; commands that only read
never do, and tell you to run this when the schema is behind.
"""

from __future__ import annotations

import typer

from definitions.messages import deployment_locale, say
from storage.database import schema_revision
from workflow.cli.support import Db, cocrea, handled

app = typer.Typer(no_args_is_help=True, help="Base de datos.")


@app.command("upgrade")
@handled
def upgrade(db: Db = None) -> None:
    """Bring the database's schema to the newest migration (nothing when it is there)."""
    wired = cocrea(db)  # a writer's wiring migrates the database as it opens it
    typer.echo(say(deployment_locale(), "cli.db_upgraded", revision=schema_revision(wired.engine)))
