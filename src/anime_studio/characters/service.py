"""Characters: CRUD within a project and the composed SSOT prompt."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.characters import prompts
from anime_studio.characters.models import Character
from anime_studio.characters.schemas import CharacterCreate, CharacterUpdate
from anime_studio.common.pagination import paginate
from anime_studio.common.types import slugify
from anime_studio.errors import Conflict, NotFound
from anime_studio.events import names
from anime_studio.events.outbox import emit
from anime_studio.projects import service as projects
from anime_studio.projects.models import Project
from anime_studio.story import service as story
from anime_studio.styles import service as styles
from anime_studio.styles.models import GenerationStyle


async def get(*, session: AsyncSession, character_id: int) -> Character:
    character = await session.get(Character, character_id)
    if character is None:
        raise NotFound(f"character {character_id} not found")
    return character


async def get_by_slug(*, session: AsyncSession, project_id: int, slug: str) -> Character:
    character = await session.scalar(
        select(Character).where(Character.project_id == project_id, Character.slug == slug)
    )
    if character is None:
        raise NotFound(f"character {slug!r} not found in project {project_id}")
    return character


async def list_for_project(
    *, session: AsyncSession, project_id: int, limit: int, offset: int
) -> tuple[list[Character], int]:
    query = select(Character).where(Character.project_id == project_id).order_by(Character.name, Character.id)
    return await paginate(session, query, limit=limit, offset=offset)


async def list_all(
    *, session: AsyncSession, project_id: int | None, limit: int, offset: int
) -> tuple[list[tuple[Character, Project]], int]:
    """Characters of every project (or one), with their project, by project then name."""
    query = select(Character, Project).join(Project, Project.id == Character.project_id)
    if project_id is not None:
        query = query.where(Character.project_id == project_id)
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = await session.execute(query.order_by(Project.name, Character.name, Character.id).limit(limit).offset(offset))
    return [(c, p) for c, p in rows.all()], total


async def all_for_project(*, session: AsyncSession, project_id: int) -> list[Character]:
    query = select(Character).where(Character.project_id == project_id).order_by(Character.name, Character.id)
    return list((await session.scalars(query)).all())


async def create(*, session: AsyncSession, project_id: int, data: CharacterCreate) -> Character:
    """Add a character to a project; its slug (from the name unless given) is unique in the project."""
    await projects.get(session=session, project_id=project_id)
    slug = data.slug or slugify(data.name, fallback="character")
    taken = await session.scalar(select(Character.id).where(Character.project_id == project_id, Character.slug == slug))
    if taken is not None:
        raise Conflict(f"project {project_id} already has a character with slug {slug!r}")
    character = Character(
        project_id=project_id,
        slug=slug,
        **data.model_dump(exclude={"slug", "appearance_data", "voice"}),
        appearance_data=data.appearance_data.model_dump(),
        voice=data.voice.model_dump(),
    )
    session.add(character)
    await session.flush()
    emit(session, names.CHARACTER_CHANGED, {"character_id": character.id, "project_id": project_id})
    return character


async def update(*, session: AsyncSession, character: Character, data: CharacterUpdate) -> Character:
    changes = data.model_dump(exclude_unset=True, exclude_none=True, exclude={"appearance_data", "voice"})
    # Structured fields are replaced whole (with their defaults), never merged key by key.
    if data.appearance_data is not None:
        changes["appearance_data"] = data.appearance_data.model_dump()
    if data.voice is not None:
        changes["voice"] = data.voice.model_dump()
    for key, value in changes.items():
        setattr(character, key, value)
    await session.flush()
    emit(session, names.CHARACTER_CHANGED, {"character_id": character.id, "project_id": character.project_id})
    return character


async def delete(*, session: AsyncSession, character: Character) -> None:
    """Delete the character's record; its dataset folder is kept on disk."""
    await session.delete(character)
    emit(session, names.CHARACTER_CHANGED, {"character_id": character.id, "project_id": character.project_id})


async def project_style(*, session: AsyncSession, project_id: int) -> GenerationStyle:
    project = await projects.get(session=session, project_id=project_id)
    if project.default_style_id is None:
        return GenerationStyle(**_default_style_fields())
    return await styles.get(session=session, style_id=project.default_style_id)


def _default_style_fields() -> dict[str, object]:
    from anime_studio.styles.schemas import StyleFields

    return {"name": "studio default", **StyleFields().model_dump()}


async def compose_prompt(
    *, session: AsyncSession, character: Character, extra: str = ""
) -> tuple[prompts.ComposedPrompt, GenerationStyle]:
    """The character's final prompt from the project's style and world settings (the one SSOT function)."""
    style = await project_style(session=session, project_id=character.project_id)
    world = await story.find_world(session=session, project_id=character.project_id)
    appearance = character.appearance_data or {}
    composed = prompts.compose(
        design_prompt=character.design_prompt,
        species=str(appearance.get("species", "")),
        common_errors=[str(e) for e in appearance.get("common_errors", [])],
        quality_template=style.positive_prompt_template,
        base_negative=style.negative_prompt_template,
        world_negative=world.negative_prompt_guidance if world else "",
        extra=extra,
    )
    return composed, style
