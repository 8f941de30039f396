"""Run the command line as ``python -m workflow``."""

from workflow.cli import main

main()
