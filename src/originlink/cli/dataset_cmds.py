"""Commands about the canonical dataset itself: ``schema``."""

from __future__ import annotations

import typer

from originlink.cli.io import dump_json
from originlink.domain.dataset.schema import co_document_schema


def schema() -> None:
    """Print the JSON Schema (2020-12) of the canonical CO document."""
    typer.echo(dump_json(co_document_schema()))


def register(app: typer.Typer) -> None:
    app.command("schema")(schema)
