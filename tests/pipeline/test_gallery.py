"""Gallery: filters, keyset pagination, thumbnails, files with HTTP Range."""

from __future__ import annotations

from sqlalchemy import update

from anime_studio.assets.models import Asset, AssetKind, AssetStatus
from anime_studio.runtime import Runtime
from tests.factories import API, Studio, create_character, create_project
from tests.pipeline.helpers import add_asset, mp4, png


async def test_keyset_pages_cover_everything_once_newest_first(runtime: Runtime, studio: Studio) -> None:
    project = await create_project(studio.editor)
    ids = [
        await add_asset(
            runtime, png(runtime.paths.root / "g" / f"{i}.png"), project_id=project["id"], kind=AssetKind.image
        )
        for i in range(7)
    ]
    async with runtime.db.transaction() as session:  # identical timestamps: the id breaks ties
        await session.execute(update(Asset).where(Asset.id.in_(ids[2:5])).values(created_at=Asset.created_at))
    seen: list[int] = []
    cursor = None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = (await studio.reviewer.get(f"{API}/gallery", params=params)).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(ids, reverse=True)


async def test_filters(runtime: Runtime, studio: Studio) -> None:
    one = await create_project(studio.editor, name="One")
    two = await create_project(studio.editor, name="Two")
    hana = await create_character(studio.editor, one["id"])
    root = runtime.paths.root / "f"
    image = await add_asset(
        runtime,
        png(root / "a.png"),
        project_id=one["id"],
        kind=AssetKind.image,
        status=AssetStatus.pending,
        character_id=hana["id"],
    )
    clip = await add_asset(runtime, mp4(root / "b.mp4"), project_id=one["id"], kind=AssetKind.clip)
    other = await add_asset(runtime, png(root / "c.png"), project_id=two["id"], kind=AssetKind.image)

    async def ids(**params: object) -> list[int]:
        response = await studio.reviewer.get(f"{API}/gallery", params=params)
        assert response.status_code == 200, response.text
        return [i["id"] for i in response.json()["items"]]

    assert await ids(project_id=one["id"]) == [clip, image]
    assert await ids(kind="image") == [other, image]
    assert await ids(kind=["image", "clip"], project_id=one["id"]) == [clip, image]
    assert await ids(status="pending") == [image]
    assert await ids(character_id=hana["id"]) == [image]
    assert await ids(since="2999-01-01T00:00:00Z") == []
    bad = await studio.reviewer.get(f"{API}/gallery", params={"cursor": "%%%not-a-cursor"})
    assert bad.status_code == 422


async def test_files_support_range_and_thumbnails(runtime: Runtime, studio: Studio) -> None:
    project = await create_project(studio.editor)
    video = mp4(runtime.paths.root / "r" / "clip.mp4", seconds=2)
    asset_id = await add_asset(runtime, video, project_id=project["id"], kind=AssetKind.clip)
    detail = (await studio.reviewer.get(f"{API}/assets/{asset_id}")).json()
    assert detail["mime"] == "video/mp4" and f"/assets/{asset_id}/file?v=" in detail["file_url"]
    full = await studio.reviewer.get(f"{API}/assets/{asset_id}/file")
    assert full.status_code == 200 and full.content == video.read_bytes()
    assert full.headers["accept-ranges"] == "bytes" and full.headers["content-type"] == "video/mp4"
    part = await studio.reviewer.get(f"{API}/assets/{asset_id}/file", headers={"Range": "bytes=10-19"})
    assert part.status_code == 206 and part.content == video.read_bytes()[10:20]
    assert part.headers["content-range"] == f"bytes 10-19/{video.stat().st_size}"
    beyond = await studio.reviewer.get(f"{API}/assets/{asset_id}/file", headers={"Range": "bytes=99999999-"})
    assert beyond.status_code == 416
    thumb = await studio.reviewer.get(f"{API}/assets/{asset_id}/thumbnail")
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/jpeg"
    assert thumb.content[:2] == b"\xff\xd8"


async def test_missing_file_is_404_not_500(runtime: Runtime, studio: Studio) -> None:
    project = await create_project(studio.editor)
    file = png(runtime.paths.root / "gone" / "x.png")
    asset_id = await add_asset(runtime, file, project_id=project["id"], kind=AssetKind.image)
    file.unlink()
    assert (await studio.reviewer.get(f"{API}/assets/{asset_id}/file")).status_code == 404
    assert (await studio.reviewer.get(f"{API}/assets/{asset_id}/thumbnail")).status_code == 404
    assert (await studio.reviewer.get(f"{API}/assets/424242")).status_code == 404


async def test_a_regenerated_file_gets_new_urls_so_no_cached_thumbnail_shows(runtime: Runtime, studio: Studio) -> None:
    project = await create_project(studio.editor)
    video = mp4(runtime.paths.root / "v" / "shot_1.mp4", seconds=1)
    asset_id = await add_asset(runtime, video, project_id=project["id"], kind=AssetKind.clip)
    before = (await studio.reviewer.get(f"{API}/assets/{asset_id}")).json()
    again = (await studio.reviewer.get(f"{API}/assets/{asset_id}")).json()
    assert (again["file_url"], again["thumbnail_url"]) == (before["file_url"], before["thumbnail_url"])  # cacheable
    mp4(video, seconds=2)  # "Generate again": same path, same asset row, new picture
    assert await add_asset(runtime, video, project_id=project["id"], kind=AssetKind.clip) == asset_id
    after = (await studio.reviewer.get(f"{API}/assets/{asset_id}")).json()
    assert after["thumbnail_url"] != before["thumbnail_url"] and after["file_url"] != before["file_url"]
    listed = (await studio.reviewer.get(f"{API}/gallery", params={"project_id": project["id"]})).json()["items"]
    assert listed[0]["thumbnail_url"] == after["thumbnail_url"]
    thumb = await studio.reviewer.get(after["thumbnail_url"])
    assert thumb.status_code == 200 and thumb.content[:2] == b"\xff\xd8"
