"""Story → scenes: the language engine breaks the storyline into scenes with shots (optionally saved)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.characters import service as characters
from anime_studio.engines.llm.base import CharacterBrief, LlmEngine, ScenePlan, StoryContext
from anime_studio.engines.video.presets import default_motion
from anime_studio.errors import BadGateway, Invalid
from anime_studio.projects import service as projects
from anime_studio.scenes import service as scenes
from anime_studio.scenes.models import Scene, Shot
from anime_studio.scenes.schemas import PlannedScene, SceneCreate
from anime_studio.story import service as story


async def context(*, session: AsyncSession, project_id: int) -> StoryContext:
    """Storyline + world + cast of a project, as the language engine sees them."""
    project = await projects.get(session=session, project_id=project_id)
    storyline = await story.find_storyline(session=session, project_id=project_id)
    world = await story.find_world(session=session, project_id=project_id)
    cast = await characters.all_for_project(session=session, project_id=project_id)
    world_text = (
        ", ".join(t for t in [world.aesthetic, world.time_period, str(world.world_location or "")] if t and t != "{}")
        if world
        else ""
    )
    return StoryContext(
        project_name=project.name,
        title=storyline.title if storyline else "",
        summary=(storyline.summary if storyline else "") or project.premise,
        script=storyline.script if storyline else "",
        tone=storyline.tone if storyline else "",
        genre=(storyline.genre if storyline else "") or project.genre,
        themes=list(storyline.themes) if storyline else [],
        art_style=world.art_style if world else "",
        world_description=world_text,
        characters=[CharacterBrief(name=c.name, slug=c.slug, role=c.role, design_prompt=c.design_prompt) for c in cast],
    )


async def breakdown(
    *, session: AsyncSession, engine: LlmEngine, project_id: int, max_scenes: int
) -> list[PlannedScene]:
    ctx = await context(session=session, project_id=project_id)
    if not (ctx.script.strip() or ctx.summary.strip()):
        raise Invalid("write a storyline summary or script on the Story & World tab first")
    return checked(await engine.breakdown(ctx, max_scenes=max_scenes), engine=engine.name)


def checked(plans: list[ScenePlan], *, engine: str) -> list[PlannedScene]:
    """The engine's plans held to the rules a person's plans meet; a breach is the engine's fault (502)."""
    try:
        return [PlannedScene.model_validate(plan.model_dump()) for plan in plans]
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise BadGateway(
            f"the language engine {engine!r} returned an unusable story breakdown ({where}: {first['msg']}); try again"
        ) from error


async def save(*, session: AsyncSession, project_id: int, plans: list[PlannedScene]) -> list[Scene]:
    """Create the planned scenes and shots (speakers and characters resolved by slug)."""
    cast = {c.slug: c.id for c in await characters.all_for_project(session=session, project_id=project_id)}
    created = []
    for plan in plans:
        scene = await scenes.create(
            session=session,
            data=SceneCreate(
                project_id=project_id,
                title=plan.title,
                description=plan.description,
                location=plan.location,
                time_of_day=plan.time_of_day,
                weather=plan.weather,
                mood=plan.mood,
            ),
        )
        for position, shot in enumerate(plan.shots, start=1):
            session.add(
                Shot(
                    scene_id=scene.id,
                    position=position,
                    shot_type=shot.shot_type,
                    camera_angle=shot.camera_angle,
                    motion_prompt=shot.motion_prompt or default_motion(shot.shot_type),
                    duration=shot.duration,
                    dialogue_text=shot.dialogue_text,
                    dialogue_character_id=cast.get(shot.dialogue_character or ""),
                    characters=[cast[s] for s in shot.characters if s in cast],
                )
            )
        created.append(scene)
    await session.flush()
    return created


def plan_to_dict(plan: PlannedScene) -> dict[str, Any]:
    return plan.model_dump()
