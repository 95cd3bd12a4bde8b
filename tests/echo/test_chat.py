"""Echo Brain chat: grounded, cited, streamed answers; bad questions refused; the studio stays up."""

from __future__ import annotations

import pytest

from anime_studio.config import Settings
from anime_studio.engines.llm.ollama import OllamaLanguage
from anime_studio.runtime import Runtime
from tests.echo.conftest import ask, conversation
from tests.factories import API, Studio, create_character, create_project
from tests.fakes.ollama import FakeOllama

FACT = "Hana is terrified of thunderstorms since the lighthouse fire"


async def project_with_cast(studio: Studio) -> tuple[int, dict[str, object]]:
    project = await create_project(studio.editor, premise="Two keepers guard the last lighthouse of a drowned coast")
    hana = await create_character(studio.editor, project["id"], description=FACT)
    await create_character(studio.editor, project["id"], name="Ren", description="a calm engineer who repairs lamps")
    return int(project["id"]), hana


async def test_the_embedded_engine_quotes_the_project_and_cites_it(studio: Studio) -> None:
    project_id, hana = await project_with_cast(studio)
    talk = await conversation(studio.reviewer, project_id)
    text, message, frames = await ask(studio.reviewer, talk, "What is Hana afraid of?")
    assert frames[0][0] == "sources"
    assert len([name for name, _ in frames if name == "delta"]) > 1  # streamed in pieces
    assert text == message["content"] and message["engine"] == "memory"
    assert "terrified of thunderstorms" in text
    first = message["citations"][0]
    assert first == {
        "kind": "character",
        "id": hana["id"],
        "title": "Hana",
        "link": {"kind": "character", "id": hana["id"], "route": "characters", "params": {"characterId": hana["id"]}},
    }
    # Honest: apart from its one-line preface, every line is a numbered source title or a quote of project memory.
    body = [line for line in text.splitlines()[1:] if line]
    titles = {f"[{n}] {c['title']}:" for n, c in enumerate(message["citations"], start=1)}
    assert all(line in titles or line.startswith("> ") for line in body)
    detail = (await studio.reviewer.get(f"{API}/echo/conversations/{talk}")).json()
    assert [m["role"] for m in detail["messages"]] == ["user", "assistant"]
    assert detail["title"] == "What is Hana afraid of?"
    listed = (await studio.reviewer.get(f"{API}/echo/conversations", params={"project_id": project_id})).json()
    assert [c["id"] for c in listed] == [talk]


async def test_a_language_model_answers_from_the_retrieved_facts(
    studio: Studio, runtime: Runtime, ollama: tuple[FakeOllama, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake, url = ollama
    monkeypatch.setitem(runtime.engines.__dict__, "llm", OllamaLanguage(Settings(ollama_url=url)))
    fake.replies.append("Thunderstorms, ever since the lighthouse fire [1].")
    project_id, hana = await project_with_cast(studio)
    talk = await conversation(studio.editor, project_id)
    text, message, _ = await ask(studio.editor, talk, "What is Hana afraid of?")
    assert text == "Thunderstorms, ever since the lighthouse fire [1]." and message["engine"] == "ollama"
    assert [(c["kind"], c["id"]) for c in message["citations"]] == [("character", hana["id"])]
    (chat,) = fake.chats()
    system = "\n".join(m["content"] for m in chat["messages"] if m["role"] == "system")
    assert "[1] Hana" in system and FACT in system and "never invent" in system
    assert chat["messages"][-1] == {"role": "user", "content": "What is Hana afraid of?"}


async def test_an_answer_includes_an_edit_made_just_before(studio: Studio) -> None:
    project_id, hana = await project_with_cast(studio)
    talk = await conversation(studio.editor, project_id)
    await ask(studio.editor, talk, "Who repairs the lamps?")
    await studio.editor.patch(f"{API}/characters/{hana['id']}", json={"description": "Hana collects sea glass"})
    text, message, _ = await ask(studio.editor, talk, "Who collects sea glass?")
    assert "Hana collects sea glass" in text and message["citations"][0]["id"] == hana["id"]


@pytest.mark.parametrize(
    ("question", "code"),
    [("", 422), ("   \n ", 422), ("x" * 8001, 422), ("x" * (10 * 1024 * 1024), 413)],
    ids=["empty", "blank", "too-long", "10MB"],
)
async def test_bad_questions_are_refused_and_the_studio_stays_up(studio: Studio, question: str, code: int) -> None:
    project_id, _ = await project_with_cast(studio)
    talk = await conversation(studio.editor, project_id)
    response = await studio.editor.post(f"{API}/echo/conversations/{talk}/ask", json={"question": question})
    assert response.status_code == code and "detail" in response.json()
    missing = await studio.editor.post(f"{API}/echo/conversations/999999/ask", json={"question": "hello?"})
    assert missing.status_code == 404
    text, _, _ = await ask(studio.editor, talk, "Who is Ren?")
    assert "calm engineer" in text


async def test_a_conversation_needs_an_existing_project(studio: Studio) -> None:
    response = await studio.editor.post(f"{API}/echo/conversations", json={"project_id": 424242})
    assert response.status_code == 404
