"""Comments at a timecode: the still is exactly the frame shown there; mentions and unread counts; live events."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageStat

from anime_studio.events.bus import get_bus
from anime_studio.media.ffmpeg import run_ffmpeg
from anime_studio.review import versions
from anime_studio.runtime import Runtime
from tests.factories import API, Studio, create_project

FPS = 12
STEP = 6  # luma step per frame (36 frames stay under 235): neighbouring frames differ clearly even after lossy encoding


async def _numbered_video(path: Path, seconds: float = 3) -> None:
    """A video whose frame n is a flat grey of luma 16 + n * STEP (which frame a still shows is measurable)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    source = f"nullsrc=s=64x64:r={FPS}:d={seconds},geq=lum='16+N*{STEP}':cb=128:cr=128"
    await run_ffmpeg(["-f", "lavfi", "-i", source, "-c:v", "libx264", "-crf", "1", "-pix_fmt", "yuv420p", str(path)])


async def _version(runtime: Runtime, studio: Studio) -> int:
    project = await create_project(studio.editor, name="Review Stills")
    scene = (await studio.editor.post(f"{API}/scenes", json={"project_id": project["id"], "title": "Roof"})).json()
    file = runtime.paths.scenes_output(project["slug"]) / "scratch.mp4"
    await _numbered_video(file)
    async with runtime.db.transaction() as session:
        made = versions.Made(
            subject_type="scene",
            subject_id=scene["id"],
            project_id=project["id"],
            file=file,
            run_id=None,
            companions={},
            provenance={},
            duration=3.0,
            fps=FPS,
        )
        return (await versions.record(session=session, paths=runtime.paths, made=made)).id


def _frame_of(png: bytes, tmp: Path) -> int:
    tmp.write_bytes(png)
    full_range = ImageStat.Stat(Image.open(tmp).convert("L")).mean[0]
    return round(full_range * 219 / 255 / STEP)  # the PNG stretches video luma 16..235 to 0..255


async def test_still_is_the_frame_at_the_timecode(runtime: Runtime, studio: Studio, tmp_path: Path) -> None:
    version_id = await _version(runtime, studio)
    for timecode, frame in ((2.0, 24), (1.99, 23), (0.0, 0), (2.95, 35)):
        response = await studio.reviewer.post(
            f"{API}/review/versions/{version_id}/comments", json={"body": "look", "timecode": timecode}
        )
        assert response.status_code == 201, response.text
        comment = response.json()
        assert comment["frame"] == frame
        still = await studio.reviewer.get(comment["still_url"])
        assert still.status_code == 200
        assert _frame_of(still.content, tmp_path / "still.png") == frame, timecode


async def test_mentions_unread_counts_threads_and_live_events(runtime: Runtime, studio: Studio) -> None:
    version_id = await _version(runtime, studio)
    async with get_bus().subscribe("review.commented") as events:
        first = await studio.reviewer.post(
            f"{API}/review/versions/{version_id}/comments", json={"body": "@eddie the sky flickers", "timecode": 1}
        )
        event = await events.get()
    assert event.data["comment_id"] == first.json()["id"] and event.data["version_id"] == version_id
    reply = await studio.editor.post(
        f"{API}/review/versions/{version_id}/comments", json={"body": "fixing", "parent_id": first.json()["id"]}
    )
    assert reply.status_code == 201 and reply.json()["parent_id"] == first.json()["id"]
    editor_inbox = (await studio.editor.get(f"{API}/review/inbox")).json()
    assert editor_inbox == {"unread": 1, "mentions": 1, "by_version": {str(version_id): 1}}
    reviewer_inbox = (await studio.reviewer.get(f"{API}/review/inbox")).json()
    assert reviewer_inbox["unread"] == 1 and reviewer_inbox["mentions"] == 0
    assert (await studio.editor.post(f"{API}/review/versions/{version_id}/read")).status_code == 204
    assert (await studio.editor.get(f"{API}/review/inbox")).json()["unread"] == 0
    listed = (await studio.admin.get(f"{API}/review/versions/{version_id}/comments")).json()
    assert [c["author"] for c in listed] == ["rita", "eddie"]


async def test_bad_comments_are_refused(runtime: Runtime, studio: Studio) -> None:
    version_id = await _version(runtime, studio)
    url = f"{API}/review/versions/{version_id}/comments"
    past_end = await studio.reviewer.post(url, json={"body": "x", "timecode": 9})
    assert past_end.status_code == 422 and "past the end" in past_end.json()["detail"]
    assert (await studio.reviewer.post(url, json={"body": "x", "parent_id": 999_999})).status_code == 422
    assert (await studio.reviewer.post(url, json={"body": ""})).status_code == 422
    assert (await studio.reviewer.post(f"{API}/review/versions/999999/comments", json={"body": "x"})).status_code == 404
