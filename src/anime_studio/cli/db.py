"""``anime-studio db``: migrations."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from anime_studio.cli.common import console, load_settings, setup_logging
from anime_studio.runtime import prepare_database

app = typer.Typer(no_args_is_help=True, help="Database maintenance.")


@app.command("upgrade")
def upgrade(data_dir: Annotated[Path | None, typer.Option(help="Data directory")] = None) -> None:
    """Apply all pending migrations."""
    setup_logging("warning")
    prepare_database(load_settings(data_dir))
    console.print("[green]database is up to date[/]")
