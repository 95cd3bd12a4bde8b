"""Serve the test suite's fake ComfyUI (training nodes included) for the Train tab's browser test.

Usage: python fake_comfyui.py PORT ROOT  (serves until killed; trained LoRAs are listed like models/loras)
"""

from __future__ import annotations

import sys
from pathlib import Path

import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.engines.comfyui.conftest import SD15
from tests.fakes.comfyui import FakeComfyUI


def main(port: int, root: Path) -> None:
    fake = FakeComfyUI(root, models={"checkpoints": [SD15]}, duration=1.5)
    uvicorn.run(fake.app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")


if __name__ == "__main__":
    main(int(sys.argv[1]), Path(sys.argv[2]))
