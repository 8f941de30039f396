"""The ``cocrea`` command line: thin commands that parse, call a service and print.

One module per command group; :mod:`workflow.cli.support` holds the shared options,
output and the one error table.
"""

from workflow.cli.app import main

__all__ = ["main"]
