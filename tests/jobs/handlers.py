"""Run kinds used only by the job-system tests (a worker subprocess imports them via an env var)."""

from __future__ import annotations

import asyncio
from typing import Any

from anime_studio.engines.base import EngineError, TransientEngineError
from anime_studio.jobs.context import RunContext
from anime_studio.jobs.handlers import run_kind


@run_kind("test.echo")
async def echo(ctx: RunContext) -> dict[str, Any]:
    await ctx.progress(0.5, "halfway")
    return {"echo": ctx.params, "attempt": ctx.attempt}


@run_kind("test.sleep", max_attempts=2)
async def sleep(ctx: RunContext) -> dict[str, Any]:
    seconds = float(ctx.params.get("seconds", 1))
    steps = max(1, int(seconds / 0.1))
    for step in range(steps):
        await asyncio.sleep(seconds / steps)
        await ctx.progress((step + 1) / steps, f"step {step + 1}/{steps}")
    return {"slept": seconds, "attempt": ctx.attempt}


@run_kind("test.flaky", max_attempts=3)
async def flaky(ctx: RunContext) -> dict[str, Any]:
    if ctx.attempt < int(ctx.params.get("succeed_on", 2)):
        raise TransientEngineError(f"backend busy (attempt {ctx.attempt})")
    return {"attempt": ctx.attempt}


@run_kind("test.fail")
async def fail(ctx: RunContext) -> dict[str, Any]:
    raise EngineError("checkpoint 'missing.safetensors' is not installed")


@run_kind("test.crash")
async def crash(ctx: RunContext) -> dict[str, Any]:
    raise ValueError("boom")


@run_kind("test.resume", max_attempts=3)
async def resume(ctx: RunContext) -> dict[str, Any]:
    """Counts to N, saving each step, and resumes from the saved step after a crash."""
    from anime_studio.jobs import service

    async with ctx.runtime.db.sessionmaker() as session:
        run = await service.get(session=session, run_id=ctx.run_id)
        done = list(run.result.get("done", []))
    for step in range(len(done), int(ctx.params["steps"])):
        await asyncio.sleep(float(ctx.params.get("delay", 0.2)))
        done.append(step)
        await ctx.save_state(done=done, **{f"attempt_of_{step}": ctx.attempt})
    return {"done": done}


@run_kind("test.render", max_attempts=2)
async def render(ctx: RunContext) -> dict[str, Any]:
    """One image through the configured image engine (ComfyUI in the GPU-queue tests)."""
    from pathlib import Path

    from anime_studio.engines.image.base import ImageRequest

    output = Path(str(ctx.params["output"]))
    request = ImageRequest(
        prompt="test",
        negative="",
        seed=int(ctx.params["seed"]),
        width=64,
        height=64,
        output_path=output,
        checkpoint=str(ctx.params["checkpoint"]),
        steps=4,
    )
    result = await ctx.runtime.engines.image.generate(request, progress=ctx.span(0, 1))
    return {"backend": result.parameters.get("backend"), "path": str(result.path)}


@run_kind("test.unwritable", max_attempts=1)
async def unwritable(ctx: RunContext) -> dict[str, Any]:
    """Fails the way ``mkdir`` fails in a folder the studio's user may not write (root ignores chmod in CI)."""
    import errno
    import os

    folder = ctx.runtime.paths.root / str(ctx.params["folder"])
    raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(folder / "new"))


@run_kind("test.render_batch", max_attempts=2)
async def render_batch(ctx: RunContext) -> dict[str, Any]:
    """``count`` independent images of one run, spread like ``generate.images`` (``generate_all``)."""
    from pathlib import Path

    from anime_studio.engines.image.base import ImageRequest, ImageResult
    from anime_studio.engines.image.batch import generate_all

    folder = Path(str(ctx.params["folder"]))
    requests = [
        ImageRequest(
            prompt="test",
            negative="",
            seed=int(ctx.params["seed"]) + n,
            width=64,
            height=64,
            output_path=folder / f"batch_{ctx.run_id}_{n:02d}.png",
            checkpoint=str(ctx.params["checkpoint"]),
            steps=4,
        )
        for n in range(int(ctx.params["count"]))
    ]

    async def each(index: int, result: ImageResult) -> dict[str, Any]:
        return {"seed": result.seed, "backend": result.parameters.get("backend")}

    return {"images": await generate_all(ctx.runtime.engines.image, requests, each)}
