"""The image→video engine contract, run against every implementation (ComfyUI ones through its fake server).

To add an implementation, add an ``Impl`` to ``VIDEO`` (see ``tests/engines/contract.py``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from anime_studio.engines.base import EngineError, TransientEngineError
from anime_studio.engines.comfyui.render import PoolRenderer
from anime_studio.engines.comfyui.workflows.video import Variant
from anime_studio.engines.video.base import VideoEngine
from anime_studio.engines.video.comfyui import ComfyVideoEngine
from anime_studio.engines.video.kenburns import KenBurnsEngine
from anime_studio.media.frames import count_frames, frame_at, last_frame
from anime_studio.media.probe import probe
from tests.engines import contract
from tests.engines.samples import textured_image, video_request


def _comfyui(variant: Variant) -> contract.Impl[VideoEngine]:
    def build(backends: contract.Backends) -> VideoEngine:
        pool = backends.comfy_pool()
        return ComfyVideoEngine(variant, pool=pool, renderer=PoolRenderer(pool))

    return contract.served("comfyui", build)


VIDEO: dict[str, contract.Impl[VideoEngine]] = {
    "kenburns": contract.Impl(lambda backends: KenBurnsEngine()),
    "framepack": _comfyui("framepack"),
    "ltxv": _comfyui("ltxv"),
    "wan": _comfyui("wan"),
}


@pytest.fixture(params=contract.impl_params(VIDEO))
def impl(request: pytest.FixtureRequest) -> contract.Impl[VideoEngine]:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return textured_image(tmp_path / "source.png")


async def test_h264_mp4_with_exact_size_rate_and_frames(engine: VideoEngine, source: Path, tmp_path: Path) -> None:
    out = tmp_path / "clip.mp4"
    result = await engine.animate(video_request(source, out, duration=1.25, fps=12))
    info = probe(out)
    assert (info.video_codec, info.pix_fmt) == ("h264", "yuv420p")
    assert (info.width, info.height) == (320, 180)
    assert info.fps == pytest.approx(12) and not info.has_audio
    assert count_frames(out) == round(1.25 * 12) == result.frames
    assert result.fps == 12 and result.duration == pytest.approx(15 / 12, abs=0.01)
    assert result.path == out and result.engine == engine.name
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["source.png", "clip.mp4", result.last_frame_path.name])


async def test_last_frame_png_is_the_videos_last_frame(engine: VideoEngine, source: Path, tmp_path: Path) -> None:
    out = tmp_path / "clip.mp4"
    result = await engine.animate(video_request(source, out))
    assert result.last_frame_path.is_file() and result.last_frame_path.parent == out.parent
    with Image.open(result.last_frame_path) as png:
        assert png.format == "PNG" and png.size == (320, 180)
        saved = np.asarray(png.convert("RGB"))
    assert np.array_equal(saved, np.asarray(frame_at(out, result.frames - 1)))
    assert np.array_equal(saved, np.asarray(last_frame(out)))
    assert not np.array_equal(saved, np.asarray(frame_at(out, 0)))  # the picture moves


@pytest.mark.parametrize("impl", contract.impl_params(VIDEO, contract.deterministic))
async def test_same_request_gives_the_same_frames(engine: VideoEngine, source: Path, tmp_path: Path) -> None:
    a = await engine.animate(video_request(source, tmp_path / "a.mp4", motion_prompt="fast punch", shot_type="action"))
    b = await engine.animate(video_request(source, tmp_path / "b.mp4", motion_prompt="fast punch", shot_type="action"))
    for index in (0, a.frames // 2, a.frames - 1):
        assert np.array_equal(np.asarray(frame_at(a.path, index)), np.asarray(frame_at(b.path, index)))


async def test_reports_progress_up_to_done(engine: VideoEngine, source: Path, tmp_path: Path) -> None:
    seen: list[float] = []

    async def progress(fraction: float, message: str) -> None:
        seen.append(fraction)

    await engine.animate(video_request(source, tmp_path / "p.mp4"), progress=progress)
    assert seen == sorted(seen) and all(0 <= f <= 1 for f in seen) and seen[-1] == 1.0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"source_image": Path("/nonexistent/source.png")}, "source image"),
        ({"duration": 0.0}, "duration"),
        ({"fps": 0}, "fps"),
        ({"width": 321}, "width"),
    ],
)
async def test_bad_requests_are_engine_errors(
    engine: VideoEngine, source: Path, tmp_path: Path, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(EngineError, match=message) as raised:
        await engine.animate(video_request(source, tmp_path / "bad.mp4", **changes))
    assert not isinstance(raised.value, TransientEngineError)
    assert not (tmp_path / "bad.mp4").exists()


async def test_unreadable_source_is_an_engine_error(engine: VideoEngine, tmp_path: Path) -> None:
    fake = tmp_path / "not-an-image.png"
    fake.write_text("hello")
    with pytest.raises(EngineError):
        await engine.animate(video_request(fake, tmp_path / "bad.mp4"))
    assert not (tmp_path / "bad.mp4").exists()


async def test_status_shape(engine: VideoEngine) -> None:
    contract.assert_status(await engine.status(), "video", engine.name)


@pytest.mark.parametrize("impl", contract.impl_params(VIDEO, contract.remote))
async def test_server_down_is_transient(
    impl: contract.Impl[VideoEngine], fake_servers: contract.FakeServers, source: Path, tmp_path: Path
) -> None:
    request = video_request(source, tmp_path / "down.mp4")
    await contract.assert_down_is_transient(
        impl, fake_servers, tmp_path, "video", lambda engine: engine.animate(request)
    )
    assert not request.output_path.exists()
