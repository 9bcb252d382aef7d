"""The library over REST: GET /api/documents (filters, status, relations), GET /api/documents/{id}, and the
upload POST /api/documents — refused without an admin token (403), with a missing or wrong one (401), too
large (413), of another type (415) or already in the library (409); a preview writes nothing; an add is
answered from at once; a failure midway leaves the corpus and the index as they were."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from test_api import assert_error  # the JSON error shape every route answers with

from assistant import Assistant
from index.settings import PROJECT_ROOT, Settings
from web.server import create_app
from web.service import MAX_UPLOAD_BYTES, PolicyService

TOKEN = "test-admin-token-0123"
BEARER = {"Authorization": f"Bearer {TOKEN}"}
NEW_ID = "qd-zscqzyrzcjbf-20240301"
# A small law of a region the library has (山东省青岛市), implementing a national law the library holds.
LAW = """青岛市知识产权质押融资促进办法

2024年3月1日 青岛市人民代表大会常务委员会第十次会议通过

第一章 总则

第一条 为了促进知识产权质押融资，根据《中华人民共和国科学技术进步法》，结合本市实际，制定本办法。

第二条 市人民政府设立知识产权质押融资风险补偿资金，对合作银行发放的知识产权质押贷款本金损失给予补偿。

补偿比例不超过本金损失的百分之六十。

第二章 附则

第三条 本办法自2024年5月1日起施行。
"""
LAW_FILE = ("青岛市知识产权质押融资促进办法.txt", LAW.encode("utf-8"), "text/plain")
QUESTION = "青岛知识产权质押贷款本金损失的补偿比例是多少？"


@pytest.fixture(scope="module")
def client(built_cache: Path, make_settings: Callable[..., Settings]) -> Iterator[TestClient]:
    """The repository's library, read-only: the app started without an admin token."""
    service = PolicyService(Assistant.load(make_settings(cache_dir=built_cache)))
    with TestClient(create_app(service), raise_server_exceptions=False) as c:
        yield c


def _admin_client(make_settings: Callable[..., Settings], corpus: Path, cache: Path) -> TestClient:
    settings = make_settings(corpus_dir=corpus, cache_dir=cache, admin_token=TOKEN)
    return TestClient(create_app(PolicyService(Assistant.load(settings))), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def refusing(
    built_cache: Path, make_settings: Callable[..., Settings], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    """An app with an admin token over a copy of the corpus, for uploads that must be refused."""
    corpus = tmp_path_factory.mktemp("library") / "corpus"
    shutil.copytree(PROJECT_ROOT / "corpus", corpus)
    with _admin_client(make_settings, corpus, built_cache) as c:
        yield c


@pytest.fixture
def admin(
    corpus_copy: Path, fresh_cache: Path, make_settings: Callable[..., Settings]
) -> Iterator[TestClient]:
    """An app with an admin token over copies of the corpus and of the built cache, for uploads that write."""
    with _admin_client(make_settings, corpus_copy, fresh_cache) as c:
        yield c


def _files(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` with the hash of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# ---------------------------------------------------------------- reading the library


def test_the_list_has_every_document_with_status_and_relations(client: TestClient) -> None:
    body = client.get("/api/documents").json()
    docs = {d["id"]: d for d in body["documents"]}
    assert len(docs) == 12
    sd = docs["sd-2023-155"]
    assert sd["doc_number"] == "鲁政办字〔2023〕155号" and sd["level"] == "省" and sd["region"] == "山东省"
    assert sd["doc_type"] == "规范性文件" and sd["clause_count"] == 20
    assert sd["status"] == {
        "status": "in_force",
        "label": "现行有效",
        "since": "2024-01-01",
        "text": "现行有效（2024年1月1日起施行）",
        "successor_id": None,
    }
    law = docs["sd-cjkjcgzhtl-20171201"]
    assert law["doc_number"] is None and law["cited_as"] == "《山东省促进科技成果转化条例》"
    implements = [r for r in law["relations"] if r["kind"] == "implements"]
    assert implements[0]["name"] == "实施" and implements[0]["doc_id"] == "cn-cjkjcgzhf-20150829"
    national = {r["doc_id"] for r in docs["cn-cjkjcgzhf-20150829"]["relations"] if r["kind"] == "implemented_by"}
    assert national == {"sd-cjkjcgzhtl-20171201", "zj-cjkjcgzhtl-20210929"}
    cited = [r for r in docs["cn-rzdbgsjdgltl-20170802"]["relations"] if r["kind"] == "cites"]
    assert cited and all(r["doc_id"] is None for r in cited)  # 公司法 is not in the library: named, not linked


def test_the_list_filters_by_region_level_and_status_on_a_day(client: TestClient) -> None:
    def ids(**params: str) -> set[str]:
        r = client.get("/api/documents", params=params)
        assert r.status_code == 200, r.text
        return {d["id"] for d in r.json()["documents"]}

    assert ids(level="市") == {"qd-jrfzcjtl-20120927", "qd-kjcxcjtl-20110729"}
    assert ids(region="山东", level="省") == {"sd-2023-155", "sd-cjkjcgzhtl-20171201", "sd-dfjrtl-20160330"}
    assert ids(status="已失效", on="2029-01-01") == {"sd-2023-155"}
    assert ids(status="尚未施行", on="2025-03-25") == {"nm-2025-15"}
    late = client.get("/api/documents", params={"on": "2029-01-01"}).json()
    assert late["on"] == "2029-01-01"
    expired = next(d for d in late["documents"] if d["id"] == "sd-2023-155")["status"]
    assert (
        expired["label"] == "已失效"
        and expired["since"] == "2029-01-01"
        and expired["text"] == "自2029年1月1日起已失效"
    )


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"level": "区"}, ["层级应为全国、省、市、县之一"]),
        ({"status": "有效"}, ["状态应为现行有效、已失效、已被替代、尚未施行之一"]),
        ({"on": "2029-02-30"}, ["2025-06-30 这样的日期"]),
    ],
)
def test_the_list_rejects_an_unknown_filter(client: TestClient, params: dict[str, str], words: list[str]) -> None:
    assert_error(client.get("/api/documents", params=params), 422, *words)


def test_one_document_with_history_and_clauses(client: TestClient) -> None:
    body = client.get("/api/documents/cn-cjkjcgzhf-20150829").json()
    assert body["title"] == "中华人民共和国促进科技成果转化法" and body["level"] == "全国"
    assert [(e["date"], e["event"]) for e in body["history"]] == [("1996-05-15", "通过"), ("2015-08-29", "修正")]
    assert len(body["clauses"]) == body["clause_count"] == 52
    assert body["clauses"][44] == {
        "clause_id": "cn-cjkjcgzhf-20150829#45",
        "number": "第四十五条",
        "heading": "科技成果完成单位未规定、也未与科技人员约定奖励和报酬的方式和数额的，按照下列标准",
        "section": "第四章 技术权益",
        "kind": "article",
    }
    assert body["statements"][0]["clause_id"] == "cn-cjkjcgzhf-20150829#preamble"
    assert client.get("/api/documents/sd-2023-155", params={"on": "2029-01-01"}).json()["status"]["label"] == "已失效"
    assert_error(client.get("/api/documents/xx-0000-1"), 404, "没有编号为“xx-0000-1”的文件")


# ---------------------------------------------------------------- uploads refused


def test_with_an_admin_token_the_openapi_declares_the_bearer_token(refusing: TestClient) -> None:
    spec = refusing.get("/openapi.json").json()
    upload = spec["paths"]["/api/documents"]["post"]
    assert upload["security"] == [{"HTTPBearer": []}] and spec["components"]["securitySchemes"]["HTTPBearer"]
    assert "Authorization: Bearer" in upload["description"] and "403" not in upload["description"]


def test_without_an_admin_token_the_library_is_read_only(client: TestClient) -> None:
    for headers in ({}, BEARER):
        r = client.post("/api/documents", files={"file": LAW_FILE}, headers=headers)
        assert_error(r, 403, "只读", "POLICY_ASSISTANT_ADMIN_TOKEN")
    assert_error(client.post("/api/documents?dry_run=true", files={"file": LAW_FILE}), 403, "只读")
    assert_error(client.post("/api/documents"), 403, "只读")  # before the body is even looked at


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-token-0123456"},
        {"Authorization": TOKEN},
        {"Authorization": f"Basic {TOKEN}"},
    ],
)
def test_a_missing_or_wrong_token_is_401(refusing: TestClient, headers: dict[str, str]) -> None:
    r = refusing.post("/api/documents?dry_run=true", files={"file": LAW_FILE}, headers=headers)
    assert_error(r, 401, "管理令牌", "Authorization: Bearer")
    assert r.headers["www-authenticate"] == "Bearer"


def test_a_file_over_the_limit_is_413(refusing: TestClient) -> None:
    just_over = ("law.txt", b"x" * (MAX_UPLOAD_BYTES + 1), "text/plain")
    assert_error(refusing.post("/api/documents", files={"file": just_over}, headers=BEARER), 413, "文件太大", "5 MB")
    # Far over: refused from its Content-Length, before the body is read.
    far_over = ("law.txt", b"x" * (2 * MAX_UPLOAD_BYTES), "text/plain")
    assert_error(refusing.post("/api/documents", files={"file": far_over}, headers=BEARER), 413, "不能超过 5 MB")


def test_an_upload_without_a_length_is_411(refusing: TestClient) -> None:
    r = refusing.post(
        "/api/documents",
        content=iter([b"--x\r\n"]),
        headers={**BEARER, "Content-Type": "multipart/form-data; boundary=x"},
    )
    assert_error(r, 411, "Content-Length")


@pytest.mark.parametrize("name", ["law.xls", "law.exe", "law", "../../etc/passwd"])
def test_another_type_is_415(refusing: TestClient, name: str) -> None:
    r = refusing.post("/api/documents", files={"file": (name, LAW.encode(), "text/plain")}, headers=BEARER)
    assert_error(r, 415, "不支持的文件类型", ".txt、.md、.docx、.pdf、.html")


@pytest.mark.parametrize(
    ("files", "status", "words"),
    [
        ({"file": ("law.txt", b"", "text/plain")}, 422, ["文件是空的"]),
        ({"file": ("law.txt", "只有一句话，没有条款。".encode(), "text/plain")}, 422, ["未识别出条款结构"]),
        ({"file": ("law.txt", b"\x00\x01binary", "text/plain")}, 422, ["不是文本文件"]),
        ({"other": ("law.txt", LAW.encode(), "text/plain")}, 422, ["缺少文件"]),
    ],
)
def test_a_file_that_is_no_law_is_422(refusing: TestClient, files: dict, status: int, words: list[str]) -> None:  # type: ignore[type-arg]
    assert_error(refusing.post("/api/documents", files=files, headers=BEARER), status, *words)


def test_a_document_already_in_the_library_is_409(refusing: TestClient) -> None:
    source = PROJECT_ROOT / "corpus/sources/library/中小企业促进法(2017-09-01).txt"
    r = refusing.post(
        "/api/documents", files={"file": (source.name, source.read_bytes(), "text/plain")}, headers=BEARER
    )
    assert_error(r, 409, "文库中已有《中华人民共和国中小企业促进法》", "cn-zxqycjf-20170901")


def test_html_in_a_file_name_comes_back_as_text(refusing: TestClient) -> None:
    name = '<img src=x onerror="alert(1)">.xls'
    r = refusing.post("/api/documents", files={"file": (name, b"x", "text/plain")}, headers=BEARER)
    assert_error(r, 415)
    assert r.headers["content-type"] == "application/json" and r.headers["x-content-type-options"] == "nosniff"


# ---------------------------------------------------------------- preview and add


def test_a_preview_shows_what_it_found_and_writes_nothing(
    admin: TestClient, corpus_copy: Path, fresh_cache: Path
) -> None:
    corpus, index = _files(corpus_copy), _files(fresh_cache / "index")
    r = admin.post("/api/documents", params={"dry_run": "true"}, files={"file": LAW_FILE}, headers=BEARER)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["added"] is False and body["index"] is None and body["layout"] == "章→条"
    doc = body["document"]
    assert doc["id"] == NEW_ID and doc["title"] == "青岛市知识产权质押融资促进办法"
    assert doc["region"] == "山东省青岛市" and doc["level"] == "市" and doc["doc_type"] == "地方性法规"
    assert doc["issuers"] == ["青岛市人民代表大会常务委员会"] and doc["in_force"]["start"] == "2024-05-01"
    assert [c["clause_id"] for c in doc["clauses"]] == [f"{NEW_ID}#{n}" for n in (1, 2, 3)]
    assert doc["relations"][0]["doc_id"] == "cn-kxjsjbf-20211224"  # resolved against the library
    assert body["to_confirm"] == ["实施《中华人民共和国科学技术进步法》（从文中读出）"]
    assert _files(corpus_copy) == corpus and _files(fresh_cache / "index") == index
    assert len(admin.get("/api/documents").json()["documents"]) == 12


def test_an_added_document_is_listed_and_answered_from_at_once(admin: TestClient, corpus_copy: Path) -> None:
    before = admin.post("/api/ask", json={"question": QUESTION}).json()
    assert NEW_ID not in {c["doc_id"] for c in before["citations"]}
    r = admin.post("/api/documents", files={"file": LAW_FILE}, headers=BEARER)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["added"] is True and body["document"]["id"] == NEW_ID
    assert body["index"]["embedded"] == 4  # the three articles and the 题注: only the new chunks
    assert (corpus_copy / "documents" / f"{NEW_ID}.txt").read_text(encoding="utf-8") == LAW
    assert len(admin.get("/api/documents").json()["documents"]) == 13
    # The library links it both ways, and the assistant answers from it.
    national = admin.get("/api/documents/cn-kxjsjbf-20211224").json()["relations"]
    assert {"kind": "implemented_by", "doc_id": NEW_ID} in [
        {"kind": r["kind"], "doc_id": r["doc_id"]} for r in national
    ]
    answer = admin.post("/api/ask", json={"question": QUESTION}).json()
    assert answer["in_scope"] is True and answer["citations"][0]["clause_id"] == f"{NEW_ID}#2"
    assert "补偿比例不超过本金损失的百分之六十" in answer["answer"]
    hits = admin.get("/api/search", params={"q": "知识产权质押融资风险补偿资金", "level": "市"}).json()["hits"]
    assert hits[0]["doc_id"] == NEW_ID
    assert_error(admin.post("/api/documents", files={"file": LAW_FILE}, headers=BEARER), 409, NEW_ID)


@pytest.mark.parametrize("failing", ["web.service.Assistant.load", "index.ingest.transaction.build_index"])
def test_a_failure_midway_leaves_corpus_and_index_unchanged(
    admin: TestClient, corpus_copy: Path, fresh_cache: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    """The files are written, then loading the new assistant (or building the index) fails."""

    def fail(*args: object, **kwargs: object) -> None:
        assert (corpus_copy / "documents" / f"{NEW_ID}.toml").exists()  # midway: the document was written
        raise RuntimeError("disk on fire")

    corpus, index = _files(corpus_copy), _files(fresh_cache / "index")
    monkeypatch.setattr(failing, fail)
    assert_error(admin.post("/api/documents", files={"file": LAW_FILE}, headers=BEARER), 500, "服务器内部错误")
    assert _files(corpus_copy) == corpus and _files(fresh_cache / "index") == index
    # no half-built index folder left beside the index (the build lock file stays: it is reused)
    assert sorted(p.name for p in fresh_cache.iterdir() if p.name.startswith("index") and p.is_dir()) == ["index"]
    assert len(admin.get("/api/documents").json()["documents"]) == 12
    answer = admin.post("/api/ask", json={"question": QUESTION}).json()
    assert NEW_ID not in {c["doc_id"] for c in answer["citations"]}
    monkeypatch.undo()  # the same file goes in once the fault is gone
    assert admin.post("/api/documents", files={"file": LAW_FILE}, headers=BEARER).status_code == 201
