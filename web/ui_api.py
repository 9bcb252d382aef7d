"""The page's API for gradio_client: named endpoints that take and return what the REST API does.

    client = gradio_client.Client("http://127.0.0.1:7860/", analytics_enabled=False)  # see README
    client.predict("鲁科贷实际支付利息80万元，能贴息多少？", None, api_name="/ask")

The page's own events carry UI state (chat history, form fields): they are ``PAGE_ONLY``, absent from
the API page and not callable by clients.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, TypeVar

import gradio as gr
from pydantic import BaseModel, ValidationError

from assistant import PolicyAssistantError
from assistant.rules import Rule
from web import models, views
from web.calc_request import request_model
from web.messages import explain
from web.service import PolicyService

PAGE_ONLY: Literal["private"] = "private"
_M = TypeVar("_M", bound=BaseModel)
_SAME_AS = "返回与 REST {} 相同的 JSON（见 /openapi.json）；出错时报错信息为中文说明。"


def add_api(service: PolicyService) -> None:
    """Registers /ask, /search, /clause, /rules, /calc and /match on the Blocks being built."""
    request_models = {r.id: request_model(r) for r in service.rules}

    def ask(question: str, conversation_id: str | None = None) -> dict[str, Any]:
        request = _valid(models.AskRequest, {"question": question, "conversation_id": conversation_id})
        return _answer(lambda: views.ask(service, request))

    def search(
        q: str,
        k: int = 5,
        region: str | None = None,
        doc_id: str | None = None,
        unit: str | None = None,
        level: str | None = None,
        status: str | None = None,
        on: str | None = None,
    ) -> dict[str, Any]:
        params = {"q": q, "k": k, "region": region, "doc_id": doc_id, "unit": unit}
        query = _valid(models.SearchQuery, {**params, "level": level, "status": status, "on": on})
        return _answer(lambda: views.search(service, query))

    def clause(clause_id: str) -> dict[str, Any]:
        return _answer(lambda: views.clause(service, clause_id))

    def list_rules() -> list[dict[str, Any]]:
        return [views.as_json(r) for r in views.rules(service)]

    def calc(
        rule_id: str, inputs: dict[str, Any] | None = None, on: str | None = None, party: str | None = None
    ) -> dict[str, Any]:
        def run() -> models.CalcResponse:
            rule = service.rule(rule_id)
            body = _valid(request_models[rule.id], {"inputs": inputs or {}, "on": on, "party": party}, rule)
            return views.calc(service, rule.id, body)

        return _answer(run)

    def match(
        subject: str,
        region: str | None = None,
        stage: str | None = None,
        inputs: dict[str, Any] | None = None,
        description: str | None = None,
        on: str | None = None,
    ) -> dict[str, Any]:
        profile = {"subject": subject, "region": region, "stage": stage, "inputs": inputs or {}, "on": on}
        profile["description"] = description or ""
        return _answer(lambda: views.match(service, service.profile_schema.parse(profile)))

    gr.api(
        ask,
        api_name="ask",
        api_description="问答（可续问：带上回答里的 conversation_id）。" + _SAME_AS.format("POST /api/ask"),
    )
    gr.api(search, api_name="search", api_description="条款检索。" + _SAME_AS.format("GET /api/search"))
    gr.api(
        clause,
        api_name="clause",
        api_description="条款全文，如 sd-2023-155#3。" + _SAME_AS.format("GET /api/clauses/{id}"),
    )
    gr.api(list_rules, api_name="rules", api_description="测算规则及其输入项。" + _SAME_AS.format("GET /api/rules"))
    gr.api(
        calc,
        api_name="calc",
        api_description="补贴测算，输入项见 /rules。" + _SAME_AS.format("POST /api/calc/{rule_id}"),
    )
    gr.api(
        match,
        api_name="match",
        api_description="政策匹配：主体类型、地区、发展阶段、输入项、已知情况、日期。"
        + _SAME_AS.format("POST /api/match"),
    )


def _valid(model: type[_M], data: dict[str, Any], rule: Rule | None = None) -> _M:
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise gr.Error(explain(err.errors(), rule)) from None


def _answer(build: Callable[[], BaseModel]) -> dict[str, Any]:
    try:
        return views.as_json(build())
    except PolicyAssistantError as err:
        raise gr.Error(str(err)) from None
