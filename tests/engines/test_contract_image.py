"""The image engine contract, run against every implementation (ComfyUI through its fake server).

To add an implementation, add an ``Impl`` to ``IMAGE`` (see ``tests/engines/contract.py``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from anime_studio.engines.base import EngineError, TransientEngineError
from anime_studio.engines.comfyui.render import PoolRenderer
from anime_studio.engines.image.base import ImageEngine
from anime_studio.engines.image.comfyui import ComfyImageEngine
from anime_studio.engines.image.storyboard import StoryboardEngine
from tests.engines import contract
from tests.engines.samples import HANA, image_request, pixels, textured_image


def _comfyui(backends: contract.Backends) -> ImageEngine:
    pool = backends.comfy_pool()
    return ComfyImageEngine(pool=pool, renderer=PoolRenderer(pool), default_checkpoint="anything-v5.safetensors")


IMAGE: dict[str, contract.Impl[ImageEngine]] = {
    "storyboard": contract.Impl(lambda backends: StoryboardEngine()),
    "comfyui": contract.served("comfyui", _comfyui),
}


@pytest.fixture(params=contract.impl_params(IMAGE))
def impl(request: pytest.FixtureRequest) -> contract.Impl[ImageEngine]:
    return request.param  # type: ignore[no-any-return]


async def test_writes_a_png_of_the_requested_size(engine: ImageEngine, tmp_path: Path) -> None:
    out = tmp_path / "panel.png"
    result = await engine.generate(image_request(out, width=320, height=200))
    assert result.path == out and out.is_file()
    with Image.open(out) as image:
        assert image.format == "PNG"
        assert image.size == (320, 200)
    assert result.engine == engine.name
    assert result.seed == 7
    assert result.duration >= 0
    assert result.parameters
    assert sorted(p.name for p in tmp_path.iterdir()) == ["panel.png"]  # nothing else left beside it


async def test_creates_missing_output_folders(engine: ImageEngine, tmp_path: Path) -> None:
    out = tmp_path / "a" / "b" / "panel.png"
    await engine.generate(image_request(out))
    assert out.is_file()


@pytest.mark.parametrize("impl", contract.impl_params(IMAGE, contract.deterministic))
async def test_same_request_and_seed_give_the_same_image(engine: ImageEngine, tmp_path: Path) -> None:
    first = await engine.generate(image_request(tmp_path / "1.png"))
    second = await engine.generate(image_request(tmp_path / "2.png"))
    assert first.path.read_bytes() == second.path.read_bytes()


async def test_another_seed_gives_another_image(engine: ImageEngine, tmp_path: Path) -> None:
    first = await engine.generate(image_request(tmp_path / "1.png", seed=1))
    second = await engine.generate(image_request(tmp_path / "2.png", seed=2))
    assert (pixels(first.path) != pixels(second.path)).any()


async def test_character_without_scene(engine: ImageEngine, tmp_path: Path) -> None:
    result = await engine.generate(image_request(tmp_path / "sheet.png", scene=None, characters=(HANA,)))
    assert pixels(result.path).shape == (288, 512, 3)


async def test_img2img_uses_the_init_image(engine: ImageEngine, tmp_path: Path) -> None:
    init = textured_image(tmp_path / "init.png", (512, 288))
    plain = await engine.generate(image_request(tmp_path / "plain.png"))
    blended = await engine.generate(image_request(tmp_path / "blend.png", init_image=init, denoise=0.4))
    assert (pixels(plain.path) != pixels(blended.path)).any()


async def test_reports_progress_up_to_done(engine: ImageEngine, tmp_path: Path) -> None:
    seen: list[float] = []

    async def progress(fraction: float, message: str) -> None:
        seen.append(fraction)

    await engine.generate(image_request(tmp_path / "p.png"), progress=progress)
    assert seen and seen == sorted(seen)
    assert all(0 <= f <= 1 for f in seen) and seen[-1] == 1.0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"width": 0}, "width"),
        ({"height": 100_000}, "height"),
        ({"init_image": Path("/nonexistent/init.png")}, "image not found"),
        ({"denoise": 1.5}, "denoise"),
    ],
)
async def test_bad_requests_are_engine_errors(
    engine: ImageEngine, tmp_path: Path, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(EngineError, match=message) as raised:
        await engine.generate(image_request(tmp_path / "bad.png", **changes))
    assert not isinstance(raised.value, TransientEngineError)  # retrying a bad request cannot help
    assert not (tmp_path / "bad.png").exists()


async def test_status_and_models(engine: ImageEngine) -> None:
    contract.assert_status(await engine.status(), "image", engine.name)
    models = await engine.models()
    assert models and all(isinstance(m, str) and m for m in models)


@pytest.mark.parametrize("impl", contract.impl_params(IMAGE, contract.remote))
async def test_server_down_is_transient(
    impl: contract.Impl[ImageEngine], fake_servers: contract.FakeServers, tmp_path: Path
) -> None:
    request = image_request(tmp_path / "down.png")
    await contract.assert_down_is_transient(
        impl, fake_servers, tmp_path, "image", lambda engine: engine.generate(request)
    )
    assert not request.output_path.exists()
