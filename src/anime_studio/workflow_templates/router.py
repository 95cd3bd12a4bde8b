"""Workflow templates: a studio's own ComfyUI workflows for the image engine."""

from __future__ import annotations

from fastapi import APIRouter, status

from anime_studio.common.pagination import Page
from anime_studio.deps import CurrentUser, EditorUser, ItemId, Limit, Offset, SessionDep, SettingsDep
from anime_studio.engines.registry import comfyui_pool
from anime_studio.workflow_templates import service
from anime_studio.workflow_templates.schemas import TemplateCreate, TemplateRead, TemplateSummary, TemplateValidation

router = APIRouter(tags=["workflow-templates"])


@router.get("/workflow-templates", response_model=Page[TemplateSummary])
async def list_templates(
    _: CurrentUser, session: SessionDep, limit: Limit = 100, offset: Offset = 0
) -> Page[TemplateSummary]:
    """Workflow templates by name (without their workflows)."""
    items, total = await service.list_templates(session=session, limit=limit, offset=offset)
    return Page(items=[TemplateSummary.model_validate(t) for t in items], total=total, limit=limit, offset=offset)


@router.post("/workflow-templates", response_model=TemplateRead, status_code=status.HTTP_201_CREATED)
async def create_template(body: TemplateCreate, user: EditorUser, session: SessionDep) -> TemplateRead:
    """Upload an API-format workflow with marked inputs ({{prompt}}, {{seed}}, … or studio:<marker> titles)."""
    template = await service.create(session=session, data=body, user_id=user.user.id)
    return TemplateRead.model_validate(template)


@router.get("/workflow-templates/{template_id}", response_model=TemplateRead)
async def get_template(template_id: ItemId, _: CurrentUser, session: SessionDep) -> TemplateRead:
    """One workflow template with its workflow."""
    return TemplateRead.model_validate(await service.get(session=session, template_id=template_id))


@router.delete("/workflow-templates/{template_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_template(template_id: ItemId, _: EditorUser, session: SessionDep) -> None:
    """Delete a workflow template."""
    await service.delete(session=session, template=await service.get(session=session, template_id=template_id))


@router.post("/workflow-templates/{template_id}/validate", response_model=TemplateValidation)
async def validate_template(
    template_id: ItemId, _: EditorUser, session: SessionDep, settings: SettingsDep
) -> TemplateValidation:
    """Check the template against every configured ComfyUI backend (node packs, model files, values)."""
    template = await service.get(session=session, template_id=template_id)
    return await service.validate(template=template, pool=comfyui_pool(settings))
