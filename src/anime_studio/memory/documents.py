"""What memory knows about each kind of project row: its text, its title and the link that opens it in the UI."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.assets.models import Asset, AssetStatus
from anime_studio.characters.models import Character
from anime_studio.episodes.models import Episode
from anime_studio.projects.models import Project
from anime_studio.scenes.models import Scene, Shot
from anime_studio.story.models import Storyline, WorldSettings

MAX_TEXT = 4000  # characters per fact: a long script is indexed in parts, not as one blurred vector
TRACKED: dict[type[Any], str] = {
    Project: "project",
    Storyline: "storyline",
    WorldSettings: "world",
    Character: "character",
    Scene: "scene",
    Shot: "shot",
    Episode: "episode",
    Asset: "review",
}
KINDS = tuple(dict.fromkeys(TRACKED.values()))
Ref = tuple[str, int]


@dataclass
class Document:
    kind: str
    ref_id: int
    project_id: int
    title: str
    text: str
    link: dict[str, Any]
    owners: dict[str, int] = field(default_factory=dict)
    """Foreign keys that make the database forget this fact with its row (``character_id`` …)."""

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(f"{self.title}\n{self.text}".encode()).hexdigest()


def _lines(*pairs: tuple[str, Any]) -> str:
    parts = []
    for label, value in pairs:
        if isinstance(value, dict):
            value = ", ".join(f"{k}: {v}" for k, v in value.items() if v not in ("", None, [], {}))
        elif isinstance(value, list):
            value = ", ".join(str(v) for v in value if v not in ("", None))
        text = " ".join(str(value or "").split())
        if text:
            parts.append(f"{label}: {text}" if label else text)
    return "\n".join(parts)[:MAX_TEXT]


def _link(kind: str, ref_id: int, route: str, **params: int) -> dict[str, Any]:
    return {"kind": kind, "id": ref_id, "route": route, "params": params}


def project_document(row: Project) -> Document:
    text = _lines(("Project", row.name), ("Genre", row.genre), ("Premise", row.premise), ("", row.description))
    return Document("project", row.id, row.id, row.name, text, _link("project", row.id, "project"))


def storyline_document(row: Storyline) -> Document:
    text = _lines(
        ("Storyline", row.title),
        ("Summary", row.summary),
        ("Theme", row.theme),
        ("Themes", row.themes),
        ("Tone", row.tone),
        ("Genre", row.genre),
        ("Audience", row.target_audience),
        ("Humour", row.humor_style),
        ("Arcs", row.story_arcs),
        ("Script", row.script),
    )
    return Document(
        "storyline", row.id, row.project_id, row.title or "Storyline", text, _link("storyline", row.id, "story")
    )


def world_document(row: WorldSettings) -> Document:
    text = _lines(
        ("Art style", row.art_style),
        ("Aesthetic", row.aesthetic),
        ("Style preamble", row.style_preamble),
        ("Location", row.world_location),
        ("Time period", row.time_period),
        ("Palette", row.color_palette),
        ("Cinematography", row.cinematography),
        ("Production notes", row.production_notes),
        ("Known issues", row.known_issues),
        ("Avoid", row.negative_prompt_guidance),
    )
    return Document("world", row.id, row.project_id, "World settings", text, _link("world", row.id, "story"))


def character_document(row: Character) -> Document:
    appearance = row.appearance_data or {}
    text = _lines(
        ("Character", row.name),
        ("Role", row.role),
        ("", row.description),
        ("Design prompt", row.design_prompt),
        ("Species", appearance.get("species")),
        ("Key colours", appearance.get("key_colors")),
        ("Key features", appearance.get("key_features")),
        ("Common generation errors", appearance.get("common_errors")),
    )
    link = _link("character", row.id, "characters", characterId=row.id)
    return Document("character", row.id, row.project_id, row.name, text, link, {"character_id": row.id})


def scene_document(row: Scene) -> Document:
    text = _lines(
        ("Scene", f"{row.scene_number}. {row.title}"),
        ("", row.description),
        ("Location", row.location),
        ("Time of day", row.time_of_day),
        ("Weather", row.weather),
        ("Mood", row.mood),
    )
    title = f"Scene {row.scene_number}: {row.title}"
    link = _link("scene", row.id, "scenes", sceneId=row.id)
    return Document("scene", row.id, row.project_id, title, text, link, {"scene_id": row.id})


def shot_document(row: Shot, scene: Scene, speaker: Character | None) -> Document:
    dialogue = f"{speaker.name if speaker else 'Someone'} says: {row.dialogue_text}" if row.dialogue_text else ""
    text = _lines(
        ("Shot in scene", f"{scene.scene_number}. {scene.title}"),
        ("Framing", f"{row.shot_type}, {row.camera_angle}"),
        ("Motion", row.motion_prompt),
        ("Dialogue", dialogue),
    )
    title = f"Scene {scene.scene_number}, shot {row.position}"
    link = _link("shot", row.id, "scenes", sceneId=scene.id)
    return Document("shot", row.id, scene.project_id, title, text, link, {"shot_id": row.id, "scene_id": scene.id})


def episode_document(row: Episode) -> Document:
    text = _lines(
        ("Episode", f"{row.number}. {row.title}"),
        ("", row.description),
        ("Story arc", row.story_arc),
        ("Status", row.status),
    )
    link = _link("episode", row.id, "episodes", episodeId=row.id)
    return Document(
        "episode", row.id, row.project_id, f"Episode {row.number}: {row.title}", text, link, {"episode_id": row.id}
    )


def review_document(row: Asset, character: Character | None) -> Document | None:
    """A person's review decision with feedback; a bare approve click (or a machine score) teaches nothing to recall."""
    if row.status not in (AssetStatus.approved, AssetStatus.rejected) or not row.feedback.strip():
        return None
    review = row.review or {}
    issues = review.get("issues") if isinstance(review.get("issues"), list) else []
    who = character.name if character else "the project"
    text = _lines(("Review", f"{row.kind} of {who} {row.status.value}"), ("Feedback", row.feedback), ("Issues", issues))
    route = "approve" if character else "gallery"
    params = {"characterId": character.id} if character else {}
    owners = {"asset_id": row.id} | ({"character_id": character.id} if character else {})
    title = f"Review of {row.kind} #{row.id} ({row.status.value})"
    return Document("review", row.id, row.project_id, title, text, _link("review", row.id, route, **params), owners)


async def load(session: AsyncSession, ref: Ref) -> Document | None:
    """The current document of ``ref``; ``None`` when the row is gone or has nothing worth remembering."""
    kind, ref_id = ref
    model = next(m for m, k in TRACKED.items() if k == kind)
    row = await session.get(model, ref_id, populate_existing=True)
    if row is None:
        return None
    return await document_of(session, row)


async def document_of(session: AsyncSession, row: Any) -> Document | None:
    if isinstance(row, Project):
        return project_document(row)
    if isinstance(row, Storyline):
        return storyline_document(row)
    if isinstance(row, WorldSettings):
        return world_document(row)
    if isinstance(row, Character):
        return character_document(row)
    if isinstance(row, Scene):
        return scene_document(row)
    if isinstance(row, Episode):
        return episode_document(row)
    if isinstance(row, Shot):
        scene = await session.get(Scene, row.scene_id)
        speaker = await session.get(Character, row.dialogue_character_id) if row.dialogue_character_id else None
        return shot_document(row, scene, speaker) if scene else None
    if isinstance(row, Asset):
        character = await session.get(Character, row.character_id) if row.character_id else None
        return review_document(row, character)
    return None


async def project_refs(session: AsyncSession, project_id: int) -> list[Ref]:
    """Every row of the project memory could hold a fact about."""
    refs: list[Ref] = [("project", project_id)]
    for model, kind in ((Storyline, "storyline"), (WorldSettings, "world"), (Character, "character")):
        refs += [(kind, i) for i in await session.scalars(select(model.id).where(model.project_id == project_id))]
    refs += [("scene", i) for i in await session.scalars(select(Scene.id).where(Scene.project_id == project_id))]
    shots = select(Shot.id).join(Scene, Scene.id == Shot.scene_id).where(Scene.project_id == project_id)
    refs += [("shot", i) for i in await session.scalars(shots)]
    refs += [("episode", i) for i in await session.scalars(select(Episode.id).where(Episode.project_id == project_id))]
    reviewed = select(Asset.id).where(
        Asset.project_id == project_id,
        Asset.status.in_([AssetStatus.approved, AssetStatus.rejected]),
        Asset.feedback != "",
    )
    refs += [("review", i) for i in await session.scalars(reviewed)]
    return refs
