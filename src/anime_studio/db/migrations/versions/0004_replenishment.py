"""replenishment loop: guard settings, enrolled characters, batches

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamps() -> list[sa.Column[object]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "replenishment_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("cooldown_seconds", sa.Integer(), nullable=False),
        sa.Column("daily_limit", sa.Integer(), nullable=False),
        sa.Column("max_consecutive_rejects", sa.Integer(), nullable=False),
        sa.Column("pending_buffer", sa.Integer(), nullable=False),
        sa.Column("max_concurrent", sa.Integer(), nullable=False),
        sa.Column("batch_size", sa.Integer(), nullable=False),
        *_timestamps(),
        sa.CheckConstraint("id = 1", name=op.f("ck_replenishment_settings_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_replenishment_settings")),
    )
    op.create_table(
        "replenishment_characters",
        sa.Column("character_id", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("use_learned_parameters", sa.Boolean(), nullable=False),
        sa.Column("streak_since", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["character_id"],
            ["characters.id"],
            name=op.f("fk_replenishment_characters_character_id_characters"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("character_id", name=op.f("pk_replenishment_characters")),
    )
    op.create_table(
        "replenishment_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("character_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("step", sa.String(length=16), nullable=False),
        sa.Column("asset_ids", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("approved", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        *_timestamps(),
        sa.CheckConstraint("size > 0", name=op.f("ck_replenishment_batches_size")),
        sa.ForeignKeyConstraint(
            ["character_id"],
            ["characters.id"],
            name=op.f("fk_replenishment_batches_character_id_characters"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name=op.f("fk_replenishment_batches_run_id_runs"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_replenishment_batches")),
    )
    op.create_index(
        op.f("ix_replenishment_batches_character_id"), "replenishment_batches", ["character_id"], unique=False
    )
    op.create_index(op.f("ix_replenishment_batches_run_id"), "replenishment_batches", ["run_id"], unique=False)


def downgrade() -> None:
    op.drop_table("replenishment_batches")
    op.drop_table("replenishment_characters")
    op.drop_table("replenishment_settings")
