"""``anime-studio users``: create, list, token, unlock."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from anime_studio.auth import service, throttle
from anime_studio.auth.models import Role
from anime_studio.auth.schemas import UserCreate
from anime_studio.cli.common import console, load_settings, session_scope, setup_logging
from anime_studio.errors import DomainError

app = typer.Typer(no_args_is_help=True, help="User accounts and API tokens.")

DataDir = Annotated[Path | None, typer.Option(help="Data directory")]


def _fail(error: Exception) -> None:
    console.print(f"[red]error:[/] {error}")
    raise typer.Exit(1)


@app.command("create")
def create(
    username: str,
    role: Annotated[Role, typer.Option(help="admin, editor or reviewer")] = Role.editor,
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)] = "",
    data_dir: DataDir = None,
) -> None:
    """Create a user."""
    setup_logging("warning")
    try:
        data = UserCreate(username=username, password=password, role=role)
    except ValueError as error:
        _fail(error)

    async def run() -> None:
        async with session_scope(load_settings(data_dir)) as session:
            await service.create_user(session=session, username=data.username, password=data.password, role=data.role)

    try:
        asyncio.run(run())
    except DomainError as error:
        _fail(error)
    console.print(f"[green]created[/] {username} ({role.value})")


@app.command("list")
def list_users(data_dir: DataDir = None) -> None:
    """List users."""
    setup_logging("warning")

    async def run() -> None:
        async with session_scope(load_settings(data_dir)) as session:
            table = Table("id", "username", "role", "active", "last login")
            for user in await service.list_users(session=session):
                table.add_row(
                    str(user.id), user.username, user.role.value, str(user.is_active), str(user.last_login_at or "—")
                )
            console.print(table)

    asyncio.run(run())


@app.command("token")
def token(
    username: str,
    name: Annotated[str, typer.Option(help="What the token is for")] = "cli",
    expires_in_days: Annotated[int | None, typer.Option(min=1, max=3650)] = None,
    data_dir: DataDir = None,
) -> None:
    """Issue a personal API token for a user and print it (once)."""
    setup_logging("warning")

    async def run() -> str:
        async with session_scope(load_settings(data_dir)) as session:
            user = await service.get_user_by_name(session=session, username=username)
            _, plain = await service.create_api_token(
                session=session, user=user, name=name, expires_in_days=expires_in_days
            )
            return plain

    try:
        plain = asyncio.run(run())
    except DomainError as error:
        _fail(error)
    print(plain)


@app.command("unlock")
def unlock(
    username: str,
    address: Annotated[str | None, typer.Option(help="Also lift the throttle of this client address")] = None,
    data_dir: DataDir = None,
) -> None:
    """Lift the login delay or lockout of a user (and optionally of a client address) after failed logins."""
    setup_logging("warning")

    async def run() -> int:
        async with session_scope(load_settings(data_dir)) as session:
            return await throttle.lift(session=session, username=username, address=address)

    lifted = asyncio.run(run())
    console.print(f"[green]unlocked[/] {username}" if lifted else f"no failed logins recorded for {username}")
