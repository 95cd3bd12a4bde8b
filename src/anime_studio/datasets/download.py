"""Fetch a video from a web page or a direct link with yt-dlp (as a library), for frame ingestion."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from anime_studio.datasets.uploads import MAX_VIDEO_BYTES
from anime_studio.errors import Invalid

MAX_URL_LENGTH = 2000


def check_url(url: str) -> str:
    """Only http(s) URLs with a host: no ``file:``, no yt-dlp pseudo-schemes, no local paths."""
    url = url.strip()
    parts = urlsplit(url)
    if len(url) > MAX_URL_LENGTH or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise Invalid("only http:// and https:// video links can be ingested")
    return url


def download(url: str, folder: Path) -> tuple[Path, dict[str, Any]]:
    """Download the best single-file video (≤ the video upload limit) into ``folder``; blocking."""
    import yt_dlp

    options: dict[str, Any] = {
        "outtmpl": {"default": str(folder / "video.%(ext)s")},
        "format": "best[ext=mp4]/best",
        "max_filesize": MAX_VIDEO_BYTES,
        "noplaylist": True,
        "quiet": True,
        "no_warnings": True,
        "noprogress": True,
        "restrictfilenames": True,
        "overwrites": True,
        "socket_timeout": 30,
        "retries": 2,
    }
    try:
        with yt_dlp.YoutubeDL(options) as ydl:
            info = ydl.extract_info(check_url(url), download=True)
    except yt_dlp.utils.DownloadError as error:
        raise Invalid(f"could not download the video: {str(error).removeprefix('ERROR: ')[:300]}") from error
    files = [p for p in folder.iterdir() if p.name.startswith("video.") and not p.name.endswith(".part")]
    if not files:
        raise Invalid("the link did not yield a video file (it may be over the size limit)")
    meta = {
        "url": url,
        "title": str((info or {}).get("title") or ""),
        "extractor": str((info or {}).get("extractor") or ""),
    }
    return files[0], meta
