"""An episode is never assembled or published from a scene still being rendered or changed after its video."""

from __future__ import annotations

from anime_studio.jobs import service as jobs
from anime_studio.jobs.models import Run, RunStatus
from anime_studio.runtime import Runtime
from anime_studio.scenes.models import Scene
from tests.episodes.test_episodes import _episode, _made_scene
from tests.factories import API, Studio, create_project
from tests.runs import wait_for


async def _rendered(runtime: Runtime, project_id: int, title: str) -> int:
    """A scene whose video a finished run made (as the scene pipeline records it)."""
    scene_id = await _made_scene(runtime, project_id, title, 1.0)
    async with runtime.db.transaction() as session:
        run = Run(kind="scene.generate", subject_type="scene", subject_id=scene_id, status=RunStatus.succeeded)
        session.add(run)
        await session.flush()
        scene = await session.get(Scene, scene_id)
        assert scene is not None
        scene.generation = {**scene.generation, "run_id": run.id}
    return scene_id


async def _linked_episode(runtime: Runtime, studio: Studio) -> tuple[int, int, int]:
    project = await create_project(studio.editor)
    episode = await _episode(studio, project["id"])
    fresh = await _rendered(runtime, project["id"], "fresh")
    scene_id = await _rendered(runtime, project["id"], "edited")
    for linked in (fresh, scene_id):
        await studio.editor.post(f"{API}/episodes/{episode['id']}/scenes", json={"scene_id": linked})
    return episode["id"], scene_id, project["id"]


async def test_a_scene_being_rendered_blocks_assembly(runtime: Runtime, studio: Studio) -> None:
    episode_id, scene_id, project_id = await _linked_episode(runtime, studio)
    async with runtime.db.transaction() as session:  # e.g. a render whose worker was killed: still "running"
        run = await jobs.enqueue(
            session=session, kind="scene.generate", params={"scene_id": scene_id}, subject_type="scene",
            subject_id=scene_id, project_id=project_id,
        )  # fmt: skip
        run.status = RunStatus.running
    response = await studio.editor.post(f"{API}/episodes/{episode_id}/assemble")
    assert response.status_code == 409
    assert response.json()["detail"] == (
        f"cannot assemble the episode: scene 2 (edited) is still being rendered by job {run.id} (running);"
        " wait for it to finish"
    )


async def test_shots_changed_after_the_video_block_assembly(runtime: Runtime, studio: Studio) -> None:
    episode_id, scene_id, _ = await _linked_episode(runtime, studio)
    shots = (await studio.reviewer.get(f"{API}/scenes/{scene_id}")).json()["shots"]
    edit = await studio.editor.patch(f"{API}/scenes/{scene_id}/shots/{shots[0]['id']}", json={"dialogue_text": "New"})
    assert edit.status_code == 200, edit.text
    response = await studio.editor.post(f"{API}/episodes/{episode_id}/assemble")
    assert response.status_code == 409
    assert "scene 2 (edited) changed after its video was made: render the scene again" in response.json()["detail"]


async def test_a_new_shot_blocks_publishing(runtime: Runtime, studio: Studio, worker: object) -> None:
    episode_id, scene_id, _ = await _linked_episode(runtime, studio)
    queued = await studio.editor.post(f"{API}/episodes/{episode_id}/assemble")
    assert queued.status_code == 202, queued.text
    run = await wait_for(runtime, queued.json()["id"], timeout=60)
    assert run.status == RunStatus.succeeded, run.error
    added = await studio.editor.post(f"{API}/scenes/{scene_id}/shots", json={"duration": 1.0})
    assert added.status_code == 201, added.text
    refused = await studio.editor.post(f"{API}/episodes/{episode_id}/publish")
    assert refused.status_code == 409 and "changed after its video was made" in refused.json()["detail"]


async def test_the_check_runs_again_when_the_queued_run_executes(runtime: Runtime, studio: Studio) -> None:
    episode_id, scene_id, _ = await _linked_episode(runtime, studio)
    queued = await studio.editor.post(f"{API}/episodes/{episode_id}/assemble")
    assert queued.status_code == 202, queued.text
    shots = (await studio.reviewer.get(f"{API}/scenes/{scene_id}")).json()["shots"]
    await studio.editor.patch(f"{API}/scenes/{scene_id}/shots/{shots[0]['id']}", json={"duration": 2.0})
    runtime.start_worker(concurrency=1)
    try:
        run = await wait_for(runtime, queued.json()["id"], timeout=60)
    finally:
        await runtime.stop_workers()
    assert run.status == RunStatus.failed
    assert (
        run.error
        == "cannot assemble the episode: scene 2 (edited) changed after its video was made: render the scene again"
    )


async def test_publish_refuses_an_episode_older_than_its_scenes(
    runtime: Runtime, studio: Studio, worker: object
) -> None:
    episode_id, scene_id, project_id = await _linked_episode(runtime, studio)
    # these scenes were made outside the pipeline (no versions to review): test the staleness check alone
    await studio.admin.put(f"{API}/review/projects/{project_id}/settings", json={"gate": "off"})
    assembled = await studio.editor.post(f"{API}/episodes/{episode_id}/assemble")
    assert (await wait_for(runtime, assembled.json()["id"], timeout=60)).status == RunStatus.succeeded
    await _rendered_again(runtime, scene_id)
    refused = await studio.editor.post(f"{API}/episodes/{episode_id}/publish")
    assert refused.status_code == 409
    assert refused.json()["detail"] == (
        "cannot publish the episode: scene 2 (edited) was rendered again after the episode was assembled:"
        " assemble the episode again"
    )


async def _rendered_again(runtime: Runtime, scene_id: int) -> None:
    async with runtime.db.transaction() as session:
        run = Run(kind="scene.generate", subject_type="scene", subject_id=scene_id, status=RunStatus.succeeded)
        session.add(run)
        await session.flush()
        scene = await session.get(Scene, scene_id)
        assert scene is not None
        scene.generation = {**scene.generation, "run_id": run.id}
