"""Record produced files and page through them newest-first with a keyset cursor."""

from __future__ import annotations

import base64
import mimetypes
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Select, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.assets.models import Asset, AssetKind, AssetStatus
from anime_studio.errors import Invalid, NotFound
from anime_studio.media.paths import MediaPaths

mimetypes.add_type("video/mp4", ".mp4")
mimetypes.add_type("image/webp", ".webp")


async def record(
    *,
    session: AsyncSession,
    paths: MediaPaths,
    file: Path,
    project_id: int,
    kind: AssetKind,
    status: AssetStatus = AssetStatus.ready,
    width: int | None = None,
    height: int | None = None,
    duration: float | None = None,
    **links: Any,
) -> Asset:
    """Register a file under the media root (re-registering the same path updates the row)."""
    relative = paths.relative(file)
    asset = await session.scalar(select(Asset).where(Asset.path == relative))
    if asset is None:
        asset = Asset(path=relative, project_id=project_id, kind=kind)
        session.add(asset)
    asset.status, asset.width, asset.height, asset.duration = status, width, height, duration
    asset.mime = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    asset.size_bytes = file.stat().st_size
    for key, value in links.items():
        setattr(asset, key, value)
    await session.flush()
    return asset


async def get(*, session: AsyncSession, asset_id: int) -> Asset:
    asset = await session.get(Asset, asset_id)
    if asset is None:
        raise NotFound(f"asset {asset_id} not found")
    return asset


@dataclass
class GalleryFilter:
    project_id: int | None = None
    character_id: int | None = None
    scene_id: int | None = None
    episode_id: int | None = None
    kinds: list[AssetKind] = field(default_factory=list)
    statuses: list[AssetStatus] = field(default_factory=list)
    since: datetime | None = None
    until: datetime | None = None

    def apply(self, query: Select[Any]) -> Select[Any]:
        for column, value in (
            (Asset.project_id, self.project_id),
            (Asset.character_id, self.character_id),
            (Asset.scene_id, self.scene_id),
            (Asset.episode_id, self.episode_id),
        ):
            if value is not None:
                query = query.where(column == value)
        if self.kinds:
            query = query.where(Asset.kind.in_(self.kinds))
        if self.statuses:
            query = query.where(Asset.status.in_(self.statuses))
        if self.since:
            query = query.where(Asset.created_at >= self.since)
        if self.until:
            query = query.where(Asset.created_at < self.until)
        return query


def encode_cursor(asset: Asset) -> str:
    raw = f"{asset.created_at.isoformat()}|{asset.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, asset_id = raw.rsplit("|", 1)
        return datetime.fromisoformat(stamp), int(asset_id)
    except (ValueError, UnicodeDecodeError) as error:
        raise Invalid("malformed gallery cursor") from error


async def page(
    *, session: AsyncSession, filters: GalleryFilter, limit: int, cursor: str | None
) -> tuple[list[Asset], str | None]:
    """One page of assets, newest first; ``next_cursor`` continues after the last item."""
    query = filters.apply(select(Asset)).order_by(Asset.created_at.desc(), Asset.id.desc())
    if cursor:
        query = query.where(tuple_(Asset.created_at, Asset.id) < decode_cursor(cursor))
    rows: list[Asset] = list((await session.scalars(query.limit(limit + 1))).all())
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, encode_cursor(rows[-1]) if more and rows else None
