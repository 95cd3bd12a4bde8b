"""``anime-studio demo`` then ``render`` as a person runs them: a fresh data dir, its own embedded PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CLI = Path(sys.executable).with_name("anime-studio")


def cli(data_dir: Path, *args: str) -> str:
    env = {**os.environ, "ANIME_STUDIO_DATA_DIR": str(data_dir), "COLUMNS": "200"}
    env.pop("ANIME_STUDIO_DATABASE_URL", None)
    done = subprocess.run([str(CLI), *args], env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr  # Rich prints progress and results on stderr


def shot_times(data_dir: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (data_dir / "media/output/scenes").rglob("shot_*.mp4")}


@pytest.mark.skipif(not CLI.exists(), reason="the console script is not installed")
def test_demo_renders_and_publishes_headless(tmp_path: Path) -> None:
    assert "lantern-courier" in cli(tmp_path, "demo")
    out = cli(tmp_path, "render", "--project", "lantern-courier", "--episode", "1", "--publish")
    assert "episode ready" in out and "published" in out
    assert (tmp_path / "media/output/episodes/lantern-courier/S01E01.mp4").stat().st_size > 10_000
    season = tmp_path / "library/Lantern Courier/Season 01"
    names = sorted(p.name for p in season.iterdir())
    assert names == [
        "Lantern Courier S01E01 - The Last Letter-thumb.jpg",
        "Lantern Courier S01E01 - The Last Letter.en.srt",
        "Lantern Courier S01E01 - The Last Letter.mp4",
        "Lantern Courier S01E01 - The Last Letter.nfo",
    ]
    first = shot_times(tmp_path)
    assert len(first) == 6

    again = cli(tmp_path, "render", "--project", "lantern-courier", "--episode", "1")
    assert again.count("already rendered") == 2 and shot_times(tmp_path) == first

    cli(tmp_path, "render", "--project", "lantern-courier", "--episode", "1", "--force")
    forced = shot_times(tmp_path)
    assert forced.keys() == first.keys() and all(forced[name] != first[name] for name in first)
