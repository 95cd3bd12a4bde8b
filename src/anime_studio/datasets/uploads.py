"""What a dataset upload may be, in one place: byte and pixel limits, the one image decoder, zip inspection.

The ingestion runs re-use ``decode_image`` so a file that passed the request's check cannot be read
differently later. When a studio-wide decode helper exists, it replaces ``decode_image`` here only.
"""

from __future__ import annotations

import secrets
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from fastapi import UploadFile
from PIL import Image

from anime_studio.errors import Invalid, PayloadTooLarge
from anime_studio.media import images

MiB = 1024 * 1024
MAX_IMAGE_BYTES = 40 * MiB
MAX_IMAGE_PIXELS = images.MAX_PIXELS
MAX_IMAGES_BYTES = 150 * MiB
"""All files (or the one zip) of one image upload request."""
MAX_VIDEO_BYTES = 150 * MiB
MAX_ZIP_ENTRIES = 2000
MAX_ZIP_RATIO = 200
"""Compressed → uncompressed ratio above which a zip member is treated as a decompression bomb."""
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".bmp", ".gif")
_CHUNK = MiB


def decode_image(data: bytes, *, name: str, full: bool = True) -> Image.Image | None:
    """Decode ``data`` into RGB through the studio's one image decoder (413 too big, 422 not an image).

    ``full=False`` only checks (header, pixel limit, structure) and returns ``None``: the request's quick
    check. The pixel count is read from the header, so a 20000×20000 PNG never expands in memory.
    """
    if len(data) > MAX_IMAGE_BYTES:
        raise PayloadTooLarge(f"{name}: images are limited to {MAX_IMAGE_BYTES // MiB} MB")
    if full:
        return images.decoded(data, name=name, max_pixels=MAX_IMAGE_PIXELS)
    with images.opened(data, name=name, max_pixels=MAX_IMAGE_PIXELS) as image:
        try:
            image.verify()
        except (OSError, SyntaxError, ValueError) as error:
            raise images.UnreadableImage(f"{name} is damaged or truncated") from error
    return None


@dataclass(frozen=True)
class Member:
    """One image to ingest: where it came from (file name, or zip + member) and its bytes."""

    source: str
    data: bytes


def is_zip(name: str, head: bytes) -> bool:
    return name.lower().endswith(".zip") or head.startswith(b"PK\x03\x04")


def zip_members(path: Path, name: str) -> list[Member]:
    """The images of a zip; refuses unsafe names (zip slip), bombs and non-images with a 4xx.

    Nothing is extracted by name: members are read into memory (bounded) and written under new names.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise Invalid(f"{name}: not a readable zip archive") from error
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        if len(infos) > MAX_ZIP_ENTRIES:
            raise PayloadTooLarge(f"the zip holds {len(infos)} files; the limit is {MAX_ZIP_ENTRIES}")
        total = 0
        for info in infos:
            _check_member_name(info.filename)
            total += info.file_size
            if info.file_size > MAX_IMAGE_BYTES or info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
                raise PayloadTooLarge(f"zip member {info.filename!r} expands too much (decompression bomb refused)")
        if total > MAX_IMAGES_BYTES:
            raise PayloadTooLarge(f"the zip expands to over {MAX_IMAGES_BYTES // MiB} MB")
        members = []
        for info in infos:
            base = PurePosixPath(info.filename).name
            if base.startswith(".") or "__MACOSX" in info.filename:
                continue  # Finder and editor litter, never images
            if not base.lower().endswith(IMAGE_SUFFIXES):
                raise Invalid(f"zip member {info.filename!r} is not an image (PNG, JPEG, WebP, BMP or GIF)")
            with archive.open(info) as member:
                data = member.read(MAX_IMAGE_BYTES + 1)  # the header's size may lie: read bounded
            if len(data) > MAX_IMAGE_BYTES:
                raise PayloadTooLarge(f"zip member {info.filename!r} is over {MAX_IMAGE_BYTES // MiB} MB")
            members.append(Member(f"{name}:{info.filename}", data))
        if not members:
            raise Invalid(f"{name}: the zip holds no images")
        return members


def _check_member_name(name: str) -> None:
    posix = PurePosixPath(name.replace("\\", "/"))
    unsafe = not posix.parts or posix.is_absolute() or ".." in posix.parts or ":" in posix.parts[0]
    if unsafe:
        raise Invalid(f"zip member {name!r} has an unsafe path (zip slip refused)")


def staged_members(folder: Path) -> list[Member]:
    """Every image of a staged upload folder, zips expanded, in upload order."""
    members: list[Member] = []
    for path in sorted(folder.iterdir()):
        with path.open("rb") as file:
            head = file.read(4)
        original = path.name.split("_", 1)[1]
        if is_zip(original, head):
            members += zip_members(path, original)
        else:
            members.append(Member(original, path.read_bytes()))
    return members


def check_staged(folder: Path) -> int:
    """Refuse the whole upload (4xx) if any file or zip member is not an acceptable image; returns the count."""
    members = staged_members(folder)
    for member in members:
        decode_image(member.data, name=member.source, full=False)
    return len(members)


def new_staging(root: Path) -> Path:
    """A fresh folder under the media root's ``uploads/datasets`` for one request's files."""
    folder = root / "datasets" / secrets.token_hex(8)
    folder.mkdir(parents=True)
    return folder


def discard(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


async def stage(upload: UploadFile, folder: Path, index: int, *, budget: int) -> int:
    """Copy one upload into ``folder`` in chunks under a safe name; returns the bytes left of ``budget``."""
    safe = "".join(c if c.isalnum() or c in "._-" else "-" for c in PurePosixPath(upload.filename or "").name)
    target = folder / f"{index:04d}_{safe.lstrip('.')[:80] or 'upload'}"
    with target.open("wb") as out:
        while chunk := await upload.read(_CHUNK):
            budget -= len(chunk)
            if budget < 0:
                raise PayloadTooLarge("the upload is too large for this request")
            out.write(chunk)
    return budget
