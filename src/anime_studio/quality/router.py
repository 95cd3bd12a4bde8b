"""``/api/lora/quality/gates``: the stored thresholds."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from anime_studio.deps import CurrentUser, EditorUser, SessionDep
from anime_studio.quality import service
from anime_studio.quality.schemas import GateRead, GatesRead, GatesUpdate

router = APIRouter(tags=["quality"])


def _read(gates: list[object]) -> GatesRead:
    return GatesRead(gates=[GateRead.model_validate(g) for g in gates])


@router.get("/quality/gates", response_model=GatesRead)
async def get_gates(_: CurrentUser, session: SessionDep) -> GatesRead:
    """Auto-approve, auto-reject, scene shot minimum and the progressive shot gates."""
    return _read(list(await service.list_gates(session=session)))


@router.put("/quality/gates", response_model=GatesRead)
async def put_gates(body: GatesUpdate, _: EditorUser, session: SessionDep) -> GatesRead:
    """Change any of the gates (scores 0–1)."""
    values = body.model_dump(exclude_none=True)
    return _read(list(await service.update(session=session, values=values)))


@router.put("/quality/gates/{gate_name}", response_model=GatesRead)
async def put_gate(
    gate_name: Annotated[str, Path(max_length=64)],
    threshold: Annotated[float, Query(ge=0, le=1)],
    _: EditorUser,
    session: SessionDep,
) -> GatesRead:
    """Change one gate (``?threshold=``), as the original API did."""
    return _read(list(await service.update(session=session, values={gate_name: threshold})))
