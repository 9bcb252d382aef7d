"""The REST API: FastAPI routes over ``PolicyService``; errors are JSON with a clear message, never a traceback.

Every status a route can answer is in its OpenAPI entry, and every constraint the server enforces is in
its schema (``web.calc_request`` gives each calculator its own typed body). Under /api, a path that
exists answers 405 (with ``Allow``) to a method it does not declare, and any other path a JSON 404.
"""

from __future__ import annotations

import inspect
import logging
import os
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Body, FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
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
from assistant.match_page import CSP
from assistant.rules import Rule
from index.errors import DuplicateDocumentError, FileTooLargeError, IngestError, UnsupportedFileError
from web import models, views
from web.calc_request import CalcRequest, request_model
from web.library_api import UPLOAD_PATH, UploadGate, add_library_routes
from web.match_request import MatchRequest
from web.messages import Fields, explain
from web.responses import documented, error_response
from web.service import PolicyService

log = logging.getLogger(__name__)

_INGEST_STATUSES = {
    DuplicateDocumentError: (409, "conflict"),
    FileTooLargeError: (413, "too_large"),
    UnsupportedFileError: (415, "unsupported_media_type"),
}
_MATCH_ABOUT = (
    "按主体类型、地区、发展阶段、已知的输入项和用平常的话写的已知情况，列出所依据日期施行的全部措施："
    "符合条件（eligible）、待确认（to_confirm）、不符合条件（not_eligible）、相关支持但金额文件未明确（no_amount），"
    "每项附条款原文、出处、金额和原因，并给出符合条件各项的合计。已知情况中写出的数值超出合理范围时返回 422。"
)


def create_api(service: PolicyService) -> FastAPI:
    api = FastAPI(
        title="科技金融政策问答助手 API",
        version="0.1.0",
        description="问答、条款查询、补贴测算与政策匹配。所有回答均引用条款原文。",
        docs_url=None,  # the Swagger page loads its scripts from a CDN; /openapi.json is enough offline
        redoc_url=None,
    )
    # Whose inputs a path's body names, for the messages about them.
    fields: dict[str, Fields] = {f"/api/calc/{r.id}": r for r in service.rules}
    fields |= dict.fromkeys(("/api/match", "/api/match/print"), service.profile_schema)
    _add_error_handlers(api, fields)
    api.add_middleware(UploadGate, service=service)  # before the guard: inside it, its answers get nosniff too

    @api.middleware("http")
    async def guard(request: Request, call_next: Any) -> Any:
        try:
            response = await call_next(request)
        except Exception:
            # Answered here rather than by an exception handler, which re-raises to the server: uvicorn,
            # having sent the 500, would then close a kept-alive connection under the client.
            log.exception("unexpected error")
            response = error_response(500, "internal_error", "服务器内部错误，请稍后重试")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")  # JSON is never read as HTML
        return response

    @api.get("/api/health", response_model=models.Health, responses=documented(), tags=["system"])
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
        responses=documented(400, 404, 422, 503),
        tags=["ask"],
    )
    def ask(body: models.AskRequest) -> models.AskResponse:
        return views.ask(service, body)

    @api.get("/api/search", response_model=models.SearchResponse, responses=documented(404, 422, 503), tags=["clauses"])
    def search(query: Annotated[models.SearchQuery, Query()]) -> models.SearchResponse:
        return views.search(service, query)

    @api.get(
        "/api/clauses/{clause_id}", response_model=models.ClauseOut, responses=documented(404, 422), tags=["clauses"]
    )
    def clause(
        clause_id: Annotated[str, Path(max_length=60, description="条款编号，如 sd-2023-155#3（# 写作 %23）")],
    ) -> models.ClauseOut:
        return views.clause(service, clause_id)

    @api.get("/api/rules", response_model=list[models.RuleOut], responses=documented(), tags=["calculators"])
    def rules() -> list[models.RuleOut]:
        return views.rules(service)

    for rule in service.rules:
        _add_calculator(api, service, rule)
    _add_match(api, service)
    add_library_routes(api, service)

    @api.post("/api/calc/{rule_id}", include_in_schema=False)
    def unknown_rule(rule_id: str) -> None:
        service.rule(rule_id)  # raises NotFoundError naming the id: each known rule has its own route above

    async def elsewhere(scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        allowed = _methods_of(api, request.url.path)
        if allowed:
            message = f"{request.url.path} 不支持 {request.method} 请求，请用 {'、'.join(allowed)}"
            response = error_response(405, "method_not_allowed", message, headers={"Allow": ", ".join(allowed)})
        else:
            response = error_response(404, "not_found", f"没有接口 {request.url.path}；接口说明见 /openapi.json")
        await response(scope, receive, send)

    # Last under /api, for any method at all (TRACE, QUERY, …): a mount matches whatever the method.
    api.mount("/api", elsewhere)
    return api


def _add_calculator(api: FastAPI, service: PolicyService, rule: Rule) -> None:
    """``POST /api/calc/<rule id>`` with the rule's own request model as its body."""
    body_model = request_model(rule)

    def calc(body: CalcRequest | None) -> models.CalcResponse:
        return views.calc(service, rule.id, body or body_model())

    api.add_api_route(
        f"/api/calc/{rule.id}",
        _with_body(calc, Annotated[body_model | None, Body()], models.CalcResponse, default=None),
        methods=["POST"],
        response_model=models.CalcResponse,
        responses=documented(400, 422),
        tags=["calculators"],
        summary=f"测算：{rule.label}",
        description=f"依据 {rule.clause_id}：{rule.quote}",
        operation_id=f"calc_{rule.id.replace('-', '_')}",
    )


def _add_match(api: FastAPI, service: PolicyService) -> None:
    """``POST /api/match`` (the JSON result) and ``POST /api/match/print`` (the printable page), one body."""
    body = Annotated[service.profile_schema.model, Body()]

    def match(body: MatchRequest) -> models.MatchResponse:
        return views.match(service, body)

    def match_print(body: MatchRequest) -> HTMLResponse:
        return HTMLResponse(views.match_page(service, body), headers={"Content-Security-Policy": CSP})

    api.add_api_route(
        "/api/match",
        _with_body(match, body, models.MatchResponse),
        methods=["POST"],
        response_model=models.MatchResponse,
        responses=documented(400, 422),
        tags=["match"],
        summary="政策匹配：按主体画像列出可适用的措施",
        description=_MATCH_ABOUT,
        operation_id="match",
    )
    api.add_api_route(
        "/api/match/print",
        _with_body(match_print, body, HTMLResponse),
        methods=["POST"],
        response_class=HTMLResponse,
        responses={
            200: {"description": "可打印的匹配结果（自包含的 HTML 页面）", "content": {"text/html": {}}},
            **documented(400, 422, media_type="application/json"),
        },
        tags=["match"],
        summary="政策匹配结果的打印页",
        description="请求体同 POST /api/match；返回可打印、可发送给企业的 HTML 页面（不引用任何外部资源）。",
        operation_id="match_print",
    )


def _with_body(run: Callable[..., Any], annotation: Any, returns: Any, **default: Any) -> Callable[..., Any]:
    """``run(body)`` with its body's type in its signature, where FastAPI reads it: the model is made at
    run time from the data. ``default``: ``default=None`` for an optional body."""
    parameter = inspect.Parameter("body", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=annotation, **default)
    run.__signature__ = inspect.Signature([parameter], return_annotation=returns)  # type: ignore[attr-defined]
    return run


def _methods_of(api: FastAPI, path: str) -> list[str]:
    """The methods the API's declared routes take at ``path`` (none: no such path)."""
    methods: set[str] = set()
    for route in api.routes:
        if isinstance(route, APIRoute) and route.include_in_schema and route.path_regex.match(path):
            methods |= route.methods
    return sorted(methods)


def _add_error_handlers(api: FastAPI, fields: dict[str, Fields]) -> None:
    @api.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return error_response(400, "invalid_json", "请求体不是有效的 JSON")
        detail = [{"loc": list(e.get("loc", ())), "type": e.get("type", ""), "msg": e.get("msg", "")} for e in errors]
        return error_response(422, "invalid_request", explain(errors, fields.get(request.url.path)), detail)

    @api.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        # FastAPI's own: a body it cannot read (not UTF-8, not JSON, a broken form) is a 400 with an English detail.
        if exc.status_code == 400 and request.url.path == UPLOAD_PATH:
            return error_response(400, "invalid_form", "请求体无法读取：应为 multipart/form-data，文件放在 file 字段")
        if exc.status_code == 400:
            return error_response(400, "invalid_json", "请求体无法读取：应为 UTF-8 编码的 JSON")
        return error_response(exc.status_code, "http_error", str(exc.detail), headers=exc.headers)

    @api.exception_handler(PolicyAssistantError)
    async def assistant_error(_: Request, exc: PolicyAssistantError) -> JSONResponse:
        if isinstance(exc, InputError):
            return error_response(422, "invalid_request", str(exc))
        if isinstance(exc, NotFoundError):
            return error_response(404, "not_found", str(exc))
        if isinstance(exc, IngestError):  # an uploaded file the library cannot take
            status, code = _INGEST_STATUSES.get(type(exc), (422, "invalid_document"))
            return error_response(status, code, str(exc))
        log.error("assistant error: %s", exc)
        if isinstance(exc, IndexStateError):
            return error_response(503, "unavailable", f"检索索引暂不可用：{exc}")
        if isinstance(exc, BackendUnavailableError):
            return error_response(503, "unavailable", f"服务暂不可用，请稍后再试：{exc}")
        return error_response(500, "internal_error", f"服务配置有误：{exc}")
