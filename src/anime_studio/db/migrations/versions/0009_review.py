"""review: numbered versions, review states with history, comments with an inbox, the per-project gate

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOW = sa.text("now()")


def _user(name: str) -> sa.Column[int]:
    return sa.Column(name, sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True)


def _project() -> sa.Column[int]:
    return sa.Column("project_id", sa.Integer(), sa.ForeignKey("projects.id", ondelete="CASCADE"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "review_versions",
        sa.Column("id", sa.Integer(), primary_key=True),
        _project(),
        sa.Column("subject_type", sa.String(16), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("companions", postgresql.JSONB(), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("duration", sa.Float(), nullable=True),
        sa.Column("fps", sa.Float(), nullable=True),
        sa.Column("engine", sa.String(64), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=True),
        sa.Column("lora_version", sa.String(200), nullable=True),
        sa.Column("provenance", postgresql.JSONB(), nullable=False),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("runs.id", ondelete="SET NULL"), nullable=True),
        _user("created_by"),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("subject_type", "subject_id", "number"),
        sa.CheckConstraint("subject_type IN ('shot', 'scene', 'episode')", name="subject_type"),
    )
    op.create_index("ix_review_versions_project_id", "review_versions", ["project_id"])
    op.create_table(
        "review_states",
        sa.Column("id", sa.Integer(), primary_key=True),
        _project(),
        sa.Column("subject_type", sa.String(16), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column(
            "current_version_id", sa.Integer(), sa.ForeignKey("review_versions.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column(
            "approved_version_id", sa.Integer(), sa.ForeignKey("review_versions.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        _user("changed_by"),
        sa.Column("changed_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.UniqueConstraint("subject_type", "subject_id"),
        sa.CheckConstraint("status IN ('todo', 'in_review', 'approved', 'retake')", name="status"),
    )
    op.create_index("ix_review_states_project_id", "review_states", ["project_id"])
    op.create_table(
        "review_status_changes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("state_id", sa.Integer(), sa.ForeignKey("review_states.id", ondelete="CASCADE"), nullable=False),
        sa.Column("version_id", sa.Integer(), sa.ForeignKey("review_versions.id", ondelete="SET NULL"), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        _user("user_id"),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
    )
    op.create_index("ix_review_status_changes_state_id", "review_status_changes", ["state_id"])
    op.create_table(
        "review_comments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("version_id", sa.Integer(), sa.ForeignKey("review_versions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("parent_id", sa.Integer(), sa.ForeignKey("review_comments.id", ondelete="CASCADE"), nullable=True),
        _user("author_id"),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("timecode", sa.Float(), nullable=True),
        sa.Column("frame", sa.Integer(), nullable=True),
        sa.Column("still_path", sa.Text(), nullable=True),
        sa.Column("mentions", postgresql.JSONB(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
    )
    op.create_index("ix_review_comments_version_id", "review_comments", ["version_id"])
    op.create_index("ix_review_comments_parent_id", "review_comments", ["parent_id"])
    op.create_table(
        "review_inbox",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("comment_id", sa.Integer(), sa.ForeignKey("review_comments.id", ondelete="CASCADE"), nullable=False),
        sa.Column("mentioned", sa.Boolean(), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("user_id", "comment_id"),
    )
    op.create_index("ix_review_inbox_user_id", "review_inbox", ["user_id"])
    op.create_table(
        "review_settings",
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("gate", sa.String(16), nullable=False),
        sa.CheckConstraint("gate IN ('off', 'publish', 'assembly')", name="gate"),
    )


def downgrade() -> None:
    for table in ("review_settings", "review_inbox", "review_comments", "review_status_changes", "review_states"):
        op.drop_table(table)
    op.drop_table("review_versions")
