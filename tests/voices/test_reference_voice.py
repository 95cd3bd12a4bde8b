"""TTS engines that clone a voice get the speaker's newest voice sample; a new sample speaks the line anew."""

from __future__ import annotations

from pathlib import Path

import pytest

from anime_studio.engines.tts.base import SpeechRequest, SpeechResult
from anime_studio.engines.tts.espeak import EspeakEngine
from anime_studio.runtime import Runtime
from tests.factories import API, Studio, create_character, create_project
from tests.runs import wait_for
from tests.voices.conftest import spoken


class CloningEspeak(EspeakEngine):
    """espeak-ng that declares itself a cloning engine and keeps the references it was handed."""

    clones_voice = True

    def __init__(self) -> None:
        super().__init__()
        self.references: list[Path | None] = []

    async def synthesize(self, request: SpeechRequest) -> SpeechResult:
        self.references.append(request.reference)
        return await super().synthesize(request)


async def test_cloning_engines_get_the_speakers_sample(
    runtime: Runtime, studio: Studio, worker: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = CloningEspeak()
    monkeypatch.setitem(runtime.engines.__dict__, "tts", engine)
    project = await create_project(studio.editor, name="Cloned")
    await studio.editor.put(f"{API}/projects/{project['id']}/style", json={"width": 256, "height": 144, "fps": 8})
    hana = await create_character(studio.editor, project["id"])
    url = f"{API}/characters/{hana['id']}/voices"
    first = await studio.editor.post(url, files={"file": ("a.mp3", await spoken("Hello there.", tmp_path), "x")})
    scene = (await studio.editor.post(f"{API}/scenes", json={"project_id": project["id"], "title": "Roof"})).json()
    line = {"duration": 1.0, "dialogue_character_id": hana["id"], "dialogue_text": "We made it."}
    await studio.editor.post(f"{API}/scenes/{scene['id']}/shots", json=line)

    async def run(action: str) -> None:
        response = await studio.editor.post(f"{API}/scenes/{scene['id']}/{action}")
        run = await wait_for(runtime, response.json()["id"], timeout=120)
        assert run.status.value == "succeeded", run.error

    await run("generate")
    sample_path = runtime.paths.inside(
        (await studio.reviewer.get(f"{API}/assets/{first.json()['asset_id']}")).json()["path"]
    )
    assert engine.references == [sample_path]
    second = await studio.editor.post(url, files={"file": ("b.mp3", await spoken("Goodbye now.", tmp_path), "x")})
    await run("assemble")
    newest = runtime.paths.inside(
        (await studio.reviewer.get(f"{API}/assets/{second.json()['asset_id']}")).json()["path"]
    )
    assert engine.references[-1] == newest and len(engine.references) == 2
