"""The ``cocrea`` root command: its groups and top-level commands, and :func:`main`.

Messages are in the plan's language; every error goes through the one table in
:mod:`workflow.cli.support`.
"""

from __future__ import annotations

import typer

from workflow.cli import audit, committee, db, definitions, phases, plans, proposals
from workflow.cli.help import in_spanish
from workflow.cli.notify import contact_app, notify_app
from workflow.cli.scheduler import scheduler_app
from workflow.cli.serve import serve, token_app
from workflow.cli.simulate import simulate_command

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  help="cocrea: motor de co-creación de planes de Gobierno Abierto (OGP Local).")
for sub, name in ((plans.app, "plan"), (phases.app, "phase"), (committee.app, "committee"),
                  (phases.activity_app, "activity"), (proposals.app, "proposal"),
                  (scheduler_app, "scheduler"), (token_app, "token"), (notify_app, "notify"),
                  (contact_app, "contact"), (db.app, "db")):
    app.add_typer(sub, name=name)
for command in (definitions.check, committee.vote, audit.events, audit.replay, audit.verify,
                audit.digest):
    app.command()(command)
app.command("simulate")(simulate_command)
app.command("serve")(serve)


def main() -> None:
    """Run the ``cocrea`` command line."""
    in_spanish(app)
    app()
