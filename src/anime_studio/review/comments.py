"""Threaded comments on a version, optionally at a timecode with a still of that frame; mentions; unread counts."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.auth.models import User
from anime_studio.errors import Invalid, NotFound
from anime_studio.events import names
from anime_studio.events.outbox import emit
from anime_studio.media.ffmpeg import run_ffmpeg
from anime_studio.media.paths import MediaPaths
from anime_studio.media.probe import probe
from anime_studio.review.models import Comment, InboxItem, Version

MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_.-]{1,64})")


def frame_at(timecode: float, fps: float) -> int:
    """The frame shown at ``timecode``: frame n covers [n/fps, (n+1)/fps)."""
    return int(timecode * fps + 1e-6)


async def extract_still(video: Path, frame: int, fps: float, target: Path) -> None:
    """Write frame number ``frame`` of ``video`` as PNG, exactly that frame.

    A fast seek before the input lands a little early; the select filter then keeps the first frame whose
    (original, -copyts) time is past the midpoint between frame n-1 and n, which is frame n whatever the rounding.
    """
    start = max(0.0, frame / fps - 2.0)
    threshold = (frame - 0.5) / fps
    target.parent.mkdir(parents=True, exist_ok=True)
    await run_ffmpeg(
        [
            *("-ss", f"{start:.6f}", "-copyts", "-i", str(video)),
            *("-vf", f"select='gte(t\\,{threshold:.6f})'", "-frames:v", "1", "-update", "1", str(target)),
        ]
    )


async def _fps(paths: MediaPaths, version: Version) -> float:
    if version.fps:
        return float(version.fps)
    info = probe(paths.inside(version.path))
    return float(info.fps or 24)


async def add(
    *,
    session: AsyncSession,
    paths: MediaPaths,
    version: Version,
    author_id: int,
    body: str,
    timecode: float | None,
    parent_id: int | None,
) -> Comment:
    """Post a comment (a reply when ``parent_id``); notify everyone else, flagging the users it @mentions."""
    if parent_id is not None:
        parent = await session.get(Comment, parent_id)
        if parent is None or parent.version_id != version.id:
            raise Invalid(f"comment {parent_id} is not on version {version.id}")
    if timecode is not None and version.duration is not None and timecode > version.duration:
        raise Invalid(f"timecode {timecode:.3f}s is past the end of the version ({version.duration:.3f}s)")
    mentioned = await _mentioned(session, body)
    comment = Comment(
        version_id=version.id, parent_id=parent_id, author_id=author_id, body=body, mentions=sorted(mentioned.values())
    )
    session.add(comment)
    await session.flush()
    if timecode is not None:
        await _still(paths, version, comment, timecode)
    await _notify(session, comment, author_id, set(mentioned.values()))
    emit(session, names.REVIEW_COMMENTED, _event(version, comment))
    return comment


async def _still(paths: MediaPaths, version: Version, comment: Comment, timecode: float) -> None:
    fps = await _fps(paths, version)
    comment.timecode, comment.frame = timecode, frame_at(timecode, fps)
    video = paths.inside(version.path)
    if not video.is_file():
        raise Invalid(f"version {version.number} has no file any more (purged): comment without a timecode")
    target = video.parent / "comments" / f"comment_{comment.id}.png"
    await extract_still(video, comment.frame, fps, target)
    comment.still_path = paths.relative(target)


async def _mentioned(session: AsyncSession, body: str) -> dict[str, int]:
    handles = {m.lower() for m in MENTION.findall(body)}
    if not handles:
        return {}
    rows = await session.execute(
        select(User.username, User.id).where(func.lower(User.username).in_(handles), User.is_active.is_(True))
    )
    return {str(name): int(user_id) for name, user_id in rows.all()}


async def _notify(session: AsyncSession, comment: Comment, author_id: int, mentioned: set[int]) -> None:
    users = await session.scalars(select(User.id).where(User.is_active.is_(True), User.id != author_id))
    for user_id in users.all():
        session.add(InboxItem(user_id=user_id, comment_id=comment.id, mentioned=user_id in mentioned))
    await session.flush()


def _event(version: Version, comment: Comment) -> dict[str, Any]:
    return {
        "comment_id": comment.id,
        "version_id": version.id,
        "subject_type": version.subject_type,
        "subject_id": version.subject_id,
        "project_id": version.project_id,
        "timecode": comment.timecode,
        "mentions": comment.mentions,
    }


async def list_for(*, session: AsyncSession, version_id: int) -> list[tuple[Comment, str | None]]:
    """The version's comments, oldest first, with their authors' names (replies carry ``parent_id``)."""
    rows = await session.execute(
        select(Comment, User.username)
        .outerjoin(User, User.id == Comment.author_id)
        .where(Comment.version_id == version_id)
        .order_by(Comment.id)
    )
    return [(comment, name) for comment, name in rows.all()]


async def get(*, session: AsyncSession, comment_id: int) -> Comment:
    comment = await session.get(Comment, comment_id)
    if comment is None:
        raise NotFound(f"comment {comment_id} not found")
    return comment


async def unread(*, session: AsyncSession, user_id: int) -> dict[str, Any]:
    """The user's unread comments: total, how many mention them, and per version."""
    rows = await session.execute(
        select(Comment.version_id, func.count(), func.count().filter(InboxItem.mentioned))
        .join(Comment, Comment.id == InboxItem.comment_id)
        .where(InboxItem.user_id == user_id, InboxItem.read_at.is_(None))
        .group_by(Comment.version_id)
    )
    per_version = {version_id: (count, mentions) for version_id, count, mentions in rows.all()}
    return {
        "unread": sum(c for c, _ in per_version.values()),
        "mentions": sum(m for _, m in per_version.values()),
        "by_version": {str(v): c for v, (c, _) in per_version.items()},
    }


async def mark_read(*, session: AsyncSession, user_id: int, version_id: int) -> None:
    """Everything on ``version_id`` counts as read for the user."""
    on_version = select(Comment.id).where(Comment.version_id == version_id)
    await session.execute(
        update(InboxItem)
        .where(InboxItem.user_id == user_id, InboxItem.read_at.is_(None), InboxItem.comment_id.in_(on_version))
        .values(read_at=datetime.now(UTC))
    )
