"""What the local trainer refuses before loading any weights, SDXL key naming, the registry and status."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from diffusers import UNet2DConditionModel
from safetensors.torch import save_file
from transformers import CLIPTextConfig, CLIPTextModel, CLIPTextModelWithProjection

from anime_studio.config import Settings
from anime_studio.engines.base import EngineError
from anime_studio.engines.registry import training_engine
from anime_studio.engines.training.base import ResumeFrom, TrainingSettings
from anime_studio.engines.training.diffusers import kohya
from anime_studio.engines.training.diffusers.engine import DiffusersTrainer, _torch_facts
from tests.engines.training import tiny
from tests.engines.training.conftest import Recorder, Setup, settings

# One worker runs every training test: torch's two threads per process would fight over the same cores.
pytestmark = pytest.mark.xdist_group("torch-training")


async def _train(setup: Setup, out: Path, given: TrainingSettings, **kwargs: object) -> Recorder:
    recorder = Recorder()
    arguments: dict[str, object] = {"dataset": setup.dataset, **kwargs}
    await setup.trainer.train(
        settings=given,
        out_dir=out,
        on_progress=recorder.on_progress,
        on_epoch=recorder.on_epoch,
        should_stop=recorder.should_stop,
        **arguments,  # type: ignore[arg-type]
    )
    return recorder


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"rank": 0}, "rank must be between 1 and 1024"),
        ({"alpha": 0.0}, "alpha must be positive"),
        ({"learning_rate": 0.0}, "learning rate"),
        ({"epochs": 0}, "epochs and batch size"),
        ({"caption_dropout": 1.0}, "caption dropout"),
        ({"resolution": 32}, "resolution must be between"),
        ({"checkpoint": "missing.safetensors"}, "'missing.safetensors' not found"),
        ({"checkpoint": "../tiny.safetensors"}, "inside the checkpoints folder"),
        ({"checkpoint": "/etc/passwd"}, "inside the checkpoints folder"),
        ({"checkpoint": "tiny.ckpt"}, "must be a .safetensors file"),
    ],
)
async def test_bad_settings_fail_before_any_step(
    setup: Setup, tmp_path: Path, changes: dict[str, object], message: str
) -> None:
    recorder = Recorder()
    with pytest.raises(EngineError, match=re.escape(message)):
        await setup.trainer.train(
            dataset=setup.dataset,
            settings=settings(**changes),
            out_dir=tmp_path / "out",
            on_progress=recorder.on_progress,
            on_epoch=recorder.on_epoch,
            should_stop=recorder.should_stop,
        )
    assert recorder.progress == []
    assert not (tmp_path / "out").exists()


async def test_unreadable_datasets_are_refused(setup: Setup, tmp_path: Path) -> None:
    with pytest.raises(EngineError, match="does not exist"):
        await _train(setup, tmp_path / "a", settings(), dataset=tmp_path / "nowhere")
    (tmp_path / "flat").mkdir()
    shutil.copy(next(setup.dataset.glob("*/*.png")), tmp_path / "flat" / "x.png")
    with pytest.raises(EngineError, match="kohya layout"):
        await _train(setup, tmp_path / "b", settings(), dataset=tmp_path / "flat")
    broken = tmp_path / "broken" / "1_tinychar"
    broken.mkdir(parents=True)
    (broken / "000001.png").write_bytes(b"not a png")
    with pytest.raises(EngineError, match=r"cannot read dataset image 000001\.png"):
        await _train(setup, tmp_path / "c", settings(), dataset=tmp_path / "broken")


async def test_checkpoints_without_tokenizer_or_in_another_layout_are_refused(setup: Setup, tmp_path: Path) -> None:
    shutil.copy(setup.checkpoint, setup.models / "bare.safetensors")
    with pytest.raises(EngineError, match=r"no tokenizer \(vocab.json \+ merges.txt\) found"):
        await _train(setup, tmp_path / "a", settings(checkpoint="bare.safetensors"))
    shutil.copytree(setup.checkpoint.with_suffix(""), setup.models / "diffusers")
    save_file({"unet.conv_in.weight": torch.zeros(1)}, str(setup.models / "diffusers.safetensors"))
    with pytest.raises(EngineError, match="not a single-file Stable Diffusion checkpoint in the original layout"):
        await _train(setup, tmp_path / "b", settings(checkpoint="diffusers.safetensors"))
    with pytest.raises(EngineError, match="cannot resume after epoch 3 of a 3-epoch run"):
        await _train(setup, tmp_path / "c", settings(), resume=ResumeFrom(3, setup.checkpoint))


def test_sdxl_files_name_both_text_encoders_as_comfyui_reads_them() -> None:
    torch.manual_seed(0)
    unet = UNet2DConditionModel(**tiny.UNET)  # type: ignore[arg-type]
    first = CLIPTextModel(CLIPTextConfig(**tiny.TEXT))
    second = CLIPTextModelWithProjection(CLIPTextConfig(**tiny.TEXT))
    kohya.add_lora(unet, targets=kohya.UNET_TARGETS, rank=2, alpha=1.0)
    for encoder in (first, second):
        kohya.add_lora(encoder, targets=kohya.TEXT_TARGETS, rank=2, alpha=1.0)
    tensors = kohya.state_dict([unet, first, second], "sdxl", 1.0)
    names = {key.split(".")[0] for key in tensors}
    text_key = re.compile(r"^lora_te([12])_text_model_encoder_layers_[01]_(mlp_fc[12]|self_attn_(q|k|v|out)_proj)$")
    by_encoder = {"1": 0, "2": 0}
    for name in names:
        if not name.startswith("lora_unet_"):
            match = text_key.match(name)
            assert match, name
            by_encoder[match.group(1)] += 1
    assert by_encoder == {"1": 12, "2": 12}  # 2 layers x 6 projections each


def test_the_registry_builds_the_trainer_and_its_status_is_honest(setup: Setup, tmp_path: Path) -> None:
    engine = training_engine(
        Settings(
            data_dir=tmp_path, training_engine="diffusers", training_checkpoints_dir=setup.models, training_device="cpu"
        )
    )
    assert isinstance(engine, DiffusersTrainer)
    _torch_facts().result(timeout=120)
    status = engine._status()
    assert status.reachable and status.kind == "training"
    assert status.extra["cuda"] is torch.cuda.is_available() and status.extra["torch"] == torch.__version__
    assert "tiny.safetensors" in status.models
    if not torch.cuda.is_available():
        wanting_gpu = training_engine(Settings(data_dir=tmp_path, training_engine="diffusers", training_device="cuda"))
        assert isinstance(wanting_gpu, DiffusersTrainer)
        refused = wanting_gpu._status()
        assert not refused.reachable and "sees no CUDA GPU" in refused.detail


def test_the_studio_starts_without_importing_torch() -> None:
    code = (
        "import sys\n"
        "from anime_studio.app import create_app\n"
        "from anime_studio.config import Settings\n"
        "from anime_studio.engines.registry import build_engines\n"
        "create_app(Settings())\n"
        "build_engines(Settings()).training\n"
        "assert 'torch' not in sys.modules, 'torch imported at start-up'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_the_status_answers_while_torch_is_still_loading(tmp_path: Path) -> None:
    code = (
        "from pathlib import Path\n"
        "from anime_studio.engines.training.diffusers import engine\n"
        "engine._PROBE_WAIT = 0.0\n"
        f"trainer = engine.DiffusersTrainer(engine.TrainerOptions(checkpoints_dir=Path({str(tmp_path)!r})))\n"
        "first = trainer._status()\n"
        "assert first.reachable and 'still checking' in first.detail and not first.extra, first\n"
        "engine._torch_facts().result(timeout=120)\n"
        "second = trainer._status()\n"
        "assert second.extra['torch'] and second.extra['device'] in ('cpu', 'cuda'), second\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=150)


async def test_a_diverging_run_stops_with_a_clear_error_instead_of_saving_nan(setup: Setup, tmp_path: Path) -> None:
    recorder = Recorder()
    with pytest.raises(EngineError, match=r"the loss became (nan|inf) in epoch 1, step \d+: lower the learning rate"):
        await setup.trainer.train(
            dataset=setup.dataset,
            settings=settings(rank=1, alpha=1e6, learning_rate=0.9),  # LoRA scale 10⁶: the first update overflows
            out_dir=tmp_path,
            on_progress=recorder.on_progress,
            on_epoch=recorder.on_epoch,
            should_stop=recorder.should_stop,
        )
    assert recorder.epochs == [] and list(tmp_path.iterdir()) == []
