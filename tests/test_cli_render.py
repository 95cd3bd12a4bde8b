"""``anime-studio demo`` then ``render`` as a person runs them: a fresh data dir, its own embedded PostgreSQL."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from anime_studio.db.server import stop_embedded

CLI = Path(sys.executable).with_name("anime-studio")


@pytest.fixture
def data_dir() -> Iterator[Path]:
    """A fresh data dir outside pytest's temp dir (private to root; the embedded server runs as its own user)."""
    folder = Path(tempfile.mkdtemp(prefix="anime-studio-cli-"))
    folder.chmod(0o755)
    yield folder
    if (folder / "pgdata").is_dir():  # a killed CLI cannot stop its server
        with contextlib.suppress(Exception):
            stop_embedded(folder / "pgdata")
    shutil.rmtree(folder, ignore_errors=True)


def environment(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "ANIME_STUDIO_DATA_DIR": str(data_dir), "COLUMNS": "200", **extra}
    env.pop("ANIME_STUDIO_DATABASE_URL", None)
    return env


def cli(data_dir: Path, *args: str, **extra: str) -> str:
    env = environment(data_dir, **extra)
    done = subprocess.run([str(CLI), *args], env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr  # Rich prints progress and results on stderr


VERSIONS = "media/output/versions/lantern-courier"


def shot_times(data_dir: Path) -> dict[str, int]:
    """shot → when its newest version was made (every generation is a new numbered file)."""
    return {p.name: max(v.stat().st_mtime_ns for v in p.glob("v*.mp4")) for p in (data_dir / VERSIONS).glob("shot_*")}


def newest(data_dir: Path, subject: str) -> Path:
    return max((data_dir / VERSIONS / subject).glob("v*.mp4"))


@pytest.mark.skipif(not CLI.exists(), reason="the console script is not installed")
def test_demo_renders_and_publishes_headless(data_dir: Path) -> None:
    assert "lantern-courier" in cli(data_dir, "demo")
    out = cli(data_dir, "render", "--project", "lantern-courier", "--episode", "1", "--publish")
    assert "episode ready" in out and "published" in out
    assert newest(data_dir, "episode_1").stat().st_size > 10_000
    season = data_dir / "library/Lantern Courier/Season 01"
    names = sorted(p.name for p in season.iterdir())
    assert names == [
        "Lantern Courier S01E01 - The Last Letter-thumb.jpg",
        "Lantern Courier S01E01 - The Last Letter.en.srt",
        "Lantern Courier S01E01 - The Last Letter.mp4",
        "Lantern Courier S01E01 - The Last Letter.nfo",
    ]
    first = shot_times(data_dir)
    assert len(first) == 6

    again = cli(data_dir, "render", "--project", "lantern-courier", "--episode", "1")
    assert again.count("already rendered") == 2 and shot_times(data_dir) == first

    cli(data_dir, "render", "--project", "lantern-courier", "--episode", "1", "--force")
    forced = shot_times(data_dir)
    assert forced.keys() == first.keys() and all(forced[name] != first[name] for name in first)


# A dead worker is recognised after 3 s without heartbeat instead of 30 s, so the test takes seconds.
FAST_RECOVERY = {
    "ANIME_STUDIO_WORKER_HEARTBEAT_INTERVAL": "0.5",
    "ANIME_STUDIO_WORKER_STALLED_AFTER": "3",
    "ANIME_STUDIO_WORKER_RECOVERY_INTERVAL": "0.5",
}


def scene_shots(data_dir: Path) -> dict[str, dict[str, int]]:
    """scene folder → {shot clip name: when its newest version was made} (each scene folder keeps shot last frames)."""
    scenes: dict[str, dict[str, int]] = {}
    for path in (data_dir / "media/output/scenes").rglob("shot_*_last.png"):
        shot = path.name.removesuffix("_last.png")
        clips = list((data_dir / VERSIONS / shot).glob("v*.mp4"))
        if clips:
            scenes.setdefault(path.parent.name, {})[f"{shot}.mp4"] = max(c.stat().st_mtime_ns for c in clips)
    return dict(sorted(scenes.items(), key=lambda item: int(item[0].removeprefix("scene_"))))


QUEUE_PUBLISH = """
import asyncio
from anime_studio.cli.common import load_settings
from anime_studio.episodes import runs, service
from anime_studio.projects import service as projects
from anime_studio.runtime import prepare_database, runtime

async def main() -> None:
    settings = load_settings(embedded_worker=False)
    async with runtime(settings, prepare_database(settings)) as rt, rt.db.transaction() as session:
        project = await projects.get_by_slug(session=session, slug="lantern-courier")
        episode = await service.get_by_number(session=session, project_id=project.id, number=1)
        print((await runs.start(session=session, episode=episode, kind="episode.publish", user_id=None)).id)

asyncio.run(main())
"""


@pytest.mark.skipif(not CLI.exists(), reason="the console script is not installed")
def test_killed_render_resumes_the_scene_instead_of_publishing_the_old_one(data_dir: Path) -> None:
    cli(data_dir, "demo")
    cli(data_dir, "render", "--project", "lantern-courier", "--episode", "1", **FAST_RECOVERY)
    (first, old_shots), (second, second_shots) = scene_shots(data_dir).items()
    scene_folder = data_dir / "media/output/scenes/lantern-courier" / first
    old_video = newest(data_dir, first).stat().st_mtime_ns

    args = [str(CLI), "render", "--project", "lantern-courier", "--episode", "1", "--force"]
    forced = subprocess.Popen(args, env=environment(data_dir, **FAST_RECOVERY), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            # Two shots remade and recorded: the third one's first attempt is being written.
            current = scene_shots(data_dir)[first]
            waiting = [name for name, mtime in old_shots.items() if current.get(name) == mtime]
            if len(waiting) == 1 and any(scene_folder.glob(f"{waiting[0][:-4]}_attempt*.mp4")):
                break
            time.sleep(0.02)
        else:
            raise AssertionError("render --force never got to its third shot")
    finally:
        forced.send_signal(signal.SIGKILL)
        forced.wait()
    at_kill = scene_shots(data_dir)[first]
    remade = [name for name in old_shots if at_kill[name] != old_shots[name]]
    assert len(remade) == len(old_shots) - 1 == 2, "killed too late: every shot was already regenerated"

    out = cli(data_dir, "render", "--project", "lantern-courier", "--episode", "1", "--publish", **FAST_RECOVERY)
    assert out.count("already rendered") == 1, out  # only the scene the killed run never reached
    # running (its dead worker's heartbeat not yet stale) or already requeued by this command's recovery
    assert re.search(r"scene\.generate \(job \d+\) is already (running on .+|queued): waiting for it", out), out
    assert re.search(r"scene\.generate \(job \d+, started earlier\): succeeded", out), out
    resumed = scene_shots(data_dir)
    assert all(resumed[first][name] == at_kill[name] for name in remade)  # finished shots were kept
    assert all(resumed[first][name] != old_shots[name] for name in old_shots)  # the rest was made now
    assert resumed[second] == second_shots
    scene_video = newest(data_dir, first)
    assert scene_video.stat().st_mtime_ns > old_video
    episode = newest(data_dir, "episode_1")
    assert episode.stat().st_mtime_ns > scene_video.stat().st_mtime_ns  # assembled from the new scene
    published = next((data_dir / "library/Lantern Courier/Season 01").glob("*.mp4"))
    assert published.stat().st_ino == episode.stat().st_ino

    # A publish someone queued meanwhile (no worker running): render waits for it and says how it went.
    queued = subprocess.run([sys.executable, "-c", QUEUE_PUBLISH], env=environment(data_dir), capture_output=True,
                            text=True, timeout=120, check=True)  # fmt: skip
    job = int(queued.stdout.strip().splitlines()[-1])
    out = cli(data_dir, "render", "--project", "lantern-courier", "--episode", "1", "--publish", **FAST_RECOVERY)
    assert f"episode.publish (job {job}, started earlier): succeeded" in out, out
    assert "already busy" not in out
