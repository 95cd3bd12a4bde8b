"""The Train tab's presets: sensible character-LoRA settings per model family."""

from __future__ import annotations

from typing import Any

from anime_studio.lora.schemas import PresetName, PresetRead

PRESETS: dict[PresetName, PresetRead] = {
    "sd15-character": PresetRead(
        name="sd15-character",
        label="Character LoRA, SD 1.5",
        family="sd15",
        settings={
            "rank": 16,
            "alpha": 8.0,
            "learning_rate": 1e-4,
            "epochs": 10,
            "batch_size": 1,
            "resolution": 512,
            "bucketing": True,
            "caption_dropout": 0.05,
            "seed": 42,
        },
    ),
    "sdxl-character": PresetRead(
        name="sdxl-character",
        label="Character LoRA, SDXL",
        family="sdxl",
        settings={
            "rank": 32,
            "alpha": 16.0,
            "learning_rate": 1e-4,
            "epochs": 10,
            "batch_size": 1,
            "resolution": 1024,
            "bucketing": True,
            "caption_dropout": 0.05,
            "seed": 42,
        },
    ),
}


def resolved(preset: PresetName, overrides: dict[str, Any]) -> dict[str, Any]:
    """The preset's settings with the given non-null overrides applied."""
    return {**PRESETS[preset].settings, **{k: v for k, v in overrides.items() if v is not None}}
