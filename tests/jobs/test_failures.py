"""A run that trips over a studio folder says which folder, what is wrong and which setting points at it."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from anime_studio.config import Settings
from anime_studio.jobs.failures import filesystem_problem
from anime_studio.jobs.models import RunStatus
from anime_studio.runtime import Runtime
from tests.factories import API, Studio, create_project
from tests.jobs.conftest import EnqueueFn, wait_for


async def test_a_file_where_the_scene_folder_should_be(runtime: Runtime, studio: Studio, worker: object) -> None:
    project = await create_project(studio.editor, name="Blocked Show")
    scene = (await studio.editor.post(f"{API}/scenes", json={"project_id": project["id"], "title": "Roof"})).json()
    await studio.editor.post(f"{API}/scenes/{scene['id']}/shots", json={"duration": 1.0})
    folder = runtime.paths.scene_dir(project["slug"], scene["id"])
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.write_bytes(b"not a folder")

    response = await studio.editor.post(f"{API}/scenes/{scene['id']}/generate")
    run = await wait_for(runtime, response.json()["id"], timeout=60)

    assert run.status == RunStatus.failed
    assert run.error == (
        f"a file is in the way: output/scenes/{project['slug']}/scene_{scene['id']} must be a folder"
        " under the media root (ANIME_STUDIO_MEDIA_ROOT); move or delete that file"
    )
    assert folder.read_bytes() == b"not a folder"


async def test_an_unwritable_media_folder(runtime: Runtime, enqueue: EnqueueFn, worker: object) -> None:
    (runtime.paths.root / "output/locked").mkdir(parents=True, exist_ok=True)
    run = await wait_for(runtime, await enqueue("test.unwritable", folder="output/locked"), timeout=30)
    assert run.status == RunStatus.failed
    assert run.error == (
        "cannot write folder output/locked/ under the media root (ANIME_STUDIO_MEDIA_ROOT): permission denied;"
        " make it writable for the studio's user or point ANIME_STUDIO_MEDIA_ROOT at a writable folder"
    )
    assert str(runtime.paths.root) not in run.error


def _raised(action: object) -> OSError:
    with pytest.raises(OSError) as caught:
        action()  # type: ignore[operator]
    return caught.value


def test_default_roots_name_the_data_dir_setting(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    (tmp_path / "library").mkdir()
    (tmp_path / "library/Show").write_bytes(b"")
    error = _raised(lambda: (tmp_path / "library/Show/Season 01").mkdir(parents=True, exist_ok=True))
    assert filesystem_problem(error, settings) == (
        "a file is in the way: Show must be a folder under the library"
        " (ANIME_STUDIO_LIBRARY_DIR, unset: ANIME_STUDIO_DATA_DIR/library); move or delete that file"
    )
    denied = PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(tmp_path / "media/output/x.mp4"))
    assert filesystem_problem(denied, settings) == (
        "cannot write folder ./ under the media root (ANIME_STUDIO_MEDIA_ROOT, unset: ANIME_STUDIO_DATA_DIR/media):"
        " permission denied; make it writable for the studio's user or point ANIME_STUDIO_MEDIA_ROOT at a writable"
        " folder"
    )


def test_errors_elsewhere_stay_internal(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    outside = PermissionError(errno.EACCES, "Permission denied", str(tmp_path / "elsewhere"))
    assert filesystem_problem(outside, settings) is None
    assert filesystem_problem(ValueError("boom"), settings) is None
    assert filesystem_problem(OSError(errno.ENOSPC, "No space left on device"), settings) is None
