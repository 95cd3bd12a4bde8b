"""Serve the built Vue app: static assets, and ``index.html`` (with the right ``<base>``) for app routes."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response

from anime_studio.errors import NotFound

# Longer than any file the build makes; longer names only reach the OS to fail (ENAMETOOLONG).
MAX_PATH_CHARS = 1024

MISSING_UI = """<!doctype html><html><head><title>Anime Studio</title></head>
<body style="font-family:sans-serif;background:#111;color:#eee;padding:3rem">
<h1>Anime Studio API is running</h1>
<p>The web UI has not been built. Run <code>npm --prefix frontend ci &amp;&amp; npm --prefix frontend run build</code>
(the README's start command does this), or use the API at <a href="{root}/api/lora/docs" style="color:#8cf">
{root}/api/lora/docs</a>.</p></body></html>"""


def mount_ui(app: FastAPI, ui_dir: Path | None) -> None:
    root = ui_dir.resolve() if ui_dir else None

    @app.get("/{path:path}", include_in_schema=False)
    async def ui(path: str, request: Request) -> Response:
        if path.startswith("api/"):
            return JSONResponse({"detail": f"no API route at /{path}"}, status_code=404)
        if len(path) > MAX_PATH_CHARS:
            raise NotFound("no such page")
        prefix = request.scope.get("root_path", "")
        if root is None:
            return HTMLResponse(MISSING_UI.replace("{root}", prefix))
        candidate = _static_file(root, path)
        if candidate is not None:
            cache = "public, max-age=31536000, immutable" if path.startswith("assets/") else "no-cache"
            return FileResponse(candidate, headers={"Cache-Control": cache})
        if Path(path).suffix and not path.endswith(".html"):
            raise NotFound(f"no file /{path}")
        html = (root / "index.html").read_text(encoding="utf-8")
        html = html.replace('<base href="/">', f'<base href="{prefix}/">', 1)
        return HTMLResponse(html, headers={"Cache-Control": "no-cache"})


def _static_file(root: Path, path: str) -> Path | None:
    """The built file ``path`` names inside ``root``, or None (also for names the OS cannot look up)."""
    if not path:
        return None
    try:
        candidate = (root / path).resolve()
        return candidate if candidate.is_relative_to(root) and candidate.is_file() else None
    except (OSError, ValueError):
        return None
