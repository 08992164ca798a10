"""``python -m originlink`` runs the command line."""

from originlink.cli.main import run

run()
