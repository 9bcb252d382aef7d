"""The REST API: FastAPI routes over ``PolicyService``; errors are JSON with a clear message, never a traceback.

Every status a route can answer is in its OpenAPI entry, and every constraint the server enforces is in
its schema (``web.calc_request`` gives each calculator its own typed body). Under /api, a path that
exists answers 405 (with ``Allow``) to a method it does not declare, and any other path a JSON 404.
"""

from __future__ import annotations

import inspect
import logging
import os
from typing import Annotated, Any

from fastapi import Body, FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.types import Receive, Scope, Send

from assistant.errors import (
    BackendUnavailableError,
    IndexStateError,
    InputError,
    NotFoundError,
    PolicyAssistantError,
)
from assistant.rules import Rule
from web import models, views
from web.calc_request import CalcRequest, request_model
from web.messages import explain
from web.service import PolicyService

log = logging.getLogger(__name__)

_STATUSES = {
    400: "请求体不是有效的 JSON",
    404: "编号不存在",
    422: "请求或输入有误",
    500: "服务器内部错误",
    503: "检索索引或共享存储暂不可用",
}


def _responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": models.ErrorBody, "description": _STATUSES[code]} for code in (*codes, 500)}


def create_api(service: PolicyService) -> FastAPI:
    api = FastAPI(
        title="科技金融政策问答助手 API",
        version="0.1.0",
        description="问答、条款查询与补贴测算。所有回答均引用条款原文。",
        docs_url=None,  # the Swagger page loads its scripts from a CDN; /openapi.json is enough offline
        redoc_url=None,
    )
    calculators = {f"/api/calc/{r.id}": r for r in service.rules}
    _add_error_handlers(api, calculators)

    @api.middleware("http")
    async def guard(request: Request, call_next: Any) -> Any:
        try:
            response = await call_next(request)
        except Exception:
            # Answered here rather than by an exception handler, which re-raises to the server: uvicorn,
            # having sent the 500, would then close a kept-alive connection under the client.
            log.exception("unexpected error")
            response = _error(500, "internal_error", "服务器内部错误，请稍后重试")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")  # JSON is never read as HTML
        return response

    @api.get("/api/health", response_model=models.Health, responses=_responses(), tags=["system"])
    def health() -> models.Health:
        docs = service.documents
        return models.Health(
            status="ok",
            documents=len(docs),
            clauses=sum(len(d.clauses) for d in docs),
            rules=len(service.rules),
            worker=os.getpid(),
        )

    @api.post(
        "/api/ask",
        response_model=models.AskResponse,
        response_model_exclude_unset=True,  # fields an answer leaves out stay out: the body is its to_dict()
        responses=_responses(400, 404, 422, 503),
        tags=["ask"],
    )
    def ask(body: models.AskRequest) -> models.AskResponse:
        return views.ask(service, body)

    @api.get("/api/search", response_model=models.SearchResponse, responses=_responses(404, 422, 503), tags=["clauses"])
    def search(query: Annotated[models.SearchQuery, Query()]) -> models.SearchResponse:
        return views.search(service, query)

    @api.get(
        "/api/clauses/{clause_id}", response_model=models.ClauseOut, responses=_responses(404, 422), tags=["clauses"]
    )
    def clause(
        clause_id: Annotated[str, Path(max_length=60, description="条款编号，如 sd-2023-155#3（# 写作 %23）")],
    ) -> models.ClauseOut:
        return views.clause(service, clause_id)

    @api.get("/api/rules", response_model=list[models.RuleOut], responses=_responses(), tags=["calculators"])
    def rules() -> list[models.RuleOut]:
        return views.rules(service)

    for rule in service.rules:
        _add_calculator(api, service, rule)

    @api.post("/api/calc/{rule_id}", include_in_schema=False)
    def unknown_rule(rule_id: str) -> None:
        service.rule(rule_id)  # raises NotFoundError naming the id: each known rule has its own route above

    async def elsewhere(scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        allowed = _methods_of(api, request.url.path)
        if allowed:
            message = f"{request.url.path} 不支持 {request.method} 请求，请用 {'、'.join(allowed)}"
            response = _error(405, "method_not_allowed", message, headers={"Allow": ", ".join(allowed)})
        else:
            response = _error(404, "not_found", f"没有接口 {request.url.path}；接口说明见 /openapi.json")
        await response(scope, receive, send)

    # Last under /api, for any method at all (TRACE, QUERY, …): a mount matches whatever the method.
    api.mount("/api", elsewhere)
    return api


def _add_calculator(api: FastAPI, service: PolicyService, rule: Rule) -> None:
    """``POST /api/calc/<rule id>`` with the rule's own request model as its body."""
    body_model = request_model(rule)

    def calc(body: CalcRequest | None) -> models.CalcResponse:
        return views.calc(service, rule.id, body or body_model())

    # The body's type is known only now: FastAPI reads it from the signature.
    calc.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(
                "body",
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
                default=None,
                annotation=Annotated[body_model | None, Body()],
            )
        ],
        return_annotation=models.CalcResponse,
    )
    api.add_api_route(
        f"/api/calc/{rule.id}",
        calc,
        methods=["POST"],
        response_model=models.CalcResponse,
        responses=_responses(400, 422),
        tags=["calculators"],
        summary=f"测算：{rule.label}",
        description=f"依据 {rule.clause_id}：{rule.quote}",
        operation_id=f"calc_{rule.id.replace('-', '_')}",
    )


def _methods_of(api: FastAPI, path: str) -> list[str]:
    """The methods the API's declared routes take at ``path`` (none: no such path)."""
    methods: set[str] = set()
    for route in api.routes:
        if isinstance(route, APIRoute) and route.include_in_schema and route.path_regex.match(path):
            methods |= route.methods
    return sorted(methods)


def _add_error_handlers(api: FastAPI, calculators: dict[str, Rule]) -> None:
    @api.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return _error(400, "invalid_json", "请求体不是有效的 JSON")
        detail = [{"loc": list(e.get("loc", ())), "type": e.get("type", ""), "msg": e.get("msg", "")} for e in errors]
        return _error(422, "invalid_request", explain(errors, calculators.get(request.url.path)), detail)

    @api.exception_handler(HTTPException)
    async def http_error(_: Request, exc: HTTPException) -> JSONResponse:
        # FastAPI's own: a body it cannot read (not UTF-8, not JSON) is a 400 with an English detail.
        if exc.status_code == 400:
            return _error(400, "invalid_json", "请求体无法读取：应为 UTF-8 编码的 JSON")
        return _error(exc.status_code, "http_error", str(exc.detail), headers=exc.headers)

    @api.exception_handler(PolicyAssistantError)
    async def assistant_error(_: Request, exc: PolicyAssistantError) -> JSONResponse:
        if isinstance(exc, InputError):
            return _error(422, "invalid_request", str(exc))
        if isinstance(exc, NotFoundError):
            return _error(404, "not_found", str(exc))
        log.error("assistant error: %s", exc)
        if isinstance(exc, IndexStateError):
            return _error(503, "unavailable", f"检索索引暂不可用：{exc}")
        if isinstance(exc, BackendUnavailableError):
            return _error(503, "unavailable", f"服务暂不可用，请稍后再试：{exc}")
        return _error(500, "internal_error", f"服务配置有误：{exc}")


def _error(
    status: int,
    code: str,
    message: str,
    detail: list[dict[str, object]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = models.ErrorBody(error=code, message=message, detail=detail)
    return JSONResponse(status_code=status, content=body.model_dump(exclude_none=True), headers=headers)
