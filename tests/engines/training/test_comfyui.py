"""Training on the fake ComfyUI with ComfyUI's own training nodes, validated against the real schemas."""

from __future__ import annotations

import asyncio
import json
import struct
from pathlib import Path

import httpx
import pytest
from PIL import Image

from anime_studio.engines.base import EngineError, MissingRequirement
from anime_studio.engines.comfyui.catalog import NodeSchemas
from anime_studio.engines.comfyui.pool import ComfyPool
from anime_studio.engines.comfyui.render import PoolRenderer, RenderJob
from anime_studio.engines.comfyui.requirements import check_workflow
from anime_studio.engines.comfyui.workflows.image import ImageGraph, build_image_workflow
from anime_studio.engines.training.base import (
    EpochResult,
    ResumeFrom,
    TrainingCancelled,
    TrainingProgress,
    TrainingSettings,
)
from anime_studio.engines.training.comfyui import ComfyTrainingEngine
from anime_studio.engines.training.comfyui_workflow import EpochPlan, epoch_workflow
from tests.engines.comfyui.conftest import SD15, ComfyFactory, make_pool
from tests.fakes.comfyui import captured_schemas
from tests.fakes.comfyui_validation import Validator

SETTINGS = TrainingSettings(checkpoint=SD15, family="sd15", trigger_word="hana_xyz", rank=4, epochs=3, resolution=64)


def dataset(root: Path, count: int = 4) -> Path:
    """A kohya folder (2 repeats) whose images differ in size, as approved images do."""
    folder = root / "2_hana_xyz"
    folder.mkdir(parents=True)
    for i in range(count):
        Image.new("RGB", (96 + 16 * i, 64), (40 * i, 120, 200)).save(folder / f"{i:06d}.png")
        (folder / f"{i:06d}.txt").write_text(f"hana_xyz, girl, pose {i}")
    return root


class Recorder:
    def __init__(self, stop_after_steps: int | None = None) -> None:
        self.progress: list[TrainingProgress] = []
        self.epochs: list[EpochResult] = []
        self.stop_after_steps = stop_after_steps

    async def on_progress(self, progress: TrainingProgress) -> None:
        self.progress.append(progress)

    async def on_epoch(self, result: EpochResult) -> None:
        self.epochs.append(result)

    async def should_stop(self) -> bool:
        steps = max((p.step for p in self.progress), default=0)
        return self.stop_after_steps is not None and steps >= self.stop_after_steps


def lora_keys(path: Path) -> list[str]:
    raw = path.read_bytes()
    (length,) = struct.unpack("<Q", raw[:8])
    return [k for k in json.loads(raw[8 : 8 + length]) if k != "__metadata__"]


def test_epoch_workflow_validates_against_the_real_schemas() -> None:
    """The real ``/object_info`` (training nodes included) accepts the graph, once folder and LoRA exist."""
    schemas = json.loads(json.dumps(captured_schemas()))
    schemas["CheckpointLoaderSimple"]["input"]["required"]["ckpt_name"][0] = [SD15]
    schemas["LoadImageTextDataSetFromFolder"]["input"]["required"]["folder"][1]["options"] = ["ds/abc"]
    plan = EpochPlan(folder="ds/abc", prefix="loras/anime_studio/x/e001", steps=8)
    workflow, nodes = epoch_workflow(SETTINGS, plan)
    valid, error, outputs, node_errors = Validator(schemas, input_exists=lambda _: False).validate_prompt(
        workflow, None
    )
    assert (valid, error, node_errors) == (True, None, {})
    assert set(outputs) == {"5", nodes.loss, nodes.steps}
    assert check_workflow(workflow, NodeSchemas(schemas)).ok
    rank_zero = epoch_workflow(TrainingSettings(**{**SETTINGS.__dict__, "rank": 0}), plan)[0]
    assert not Validator(schemas, input_exists=lambda _: False).validate_prompt(rank_zero, None)[0]


async def test_trains_three_epochs_continuing_each_from_the_last(
    comfy_factory: ComfyFactory, pools: list[ComfyPool], tmp_path: Path
) -> None:
    comfy = comfy_factory(duration=0.1)
    engine = ComfyTrainingEngine(make_pool(pools, [comfy.url]))
    record = Recorder()
    results = await engine.train(
        dataset=dataset(tmp_path / "ds"),
        settings=SETTINGS,
        out_dir=tmp_path / "out",
        on_progress=record.on_progress,
        on_epoch=record.on_epoch,
        should_stop=record.should_stop,
    )
    assert [r.epoch for r in results] == [1, 2, 3] == [r.epoch for r in record.epochs]
    assert all(r.steps == 8 for r in results)  # 4 images x 2 repeats / batch 1
    assert all(
        r.path.is_file() and "lora_unet_down_blocks_0_attentions_0_proj_in.lora_down.weight" in lora_keys(r.path)
        for r in results
    )
    assert results[0].loss > results[1].loss > results[2].loss
    live = [p.step for p in record.progress if p.loss is None]
    assert live == sorted(live) and live[-1] == 24 and len(set(live)) == 24
    losses = [(p.step, p.loss) for p in record.progress if p.loss is not None]
    assert [s for s, _ in losses] == list(range(1, 25))  # each step's loss once, after its epoch
    assert record.progress[-1].total_steps == 24
    # Each epoch continued from the previous file: 8 steps per prompt, and the saved step counts add up.
    assert [r.path.name.split("_steps_")[0].rsplit("_", 1)[1] for r in results] == ["8", "16", "24"]
    uploaded = list((comfy.fake.input_dir / "anime_studio_training").rglob("*.png"))
    assert len(uploaded) == 4 and {Image.open(p).size for p in uploaded} == {(64, 64)}


async def test_without_listed_trained_loras_each_epoch_retrains_from_scratch(
    comfy_factory: ComfyFactory, pools: list[ComfyPool], tmp_path: Path
) -> None:
    comfy = comfy_factory(duration=0.05, list_trained_loras=False)
    engine = ComfyTrainingEngine(make_pool(pools, [comfy.url]))
    record = Recorder()
    settings = TrainingSettings(**{**SETTINGS.__dict__, "epochs": 2})
    continuing = Recorder()
    other = comfy_factory(duration=0.05)
    await ComfyTrainingEngine(make_pool(pools, [other.url])).train(
        dataset=dataset(tmp_path / "a"),
        settings=settings,
        out_dir=tmp_path / "o1",
        on_progress=continuing.on_progress,
        on_epoch=continuing.on_epoch,
        should_stop=continuing.should_stop,
    )
    results = await engine.train(
        dataset=dataset(tmp_path / "b"),
        settings=settings,
        out_dir=tmp_path / "o2",
        on_progress=record.on_progress,
        on_epoch=record.on_epoch,
        should_stop=record.should_stop,
    )
    assert [r.path.name.split("_steps_")[0].rsplit("_", 1)[1] for r in results] == ["8", "16"]
    # Same seed: retraining from scratch repeats the earlier steps, so the epochs' losses match.
    assert [round(r.loss, 6) for r in results] == [round(r.loss, 6) for r in continuing.epochs]
    assert [p.step for p in record.progress if p.loss is not None] == list(range(1, 17))


async def test_cancel_mid_epoch_keeps_finished_epochs_and_resume_continues(
    comfy_factory: ComfyFactory, pools: list[ComfyPool], tmp_path: Path
) -> None:
    comfy = comfy_factory(duration=0.6)
    engine = ComfyTrainingEngine(make_pool(pools, [comfy.url]))
    record = Recorder(stop_after_steps=11)  # during epoch 2
    data = dataset(tmp_path / "ds")
    with pytest.raises(TrainingCancelled):
        await engine.train(
            dataset=data,
            settings=SETTINGS,
            out_dir=tmp_path / "out",
            on_progress=record.on_progress,
            on_epoch=record.on_epoch,
            should_stop=record.should_stop,
        )
    assert [r.epoch for r in record.epochs] == [1] and record.epochs[0].path.is_file()
    await asyncio.sleep(0.2)
    async with httpx.AsyncClient() as http:
        queue = (await http.get(f"{comfy.url}/queue")).json()
    assert queue == {"queue_running": [], "queue_pending": []}  # the epoch in flight was interrupted
    resumed = Recorder()
    results = await engine.train(
        dataset=data,
        settings=SETTINGS,
        out_dir=tmp_path / "out",
        on_progress=resumed.on_progress,
        on_epoch=resumed.on_epoch,
        should_stop=resumed.should_stop,
        resume=ResumeFrom(epoch=1, path=record.epochs[0].path),
    )
    assert [r.epoch for r in results] == [2, 3]
    assert [r.path.name.split("_steps_")[0].rsplit("_", 1)[1] for r in results] == ["16", "24"]
    assert resumed.progress[0].step > 8


async def test_training_holds_its_backend_and_renders_go_elsewhere(
    comfy_factory: ComfyFactory, pools: list[ComfyPool], tmp_path: Path
) -> None:
    first, second = comfy_factory(duration=0.4), comfy_factory(duration=0.05)
    pool = make_pool(pools, [first.url, second.url])
    engine = ComfyTrainingEngine(pool)
    record = Recorder()
    training = asyncio.create_task(
        engine.train(
            dataset=dataset(tmp_path / "ds"),
            settings=TrainingSettings(**{**SETTINGS.__dict__, "epochs": 2}),
            out_dir=tmp_path / "out",
            on_progress=record.on_progress,
            on_epoch=record.on_epoch,
            should_stop=record.should_stop,
        )
    )
    while not record.progress:
        await asyncio.sleep(0.02)
    held = next(b for b in pool.backends if b.held_by)
    spec = ImageGraph(checkpoint=SD15, prompt="a cat", negative="", seed=1, width=64, height=48, steps=2)
    outputs = [
        await PoolRenderer(pool).render(RenderJob(workflow=build_image_workflow(spec), checkpoint=SD15, label="r"))
        for _ in range(3)
    ]
    assert {o.backend for o in outputs} == {b.url for b in pool.backends if b is not held}
    assert any(s.held_by for s in pool.status())
    await training
    assert not any(b.held_by for b in pool.backends)


async def test_bad_settings_and_missing_checkpoint_fail_before_any_prompt(
    comfy_factory: ComfyFactory, pools: list[ComfyPool], tmp_path: Path
) -> None:
    comfy = comfy_factory(duration=0.05)
    engine = ComfyTrainingEngine(make_pool(pools, [comfy.url]))
    record = Recorder()
    with pytest.raises(MissingRequirement, match=r"models/checkpoints/nope\.safetensors"):
        await engine.train(
            dataset=dataset(tmp_path / "ds"),
            settings=TrainingSettings(**{**SETTINGS.__dict__, "checkpoint": "nope.safetensors"}),
            out_dir=tmp_path / "out",
            on_progress=record.on_progress,
            on_epoch=record.on_epoch,
            should_stop=record.should_stop,
        )
    (tmp_path / "empty").mkdir()
    with pytest.raises(EngineError, match="no images"):
        await engine.train(
            dataset=tmp_path / "empty",
            settings=SETTINGS,
            out_dir=tmp_path / "out",
            on_progress=record.on_progress,
            on_epoch=record.on_epoch,
            should_stop=record.should_stop,
        )
    assert comfy.fake.started == []
