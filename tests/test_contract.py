"""One contract on every answer: a third of the public eval cases (tests/sample.py; every turn) through
POST /api/ask and through gradio_client, on a real server, answers 200 with a body the OpenAPI schema allows, equal to
``Assistant.ask(...).to_dict()`` for the same turns (the REST body adds conversation_id)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import jsonschema_rs
import pytest

from assistant import Assistant
from evals.cases import Case, case_files, load_cases
from index.settings import Settings
from tests.sample import sampled
from web import render

Ask = Callable[[str, str | None], dict[str, Any]]  # (question, conversation id) → the answer's JSON


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    found = [case for path in case_files() for case in load_cases(path)]
    assert len(found) >= 1800  # every public case, wherever its file sits under evals/cases/
    kept = [case for case in found if sampled(case.question)]
    assert {c.kind for c in kept} == {c.kind for c in found}  # every kind of question is still sent
    return kept


@pytest.fixture(scope="module")
def expected(
    built_cache: Path, make_settings: Callable[..., Settings], cases: list[Case]
) -> dict[str, list[dict[str, Any]]]:
    """Each case's answers, turn by turn, straight from the Python API."""
    assistant = Assistant.load(make_settings(cache_dir=built_cache))
    answers = {}
    for case in cases:
        conversation = assistant.conversation()
        answers[case.id] = [conversation.ask(q).to_dict() for q in (case.question, *case.turns)]
    return answers


@pytest.fixture(scope="module")
def answer_schema(live_app: str) -> jsonschema_rs.Draft202012Validator:
    spec = httpx.get(f"{live_app}/openapi.json").json()
    return jsonschema_rs.Draft202012Validator({"$ref": "#/components/schemas/AskResponse", **spec})


def rest(url: str) -> Ask:
    http = httpx.Client(base_url=url, timeout=60)

    def ask(question: str, conversation_id: str | None) -> dict[str, Any]:
        r = http.post("/api/ask", json={"question": question, "conversation_id": conversation_id})
        assert r.status_code == 200, (question, r.status_code, r.text[:300])
        return r.json()

    return ask


def gradio(url: str) -> Ask:
    from gradio_client import Client

    client = Client(url + "/", verbose=False, analytics_enabled=False)
    assert client.analytics_enabled is False  # nothing reported to Hugging Face

    def ask(question: str, conversation_id: str | None) -> dict[str, Any]:
        return client.predict(question, conversation_id, api_name="/ask")  # type: ignore[no-any-return]

    return ask


@pytest.mark.parametrize("interface", [rest, gradio], ids=["rest", "gradio_client"])
def test_public_questions_are_answered_alike_through_every_interface(
    interface: Callable[[str], Ask],
    live_app: str,
    cases: list[Case],
    expected: dict[str, list[dict[str, Any]]],
    answer_schema: jsonschema_rs.Draft202012Validator,
) -> None:
    ask = interface(live_app)
    wrong = []
    for case in cases:
        conversation_id = None
        for question, want in zip((case.question, *case.turns), expected[case.id], strict=True):
            body = ask(question, conversation_id)
            invalid = [e.message for e in answer_schema.iter_errors(body)]
            conversation_id = body.pop("conversation_id", None)
            assert conversation_id, (case.id, question)
            if invalid or body != want:
                wrong.append((case.id, question, invalid[:3] or _differences(body, want)))
    assert not wrong, f"{len(wrong)} answers differ from the Python API or the schema: {wrong[:5]}"


def test_every_public_answer_renders_in_the_chat(expected: dict[str, list[dict[str, Any]]]) -> None:
    for answers in expected.values():
        for answer in answers:
            assert render.answer_markdown(answer).strip()


def _differences(body: dict[str, Any], want: dict[str, Any]) -> dict[str, Any]:
    return {k: (body.get(k), want.get(k)) for k in body.keys() | want.keys() if body.get(k) != want.get(k)}
