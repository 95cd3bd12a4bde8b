"""A fake OpenAI-compatible transcription server (whisper.cpp / faster-whisper / OpenAI):
``POST /v1/audio/transcriptions`` as multipart with ``file`` and ``model``, OpenAI's error objects.

It cannot hear: it answers the text a test scripts, but only after checking the upload is audio, as the
real servers do (they answer 400 "Invalid file format" otherwise)."""

from __future__ import annotations

import tempfile
from typing import Any

import av
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


class FakeWhisper:
    def __init__(self, api_key: str = "sk-test", models: tuple[str, ...] = ("whisper-1",)) -> None:
        self.api_key = api_key
        self.models = list(models)
        self.text = "hello there"
        self.fail_with: int | None = None
        self.requests: list[dict[str, Any]] = []
        self.app = Starlette(
            routes=[
                Route("/v1/audio/transcriptions", self.transcriptions, methods=["POST"]),
                Route("/v1/models", self.list_models, methods=["GET"]),
            ]
        )

    async def transcriptions(self, request: Request) -> Response:
        if request.headers.get("authorization") != f"Bearer {self.api_key}":
            return _error(401, "Incorrect API key provided.", code="invalid_api_key")
        if self.fail_with is not None:
            return _error(self.fail_with, "The server had an error while processing your request.")
        form = await request.form()
        upload, model = form.get("file"), form.get("model")
        if not isinstance(upload, UploadFile):
            return _error(400, "you must provide a file", param="file")
        if model not in self.models:
            return _error(404, f"The model `{model}` does not exist", code="model_not_found")
        content = await upload.read()
        seconds = _audio_seconds(content)
        if seconds is None:
            return _error(400, "Invalid file format.", param="file")
        self.requests.append({"model": model, "language": form.get("language"), "seconds": seconds})
        return JSONResponse({"text": self.text})

    async def list_models(self, request: Request) -> Response:
        return JSONResponse({"object": "list", "data": [{"id": m, "object": "model"} for m in self.models]})


def _audio_seconds(content: bytes) -> float | None:
    with tempfile.NamedTemporaryFile(suffix=".audio") as file:
        file.write(content)
        file.flush()
        try:
            with av.open(file.name) as container:
                if not container.streams.audio:
                    return None
                samples = sum(frame.samples for frame in container.decode(container.streams.audio[0]))
                rate = container.streams.audio[0].rate or 1
        except (av.error.FFmpegError, OSError):
            return None
    return samples / rate if samples else None


def _error(status: int, message: str, *, code: str | None = None, param: str | None = None) -> Response:
    body = {"error": {"message": message, "type": "invalid_request_error", "param": param, "code": code}}
    return JSONResponse(body, status_code=status)
