"""``/api/lora/review``: versions, status, comments and the project's review gate."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, status
from fastapi.responses import FileResponse

from anime_studio.deps import AdminUser, CurrentUser, EditorUser, ItemId, PathsDep, ProjectId, ReviewerUser, SessionDep
from anime_studio.errors import NotFound
from anime_studio.jobs.schemas import RunRead
from anime_studio.projects import service as projects
from anime_studio.review import comments, gates, pointers, versions
from anime_studio.review import status as review_status
from anime_studio.review.models import Comment, ReviewState, Version
from anime_studio.review.schemas import (
    CommentCreate,
    CommentRead,
    PurgeResult,
    ReviewRead,
    ReviewSettingsRead,
    ReviewVersionRead,
    StatusChangeRead,
    StatusUpdate,
    StorageRead,
    SubjectType,
    UnreadRead,
)
from anime_studio.scenes import runs as scene_runs
from anime_studio.scenes import service as scenes

router = APIRouter(prefix="/review", tags=["review"])

Subject = Annotated[SubjectType, Path()]


def _version(request: Request, version: Version) -> ReviewVersionRead:
    url = "" if version.purged_at else str(request.url_for("get_version_file", version_id=version.id).path)
    return ReviewVersionRead.model_validate(version).model_copy(update={"file_url": url})


def _comment(request: Request, comment: Comment, author: str | None) -> CommentRead:
    still = str(request.url_for("get_comment_still", comment_id=comment.id).path) if comment.still_path else None
    return CommentRead.model_validate(comment).model_copy(update={"author": author, "still_url": still})


async def _read(request: Request, session: SessionDep, state: ReviewState) -> ReviewRead:
    rows = await versions.list_for(session=session, subject_type=state.subject_type, subject_id=state.subject_id)
    changes = await review_status.history(session=session, state_id=state.id)
    return ReviewRead(
        subject_type=state.subject_type,
        subject_id=state.subject_id,
        status=state.status,
        reason=state.reason,
        current_version_id=state.current_version_id,
        approved_version_id=state.approved_version_id,
        changed_by=state.changed_by,
        changed_at=state.changed_at,
        versions=[_version(request, v) for v in rows],
        history=[StatusChangeRead.model_validate(c) for c in changes],
    )


@router.get("/{subject_type}/{subject_id}", response_model=ReviewRead)
async def get_review(
    subject_type: Subject, subject_id: ItemId, request: Request, _: CurrentUser, session: SessionDep
) -> ReviewRead:
    """A shot's, scene's or episode's versions, current pointer, status and status history."""
    state = await review_status.state(session=session, subject_type=subject_type, subject_id=subject_id)
    return await _read(request, session, state)


@router.post("/{subject_type}/{subject_id}/status", response_model=ReviewRead)
async def set_status(
    subject_type: Subject,
    subject_id: ItemId,
    body: StatusUpdate,
    request: Request,
    principal: ReviewerUser,
    session: SessionDep,
) -> ReviewRead:
    """Approve the current version or ask for a retake (with a reason)."""
    state = await review_status.set_status(
        session=session,
        subject_type=subject_type,
        subject_id=subject_id,
        status=body.status,
        reason=body.reason,
        user_id=principal.user.id,
    )
    return await _read(request, session, state)


@router.post("/shots/{shot_id}/regenerate", response_model=RunRead, status_code=status.HTTP_202_ACCEPTED)
async def regenerate_shot(shot_id: ItemId, principal: EditorUser, session: SessionDep) -> RunRead:
    """Queue a new take of the shot (the retake's one click); the scene is re-assembled after it."""
    shot = await pointers.shot(session=session, shot_id=shot_id)
    scene = await scenes.get(session=session, scene_id=shot.scene_id)
    run = await scene_runs.start(
        session=session, scene=scene, kind="scene.shot", user_id=principal.user.id, shot_id=shot.id
    )
    return RunRead.model_validate(run)


@router.get("/versions/{version_id}/file", response_class=FileResponse)
async def get_version_file(version_id: ItemId, paths: PathsDep, _: CurrentUser, session: SessionDep) -> FileResponse:
    """The version's video (Range requests for seeking and frame stepping)."""
    version = await versions.get(session=session, version_id=version_id)
    file = paths.inside(version.path)
    if version.purged_at is not None or not file.is_file():
        raise NotFound(f"the file of version {version.number} is gone (purged)")
    return FileResponse(file, media_type="video/mp4", filename=file.name, content_disposition_type="inline")


@router.post("/versions/{version_id}/restore", response_model=ReviewRead)
async def restore_version(
    version_id: ItemId, request: Request, paths: PathsDep, principal: EditorUser, session: SessionDep
) -> ReviewRead:
    """Make an older version current again (moves the pointer; no file is overwritten)."""
    version = await versions.get(session=session, version_id=version_id)
    state = await versions.restore(session=session, paths=paths, version=version, user_id=principal.user.id)
    return await _read(request, session, state)


@router.get("/versions/{version_id}/comments", response_model=list[CommentRead])
async def list_comments(version_id: ItemId, request: Request, _: CurrentUser, session: SessionDep) -> list[CommentRead]:
    """The version's comments, oldest first; replies name their parent."""
    await versions.get(session=session, version_id=version_id)
    rows = await comments.list_for(session=session, version_id=version_id)
    return [_comment(request, c, name) for c, name in rows]


@router.post("/versions/{version_id}/comments", response_model=CommentRead, status_code=status.HTTP_201_CREATED)
async def add_comment(
    version_id: ItemId,
    body: CommentCreate,
    request: Request,
    paths: PathsDep,
    principal: ReviewerUser,
    session: SessionDep,
) -> CommentRead:
    """Comment on a version, optionally at a timecode (a still of that exact frame is kept); @name notifies."""
    version = await versions.get(session=session, version_id=version_id)
    comment = await comments.add(
        session=session,
        paths=paths,
        version=version,
        author_id=principal.user.id,
        body=body.body,
        timecode=body.timecode,
        parent_id=body.parent_id,
    )
    return _comment(request, comment, principal.user.username)


@router.get("/comments/{comment_id}/still", response_class=FileResponse)
async def get_comment_still(comment_id: ItemId, paths: PathsDep, _: CurrentUser, session: SessionDep) -> FileResponse:
    """The frame the comment points at, as PNG."""
    comment = await comments.get(session=session, comment_id=comment_id)
    file = paths.inside(comment.still_path) if comment.still_path else None
    if file is None or not file.is_file():
        raise NotFound(f"comment {comment_id} has no still")
    return FileResponse(file, media_type="image/png")


@router.get("/inbox", response_model=UnreadRead)
async def unread(principal: CurrentUser, session: SessionDep) -> UnreadRead:
    """How many comments the caller has not read (and how many mention them), per version."""
    return UnreadRead(**await comments.unread(session=session, user_id=principal.user.id))


@router.post("/versions/{version_id}/read", status_code=status.HTTP_204_NO_CONTENT)
async def mark_read(version_id: ItemId, principal: CurrentUser, session: SessionDep) -> None:
    """Mark every comment on the version as read for the caller."""
    await versions.get(session=session, version_id=version_id)
    await comments.mark_read(session=session, user_id=principal.user.id, version_id=version_id)


@router.get("/projects/{project_id}/storage", response_model=StorageRead)
async def storage(project_id: ProjectId, _: CurrentUser, session: SessionDep) -> StorageRead:
    """Disk used by the project's versions, and what purging old unapproved ones would free."""
    await projects.get(session=session, project_id=project_id)
    return StorageRead.model_validate(await versions.storage(session=session, project_id=project_id))


@router.post("/projects/{project_id}/purge", response_model=PurgeResult)
async def purge(project_id: ProjectId, paths: PathsDep, _: AdminUser, session: SessionDep) -> PurgeResult:
    """Delete the files of versions that are neither current nor ever approved (admins only)."""
    await projects.get(session=session, project_id=project_id)
    count, freed = await versions.purge(session=session, paths=paths, project_id=project_id)
    return PurgeResult(purged_versions=count, freed_bytes=freed)


@router.get("/projects/{project_id}/settings", response_model=ReviewSettingsRead)
async def get_settings(project_id: ProjectId, _: CurrentUser, session: SessionDep) -> ReviewSettingsRead:
    """Which steps need approved versions: off, publish (default) or assembly (a locked cut)."""
    await projects.get(session=session, project_id=project_id)
    return ReviewSettingsRead(gate=await gates.gate(session=session, project_id=project_id))


@router.put("/projects/{project_id}/settings", response_model=ReviewSettingsRead)
async def put_settings(
    project_id: ProjectId, body: ReviewSettingsRead, _: AdminUser, session: SessionDep
) -> ReviewSettingsRead:
    """Change the project's review gate (admins only)."""
    await projects.get(session=session, project_id=project_id)
    return ReviewSettingsRead(gate=await gates.set_gate(session=session, project_id=project_id, value=body.gate))
