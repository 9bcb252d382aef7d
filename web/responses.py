"""The API's error answers, one shape for all (``ErrorBody``: code and Chinese message), and how a route
documents the statuses it can answer."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from web import models

STATUSES = {
    400: "请求体不是有效的 JSON",
    401: "缺少管理令牌或令牌不正确（Authorization: Bearer <令牌>）",
    403: "未启用文件上传：应用启动时未设置管理令牌",
    404: "编号不存在",
    409: "文库中已有该文件",
    411: "上传须带 Content-Length",
    413: "文件超过大小上限",
    415: "不支持的文件类型",
    422: "请求或输入有误",
    500: "服务器内部错误",
    503: "检索索引或共享存储暂不可用",
}


def documented(*codes: int, media_type: str | None = None) -> dict[int | str, dict[str, Any]]:
    """The error statuses of a route, and 500. ``media_type``: where the route's own type is another
    (the printable page is HTML), the errors' JSON is stated as such."""
    if media_type is None:
        return {code: {"model": models.ErrorBody, "description": STATUSES[code]} for code in (*codes, 500)}
    schema = {"schema": {"$ref": "#/components/schemas/ErrorBody"}}
    return {code: {"description": STATUSES[code], "content": {media_type: schema}} for code in (*codes, 500)}


def error_response(
    status: int,
    code: str,
    message: str,
    detail: list[dict[str, object]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = models.ErrorBody(error=code, message=message, detail=detail)
    return JSONResponse(status_code=status, content=body.model_dump(exclude_none=True), headers=headers)
