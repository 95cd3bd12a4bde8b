"""``anime-studio demo``: create the sample project."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer

from anime_studio.cli.common import console, load_settings, session_scope, setup_logging
from anime_studio.demo.service import create_demo
from anime_studio.errors import DomainError


def demo(data_dir: Annotated[Path | None, typer.Option(help="Data directory")] = None) -> None:
    """Create the sample project: story, world, a human and a non-human character, 2 scenes, 1 episode."""
    setup_logging("warning")

    async def run() -> tuple[int, str]:
        async with session_scope(load_settings(data_dir)) as session:
            project = await create_demo(session=session)
            return project.id, project.slug

    try:
        project_id, slug = asyncio.run(run())
    except DomainError as error:
        console.print(f"[yellow]{error}[/]")
        raise typer.Exit(1) from error
    console.print(f"[green]created demo project[/] {slug} (id {project_id})")
    console.print(f"render it headless with: anime-studio render --project {slug} --episode 1")
