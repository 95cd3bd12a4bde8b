"""Publish into a Jellyfin library: the folder publisher's files, then a targeted library refresh."""

from __future__ import annotations

import dataclasses
from pathlib import Path, PurePosixPath

import httpx

from anime_studio.config import Settings
from anime_studio.engines.base import EngineError, EngineStatus
from anime_studio.engines.publish.base import EpisodePublication, PublishResult
from anime_studio.engines.publish.folder import FolderPublisher
from anime_studio.engines.remote.http import excerpt, json_body, send

SERVICE = "Jellyfin"
CLIENT = 'Client="Anime Studio", Device="anime-studio", DeviceId="anime-studio", Version="1.0"'


def parse_path_map(value: str) -> list[tuple[Path, PurePosixPath]]:
    """``/srv/library=/media/anime,/a=/b`` → pairs (ours, Jellyfin's); ``EngineError`` on a malformed pair."""
    pairs: list[tuple[Path, PurePosixPath]] = []
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        ours, sep, theirs = item.partition("=")
        if not sep or not ours.strip() or not theirs.strip():
            raise EngineError(f"jellyfin_path_map entry must look like /our/path=/jellyfin/path, got {item!r}")
        pairs.append((Path(ours.strip()).resolve(), PurePosixPath(theirs.strip())))
    # Longest prefix first, so nested mappings win over their parents.
    return sorted(pairs, key=lambda pair: len(pair[0].parts), reverse=True)


def map_path(path: Path, pairs: list[tuple[Path, PurePosixPath]]) -> str:
    """The path as Jellyfin sees it (unchanged when no mapping applies)."""
    for ours, theirs in pairs:
        if path.is_relative_to(ours):
            return str(theirs.joinpath(*path.relative_to(ours).parts))
    return str(path)


class JellyfinPublisher:
    """Composes ``FolderPublisher``; a failed refresh never undoes the files, it is reported instead."""

    name = "jellyfin"

    def __init__(self, settings: Settings) -> None:
        self.folder = FolderPublisher(settings.publish_dir)
        self.url = settings.jellyfin_url.rstrip("/")
        self.token = settings.jellyfin_token
        self.path_map = parse_path_map(settings.jellyfin_path_map)

    def _client(self) -> httpx.AsyncClient:
        headers = {"Authorization": f'MediaBrowser {CLIENT}, Token="{self.token}"'}
        return httpx.AsyncClient(base_url=self.url, headers=headers, timeout=httpx.Timeout(30.0, connect=10.0))

    async def publish(self, publication: EpisodePublication) -> PublishResult:
        """Write the episode files, then tell Jellyfin about the new video."""
        result = await self.folder.publish(publication)
        refreshed, note = await self.refresh(result.video_path)
        return dataclasses.replace(result, library_refreshed=refreshed, detail=f"{result.detail}; {note}")

    async def refresh(self, path: Path) -> tuple[bool, str]:
        """``POST /Library/Media/Updated`` for ``path``; on failure ``POST /Library/Refresh`` (a full scan)."""
        if not self.token:
            return False, "Jellyfin not refreshed: no ANIME_STUDIO_JELLYFIN_TOKEN configured"
        jellyfin_path = map_path(path, self.path_map)
        body = {"Updates": [{"Path": jellyfin_path, "UpdateType": "Created"}]}
        async with self._client() as client:
            targeted = await _post(client, "/Library/Media/Updated", body)
            if targeted is None:
                return True, f"Jellyfin notified of {jellyfin_path}"
            full = await _post(client, "/Library/Refresh", None)
        if full is None:
            return True, f"Jellyfin full library scan started (targeted update failed: {targeted})"
        return False, f"Jellyfin refresh failed: Media/Updated {targeted}; Library/Refresh {full}"

    async def status(self) -> EngineStatus:
        """``GET /System/Info``: server name and version; plus the library folder's state."""
        library = await self.folder.status()
        extra = {**library.extra, "url": self.url}
        try:
            async with self._client() as client:
                response = await send(client, "GET", "/System/Info", service=SERVICE)
        except EngineError as error:
            return EngineStatus(kind="publish", name=self.name, reachable=False, detail=str(error), extra=extra)
        if response.status_code in (401, 403):
            detail = f"Jellyfin rejected the token (HTTP {response.status_code}); files are still written"
            return EngineStatus(kind="publish", name=self.name, reachable=True, detail=detail, extra=extra)
        if response.status_code != 200:
            detail = f"Jellyfin /System/Info HTTP {response.status_code}: {excerpt(response)}"
            return EngineStatus(kind="publish", name=self.name, reachable=False, detail=detail, extra=extra)
        info = json_body(response, service=SERVICE)
        name, version = info.get("ServerName", "Jellyfin"), info.get("Version", "?")
        extra.update(server_name=name, version=version, server_id=info.get("Id"))
        return EngineStatus(kind="publish", name=self.name, reachable=True, detail=f"{name} {version}", extra=extra)


async def _post(client: httpx.AsyncClient, path: str, body: object) -> str | None:
    """``None`` on success, else a short reason (network errors included: they must not undo a publish)."""
    try:
        response = await send(client, "POST", path, json=body, service=SERVICE)
    except EngineError as error:
        return str(error)
    if response.status_code in (200, 204):
        return None
    return f"HTTP {response.status_code} {excerpt(response, 160)}".strip()
