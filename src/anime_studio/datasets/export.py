"""Export an approved dataset in kohya's layout: ``{repeats}_{trigger}/NNNNNN.png`` + ``.txt``, with a manifest.

ai-toolkit and OneTrainer read the same image + same-name caption pairs, so one layout serves all three.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import secrets
import shutil
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.assets.models import Asset, AssetKind, AssetStatus
from anime_studio.characters.models import Character
from anime_studio.datasets import captions
from anime_studio.datasets.browse import dataset_folder
from anime_studio.errors import Invalid
from anime_studio.media.paths import MediaPaths, safe_segment


@dataclass(frozen=True)
class Entry:
    asset_id: int
    image: Path
    caption: str


@dataclass(frozen=True)
class Snapshot:
    folder_name: str
    entries: list[Entry]
    manifest: dict[str, Any]


async def snapshot(*, session: AsyncSession, paths: MediaPaths, character: Character) -> Snapshot:
    """The approved images with their current captions; the manifest's ``snapshot`` id hashes exactly that."""
    folder = await dataset_folder(session, paths, character)
    settings = captions.load_settings(folder, character)
    rows = await session.scalars(
        select(Asset)
        .where(Asset.character_id == character.id, Asset.kind == AssetKind.image, Asset.status == AssetStatus.approved)
        .order_by(Asset.id)
    )
    entries = [Entry(a.id, paths.inside(a.path), "") for a in rows.all()]
    if not entries:
        raise Invalid(f"{character.name} has no approved images to export yet")
    entries, listed = await asyncio.to_thread(_read_entries, entries)
    identity = json.dumps([settings.repeats, settings.trigger, listed], sort_keys=True).encode()
    manifest = {
        "format": "kohya",
        "character": {"id": character.id, "name": character.name, "slug": character.slug},
        "trigger": settings.trigger,
        "repeats": settings.repeats,
        "folder": f"{settings.repeats}_{settings.trigger}",
        "count": len(listed),
        "snapshot": hashlib.sha256(identity).hexdigest(),
        "exported_at": datetime.now(UTC).isoformat(),
        "images": listed,
    }
    return Snapshot(f"{settings.repeats}_{settings.trigger}", entries, manifest)


def _read_entries(entries: list[Entry]) -> tuple[list[Entry], list[dict[str, Any]]]:
    """Captions and hashes from disk (off the event loop: a big dataset is hundreds of megabytes)."""
    entries = [Entry(e.asset_id, e.image, captions.read_caption(e.image).strip()) for e in entries]
    listed = [
        {
            "asset_id": e.asset_id,
            "file": f"{e.asset_id:06d}{e.image.suffix.lower()}",
            "image_sha256": _sha256_file(e.image),
            "caption_sha256": hashlib.sha256(e.caption.encode()).hexdigest(),
        }
        for e in entries
    ]
    return entries, listed


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


async def to_zip(*, session: AsyncSession, paths: MediaPaths, character: Character) -> tuple[Path, str]:
    """The approved snapshot as a zip in the uploads scratch folder (the caller deletes it); its download name."""
    snap = await snapshot(session=session, paths=paths, character=character)
    scratch = paths.uploads() / "exports"
    scratch.mkdir(parents=True, exist_ok=True)
    target = scratch / f"{secrets.token_hex(8)}.zip"
    await asyncio.to_thread(write_zip, snap, target)
    return target, f"{character.slug}-{snap.manifest['snapshot'][:12]}.zip"


async def to_folder(*, session: AsyncSession, paths: MediaPaths, character: Character) -> tuple[Path, dict[str, Any]]:
    """The snapshot under ``exports/datasets/{project}/{character}/{snapshot}/``; the folder and its manifest."""
    snap = await snapshot(session=session, paths=paths, character=character)
    folder = await dataset_folder(session, paths, character)
    root = paths.root / "exports" / "datasets" / safe_segment(folder.parent.name) / safe_segment(character.slug)
    return await asyncio.to_thread(write_folder, snap, root), snap.manifest


def write_zip(snap: Snapshot, target: Path) -> None:
    """Images stored (PNG is already compressed), captions and manifest deflated."""
    with zipfile.ZipFile(target, "w") as archive:
        for entry, listed in zip(snap.entries, snap.manifest["images"], strict=True):
            archive.write(entry.image, f"{snap.folder_name}/{listed['file']}", zipfile.ZIP_STORED)
            stem = Path(listed["file"]).stem
            archive.writestr(f"{snap.folder_name}/{stem}.txt", entry.caption, zipfile.ZIP_DEFLATED)
        archive.writestr("manifest.json", json.dumps(snap.manifest, indent=2), zipfile.ZIP_DEFLATED)


def write_folder(snap: Snapshot, root: Path) -> Path:
    """``root/{snapshot[:12]}/`` with the kohya folder and manifest; an existing identical snapshot is kept."""
    target: Path = root / str(snap.manifest["snapshot"])[:12]
    if (target / "manifest.json").is_file():
        return target
    partial = root / f".{target.name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    images = partial / snap.folder_name
    images.mkdir(parents=True)
    for entry, listed in zip(snap.entries, snap.manifest["images"], strict=True):
        shutil.copyfile(entry.image, images / listed["file"])
        (images / f"{Path(listed['file']).stem}.txt").write_text(entry.caption)
    (partial / "manifest.json").write_text(json.dumps(snap.manifest, indent=2))
    partial.rename(target)  # readers see a complete snapshot or none
    return target
