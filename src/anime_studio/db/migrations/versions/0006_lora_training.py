"""LoRA training: trainings, epochs, versions; generation_styles.lora_strength

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamps() -> list[sa.Column[object]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    ]


def upgrade() -> None:
    op.add_column("generation_styles", sa.Column("lora_strength", sa.Float(), server_default="0.8", nullable=False))
    op.create_table(
        "lora_trainings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("character_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("preset", sa.String(length=32), nullable=False),
        sa.Column("engine", sa.String(length=32), nullable=False),
        sa.Column("settings", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("dataset_snapshot", sa.String(length=64), nullable=False),
        sa.Column("dataset_path", sa.Text(), nullable=False),
        sa.Column("manifest", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("total_steps", sa.Integer(), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("loss", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("eta_seconds", sa.Float(), nullable=True),
        sa.Column("best_epoch", sa.Integer(), nullable=True),
        sa.Column("trained_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("steps_since", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["character_id"],
            ["characters.id"],
            name=op.f("fk_lora_trainings_character_id_characters"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name=op.f("fk_lora_trainings_run_id_runs"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_lora_trainings_created_by_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lora_trainings")),
    )
    op.create_index(op.f("ix_lora_trainings_character_id"), "lora_trainings", ["character_id"])
    op.create_index(op.f("ix_lora_trainings_run_id"), "lora_trainings", ["run_id"])
    op.create_table(
        "lora_epochs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("training_id", sa.Integer(), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("loss", sa.Float(), nullable=True),
        sa.Column("steps", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("samples", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["training_id"],
            ["lora_trainings.id"],
            name=op.f("fk_lora_epochs_training_id_lora_trainings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lora_epochs")),
        sa.UniqueConstraint("training_id", "epoch", name=op.f("uq_lora_epochs_training_id_epoch")),
    )
    op.create_index(op.f("ix_lora_epochs_training_id"), "lora_epochs", ["training_id"])
    op.create_table(
        "lora_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("character_id", sa.Integer(), nullable=False),
        sa.Column("training_id", sa.Integer(), nullable=True),
        sa.Column("epoch_id", sa.Integer(), nullable=True),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("trigger_word", sa.String(length=64), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("promoted_by", sa.Integer(), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["character_id"],
            ["characters.id"],
            name=op.f("fk_lora_versions_character_id_characters"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["training_id"],
            ["lora_trainings.id"],
            name=op.f("fk_lora_versions_training_id_lora_trainings"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["epoch_id"], ["lora_epochs.id"], name=op.f("fk_lora_versions_epoch_id_lora_epochs"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["promoted_by"], ["users.id"], name=op.f("fk_lora_versions_promoted_by_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lora_versions")),
        sa.UniqueConstraint("character_id", "number", name=op.f("uq_lora_versions_character_id_number")),
    )
    op.create_index(op.f("ix_lora_versions_character_id"), "lora_versions", ["character_id"])


def downgrade() -> None:
    op.drop_table("lora_versions")
    op.drop_table("lora_epochs")
    op.drop_table("lora_trainings")
    op.drop_column("generation_styles", "lora_strength")
