"""Read and change quality gates; the values must stay consistent."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.errors import Invalid, NotFound
from anime_studio.quality.models import DEFAULT_GATES, QualityGate


@dataclass(frozen=True)
class Gates:
    auto_approve: float
    auto_reject: float
    scene_shot_minimum: float
    shot_gate_1: float
    shot_gate_2: float
    shot_gate_3: float

    @property
    def shot_gates(self) -> tuple[float, float, float]:
        """Progressive thresholds of the three attempts of a shot (spec: 0.6 → 0.45 → 0.3)."""
        return (self.shot_gate_1, self.shot_gate_2, self.shot_gate_3)


async def list_gates(*, session: AsyncSession) -> list[QualityGate]:
    rows = {g.name: g for g in (await session.scalars(select(QualityGate))).all()}
    for name, (value, description) in DEFAULT_GATES.items():
        if name not in rows:
            rows[name] = QualityGate(name=name, value=value, description=description)
    return [rows[name] for name in DEFAULT_GATES]


async def current(*, session: AsyncSession) -> Gates:
    """The gates in force (stored values, defaults for any not stored)."""
    return Gates(**{g.name: g.value for g in await list_gates(session=session)})


async def update(*, session: AsyncSession, values: dict[str, float]) -> list[QualityGate]:
    """Change some gates; refuses an inconsistent set (reject ≥ approve, or gates that do not loosen)."""
    for name in values:
        if name not in DEFAULT_GATES:
            raise NotFound(f"unknown quality gate {name!r}")
    merged = {g.name: g.value for g in await list_gates(session=session)} | values
    if merged["auto_reject"] >= merged["auto_approve"]:
        raise Invalid("auto_reject must be lower than auto_approve")
    if not merged["shot_gate_1"] >= merged["shot_gate_2"] >= merged["shot_gate_3"]:
        raise Invalid("shot gates must loosen from attempt to attempt (gate 1 ≥ gate 2 ≥ gate 3)")
    for name, value in values.items():
        gate = await session.get(QualityGate, name)
        if gate is None:
            session.add(QualityGate(name=name, value=value, description=DEFAULT_GATES[name][1]))
        else:
            gate.value = value
    await session.flush()
    return await list_gates(session=session)
