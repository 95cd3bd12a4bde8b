"""Every image decode goes through here: refuses what is not an image, and images too big to decode.

A 48 KB PNG can claim 20000×20000 pixels (1.6 GB once decoded); Pillow's own guard raises an
exception that handlers do not expect. The size is checked from the header, before any pixels are
decoded, and both failures are ``OSError`` subclasses so that code reading files from engines keeps
handling them as unreadable files, while the API maps them to 413 and 422.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image

MAX_PIXELS = 40_000_000
"""40 megapixels: above any render or photo the studio works with (8K is 33 MP)."""


class ImageRejected(OSError):
    """The file cannot be used as an image; the message names only the file, never a server path."""


class ImageTooLarge(ImageRejected):
    pass


class UnreadableImage(ImageRejected):
    pass


@contextmanager
def opened(source: Path | bytes, *, name: str = "", max_pixels: int = MAX_PIXELS) -> Iterator[Image.Image]:
    """The image, header read and size checked, pixels not yet decoded; closed on exit."""
    label = name or (source.name if isinstance(source, Path) else "the image")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(source) if isinstance(source, bytes) else source)
    except FileNotFoundError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageTooLarge(f"{label} is too large to decode (over {max_pixels // 1_000_000} megapixels)") from error
    except (OSError, SyntaxError, ValueError) as error:
        raise UnreadableImage(f"{label} is not a readable image (PNG, JPEG or WebP)") from error
    with image:
        width, height = image.size
        if width * height > max_pixels:
            raise ImageTooLarge(
                f"{label} is {width}×{height} pixels; images are limited to {max_pixels // 1_000_000} megapixels"
            )
        yield image


def decoded(source: Path | bytes, *, name: str = "", mode: str = "RGB", max_pixels: int = MAX_PIXELS) -> Image.Image:
    """The whole image decoded and converted to ``mode`` (``ImageRejected`` if it cannot be)."""
    with opened(source, name=name, max_pixels=max_pixels) as image:
        try:
            image.load()
            return image.convert(mode) if image.mode != mode else image.copy()
        except (OSError, SyntaxError, ValueError) as error:
            label = name or (source.name if isinstance(source, Path) else "the image")
            raise UnreadableImage(f"{label} is damaged or truncated") from error


def size_of(source: Path | bytes, *, name: str = "") -> tuple[int, int]:
    with opened(source, name=name) as image:
        return image.size
