"""``anime-studio serve``: API + UI + in-process worker on one port."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from rich.panel import Panel

from anime_studio.app import create_app
from anime_studio.cli.common import console, load_settings, setup_logging
from anime_studio.db.session import Database
from anime_studio.runtime import ensure_admin, prepare_database

SHUTDOWN_GRACE = 10  # seconds open requests get to finish when the studio is stopped


async def _first_admin(url: str) -> tuple[str, str] | None:
    db = Database.connect(url, pool_size=1)
    try:
        return await ensure_admin(db)
    finally:
        await db.dispose()


def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind (default 127.0.0.1)")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8401)")] = None,
    root_path: Annotated[str | None, typer.Option(help="Mount point behind a proxy, e.g. /anime-studio")] = None,
    data_dir: Annotated[Path | None, typer.Option(help="Data directory (database, media)")] = None,
    log_level: Annotated[str, typer.Option(help="debug, info, warning")] = "info",
) -> None:
    """Start the studio: API, web UI and a background worker."""
    setup_logging(log_level)
    settings = load_settings(data_dir, host=host, port=port, root_path=root_path)
    console.print(f"[bold]Anime Studio[/] data dir: {settings.data_dir}")
    url = prepare_database(settings)
    credentials = asyncio.run(_first_admin(url))
    if credentials:
        console.print(
            Panel.fit(
                f"username: [bold]{credentials[0]}[/]\npassword: [bold]{credentials[1]}[/]\n\n"
                "Shown once. Change it after logging in (user menu → Change password).",
                title="First start: admin account created",
                border_style="green",
            )
        )
    display_host = "localhost" if settings.host in ("127.0.0.1", "0.0.0.0") else settings.host
    console.print(f"Open [link]http://{display_host}:{settings.port}{settings.root_path}/[/link]")
    uvicorn.run(
        create_app(settings, database_url=url),
        host=settings.host,
        port=settings.port,
        log_level=log_level,
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        # Open event streams never end by themselves: without a bound, a stop would wait for every browser.
        timeout_graceful_shutdown=SHUTDOWN_GRACE,
    )
