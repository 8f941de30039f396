"""The ``cocrea`` root command: its groups and top-level commands, and :func:`main`.

Messages are in the plan's language, or the deployment's (``COCREA_LOCALE``) where
no plan is named, and so is the help; every error goes through the one table in
:mod:`workflow.cli.support`.
"""

from __future__ import annotations

import sys
from typing import Any

import typer

from definitions.messages import (
    DEFAULT_LOCALE,
    LOCALE_ENV,
    deployment_locale,
    say,
    setting,
    setting_is_known,
)
from workflow.cli import (
    audit,
    commitments,
    committee,
    db,
    definitions,
    imports,
    pack,
    phases,
    plans,
    proposals,
    public,
)
from workflow.cli.help import localize
from workflow.cli.notify import contact_app, notify_app
from workflow.cli.ogp import meeting_app, ogp_app
from workflow.cli.scheduler import scheduler_app
from workflow.cli.serve import serve, token_app
from workflow.cli.simulate import simulate_command

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
for sub, name in ((plans.app, "plan"), (phases.app, "phase"), (committee.app, "committee"),
                  (phases.activity_app, "activity"), (proposals.app, "proposal"),
                  (scheduler_app, "scheduler"), (token_app, "token"), (notify_app, "notify"),
                  (contact_app, "contact"), (db.app, "db"), (meeting_app, "meeting"),
                  (ogp_app, "ogp"), (definitions.app, "definition"), (imports.app, "import"),
                  (pack.app, "audit"), (commitments.app, "commitment")):
    app.add_typer(sub, name=name)
for command in (definitions.check, committee.vote, audit.events, audit.replay, audit.verify,
                audit.digest, public.calendar, public.export):
    app.command()(command)
app.command("simulate")(simulate_command)
app.command("serve")(serve)


def localized(locale: str) -> Any:
    """Return the ``cocrea`` command (a click command) with its help in ``locale``."""
    built = typer.main.get_command(app)
    localize(built, locale)
    return built


def main() -> None:
    """Run the ``cocrea`` command line in the deployment's language (a wrong one stops it)."""
    if not setting_is_known():
        message = say(DEFAULT_LOCALE, "error.setting", name=LOCALE_ENV, value=setting(),
                      expected=say(DEFAULT_LOCALE, "setting.locale"))
        typer.echo(f"error: {message}", err=True)
        sys.exit(1)
    localized(deployment_locale())()
