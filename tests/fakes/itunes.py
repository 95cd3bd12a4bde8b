"""A fake iTunes Search API: ``/search`` and ``/lookup`` with Apple's result fields and its
``text/javascript`` content type, and the ``.m4a`` previews they point at (real AAC made with ffmpeg)."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from imageio_ffmpeg import get_ffmpeg_exe
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

SONGS = [
    {"trackId": 1440857781, "trackName": "Blue Bird", "artistName": "Ikimono-gakari", "collectionName": "My Song"},
    {
        "trackId": 1547183021,
        "trackName": "Unravel",
        "artistName": "TK from Ling tosite sigure",
        "collectionName": "Fantastic Magic",
    },
    {"trackId": 1613593462, "trackName": "Gurenge", "artistName": "LiSA", "collectionName": "LEO-NiNE"},
]


def _aac(seconds: float) -> bytes:
    """An M4A like Apple's previews (the MP4 muxer needs a seekable file, not a pipe)."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "preview.m4a"
        command = [
            get_ffmpeg_exe(),
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency=440:duration={seconds}",
        ]
        subprocess.run([*command, "-c:a", "aac", "-b:a", "64k", "-f", "ipod", str(target)], check=True)
        return target.read_bytes()


class FakeITunes:
    def __init__(self, preview_seconds: float = 3.0) -> None:
        self.base_url = ""  # set once served: previews are absolute URLs, as Apple's are
        self.fail_with: int | None = None
        self.preview_type = "audio/x-m4a"
        self.preview_body: bytes | None = None
        self.searches: list[dict[str, str]] = []
        self.downloads = 0
        self._preview = _aac(preview_seconds)
        self.app = Starlette(
            routes=[
                Route("/search", self.search, methods=["GET"]),
                Route("/lookup", self.lookup, methods=["GET"]),
                Route("/previews/{track_id:int}.m4a", self.preview, methods=["GET"]),
            ]
        )

    def _item(self, song: dict[str, Any]) -> dict[str, Any]:
        track_id = song["trackId"]
        return {
            "wrapperType": "track",
            "kind": "song",
            **song,
            "artworkUrl100": f"https://is1-ssl.mzstatic.com/image/thumb/{track_id}/100x100bb.jpg",
            "trackViewUrl": f"https://music.apple.com/us/album/{track_id}?i={track_id}&uo=4",
            "previewUrl": f"{self.base_url}/previews/{track_id}.m4a",
            "trackTimeMillis": 215000,
            "country": "USA",
            "currency": "USD",
            "primaryGenreName": "Anime",
        }

    def _answer(self, items: list[dict[str, Any]]) -> Response:
        body = json.dumps({"resultCount": len(items), "results": items})
        return Response(f"\n\n\n{body}\n", media_type="text/javascript; charset=utf-8")

    async def search(self, request: Request) -> Response:
        if self.fail_with is not None:
            return Response("<html><body>Internal Server Error</body></html>", status_code=self.fail_with)
        params = dict(request.query_params)
        self.searches.append(params)
        if "term" not in params:
            return JSONResponse({"errorMessage": "Invalid value(s) for key(s): [term]", "queryParameters": {}}, 400)
        words = params["term"].lower().split()
        found = [s for s in SONGS if any(w in json.dumps(s).lower() for w in words)]
        return self._answer([self._item(s) for s in found[: int(params.get("limit", "50"))]])

    async def lookup(self, request: Request) -> Response:
        if self.fail_with is not None:
            return Response("Internal Server Error", status_code=self.fail_with)
        wanted = request.query_params.get("id", "")
        return self._answer([self._item(s) for s in SONGS if str(s["trackId"]) == wanted])

    async def preview(self, request: Request) -> Response:
        self.downloads += 1
        if not any(s["trackId"] == request.path_params["track_id"] for s in SONGS):
            return Response("Not Found", status_code=404)
        return Response(
            self.preview_body if self.preview_body is not None else self._preview, media_type=self.preview_type
        )
