"""Apple Music through the public iTunes Search API: song search, lookup by id, and the 30 s preview download.

The client never takes a preview URL from the browser: adding a track looks its id up again, so the studio only
ever downloads what Apple's own answer points at.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from anime_studio.config import Settings
from anime_studio.errors import BadGateway, Invalid, NotFound, PayloadTooLarge

SERVICE = "the iTunes Search API"
MAX_PREVIEW_BYTES = 10 * 1024 * 1024  # previews are ~1 MB of 30 s AAC
PREVIEW_TYPES = ("audio/", "application/octet-stream", "video/mp4")  # Apple serves .m4a as audio/x-m4a


@dataclass(frozen=True)
class AppleSong:
    track_id: int
    track: str
    artist: str
    album: str
    artwork_url: str
    track_view_url: str
    preview_url: str
    duration: float

    def credits(self) -> dict[str, Any]:
        return {
            "provider": "Apple Music",
            "track_id": self.track_id,
            "track": self.track,
            "artist": self.artist,
            "album": self.album,
            "artwork_url": self.artwork_url,
            "track_view_url": self.track_view_url,
            "preview_url": self.preview_url,
        }


class ITunes:
    def __init__(self, settings: Settings) -> None:
        self.base_url = settings.itunes_url.rstrip("/")
        self.country = settings.itunes_country.upper()
        self.timeout = settings.itunes_timeout

    def _client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.base_url + "/", timeout=self.timeout, follow_redirects=True)

    async def search(self, term: str, *, limit: int = 20) -> list[AppleSong]:
        """Songs matching ``term`` that have a preview."""
        params = {"term": term, "entity": "song", "media": "music", "limit": str(limit), "country": self.country}
        return [song for song in await self._results("search", params) if song.preview_url]

    async def lookup(self, track_id: int) -> AppleSong:
        songs = await self._results("lookup", {"id": str(track_id), "entity": "song", "country": self.country})
        match = next((s for s in songs if s.track_id == track_id and s.preview_url), None)
        if match is None:
            raise NotFound(f"Apple Music has no song {track_id} with a preview")
        return match

    async def download_preview(self, song: AppleSong, target: Path) -> int:
        """Stream the preview to ``target``; refuses non-audio answers and anything over 10 MB."""
        if not song.preview_url.startswith(("https://", "http://")):
            raise BadGateway(f"{SERVICE} gave a preview URL that is not http(s)")
        try:
            async with self._client() as client, client.stream("GET", song.preview_url) as response:
                if response.status_code != 200:
                    raise BadGateway(f"the Apple Music preview answered HTTP {response.status_code}")
                kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
                if not kind.startswith(PREVIEW_TYPES):
                    raise BadGateway(f"the Apple Music preview is {kind or 'untyped'}, not audio")
                declared = int(response.headers.get("content-length") or 0)
                if declared > MAX_PREVIEW_BYTES:
                    raise PayloadTooLarge("the Apple Music preview is larger than 10 MB")
                written = 0
                with target.open("wb") as file:
                    async for chunk in response.aiter_bytes():
                        written += len(chunk)
                        if written > MAX_PREVIEW_BYTES:
                            raise PayloadTooLarge("the Apple Music preview is larger than 10 MB")
                        file.write(chunk)
        except httpx.HTTPError as error:
            raise BadGateway(f"the Apple Music preview could not be downloaded ({type(error).__name__})") from error
        return written

    async def _results(self, path: str, params: dict[str, str]) -> list[AppleSong]:
        try:
            async with self._client() as client:
                response = await client.get(path, params=params)
        except httpx.HTTPError as error:
            raise BadGateway(f"{SERVICE} is unreachable ({type(error).__name__})") from error
        if response.status_code == 400:
            raise Invalid(f"{SERVICE} refused the query")
        if response.status_code != 200:
            raise BadGateway(f"{SERVICE} failed (HTTP {response.status_code}); try again later")
        try:
            data = response.json()
        except ValueError as error:
            raise BadGateway(f"{SERVICE} answered with something that is not JSON") from error
        results = data.get("results") if isinstance(data, dict) else None
        if not isinstance(results, list):
            raise BadGateway(f"{SERVICE} answered without results")
        return [song for item in results if (song := _song(item)) is not None]


def _song(item: Any) -> AppleSong | None:
    if not isinstance(item, dict) or item.get("kind") != "song" or not isinstance(item.get("trackId"), int):
        return None
    return AppleSong(
        track_id=item["trackId"],
        track=str(item.get("trackName", "")),
        artist=str(item.get("artistName", "")),
        album=str(item.get("collectionName", "")),
        artwork_url=str(item.get("artworkUrl100", "")),
        track_view_url=str(item.get("trackViewUrl", "")),
        preview_url=str(item.get("previewUrl", "")),
        duration=float(item.get("trackTimeMillis") or 0) / 1000,
    )
