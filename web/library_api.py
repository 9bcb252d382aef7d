"""The library's REST routes: ``GET /api/documents`` (filtered), ``GET /api/documents/{id}`` and the upload,
``POST /api/documents`` (``?dry_run=true`` previews and writes nothing).

The upload is for an administrator: ``UploadGate`` refuses it before its body is read — 403 when the app was
started without an admin token (always, then: the schemathesis run sees only 403s, and the OpenAPI, which
declares the bearer token only when one was set, says so), 401 without the token or with a wrong one, 411
without a Content-Length, 413 beyond the size limit. The route then checks the file itself (type 415, size
413) and previews or adds it.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import FastAPI, File, Path, Query, Response, Security, UploadFile
from fastapi.security import HTTPBearer
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from index.ingest.read import FORMATS
from index.search import Filters
from web import library
from web.calc_request import IsoDate
from web.responses import documented, error_response
from web.service import MAX_UPLOAD_BYTES, PolicyService

UPLOAD_PATH = "/api/documents"
_MULTIPART_SLACK = 64 * 1024  # a multipart body's boundaries and part headers around the file
# Declared for the OpenAPI (the security scheme); the token itself is checked by ``UploadGate``.
_BEARER = HTTPBearer(auto_error=False, description="管理令牌：启动应用时设置的 POLICY_ASSISTANT_ADMIN_TOKEN")
_MB = f"{MAX_UPLOAD_BYTES / 2**20:g} MB"
_UPLOAD_ABOUT = (
    f"上传一份政策或法规文件（{'、'.join(FORMATS)}，不超过 {_MB}），识别元数据和条款。dry_run=true 只预览"
    "（找到的元数据、待确认的字段、条款表），不写入任何文件；否则写入文库、增量更新索引，新文件随即可问。"
    "出错时文库和索引保持原样。须在请求头带管理令牌（Authorization: Bearer <令牌>），缺少或不正确返回 401。"
)
_READ_ONLY = (
    "本服务启动时未设置管理令牌（POLICY_ASSISTANT_ADMIN_TOKEN）：文件库只读，本接口对任何请求一律返回 403。"
    "以管理令牌启动后，本接口上传一份政策或法规文件，预览（dry_run=true）或添加到文件库。"
)


def add_library_routes(api: FastAPI, service: PolicyService) -> None:
    """The three routes; ``UploadGate`` is added by ``create_api``, inside its guard."""

    @api.get("/api/documents", response_model=library.DocumentList, responses=documented(422), tags=["library"])
    def documents(query: Annotated[library.DocumentsQuery, Query()]) -> library.DocumentList:
        """文件库：全部文件及其层级、地区、类型、在 on 日（默认今天）的状态和相互关联；可按地区、层级、状态筛选。"""
        on = query.on or dt.date.today()
        filters = Filters.make(query.region, None, query.level, query.status, on)
        kept = [library.document_out(d, on) for d in service.documents if filters.admits(d)]
        return library.DocumentList(on=on, documents=kept)

    @api.get(
        "/api/documents/{doc_id}",
        response_model=library.DocumentDetail,
        responses=documented(404, 422),
        tags=["library"],
    )
    def document(
        doc_id: Annotated[str, Path(max_length=60, description="文件编号，如 sd-2023-155")],
        on: Annotated[IsoDate | None, Query(description="判断状态所依据的日期（YYYY-MM-DD）；不填为今天")] = None,
    ) -> library.DocumentDetail:
        """一份文件：元数据、状态、关联、沿革和条款列表。"""
        return library.document_detail(service.document(doc_id), on or dt.date.today())

    @api.post(
        UPLOAD_PATH,
        response_model=library.UploadResult,
        responses={
            201: {"model": library.UploadResult, "description": "已添加（dry_run 为 false）"},
            **documented(400, 401, 403, 409, 411, 413, 415, 422),
        },
        # The bearer token is declared only where one can work: without it, the operation is a plain 403.
        dependencies=[Security(_BEARER)] if service.uploads_enabled else [],
        tags=["library"],
        summary="上传文件：预览或添加到文件库（须管理令牌）",
        description=_UPLOAD_ABOUT if service.uploads_enabled else _READ_ONLY,
    )
    def upload(
        file: Annotated[UploadFile, File(description=f"文件：{'、'.join(FORMATS)}，不超过 {_MB}")],
        response: Response,
        dry_run: Annotated[bool, Query(description="true：只预览，不写入")] = False,
    ) -> library.UploadResult:
        with _saved(file) as path:
            if dry_run:
                return library.upload_result(service.preview(path), dt.date.today())
            added = service.add(path)
        response.status_code = 201
        return library.upload_result(added.plan, dt.date.today(), added.index)


class UploadGate:
    """Refuses an upload before its body is read (see the module's docstring); other requests pass."""

    def __init__(self, app: ASGIApp, service: PolicyService) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"].rstrip("/") == UPLOAD_PATH:
            refusal = self._refusal(Headers(scope=scope))
            if refusal is not None:
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _refusal(self, headers: Headers) -> JSONResponse | None:
        if not self.service.uploads_enabled:
            message = "文件库为只读：应用启动时未设置管理令牌（POLICY_ASSISTANT_ADMIN_TOKEN），不能上传文件"
            return error_response(403, "forbidden", message)
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not self.service.is_admin(token.strip()):
            message = "缺少管理令牌或令牌不正确：请在请求头写 Authorization: Bearer <令牌>"
            return error_response(401, "unauthorized", message, headers={"WWW-Authenticate": "Bearer"})
        length = headers.get("content-length", "")
        if not length.isdigit():
            return error_response(411, "length_required", "上传须带 Content-Length 请求头")
        if int(length) > MAX_UPLOAD_BYTES + _MULTIPART_SLACK:
            return error_response(413, "too_large", f"文件太大：上传的文件不能超过 {_MB}")
        return None


@contextmanager
def _saved(file: UploadFile) -> Iterator[FilePath]:
    """The upload as a file of its own name (``add`` names the document's source after it) in a private
    temporary folder, removed afterwards."""
    name = re.sub(r"[\x00-\x1f\x7f]", "", re.split(r"[\\/]", file.filename or "")[-1]).strip()[-120:]
    with tempfile.TemporaryDirectory(prefix="policy-upload-") as folder:
        path = FilePath(folder) / (name if name.strip(".") else "未命名")
        with path.open("wb") as out:
            while chunk := file.file.read(1 << 20):
                out.write(chunk)
        yield path
