"""Everything one scene generation needs, loaded once: scene, shots, project, style, world, cast, gates, LoRAs."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.characters import service as characters
from anime_studio.characters.models import Character
from anime_studio.engines.music.moods import canonical_mood
from anime_studio.events import names
from anime_studio.events.outbox import emit
from anime_studio.jobs.context import RunContext
from anime_studio.lora import usage as lora_usage
from anime_studio.lora.models import LoraVersion
from anime_studio.projects.models import Project
from anime_studio.quality import service as quality
from anime_studio.scenes import service as scenes
from anime_studio.scenes.models import Scene, Shot
from anime_studio.story import service as story
from anime_studio.story.models import WorldSettings
from anime_studio.styles.models import GenerationStyle


@dataclass
class SceneWork:
    ctx: RunContext
    scene: Scene
    shots: list[Shot]
    project: Project
    style: GenerationStyle
    world: WorldSettings | None
    cast: dict[int, Character]
    gates: quality.Gates
    loras: dict[int, LoraVersion] = field(default_factory=dict)
    """The promoted LoRA version of each cast member that has one (keyframes load them)."""

    @property
    def folder(self) -> Path:
        """``output/scenes/{project}/scene_{id}/``: shot clips, frames, dialogue, music of this scene."""
        return self.ctx.runtime.paths.scene_dir(self.project.slug, self.scene.id)

    @property
    def output(self) -> Path:
        return self.ctx.runtime.paths.scenes_output(self.project.slug) / f"scene_{self.scene.id}.mp4"

    @property
    def mood(self) -> str:
        """The scene's mood in the music vocabulary ("Sad, rainy" → melancholy; ambient when none)."""
        return canonical_mood(self.scene.mood)

    def path(self, relative: str | None) -> Path | None:
        if not relative:
            return None
        resolved = self.ctx.runtime.paths.inside(relative)
        return resolved if resolved.is_file() else None

    def relative(self, path: Path) -> str:
        return self.ctx.runtime.paths.relative(path)

    def shot_seed(self, shot: Shot) -> int:
        """The shot's seed, or a stable one derived from its identity (same scene → same pictures)."""
        if shot.seed is not None:
            return shot.seed
        digest = hashlib.sha256(f"{self.scene.id}:{shot.id}".encode()).digest()
        return int.from_bytes(digest[:4], "big")

    def characters_of(self, shot: Shot) -> list[Character]:
        ids = [int(i) for i in shot.characters]
        if shot.dialogue_character_id and shot.dialogue_character_id not in ids:
            ids.insert(0, shot.dialogue_character_id)
        return [self.cast[i] for i in ids if i in self.cast]

    def loras_of(self, shot: Shot) -> lora_usage.LoraUse:
        """The promoted LoRAs of the characters this shot shows, at the project style's strength."""
        versions = [self.loras[c.id] for c in self.characters_of(shot) if c.id in self.loras]
        return lora_usage.use(versions, strength=self.style.lora_strength)

    def notify(self, session: AsyncSession, shot: Shot | None = None, **extra: Any) -> None:
        data = {"scene_id": self.scene.id, "status": self.scene.status, "run_id": self.ctx.run_id, **extra}
        if shot is not None:
            data.update(shot_id=shot.id, shot_status=shot.status, position=shot.position)
        emit(session, names.SCENE_UPDATED, data)


async def load(ctx: RunContext, scene_id: int) -> SceneWork:
    async with ctx.runtime.db.sessionmaker() as session:
        scene = await scenes.get(session=session, scene_id=scene_id)
        shots = await scenes.shots_of(session=session, scene_id=scene_id)
        project = await session.get(Project, scene.project_id)
        assert project is not None
        style = await characters.project_style(session=session, project_id=project.id)
        world = await story.find_world(session=session, project_id=project.id)
        cast = {c.id: c for c in await characters.all_for_project(session=session, project_id=project.id)}
        gates = await quality.current(session=session)
        loras = await lora_usage.active_versions(session=session, character_ids=cast)
    return SceneWork(ctx, scene, shots, project, style, world, cast, gates, loras)
