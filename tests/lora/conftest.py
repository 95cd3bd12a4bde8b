"""Fixtures for the LoRA domain: a character with approved images, the training engine on a fake ComfyUI."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from anime_studio.assets.models import AssetStatus
from anime_studio.characters.models import Character
from anime_studio.datasets import service as datasets
from anime_studio.engines.comfyui.pool import ComfyPool
from anime_studio.engines.training.comfyui import ComfyTrainingEngine
from anime_studio.projects.models import Project
from anime_studio.runtime import Runtime
from tests.engines.comfyui.conftest import ComfyFactory, comfy_factory, make_pool, pools
from tests.factories import Studio, create_character, create_project

__all__ = ["comfy_factory", "pools"]


async def approved_images(runtime: Runtime, character_id: int, count: int) -> list[int]:
    """``count`` approved dataset images of the character (sizes differ, as real ones do)."""
    ids = []
    async with runtime.db.transaction() as session:
        character = await session.get(Character, character_id)
        assert character is not None
        project = await session.get(Project, character.project_id)
        assert project is not None
        folder = runtime.paths.dataset_images(project.slug, character.slug)
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(count):
            path = folder / f"approved_{i:03d}.png"
            Image.new("RGB", (64 + 8 * (i % 3), 64), (20 * i % 255, 90, 200)).save(path)
            asset = await datasets.add_image(
                session=session,
                paths=runtime.paths,
                character=character,
                file=path,
                caption=f"hana, 1girl, yellow raincoat, pose {i}",
                provenance={"engine": "test"},
            )
            asset.status = AssetStatus.approved
            ids.append(asset.id)
    return ids


@pytest.fixture
async def hana(studio: Studio) -> dict[str, Any]:
    project = await create_project(studio.editor, name="Train Show")
    return await create_character(studio.editor, project["id"], name="Hana")


TrainingOn = Callable[..., ComfyPool]


@pytest.fixture
async def training_on(
    runtime: Runtime, comfy_factory: ComfyFactory, pools: list[ComfyPool]
) -> AsyncIterator[Callable[..., Any]]:
    """Point the process's training engine at fake ComfyUI servers (the real engine, a fake network edge)."""
    engines = runtime.engines
    saved = engines.__dict__.get("training")

    def use(**options: Any) -> Any:
        comfy = comfy_factory(**options)
        engines.__dict__["training"] = ComfyTrainingEngine(make_pool(pools, [comfy.url], poll_interval=0.1))
        return comfy

    yield use
    if saved is None:
        engines.__dict__.pop("training", None)
    else:
        engines.__dict__["training"] = saved


def media_file(runtime: Runtime, relative: str) -> Path:
    return runtime.paths.inside(relative)
