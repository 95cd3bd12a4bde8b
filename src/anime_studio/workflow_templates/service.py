"""Workflow templates: create (parsed and validated), list, get, delete, check against backends."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.common.pagination import paginate
from anime_studio.engines.base import EngineError
from anime_studio.engines.comfyui.pool import Backend, ComfyPool
from anime_studio.engines.comfyui.requirements import check_workflow
from anime_studio.engines.comfyui.templates import (
    Template,
    TemplateError,
    TemplateValues,
    apply_template,
    parse_template,
)
from anime_studio.engines.image.base import LoraSpec
from anime_studio.errors import Conflict, Invalid, NotFound
from anime_studio.workflow_templates.models import WorkflowTemplate
from anime_studio.workflow_templates.schemas import BackendCheck, TemplateCreate, TemplateValidation

SAMPLE_IMAGE = "example.png"
"""ComfyUI ships ``input/example.png``; validation uses it where the template takes an image."""


async def list_templates(*, session: AsyncSession, limit: int, offset: int) -> tuple[list[WorkflowTemplate], int]:
    return await paginate(session, select(WorkflowTemplate).order_by(WorkflowTemplate.name), limit=limit, offset=offset)


async def get(*, session: AsyncSession, template_id: int) -> WorkflowTemplate:
    template = await session.get(WorkflowTemplate, template_id)
    if template is None:
        raise NotFound(f"workflow template {template_id} not found")
    return template


async def find(*, session: AsyncSession, ref: str) -> WorkflowTemplate | None:
    """A template by id (digits) or by name (case-insensitive)."""
    if ref.isdigit() and int(ref) < 2**31:
        return await session.get(WorkflowTemplate, int(ref))
    return await session.scalar(
        select(WorkflowTemplate).where(func.lower(WorkflowTemplate.name) == ref.strip().lower())
    )


def parse(template: WorkflowTemplate) -> Template:
    """The stored workflow as a usable template."""
    return parse_template(template.workflow)


async def create(*, session: AsyncSession, data: TemplateCreate, user_id: int | None) -> WorkflowTemplate:
    """Parse and validate the workflow (shape, a prompt marker, an output node), then store it."""
    try:
        parsed = parse_template(data.workflow)
    except TemplateError as error:
        raise Invalid(str(error)) from error
    if await find(session=session, ref=data.name) is not None:
        raise Conflict(f"a workflow template named {data.name!r} already exists")
    template = WorkflowTemplate(
        name=data.name,
        description=data.description,
        kind=data.kind,
        workflow=parsed.workflow,
        markers=parsed.markers,
        created_by_id=user_id,
    )
    session.add(template)
    await session.flush()
    return template


async def delete(*, session: AsyncSession, template: WorkflowTemplate) -> None:
    await session.delete(template)


async def validate(*, template: WorkflowTemplate, pool: ComfyPool) -> TemplateValidation:
    """Fill the markers with sample values and check the result against every configured backend."""
    parsed = parse(template)
    checks = await asyncio.gather(*(_check_backend(parsed, backend) for backend in pool.backends))
    return TemplateValidation(template_id=template.id, ok=any(c.ok for c in checks), backends=list(checks))


async def _check_backend(parsed: Template, backend: Backend) -> BackendCheck:
    try:
        schemas = await backend.client.object_info(refresh=True)
    except EngineError as error:
        return BackendCheck(url=backend.url, reachable=False, ok=False, error=str(error))
    loras = schemas.files("LoraLoader", "lora_name")
    values = TemplateValues(
        prompt="validation", negative="", image=SAMPLE_IMAGE, lora=LoraSpec(loras[0]) if loras else None
    )
    try:
        workflow = apply_template(parsed, values)
    except EngineError as error:
        return BackendCheck(url=backend.url, reachable=True, ok=False, problems=[f"{error} (models/loras is empty)"])
    report = check_workflow(workflow, schemas, uploads={SAMPLE_IMAGE}, url=backend.url)
    if not any(schemas.is_output(str(node.get("class_type"))) for node in workflow.values()):
        report.bad_values.append("no node of this workflow is an output node on this backend")
    return BackendCheck(
        url=backend.url, reachable=True, ok=report.ok, missing=report.missing(), problems=report.bad_values
    )
