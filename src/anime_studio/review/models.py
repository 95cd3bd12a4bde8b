"""Review tables: numbered versions of shots, scenes and episodes, their review state, history and comments."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from anime_studio.db.base import Base

SUBJECT_TYPES = ("shot", "scene", "episode")
STATUSES = ("todo", "in_review", "approved", "retake")
GATES = ("off", "publish", "assembly")


class Version(Base):
    """One generation of a subject; its files live at version-numbered paths and are never overwritten."""

    __tablename__ = "review_versions"
    __table_args__ = (
        UniqueConstraint("subject_type", "subject_id", "number"),
        CheckConstraint("subject_type IN ('shot', 'scene', 'episode')", name="subject_type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    subject_type: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[int]
    number: Mapped[int]
    path: Mapped[str] = mapped_column(Text)
    # role ("last_frame", "subtitles") → media-root-relative path of a companion file of this version
    companions: Mapped[dict[str, Any]] = mapped_column(default=dict)
    size_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    duration: Mapped[float | None]
    fps: Mapped[float | None]
    engine: Mapped[str] = mapped_column(String(64), default="")
    seed: Mapped[int | None] = mapped_column(BigInteger)
    lora_version: Mapped[str | None] = mapped_column(String(200))
    provenance: Mapped[dict[str, Any]] = mapped_column(default=dict)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    purged_at: Mapped[datetime | None]


class ReviewState(Base):
    """The pointer to a subject's current version and its review status."""

    __tablename__ = "review_states"
    __table_args__ = (
        UniqueConstraint("subject_type", "subject_id"),
        CheckConstraint("status IN ('todo', 'in_review', 'approved', 'retake')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    subject_type: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[int]
    current_version_id: Mapped[int | None] = mapped_column(ForeignKey("review_versions.id", ondelete="SET NULL"))
    approved_version_id: Mapped[int | None] = mapped_column(ForeignKey("review_versions.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default="todo")
    reason: Mapped[str] = mapped_column(Text, default="")
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(server_default=func.now())


class StatusChange(Base):
    """History: every status a subject went through, with who, when, which version and why."""

    __tablename__ = "review_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    state_id: Mapped[int] = mapped_column(ForeignKey("review_states.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("review_versions.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


class Comment(Base):
    __tablename__ = "review_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("review_versions.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("review_comments.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    timecode: Mapped[float | None]
    frame: Mapped[int | None]
    still_path: Mapped[str | None] = mapped_column(Text)
    mentions: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


class InboxItem(Base):
    """A comment someone has not read yet (every user but its author gets one; mentions are flagged)."""

    __tablename__ = "review_inbox"
    __table_args__ = (UniqueConstraint("user_id", "comment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("review_comments.id", ondelete="CASCADE"))
    mentioned: Mapped[bool] = mapped_column(default=False)
    read_at: Mapped[datetime | None]


class ReviewSettings(Base):
    """Per project: which steps need approved versions ("publish" by default, "assembly" locks the cut too)."""

    __tablename__ = "review_settings"
    __table_args__ = (CheckConstraint("gate IN ('off', 'publish', 'assembly')", name="gate"),)

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    gate: Mapped[str] = mapped_column(String(16), default="publish")
