"""gpu_renders.failure: the class of a queue job's failure (unreachable, timed out, out of memory …)

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("gpu_renders", sa.Column("failure", sa.String(length=32), server_default="", nullable=False))


def downgrade() -> None:
    op.drop_column("gpu_renders", "failure")
