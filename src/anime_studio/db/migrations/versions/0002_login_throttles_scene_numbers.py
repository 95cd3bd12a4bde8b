"""login throttles; scene numbers unique per project

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Concurrent creates could give two scenes of a project the same number; before the constraint can
# exist, every duplicate after the first (by id) moves to a new number after the project's last one.
RENUMBER_DUPLICATES = """
WITH ranked AS (
    SELECT id, project_id,
           row_number() OVER (PARTITION BY project_id, scene_number ORDER BY id) AS copy
    FROM scenes
), moved AS (
    SELECT r.id,
           (SELECT max(s.scene_number) FROM scenes s WHERE s.project_id = r.project_id)
           + row_number() OVER (PARTITION BY r.project_id ORDER BY r.id) AS number
    FROM ranked r
    WHERE r.copy > 1
)
UPDATE scenes SET scene_number = moved.number FROM moved WHERE scenes.id = moved.id
"""


def upgrade() -> None:
    op.create_table(
        "login_throttles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_throttles")),
        sa.UniqueConstraint("scope", "key", name=op.f("uq_login_throttles_scope_key")),
    )
    op.execute(RENUMBER_DUPLICATES)
    op.create_unique_constraint(op.f("uq_scenes_project_id_scene_number"), "scenes", ["project_id", "scene_number"])


def downgrade() -> None:
    op.drop_constraint(op.f("uq_scenes_project_id_scene_number"), "scenes", type_="unique")
    op.drop_table("login_throttles")
