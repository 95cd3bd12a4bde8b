"""Rejected images of Hana with a known defect each, registered as the generation run registers images."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image, ImageFilter

from anime_studio.characters.models import Character
from anime_studio.datasets import service as datasets
from anime_studio.engines.image.storyboard.engine import render_png
from anime_studio.engines.image.storyboard.overlay import Typeface
from anime_studio.events.bus import get_bus
from anime_studio.runtime import Runtime
from tests.datasets.media import HANA_APPEARANCE
from tests.engines.samples import HANA, KAI, image_request
from tests.factories import API, Studio, create_character, create_project
from tests.runs import wait_for

APPEARANCE = {**HANA_APPEARANCE, "common_errors": ["umbrella"]}
ORIGINAL = {"engine": "storyboard", "seed": 4242, "steps": 25, "cfg": 7.0, "sampler": "euler_ancestral",
            "prompt": "hana, full body", "negative": "lowres, umbrella", "prompt_extra": "full body"}  # fmt: skip


def luma(image: Image.Image) -> np.ndarray:
    rgb = np.asarray(image.convert("RGB"), dtype=np.float64)
    result: np.ndarray = rgb @ np.array([0.299, 0.587, 0.114])
    return result


def laplacian_variance(image: Image.Image) -> float:
    g = luma(image)
    lap = 4 * g[1:-1, 1:-1] - g[:-2, 1:-1] - g[2:, 1:-1] - g[1:-1, :-2] - g[1:-1, 2:]
    return float(lap.var())


def _render(*cast: Any, size: tuple[int, int] = (768, 768)) -> Image.Image:
    request = image_request(
        Path("unused.png"), scene=None, characters=cast, prompt="full body, front view", width=size[0], height=size[1]
    )
    data, _ = render_png(request, Typeface())
    return Image.open(io.BytesIO(data)).convert("RGB")


def sheet() -> Image.Image:
    return _render(HANA)


def two_figures() -> Image.Image:
    return _render(HANA, KAI)


def darkened() -> Image.Image:
    return sheet().point(lambda v: round(v * 0.22))


def flattened() -> Image.Image:
    return sheet().point(lambda v: round(128 + (v - 128) * 0.12))


def blurred() -> Image.Image:
    return sheet().filter(ImageFilter.GaussianBlur(6))


def small() -> Image.Image:
    return _render(HANA, size=(320, 240))


Rejected = Callable[..., Any]


@pytest.fixture
async def hana(studio: Studio, worker: object) -> dict[str, Any]:
    # corrected images go back to review; these gates leave every one pending for a person
    await studio.editor.put(f"{API}/quality/gates", json={"auto_approve": 1.0, "auto_reject": 0.0})
    project = await create_project(studio.editor, name="Fix Show")
    return await create_character(studio.editor, project["id"], appearance_data=APPEARANCE)


@pytest.fixture
def rejected(runtime: Runtime, studio: Studio, hana: dict[str, Any]) -> Rejected:
    """Store a picture as a pending image of Hana and reject it through the Approve API with ``reason``."""

    async def make(picture: Image.Image, reason: str, name: str = "original") -> int:
        async with runtime.db.transaction() as session:
            character = await session.get(Character, hana["id"])
            assert character is not None
            folder = runtime.paths.dataset_images("fix-show", character.slug)
            folder.mkdir(parents=True, exist_ok=True)
            file = folder / f"{name}.png"
            picture.save(file)
            asset = await datasets.add_image(
                session=session, paths=runtime.paths, character=character, file=file, caption="hana",
                provenance=dict(ORIGINAL),
            )  # fmt: skip
        body = {"asset_ids": [asset.id], "status": "rejected", "reason": reason}
        response = await studio.reviewer.post(f"{API}/datasets/{hana['id']}/review", json=body)
        assert response.status_code == 200, response.text
        await get_bus().drain()
        return asset.id

    return make


async def correct(runtime: Runtime, studio: Studio, asset_id: int, strategy: str | None = None) -> dict[str, Any]:
    """Ask for a correction through the API, wait for its run; the corrected image's detail (with provenance)."""
    async with get_bus().subscribe("regeneration.queued") as events:
        response = await studio.reviewer.post(
            f"{API}/learning/corrections", json={"asset_id": asset_id, **({"strategy": strategy} if strategy else {})}
        )
        assert response.status_code == 202, response.text
        queued = events.queue.get_nowait()
    correction = response.json()
    assert queued.data["correction_id"] == correction["id"] and queued.data["asset_id"] == asset_id
    run = await wait_for(runtime, correction["run_id"], timeout=60)
    assert run.status.value == "succeeded", run.error
    corrected = await studio.reviewer.get(f"{API}/assets/{run.result['corrected_asset_id']}")
    detail: dict[str, Any] = corrected.json()
    assert detail["status"] == "pending" and detail["source_asset_id"] == asset_id  # back in review, linked
    assert detail["provenance"]["correction"]["strategy"] == run.result["strategy"]
    assert detail["review"]["engine"] == "heuristic"  # the vision review looked at it
    return detail


def picture(runtime: Runtime, detail: dict[str, Any]) -> Image.Image:
    return Image.open(runtime.paths.inside(detail["path"])).convert("RGB")
