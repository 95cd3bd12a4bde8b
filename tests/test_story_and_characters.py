"""Storyline, world settings, characters and the composed SSOT prompt."""

from __future__ import annotations

from tests.factories import API, Studio, create_character, create_project

NON_HUMAN = ["human", "human face", "human skin", "realistic person", "humanoid body", "human proportions"]


async def test_storyline_reads_empty_then_upserts_partially(studio: Studio) -> None:
    project = await create_project(studio.editor)
    url = f"{API}/projects/{project['id']}/storyline"
    empty = (await studio.reviewer.get(url)).json()
    assert empty["title"] == "" and empty["updated_at"] is None
    first = await studio.editor.put(url, json={"title": "The Last Letter", "themes": ["rain", "letters"]})
    assert first.status_code == 200
    second = (await studio.editor.put(url, json={"tone": "warm"})).json()
    assert second["title"] == "The Last Letter" and second["tone"] == "warm" and second["themes"] == ["rain", "letters"]


async def test_world_settings_validate_the_palette(studio: Studio) -> None:
    project = await create_project(studio.editor)
    url = f"{API}/projects/{project['id']}/world"
    bad = await studio.editor.put(url, json={"color_palette": {"primary": ["red"]}})
    assert bad.status_code == 422
    good = await studio.editor.put(
        url,
        json={
            "art_style": "90s cel anime",
            "color_palette": {"primary": ["#1f3b5b"], "night": ["#000000"]},
            "cinematography": {"lens": "35mm"},
            "negative_prompt_guidance": "photorealistic",
        },
    )
    assert good.status_code == 200
    assert good.json()["color_palette"]["primary"] == ["#1f3b5b"]
    assert good.json()["color_palette"]["night"] == ["#000000"]


async def test_story_routes_404_for_unknown_project(studio: Studio) -> None:
    assert (await studio.editor.get(f"{API}/projects/999/storyline")).status_code == 404
    assert (await studio.editor.put(f"{API}/projects/999/world", json={})).status_code == 404


async def test_character_slugs_are_unique_per_project(studio: Studio) -> None:
    first = await create_project(studio.editor, name="One")
    second = await create_project(studio.editor, name="Two")
    await create_character(studio.editor, first["id"], name="Hana")
    dup = await studio.editor.post(f"{API}/projects/{first['id']}/characters", json={"name": "HANA"})
    assert dup.status_code == 409
    other = await create_character(studio.editor, second["id"], name="Hana")
    assert other["slug"] == "hana"
    bad = await studio.editor.post(f"{API}/projects/{first['id']}/characters", json={"name": "x", "slug": "../x"})
    assert bad.status_code == 422


async def test_human_character_prompt(studio: Studio) -> None:
    project = await create_project(studio.editor)
    await studio.editor.put(
        f"{API}/projects/{project['id']}/world", json={"negative_prompt_guidance": "photorealistic, 3d"}
    )
    hana = await create_character(
        studio.editor,
        project["id"],
        design_prompt="1girl, short black bob, yellow raincoat",
        appearance_data={"species": "human", "common_errors": ["long hair"]},
    )
    prompt = (await studio.reviewer.get(f"{API}/characters/{hana['id']}/prompt")).json()
    assert prompt["positive"] == "masterpiece, best quality, anime style, 1girl, short black bob, yellow raincoat"
    assert prompt["is_human"] is True
    negative = [t.strip() for t in prompt["negative"].split(",")]
    assert "photorealistic" in negative and "3d" in negative and negative[-1] == "long hair"
    assert not set(NON_HUMAN) & set(negative[:-1]) - {"human"}


async def test_not_human_character_gets_the_spec_negatives(studio: Studio) -> None:
    project = await create_project(studio.editor)
    await studio.editor.put(
        f"{API}/projects/{project['id']}/style",
        json={
            "positive_prompt_template": "best quality, {prompt}, anime screencap",
            "negative_prompt_template": "blurry",
        },
    )
    luigi = await create_character(
        studio.editor,
        project["id"],
        name="Luigi",
        design_prompt="luigi, green cap, blue overalls",
        appearance_data={
            "species": "mushroom kingdom plumber (NOT human)",
            "common_errors": ["letter M on cap", "child"],
        },
    )
    prompt = (await studio.reviewer.get(f"{API}/characters/{luigi['id']}/prompt")).json()
    assert prompt["positive"] == "best quality, luigi, green cap, blue overalls, anime screencap"
    assert prompt["negative"] == ", ".join(["blurry", *NON_HUMAN, "letter M on cap", "child"])
    assert prompt["is_human"] is False
    assert prompt["parts"]["species_negative"] == NON_HUMAN


async def test_update_character_replaces_appearance_whole(studio: Studio) -> None:
    project = await create_project(studio.editor)
    pip = await create_character(
        studio.editor,
        project["id"],
        name="Pip",
        appearance_data={"species": "x (NOT human)", "key_colors": {"a": "red"}},
    )
    patched = await studio.editor.patch(f"{API}/characters/{pip['id']}", json={"appearance_data": {"species": "cat"}})
    assert patched.json()["appearance_data"] == {
        "species": "cat",
        "key_colors": {},
        "key_features": [],
        "common_errors": [],
    }
    voice = await studio.editor.patch(f"{API}/characters/{pip['id']}", json={"voice": {"pitch": 200}})
    assert voice.status_code == 422


async def test_characters_list_and_delete(studio: Studio) -> None:
    project = await create_project(studio.editor)
    for name in ("Zed", "Amy"):
        await create_character(studio.editor, project["id"], name=name)
    listed = (await studio.reviewer.get(f"{API}/projects/{project['id']}/characters")).json()
    assert [c["name"] for c in listed["items"]] == ["Amy", "Zed"] and listed["total"] == 2
    assert (await studio.editor.delete(f"{API}/characters/{listed['items'][0]['id']}")).status_code == 204
    assert (await studio.reviewer.get(f"{API}/projects/{project['id']}/characters")).json()["total"] == 1


async def test_flat_character_routes(studio: Studio) -> None:
    one = await create_project(studio.editor, name="One")
    two = await create_project(studio.editor, name="Two")
    created = await studio.editor.post(f"{API}/characters", json={"project_id": two["id"], "name": "Pip"})
    assert created.status_code == 201
    await create_character(studio.editor, one["id"], name="Hana")
    everyone = (await studio.reviewer.get(f"{API}/characters")).json()
    assert [(c["project_name"], c["name"]) for c in everyone["items"]] == [("One", "Hana"), ("Two", "Pip")]
    only_two = (await studio.reviewer.get(f"{API}/characters", params={"project_id": two["id"]})).json()
    assert [c["slug"] for c in only_two["items"]] == ["pip"]
    missing = await studio.editor.post(f"{API}/characters", json={"project_id": 999, "name": "Ghost"})
    assert missing.status_code == 404


async def test_appearance_routes(studio: Studio) -> None:
    project = await create_project(studio.editor)
    pip = await create_character(studio.editor, project["id"], name="Pip")
    url = f"{API}/characters/{pip['id']}/appearance"
    body = {"appearance_data": {"species": "lantern (NOT human)", "key_colors": {"body": "#f39c12"}}}
    assert (await studio.editor.put(url, json=body)).status_code == 200
    got = (await studio.reviewer.get(url)).json()
    assert got["species"] == "lantern (NOT human)" and got["key_colors"] == {"body": "#f39c12"}
    assert (await studio.reviewer.put(url, json=body)).status_code == 403


async def test_put_project_is_an_alias_of_patch(studio: Studio) -> None:
    project = await create_project(studio.editor)
    response = await studio.editor.put(f"{API}/projects/{project['id']}", json={"premise": "a premise"})
    assert response.status_code == 200 and response.json()["premise"] == "a premise"


async def test_narrate_appearance_drafts_and_saves(studio: Studio) -> None:
    project = await create_project(studio.editor)
    hana = await create_character(
        studio.editor, project["id"], design_prompt="1girl, short black bob hair, amber eyes, yellow raincoat"
    )
    pip = await create_character(
        studio.editor, project["id"], name="Pip", design_prompt="small paper lantern creature, orange glowing body"
    )
    url = f"{API}/characters/narrate-appearance"
    preview = (await studio.editor.post(url, json={"character_id": hana["id"]})).json()
    drafted = preview["results"][0]["appearance_data"]
    assert preview["narrated"] == 1 and drafted["species"] == "human"
    assert drafted["key_colors"] == {"hair": "black", "eyes": "amber", "raincoat": "yellow"}
    assert drafted["common_errors"] == ["long hair"]
    unchanged = (await studio.reviewer.get(f"{API}/characters/{hana['id']}/appearance")).json()
    assert unchanged["key_colors"] == {}
    saved = (await studio.editor.post(url, json={"project_id": project["id"], "save": True})).json()
    assert saved["narrated"] == 2
    pip_now = (await studio.reviewer.get(f"{API}/characters/{pip['id']}/prompt")).json()
    assert pip_now["is_human"] is False and "human face" in pip_now["negative"]
    pip_drafted = saved["results"][1]["appearance_data"]
    assert pip_drafted["species"] == "small paper lantern creature (NOT human)"
    assert pip_drafted["key_colors"] == {"body": "orange"} and "hair" not in " ".join(pip_drafted["common_errors"])
    listed = (await studio.reviewer.get(f"{API}/characters/{pip['id']}")).json()
    assert listed["swatches"] == {"body": "#ffa500"}  # the UI paints what the studio reads
    wisp = await create_character(
        studio.editor,
        project["id"],
        name="Wisp",
        design_prompt="small glowing will-o-wisp, teal flame",
        appearance_data={"species": "will-o-wisp (NOT human)"},
    )
    kept = (await studio.editor.post(url, json={"character_id": wisp["id"]})).json()["results"][0]["appearance_data"]
    assert kept["species"] == "will-o-wisp (NOT human)"  # no creature word the rules know: the user's marking stays
    assert kept["key_colors"] == {"flame": "teal"}
    again = (await studio.editor.post(url, json={"project_id": project["id"], "missing_only": True})).json()
    assert [r["status"] for r in again["results"]] == ["skipped", "skipped", "ok"]
    assert (await studio.editor.post(url, json={})).status_code == 422
    assert (await studio.reviewer.post(url, json={"project_id": project["id"]})).status_code == 403
