"""Kodi/Jellyfin ``.nfo`` documents (``tvshow.nfo``, ``<episodedetails>``), built with ElementTree."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

STUDIO = "Anime Studio"


def tvshow_nfo(*, title: str, plot: str, genre: str, rating: str) -> bytes:
    """The series document: title, plot, genres, content rating, studio."""
    root = ET.Element("tvshow")
    _add(root, "title", title)
    _add(root, "plot", plot)
    for name in [g.strip() for g in genre.replace(";", ",").split(",") if g.strip()]:
        _add(root, "genre", name)
    _add(root, "mpaa", rating)
    _add(root, "studio", STUDIO)
    return _serialise(root)


def episode_nfo(
    *,
    title: str,
    show_title: str,
    season: int,
    episode: int,
    plot: str,
    aired: date | None,
    runtime_minutes: int,
    versions: tuple[str, ...] = (),
) -> bytes:
    """The ``<episodedetails>`` document of one episode."""
    root = ET.Element("episodedetails")
    _add(root, "title", title)
    _add(root, "showtitle", show_title)
    _add(root, "season", str(season))
    _add(root, "episode", str(episode))
    _add(root, "plot", plot)
    if aired is not None:
        _add(root, "aired", aired.isoformat())
    _add(root, "runtime", str(runtime_minutes))
    _add(root, "studio", STUDIO)
    if versions:  # Kodi and Jellyfin skip unknown elements; people and our tests can read what was published
        provenance = ET.SubElement(root, "provenance")
        for line in versions:
            _add(provenance, "version", line)
    return _serialise(root)


def _add(parent: ET.Element, tag: str, text: str) -> None:
    # XML 1.0 cannot carry most control characters even escaped; drop them rather than write a broken file.
    child = ET.SubElement(parent, tag)
    child.text = "".join(c for c in text if _xml_char(c))


def _xml_char(char: str) -> bool:
    code = ord(char)
    return char in "\t\n\r" or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or code >= 0x10000


def _serialise(root: ET.Element) -> bytes:
    ET.indent(root, space="  ")
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + body + b"\n"
