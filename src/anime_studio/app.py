"""``create_app()``: the API under ``/api/lora``, the event stream, and the built web UI at ``/``."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import APIRouter, FastAPI

from anime_studio import __version__
from anime_studio.assets.router import router as assets_router
from anime_studio.auth.router import router as auth_router
from anime_studio.autonomy.router import router as autonomy_router
from anime_studio.characters.router import router as characters_router
from anime_studio.common.hygiene import RequestHygiene
from anime_studio.common.limits import BodySizeLimit
from anime_studio.config import Settings, get_settings
from anime_studio.correction.router import router as correction_router
from anime_studio.datasets.approve_router import router as dataset_review_router
from anime_studio.datasets.router import router as datasets_router
from anime_studio.echo.router import router as echo_router
from anime_studio.episodes.router import router as episodes_router
from anime_studio.errors import install_error_handlers
from anime_studio.events.router import router as events_router
from anime_studio.generation.router import router as generation_router
from anime_studio.health.router import router as health_router
from anime_studio.jobs.gpu.router import router as gpu_router
from anime_studio.jobs.router import router as jobs_router
from anime_studio.learning.router import router as learning_router
from anime_studio.lora.router import router as lora_router
from anime_studio.music.router import router as music_router
from anime_studio.projects.router import router as projects_router
from anime_studio.quality.router import router as quality_router
from anime_studio.review.router import router as review_router
from anime_studio.runtime import prepare_database, runtime
from anime_studio.scenes.router import router as scenes_router
from anime_studio.story.router import router as story_router
from anime_studio.styles.router import router as styles_router
from anime_studio.system.router import router as system_router
from anime_studio.ui import mount_ui
from anime_studio.voices.router import router as voices_router
from anime_studio.workflow_templates.router import router as workflow_templates_router

API_PREFIX = "/api/lora"

ROUTERS = (
    health_router,
    auth_router,
    events_router,
    jobs_router,
    gpu_router,
    projects_router,
    styles_router,
    story_router,
    characters_router,
    voices_router,
    generation_router,
    lora_router,
    datasets_router,
    dataset_review_router,
    autonomy_router,
    assets_router,
    quality_router,
    learning_router,
    correction_router,
    scenes_router,
    music_router,
    episodes_router,
    review_router,
    system_router,
    workflow_templates_router,
    echo_router,
)


def api_router() -> APIRouter:
    router = APIRouter(prefix=API_PREFIX)
    for child in ROUTERS:
        router.include_router(child)
    return router


def create_app(settings: Settings | None = None, *, database_url: str | None = None) -> FastAPI:
    """Build the ASGI app; ``database_url`` skips start-up bootstrap (the CLI and tests do it first)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        url = database_url if database_url else await asyncio.to_thread(prepare_database, settings)
        async with runtime(settings, url) as rt:
            app.state.db = rt.db
            app.state.runtime = rt
            if settings.embedded_worker:
                rt.start_worker()
            yield

    app = FastAPI(
        title="Anime Studio",
        version=__version__,
        summary="Self-hosted anime production studio",
        lifespan=lifespan,
        root_path=settings.root_path,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    install_error_handlers(app)
    # Added first, so it runs inside BodySizeLimit: the body it reads is already capped.
    app.add_middleware(RequestHygiene, api_prefix=API_PREFIX)
    app.add_middleware(BodySizeLimit, max_body=settings.max_json_body, max_upload=settings.max_upload_body)
    app.include_router(api_router())
    mount_ui(app, _ui_dir(settings))
    return app


def _ui_dir(settings: Settings) -> Path | None:
    if settings.ui_dir is not None:
        return settings.ui_dir
    for candidate in (
        Path(__file__).parent / "static",
        Path(__file__).resolve().parents[2] / "frontend" / "dist",
    ):
        if (candidate / "index.html").is_file():
            return candidate
    return None
