"""Turn an unexpected exception of a run into the error a person can act on.

Filesystem errors are configuration problems, not bugs: the message names the folder (relative to the
root it lives in) and the setting that points at that root, instead of "internal error: PermissionError".
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from pathlib import Path

from anime_studio.config import Settings


@dataclass(frozen=True)
class _Root:
    path: Path
    name: str
    variable: str
    default: str = ""
    """Where the root is when ``variable`` is unset (it then lives inside the data dir)."""

    @property
    def setting(self) -> str:
        return f"{self.variable}, unset: {self.default}" if self.default else self.variable


def _roots(settings: Settings) -> list[_Root]:
    roots = [
        _Root(
            settings.media_dir,
            "media root",
            "ANIME_STUDIO_MEDIA_ROOT",
            "" if settings.media_root else "ANIME_STUDIO_DATA_DIR/media",
        ),
        _Root(
            settings.publish_dir,
            "library",
            "ANIME_STUDIO_LIBRARY_DIR",
            "" if settings.library_dir else "ANIME_STUDIO_DATA_DIR/library",
        ),
        _Root(settings.data_dir.resolve(), "data dir", "ANIME_STUDIO_DATA_DIR"),
    ]
    # The innermost root wins: the media root and the library default to folders inside the data dir.
    return sorted(roots, key=lambda root: len(root.path.parts), reverse=True)


def filesystem_problem(error: BaseException, settings: Settings) -> str | None:
    """What is wrong with which studio folder, if ``error`` is about one; None for anything else."""
    if not isinstance(error, OSError) or not isinstance(error.filename, str | Path):
        return None
    path = Path(error.filename).absolute()
    root = next((r for r in _roots(settings) if path.is_relative_to(r.path)), None)
    if root is None:
        return None
    # Relative names only: run errors are shown to every user, the server's layout is not their business.
    where = f"under the {root.name} ({root.setting})"
    if isinstance(error, FileExistsError | NotADirectoryError):
        blocker = _file_in_the_way(path, root.path)
        if blocker is not None:
            name = _relative(blocker, root.path)
            return f"a file is in the way: {name} must be a folder {where}; move or delete that file"
    if isinstance(error, PermissionError) or error.errno == errno.EROFS:
        target = path if path.is_file() else _nearest_folder(path, root.path)
        what = "file" if target.is_file() else "folder"
        reason = "read-only file system" if error.errno == errno.EROFS else "permission denied"
        return (
            f"cannot write {what} {_relative(target, root.path)} {where}: {reason}; "
            f"make it writable for the studio's user or point {root.variable} at a writable folder"
        )
    reason = error.strerror or type(error).__name__
    return f"{reason}: {_relative(path, root.path)} {where}"


def _file_in_the_way(path: Path, root: Path) -> Path | None:
    """The first existing non-folder on the way from ``root`` down to ``path`` (``path`` itself included)."""
    current = root
    for part in path.relative_to(root).parts:
        current = current / part
        if not current.exists():
            return None
        if not current.is_dir():
            return current
    return None


def _nearest_folder(path: Path, root: Path) -> Path:
    """The folder the write went into: ``path`` if it is one, else its closest existing parent folder."""
    current = path
    while current != root and not current.is_dir():
        current = current.parent
    return current


def _relative(path: Path, root: Path) -> str:
    """``output/scenes/`` for a folder, ``output/x.mp4`` for a file, ``./`` for the root itself."""
    if path == root:
        return "./"
    relative = path.relative_to(root).as_posix()
    return f"{relative}/" if path.is_dir() else relative
