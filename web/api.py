"""The REST API: FastAPI routes over ``PolicyService``; errors are JSON with a clear message, never a traceback."""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from assistant import money
from assistant.errors import IndexStateError, InputError, NotFoundError, PolicyAssistantError
from assistant.understand import MAX_QUESTION_CHARS
from web import models
from web.service import PolicyService

log = logging.getLogger(__name__)

_ERRORS: dict[int, dict[str, Any]] = {
    404: {"model": models.ErrorBody, "description": "编号不存在"},
    422: {"model": models.ErrorBody, "description": "请求或输入有误"},
}
_FIELD_NAMES = {"question": "问题", "q": "查询词", "k": "结果条数", "conversation_id": "对话编号", "inputs": "输入项"}


def create_api(service: PolicyService) -> FastAPI:
    api = FastAPI(
        title="科技金融政策问答助手 API",
        version="0.1.0",
        description="问答、条款查询与补贴测算。所有回答均引用条款原文。",
        docs_url=None,  # the Swagger page loads its scripts from a CDN; /openapi.json is enough offline
        redoc_url=None,
    )
    _add_error_handlers(api)

    @api.middleware("http")
    async def no_sniffing(request: Request, call_next: Any) -> Any:
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")  # JSON is never read as HTML
        return response

    @api.get("/api/health", response_model=models.Health, tags=["system"])
    def health() -> models.Health:
        docs = service.documents
        return models.Health(
            status="ok",
            documents=len(docs),
            clauses=sum(len(d.clauses) for d in docs),
            rules=len(service.rules),
        )

    @api.post("/api/ask", response_model=models.AskResponse, responses=_ERRORS, tags=["ask"])
    def ask(body: models.AskRequest) -> models.AskResponse:
        cid, answer = service.ask(body.question, body.conversation_id)
        return models.AskResponse.model_validate({**answer.to_dict(), "conversation_id": cid})

    @api.get("/api/search", response_model=models.SearchResponse, responses=_ERRORS, tags=["clauses"])
    def search(
        q: Annotated[str, Query(min_length=1, max_length=MAX_QUESTION_CHARS, description="关键词或条款编号")],
        k: Annotated[int, Query(ge=1, le=50, description="结果条数")] = 5,
        region: Annotated[str | None, Query(max_length=20, description="地区，如“山东”")] = None,
        doc_id: Annotated[str | None, Query(max_length=40, description="文件编号，如 sd-2023-155")] = None,
        unit: Annotated[str | None, Query(max_length=40, description="责任单位")] = None,
    ) -> models.SearchResponse:
        result = service.lookup(q, k=k, region=region, doc_id=doc_id, unit=unit)
        hits = []
        for h in result.hits:
            clause = service.clause(h.clause_id)
            hits.append(
                models.SearchHit(
                    clause_id=h.clause_id,
                    doc_id=h.doc_id,
                    label=clause.label,
                    heading=clause.heading,
                    score=h.score,
                    sentence=h.sentence,
                    span=h.span,
                    matched=list(h.matched),
                )
            )
        exact = [
            models.ClauseRef(clause_id=c.id, doc_id=c.doc_id, label=c.label, heading=c.heading) for c in result.exact
        ]
        return models.SearchResponse(query=result.query, exact=exact, hits=hits)

    @api.get("/api/clauses/{clause_id}", response_model=models.ClauseOut, responses=_ERRORS, tags=["clauses"])
    def clause(
        clause_id: Annotated[str, Path(max_length=60, description="条款编号，如 sd-2023-155#3（# 写作 %23）")],
    ) -> models.ClauseOut:
        c = service.clause(clause_id)
        doc = service.document(c.doc_id)
        return models.ClauseOut(
            id=c.id,
            doc_id=c.doc_id,
            doc_number=doc.doc_number,
            document_title=doc.title,
            region=doc.region,
            in_force=doc.in_force.describe(),
            number=c.number,
            kind=c.kind,
            heading=c.heading,
            section=c.section,
            label=c.label,
            text=c.text,
            units=[models.UnitOut(name=u.name, lead=u.lead) for u in c.units],
            rules=[r.id for r in service.rules_for(c.id)],
        )

    @api.get("/api/rules", response_model=list[models.RuleOut], tags=["calculators"])
    def rules() -> list[models.RuleOut]:
        return [
            models.RuleOut(
                id=r.id,
                label=r.label,
                clause_id=r.clause_id,
                doc_id=r.doc_id,
                kind=r.kind,
                unit=r.unit,
                quote=r.quote,
                inputs=[
                    models.InputOut(name=s.name, label=s.label, unit=s.unit, choices=list(s.choices)) for s in r.inputs
                ],
                conditions=[c.text for c in r.conditions],
                parties=list(r.parties),
                in_force=r.in_force.describe(),
            )
            for r in service.rules
        ]

    @api.post("/api/calc/{rule_id}", response_model=models.CalcResponse, responses=_ERRORS, tags=["calculators"])
    def calc(
        rule_id: Annotated[str, Path(max_length=60, description="规则编号，见 /api/rules")],
        body: models.CalcRequest | None = None,
    ) -> models.CalcResponse:
        body = body or models.CalcRequest()
        rule = service.rule(rule_id)
        result = service.calc(rule_id, body.inputs, on=body.on, party=body.party)
        amount_text = money.fmt(result.amount, result.unit) if result.amount is not None else None
        return models.CalcResponse.model_validate(
            {
                **result.to_dict(),
                "label": rule.label,
                "clause_label": service.clause(rule.clause_id).label,
                "quote": rule.quote,
                "amount_text": amount_text,
            }
        )

    return api


def _add_error_handlers(api: FastAPI) -> None:
    @api.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        message = "；".join(dict.fromkeys(_explain(e) for e in errors)) or "请求有误"
        detail = [{"loc": list(e.get("loc", ())), "type": e.get("type", ""), "msg": e.get("msg", "")} for e in errors]
        return _error(422, "invalid_request", message, detail)

    @api.exception_handler(PolicyAssistantError)
    async def assistant_error(_: Request, exc: PolicyAssistantError) -> JSONResponse:
        if isinstance(exc, InputError):
            return _error(422, "invalid_request", str(exc))
        if isinstance(exc, NotFoundError):
            return _error(404, "not_found", str(exc))
        log.error("assistant error: %s", exc)
        if isinstance(exc, IndexStateError):
            return _error(503, "unavailable", f"检索索引暂不可用：{exc}")
        return _error(500, "internal_error", f"服务配置有误：{exc}")

    @api.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error")
        return _error(500, "internal_error", "服务器内部错误，请稍后重试")


def _error(status: int, code: str, message: str, detail: list[dict[str, object]] | None = None) -> JSONResponse:
    body = models.ErrorBody(error=code, message=message, detail=detail)
    return JSONResponse(status_code=status, content=body.model_dump(exclude_none=True))


def _explain(error: dict[str, Any]) -> str:
    """One validation error in Chinese, naming the field."""
    loc = [str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path")]
    field = loc[-1] if loc else ""
    name = _FIELD_NAMES.get(field, field)
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return f"缺少{name or '请求体'}" + (f"（{field}）" if name != field else "")
    if kind == "json_invalid":
        return "请求体不是有效的 JSON"
    if kind in ("model_attributes_type", "dict_type") and not field:
        return "请求体应为 JSON 对象"
    if kind == "string_too_short":
        return f"{name}不能为空"
    if kind == "string_too_long":
        return f"{name}过长，请控制在{ctx.get('max_length')}字以内"
    if kind == "string_type":
        return f"{name}应为文字"
    if kind == "string_pattern_mismatch" and field == "conversation_id":
        return "对话编号格式不正确（应为上一次回答返回的 conversation_id）"
    if kind == "extra_forbidden":
        return f"不支持的字段“{field}”"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{name}应为整数"
    if kind in ("greater_than_equal", "less_than_equal"):
        low, high = ctx.get("ge"), ctx.get("le")
        bound = f"不小于{low}" if low is not None else f"不大于{high}"
        return f"{name}应{bound}"
    return f"{name or '请求'}：{error.get('msg', '格式有误')}"
