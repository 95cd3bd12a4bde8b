"""Each of the seven strategies changes the image the way its name says; the result is a new pending
image linked to its original, queued with ``regeneration.queued``."""

from __future__ import annotations

from typing import Any

from anime_studio.engines.vision.base import ReviewRequest
from anime_studio.engines.vision.heuristic import review_image
from anime_studio.runtime import Runtime
from tests.correction.conftest import (
    ORIGINAL,
    Rejected,
    blurred,
    correct,
    darkened,
    flattened,
    laplacian_variance,
    luma,
    picture,
    sheet,
    small,
    two_figures,
)
from tests.factories import API, Studio


async def test_fix_brightness_lifts_a_dark_image(runtime: Runtime, studio: Studio, rejected: Rejected) -> None:
    original = darkened()
    asset_id = await rejected(original, "off-model")
    fixed = picture(runtime, await correct(runtime, studio, asset_id, "fix_brightness"))
    assert luma(original).mean() < 50 and luma(fixed).mean() > 2 * luma(original).mean()
    assert fixed.size == original.size


async def test_fix_contrast_spreads_a_flat_image(runtime: Runtime, studio: Studio, rejected: Rejected) -> None:
    original = flattened()
    asset_id = await rejected(original, "off-model")
    fixed = picture(runtime, await correct(runtime, studio, asset_id, "fix_contrast"))
    assert luma(fixed).std() > 3 * luma(original).std()


async def test_fix_blur_sharpens(runtime: Runtime, studio: Studio, rejected: Rejected) -> None:
    original = blurred()
    asset_id = await rejected(original, "blurry")
    detail = await correct(runtime, studio, asset_id)  # the reason "blurry" picks the strategy
    assert detail["provenance"]["correction"]["strategy"] == "fix_blur"
    assert laplacian_variance(picture(runtime, detail)) > 2 * laplacian_variance(original)


async def test_fix_resolution_upscales_keeping_the_aspect(runtime: Runtime, studio: Studio, rejected: Rejected) -> None:
    original = small()
    asset_id = await rejected(original, "off-model")
    fixed = picture(runtime, await correct(runtime, studio, asset_id, "fix_resolution"))
    assert min(fixed.size) >= 512 and fixed.width > original.width
    assert abs(fixed.width / fixed.height - original.width / original.height) < 0.01


async def test_fix_solo_crops_to_one_figure(runtime: Runtime, studio: Studio, rejected: Rejected) -> None:
    original = two_figures()
    assert not review_image(ReviewRequest(image_path=_saved(runtime, original))).solo
    asset_id = await rejected(original, "not solo")
    detail = await correct(runtime, studio, asset_id)
    assert detail["provenance"]["correction"]["strategy"] == "fix_solo"
    assert detail["review"]["solo"] is True and "separate figures" not in " ".join(detail["review"]["issues"])
    assert picture(runtime, detail).width < original.width


async def test_fix_solo_regenerates_with_solo_terms_when_no_crop_isolates_one(
    runtime: Runtime, studio: Studio, rejected: Rejected
) -> None:
    asset_id = await rejected(sheet(), "not solo")  # one figure: nothing to crop away
    provenance = (await correct(runtime, studio, asset_id, "fix_solo"))["provenance"]
    assert provenance["prompt"].startswith("solo, single character, ")
    assert "(multiple characters:1.3)" in provenance["negative"] and provenance["seed"] != ORIGINAL["seed"]


async def test_fix_quality_regenerates_with_more_steps_and_another_seed(
    runtime: Runtime, studio: Studio, rejected: Rejected
) -> None:
    asset_id = await rejected(sheet(), "cropped / incomplete")
    provenance = (await correct(runtime, studio, asset_id))["provenance"]
    assert provenance["correction"]["strategy"] == "fix_quality"
    assert provenance["steps"] > ORIGINAL["steps"] and provenance["seed"] != ORIGINAL["seed"]
    assert provenance["parameters"]["seed"] == provenance["seed"]  # what the engine really rendered


async def test_fix_appearance_strengthens_the_negatives(runtime: Runtime, studio: Studio, rejected: Rejected) -> None:
    asset_id = await rejected(sheet(), "has umbrella")
    provenance = (await correct(runtime, studio, asset_id))["provenance"]
    assert provenance["correction"]["strategy"] == "fix_appearance"
    negative = provenance["negative"]
    assert negative.startswith("(umbrella:1.3)") and ", umbrella" not in negative  # weighted, not repeated
    assert provenance["seed"] != ORIGINAL["seed"]


async def test_history_bad_requests_and_one_try_per_strategy(
    runtime: Runtime, studio: Studio, rejected: Rejected, hana: dict[str, Any]
) -> None:
    asset_id = await rejected(darkened(), "off-model")
    detail = await correct(runtime, studio, asset_id, "fix_brightness")
    history = (await studio.reviewer.get(f"{API}/learning/characters/{hana['id']}/corrections")).json()
    assert len(history) == 1 and history[0]["status"] == "done" and history[0]["strategy"] == "fix_brightness"
    assert history[0]["original"]["id"] == asset_id and history[0]["corrected"]["id"] == detail["id"]
    assert history[0]["corrected"]["thumbnail_url"].startswith(f"/api/lora/assets/{detail['id']}/thumbnail")
    assert "mean luminance" in history[0]["detail"]
    url = f"{API}/learning/corrections"
    again = await studio.reviewer.post(url, json={"asset_id": asset_id, "strategy": "fix_brightness"})
    assert again.status_code == 409
    pending = await studio.reviewer.post(url, json={"asset_id": detail["id"]})
    assert pending.status_code == 422 and "only rejected images" in pending.json()["detail"]
    assert (await studio.reviewer.post(url, json={"asset_id": asset_id, "strategy": "fix_all"})).status_code == 422
    assert (await studio.reviewer.post(url, json={"asset_id": 999999})).status_code == 404
    assert (await studio.reviewer.get(f"{API}/learning/characters/999999/corrections")).status_code == 404


def _saved(runtime: Runtime, image: Any) -> Any:
    path = runtime.paths.root / "two.png"
    image.save(path)
    return path
