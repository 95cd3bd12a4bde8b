"""``anime-studio``: serve, worker, db, users, demo, render."""

from __future__ import annotations

import typer

from anime_studio.cli import db, demo, render, serve, users, worker
from anime_studio.cli.common import exit_on_sigterm

app = typer.Typer(no_args_is_help=True, add_completion=False, help="Anime Studio command line.")
app.command("serve")(serve.serve)
app.add_typer(db.app, name="db")
app.add_typer(users.app, name="users")
app.command("demo")(demo.demo)
app.command("worker")(worker.worker)
app.command("render")(render.render)


def main() -> None:
    exit_on_sigterm()
    app()
