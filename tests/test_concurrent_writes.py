"""Concurrent writes through the real app on the real database: every legitimate request succeeds, nothing is lost.

Each test fires its requests at once with ``asyncio.gather``; the app serves them on its own
connection pool, so they really interleave in PostgreSQL (and uploads in worker threads).
"""

from __future__ import annotations

import asyncio
import io
import time
from collections import Counter
from collections.abc import Awaitable
from typing import Any

import httpx
from PIL import Image

from tests.factories import API, Studio, create_character, create_project


async def _all(requests: list[Awaitable[httpx.Response]]) -> tuple[Counter[int], list[httpx.Response], float]:
    started = time.perf_counter()
    responses = await asyncio.gather(*requests)
    return Counter(r.status_code for r in responses), responses, time.perf_counter() - started


async def _scene(studio: Studio, project_id: int, title: str = "Scene") -> dict[str, Any]:
    response = await studio.editor.post(f"{API}/scenes", json={"project_id": project_id, "title": title})
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


async def test_100_concurrent_shot_appends_all_get_distinct_positions(studio: Studio) -> None:
    project = await create_project(studio.editor)
    scene = await _scene(studio, project["id"])
    url = f"{API}/scenes/{scene['id']}/shots"
    statuses, responses, seconds = await _all([studio.editor.post(url, json={"duration": 2.0}) for _ in range(100)])
    print(f"100 concurrent shot appends: {dict(statuses)} in {seconds:.2f} s")
    assert statuses == {201: 100}
    assert sorted(r.json()["position"] for r in responses) == list(range(1, 101))
    detail = (await studio.reviewer.get(f"{API}/scenes/{scene['id']}")).json()
    assert [s["position"] for s in detail["shots"]] == list(range(1, 101))


async def test_concurrent_reorders_and_inserts_never_deadlock(studio: Studio) -> None:
    project = await create_project(studio.editor)
    scene = await _scene(studio, project["id"])
    url = f"{API}/scenes/{scene['id']}/shots"
    ids = [(await studio.editor.post(url, json={"duration": 1.0})).json()["id"] for _ in range(8)]
    orders = [ids[k:] + ids[:k] if k % 2 else list(reversed(ids[k:] + ids[:k])) for k in range(50)]
    reorder = f"{API}/scenes/{scene['id']}/reorder"
    statuses, _, seconds = await _all([studio.editor.put(reorder, json={"shot_ids": order}) for order in orders])
    print(f"50 concurrent reorders: {dict(statuses)} in {seconds:.2f} s")
    assert statuses == {200: 50}
    inserts = [studio.editor.post(url, json={"duration": 1.0, "position": 1 + k % 5}) for k in range(20)]
    statuses, _, _ = await _all(inserts)
    assert statuses == {201: 20}
    shots = (await studio.reviewer.get(f"{API}/scenes/{scene['id']}")).json()["shots"]
    assert [s["position"] for s in shots] == list(range(1, 29))


async def test_concurrent_scene_creates_get_distinct_numbers(studio: Studio) -> None:
    project = await create_project(studio.editor)
    bodies = [{"project_id": project["id"], "title": f"S{k}"} for k in range(50)]
    statuses, _, seconds = await _all([studio.editor.post(f"{API}/scenes", json=body) for body in bodies])
    print(f"50 concurrent scene creates: {dict(statuses)} in {seconds:.2f} s")
    assert statuses == {201: 50}
    listed = (await studio.reviewer.get(f"{API}/scenes", params={"project_id": project["id"]})).json()
    assert sorted(s["scene_number"] for s in listed) == list(range(1, 51))


async def test_scene_numbers_are_unique_on_edit(studio: Studio) -> None:
    project = await create_project(studio.editor)
    first, second = await _scene(studio, project["id"]), await _scene(studio, project["id"])
    taken = await studio.editor.patch(f"{API}/scenes/{second['id']}", json={"scene_number": first["scene_number"]})
    assert taken.status_code == 409 and "already has a scene 1" in taken.json()["detail"]
    free = await studio.editor.patch(f"{API}/scenes/{second['id']}", json={"scene_number": 7})
    assert free.status_code == 200 and free.json()["scene_number"] == 7


async def test_concurrent_attaches_of_different_scenes_to_one_episode(studio: Studio) -> None:
    project = await create_project(studio.editor)
    scenes = [(await _scene(studio, project["id"], f"S{k}"))["id"] for k in range(50)]
    episode = (await studio.editor.post(f"{API}/episodes", json={"project_id": project["id"], "title": "E"})).json()
    url = f"{API}/episodes/{episode['id']}/scenes"
    statuses, _, seconds = await _all([studio.editor.post(url, json={"scene_id": s}) for s in scenes])
    print(f"50 concurrent scene attaches: {dict(statuses)} in {seconds:.2f} s")
    assert statuses == {200: 50}
    detail = (await studio.reviewer.get(f"{API}/episodes/{episode['id']}")).json()
    assert sorted(s["scene_id"] for s in detail["scenes"]) == sorted(scenes)
    assert [s["position"] for s in detail["scenes"]] == list(range(1, 51))


async def test_concurrent_episode_creates_get_distinct_numbers(studio: Studio) -> None:
    project = await create_project(studio.editor)
    body = {"project_id": project["id"], "title": "E"}
    statuses, responses, _ = await _all([studio.editor.post(f"{API}/episodes", json=body) for _ in range(20)])
    assert statuses == {201: 20}
    assert sorted(r.json()["number"] for r in responses) == list(range(1, 21))


def _png(colour: tuple[int, int, int]) -> bytes:
    """A noisy picture (slow to encode, which widens any gap between choosing a name and writing it)."""
    noise = Image.effect_noise((400, 400), 64).convert("RGB")
    noise.putpixel((0, 0), colour)
    buffer = io.BytesIO()
    noise.save(buffer, "PNG")
    return buffer.getvalue()


async def test_concurrent_reference_uploads_with_one_name_are_all_stored(studio: Studio) -> None:
    project = await create_project(studio.editor)
    character = await create_character(studio.editor, project["id"])
    url = f"{API}/characters/{character['id']}/reference-images"
    uploads = [
        studio.editor.post(url, files={"file": ("same.png", _png((k, 255 - k, 128)), "image/png")}) for k in range(30)
    ]
    statuses, _, seconds = await _all(uploads)
    print(f"30 concurrent uploads of same.png: {dict(statuses)} in {seconds:.2f} s")
    assert statuses == {201: 30}
    names = (await studio.reviewer.get(url)).json()["images"]
    assert sorted(names) == sorted(["same.png"] + [f"same-{n}.png" for n in range(2, 31)])
    colours = set()
    for name in names:
        picture = Image.open(io.BytesIO((await studio.reviewer.get(f"{url}/{name}")).content))
        colours.add(picture.getpixel((0, 0)))
    assert len(colours) == 30  # every upload's own content, none overwritten
