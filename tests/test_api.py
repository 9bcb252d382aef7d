"""The REST API beside the page: every endpoint, validation errors, and the ask contract (DESIGN.md)."""

from __future__ import annotations

import datetime as dt
import os
import re
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant import Assistant
from assistant.errors import BackendUnavailableError, NotFoundError
from index.settings import PROJECT_ROOT, Settings
from web.models import VISIBLE, AskResponse
from web.server import create_app
from web.service import PolicyService

ANSWER_KEYS = {
    "question",
    "in_scope",
    "confidence",
    "answer",
    "citations",
    "related",
    "calculation",
    "calculations",
    "total",
    "follow_up",
}
CALC_KEYS = {"rule_id", "clause_id", "inputs", "amount", "unit", "eligible", "steps", "conditions", "parts", "missing"}
CITATION_KEYS = {"clause_id", "doc_id", "label", "quote", "score"}
SCRIPT = '<script>alert(1)</script><img src=x onerror="alert(2)">'


@pytest.fixture(scope="session")
def service(built_cache: Path, make_settings: Callable[..., Settings]) -> PolicyService:
    return PolicyService(Assistant.load(make_settings(cache_dir=built_cache)))


@pytest.fixture(scope="session")
def app(service: PolicyService):  # type: ignore[no-untyped-def]
    return create_app(service)


@pytest.fixture(scope="session")
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def ask(client: TestClient, question: object, conversation_id: str | None = None) -> dict:  # type: ignore[type-arg]
    body: dict[str, object] = {"question": question}
    if conversation_id is not None:
        body["conversation_id"] = conversation_id
    r = client.post("/api/ask", json=body)
    assert r.status_code == 200, r.text
    return r.json()


def assert_error(r, status: int, *words: str) -> None:  # type: ignore[no-untyped-def]
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) <= {"error", "message", "detail"} and body["message"]
    for word in words:
        assert word in body["message"], body["message"]
    assert "Traceback" not in r.text


# ---------------------------------------------------------------- health, page, OpenAPI


def test_health(client: TestClient, service: PolicyService) -> None:
    r = client.get("/api/health")
    assert r.status_code == 200
    corpus = service.assistant.index.corpus
    clauses = sum(len(d.clauses) for d in corpus.documents)
    assert r.json() == {
        "status": "ok",
        "documents": len(corpus.documents),
        "clauses": clauses,
        "rules": len(service.assistant.rules.rules),
        "worker": os.getpid(),  # the process that answered
    }
    assert len(corpus.documents) == 12  # the two policy documents and the ten of the library


def test_openapi_lists_every_endpoint_with_typed_models(client: TestClient, service: PolicyService) -> None:
    spec = client.get("/openapi.json").json()
    paths = {path: set(ops) for path, ops in spec["paths"].items()}
    rules = [r.id for r in service.rules]
    assert paths == {
        "/api/health": {"get"},
        "/api/ask": {"post"},
        "/api/search": {"get"},
        "/api/clauses/{clause_id}": {"get"},
        "/api/rules": {"get"},
        **{f"/api/calc/{rule}": {"post"} for rule in rules},
        "/api/match": {"post"},
        "/api/match/print": {"post"},
        "/api/documents": {"get", "post"},
        "/api/documents/{doc_id}": {"get"},
    }
    schemas = spec["components"]["schemas"]
    assert {"AskRequest", "AskResponse", "Citation", "Calculation", "SearchResponse", "ClauseOut", "RuleOut"} <= set(
        schemas
    )
    question = schemas["AskRequest"]["properties"]["question"]
    assert question["maxLength"] == 500 and question["pattern"] == VISIBLE
    # Each calculator states its inputs: units as ranges, yes/no, choices, parties.
    fee = schemas["SdLukedanFeeInputs"]["properties"]
    assert fee["fee_rate"]["anyOf"][0] == {"type": "number", "minimum": 0, "maximum": 1.0}
    assert fee["counter_guarantee"]["anyOf"][0]["enum"] == ["无形资产", "无", "其他"]
    assert schemas["SdLukedanFeeInputs"]["additionalProperties"] is False
    party = schemas["SdLukedaiLossRequest"]["properties"]["party"]["anyOf"][0]["enum"]
    assert {"省财政", "市财政", "贷款银行", "政府"} <= set(party)
    # The library: filters as enums; the upload takes a file and states its bearer token and refusals.
    search = {p["name"]: p for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert search["level"]["schema"]["anyOf"][0]["enum"] == ["全国", "省", "市", "县"]
    assert search["status"]["schema"]["anyOf"][0]["enum"] == ["现行有效", "已失效", "已被替代", "尚未施行"]
    upload = spec["paths"]["/api/documents"]["post"]
    assert {"201", "401", "403", "409", "411", "413", "415"} <= set(upload["responses"])
    assert "multipart/form-data" in upload["requestBody"]["content"]
    # Started without an admin token: no credential can work, so none is declared, and it says 403 always.
    assert "security" not in upload and "一律返回 403" in upload["description"]


def test_every_status_an_operation_answers_is_documented(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"200", "500"} <= codes, (method, path)
            if "requestBody" in operation:
                assert {"400", "422"} <= codes, (method, path)
            if operation.get("parameters"):
                assert "422" in codes, (method, path)


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("GET", "/api/ask", "POST"),
        ("TRACE", "/api/health", "GET"),
        ("DELETE", "/api/clauses/sd-2023-155%231", "GET"),
        ("PUT", "/api/calc/sd-lukedai-interest", "POST"),
        ("QUERY", "/api/search?q=担保", "GET"),
    ],
)
def test_an_undeclared_method_is_405_with_allow(client: TestClient, method: str, path: str, allow: str) -> None:
    r = client.request(method, path)
    assert_error(r, 405, "不支持", allow)
    assert r.headers["allow"] == allow


def test_an_unknown_api_path_is_a_json_404(client: TestClient) -> None:
    assert_error(client.get("/api/nothing-here"), 404, "没有接口 /api/nothing-here")
    assert_error(client.get("/api/calc/no-such-rule"), 404, "没有接口")


def test_the_question_pattern_is_the_rule_the_server_enforces() -> None:
    """VISIBLE in the schema and ``validate_question`` agree on every character (one character questions)."""
    from assistant import InputError, validate_question

    visible = re.compile(VISIBLE)
    for code in [*range(0x3000), *range(0xFE00, 0x10000), 0x1F600]:
        char = chr(code)
        try:
            validate_question(char)
            kept = True
        except InputError:
            kept = False
        assert kept == bool(visible.search(char)), hex(code)


def test_the_page_is_served_on_the_same_app(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert "text/html" in r.headers["content-type"]
    config = client.get("/config").text
    assert "科技金融政策问答助手" in config
    assert "fonts.googleapis" not in config and "fonts.gstatic" not in config


def test_json_is_not_sniffed_as_html(client: TestClient) -> None:
    assert client.get("/api/health").headers["x-content-type-options"] == "nosniff"


# ---------------------------------------------------------------- ask: the contract


def test_ask_returns_the_answer_shape_of_the_design(client: TestClient, service: PolicyService) -> None:
    body = ask(client, "鲁科贷实际支付利息80万元，能贴息多少？")
    assert set(body) == ANSWER_KEYS | {"conversation_id"}
    assert body["in_scope"] is True
    assert "32万元" in body["answer"]
    calc = body["calculation"]
    assert set(calc) >= CALC_KEYS
    assert calc["amount"] == 320000 and isinstance(calc["amount"], int)
    assert calc["unit"] == "元" and calc["rule_id"] == "sd-lukedai-interest"
    assert calc["steps"] and all(c["status"] in ("met", "unmet", "unknown") for c in calc["conditions"])
    assert body["citations"]
    for citation in body["citations"]:
        assert set(citation) == CITATION_KEYS
        assert citation["quote"] in service.clause(citation["clause_id"]).text  # verbatim
    assert body["citations"][0]["clause_id"] == "sd-2023-155#1"
    assert len(body["conversation_id"]) == 32


def test_the_answer_model_takes_the_fields_the_contract_is_growing() -> None:
    """DESIGN.md's later fields (confidence, related, calculations, total), and list inputs; none invented."""
    citation = {
        "clause_id": "sd-2023-155#6",
        "doc_id": "sd-2023-155",
        "label": "第（六）条",
        "quote": "…",
        "score": 0.8,
    }
    calculation = {
        "rule_id": "sd-vc-loss-subsidy",
        "clause_id": "sd-2023-155#6",
        "inputs": {"first_round_loss": [20000000, 15000000.5], "capital_increase": True, "kind": "无", "rate": 0.4},
        "amount": 6000000,
        "unit": "元",
        "eligible": None,
        "steps": ["…"],
        "conditions": [{"text": "…", "status": "unknown"}],
        "parts": [{"party": "省财政", "amount": None}],
        "missing": [],
        "notes": ["…"],
    }
    older = {
        "question": "…",
        "in_scope": True,
        "answer": "…",
        "citations": [citation],
        "calculation": calculation,
        "follow_up": None,
        "conversation_id": "0" * 32,
    }
    newer = {
        **older,
        "confidence": "low",
        "related": [citation],
        "calculations": [calculation, {**calculation, "amount": None}],
        "total": {
            "amount": 6000000,
            "unit": "元",
            "rule_ids": ["sd-vc-loss-subsidy"],
            "excluded": [{"rule_id": "x", "why": "…"}],
        },
    }
    for answer in (older, newer, {**newer, "total": None}):
        assert AskResponse.model_validate(answer).model_dump(mode="json", exclude_unset=True) == answer


def test_ask_lookup_has_no_calculation(client: TestClient) -> None:
    body = ask(client, "创投机构落户山东的奖励由哪个部门牵头？")
    assert body["in_scope"] is True
    assert body["citations"][0]["clause_id"] == "sd-2023-155#5"


def test_ask_declines_out_of_scope(client: TestClient) -> None:
    body = ask(client, "北京的个税怎么报？")
    assert body["in_scope"] is False
    assert body["citations"] == [] and body["calculation"] is None


def test_a_follow_up_in_the_same_conversation_supplies_the_missing_input(client: TestClient) -> None:
    first = ask(client, "鲁科贷能贴息多少？")
    assert first["calculation"]["missing"] == ["interest"]
    assert first["calculation"]["amount"] is None
    assert first["follow_up"]
    second = ask(client, "利息是80万元", first["conversation_id"])
    assert second["conversation_id"] == first["conversation_id"]
    assert second["calculation"]["amount"] == 320000
    assert second["follow_up"] is None


def test_each_conversation_keeps_its_own_pending_question(client: TestClient) -> None:
    loan = ask(client, "鲁科贷能贴息多少？")
    insurance = ask(client, "首年度购买鲁科保能补贴多少？")
    assert loan["conversation_id"] != insurance["conversation_id"]
    assert ask(client, "是80万元", loan["conversation_id"])["calculation"]["amount"] == 320000  # 80万元 × 40%
    assert ask(client, "是80万元", insurance["conversation_id"])["calculation"]["amount"] == 300000  # capped
    alone = ask(client, "是80万元")  # no conversation: nothing to continue, so it asks which measure
    assert alone["calculation"] is None and alone["follow_up"] and "80万元" in alone["follow_up"]


def test_an_unknown_conversation_is_404(client: TestClient) -> None:
    r = client.post("/api/ask", json={"question": "利息是80万元", "conversation_id": "0" * 32})
    assert_error(r, 404, "不存在或已过期")


class _UnreachableStore:
    """A conversation store whose server is down."""

    def load(self, cid: str) -> str:
        raise BackendUnavailableError("无法连接对话存储 Redis（redis://redis:6379/0）")

    def save(self, cid: str, state: str) -> None:
        self.load(cid)

    def drop(self, cid: str) -> None:
        self.load(cid)


def test_an_unreachable_conversation_store_is_503(service: PolicyService) -> None:
    from web.api import create_api

    down = PolicyService(service.assistant, _UnreachableStore())
    with TestClient(create_api(down), raise_server_exceptions=False) as c:
        r = c.post("/api/ask", json={"question": "鲁科贷能贴息多少？"})
        assert_error(r, 503, "暂不可用", "redis://redis:6379/0")
        assert c.get("/api/health").status_code == 200  # the rest of the app still answers


def test_a_stored_state_this_version_cannot_read_ends_the_conversation(
    client: TestClient, service: PolicyService
) -> None:
    cid = ask(client, "鲁科贷能贴息多少？")["conversation_id"]
    service.conversations.save(cid, '{"version": 0}')  # written by another version of the app
    r = client.post("/api/ask", json={"question": "利息是80万元", "conversation_id": cid})
    assert_error(r, 404, "不存在或已过期")
    with pytest.raises(NotFoundError):
        service.conversations.load(cid)  # dropped


def test_html_in_a_question_comes_back_as_text(client: TestClient) -> None:
    question = f"{SCRIPT}鲁科贷能贴息多少？"
    r = client.post("/api/ask", json={"question": question})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    body = r.json()
    assert body["question"] == question  # data, echoed as a JSON string, never markup
    assert "<script" not in body["answer"] and "<img" not in body["answer"]


# ---------------------------------------------------------------- ask: validation


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"question": ""}, ["问题不能为空"]),
        ({"question": "   \n "}, ["问题不能为空"]),
        ({"question": "问" * 501}, ["问题过长", "500"]),
        ({"question": 123}, ["问题应为文字"]),
        ({"question": None}, ["问题应为文字"]),
        ({"question": ["鲁科贷"]}, ["问题应为文字"]),
        ({}, ["缺少问题"]),
        ({"question": "鲁科贷", "extra": 1}, ["不支持的字段"]),
        ({"question": "鲁科贷", "conversation_id": "abc"}, ["对话编号格式不正确"]),
        ({"question": "鲁科贷", "conversation_id": 5}, ["对话编号应为文字"]),
        (["鲁科贷"], ["请求体应为 JSON 对象"]),
    ],
)
def test_ask_rejects_bad_requests_with_a_clear_message(client: TestClient, body: object, words: list[str]) -> None:
    assert_error(client.post("/api/ask", json=body), 422, *words)


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe", b'{"question": "x"'])
def test_ask_rejects_a_malformed_body_with_400(client: TestClient, body: bytes) -> None:
    r = client.post("/api/ask", content=body, headers={"content-type": "application/json"})
    assert_error(r, 400, "JSON")


def test_ask_without_a_body_is_422(client: TestClient) -> None:
    assert_error(client.post("/api/ask"), 422, "缺少请求体")


def test_a_calculator_rejects_a_malformed_body_with_400(client: TestClient) -> None:
    r = client.post("/api/calc/sd-lukedai-interest", content=b"{", headers={"content-type": "application/json"})
    assert_error(r, 400, "JSON")


def test_a_question_of_exactly_500_characters_is_accepted(client: TestClient) -> None:
    question = ("鲁科贷能贴息多少？" * 60)[:500]
    assert ask(client, question)["question"] == question


def test_control_characters_only_is_empty(client: TestClient) -> None:
    assert_error(client.post("/api/ask", json={"question": "\x00\x01"}), 422, "问题不能为空")


# ---------------------------------------------------------------- search


def test_search_ranks_clauses_and_marks_matched_words(client: TestClient) -> None:
    r = client.get("/api/search", params={"q": "担保费补贴", "k": 3})
    assert r.status_code == 200
    body = r.json()
    assert body["query"] == "担保费补贴" and body["exact"] == []
    hits = body["hits"]
    assert 0 < len(hits) <= 3
    assert hits[0]["clause_id"] == "sd-2023-155#3"
    assert hits[0]["matched"] and hits[0]["label"].endswith("第（三）条")
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)


def test_search_filters_by_region_document_and_unit(client: TestClient, service: PolicyService) -> None:
    nm = client.get("/api/search", params={"q": "担保", "region": "内蒙古", "k": 10}).json()["hits"]
    assert nm and all(h["doc_id"] == "nm-2025-15" for h in nm)
    sd = client.get("/api/search", params={"q": "担保", "doc_id": "sd-2023-155"}).json()["hits"]
    assert sd and all(h["doc_id"] == "sd-2023-155" for h in sd)
    unit = client.get("/api/search", params={"q": "担保", "unit": "省财政厅", "k": 50}).json()["hits"]
    assert unit and all(any(u.name == "省财政厅" for u in service.clause(h["clause_id"]).units) for h in unit)


def test_search_filters_by_level_and_status_on_a_day(client: TestClient, service: PolicyService) -> None:
    levels = {d.id: d.level for d in service.documents}
    city = client.get("/api/search", params={"q": "科技创新", "level": "市", "k": 20}).json()["hits"]
    assert city and {levels[h["doc_id"]] for h in city} == {"市"}
    expired = {"q": "担保", "status": "已失效", "on": "2029-01-01", "k": 50}
    assert {h["doc_id"] for h in client.get("/api/search", params=expired).json()["hits"]} == {"sd-2023-155"}
    in_force = client.get("/api/search", params={**expired, "status": "现行有效"}).json()["hits"]
    assert in_force and "sd-2023-155" not in {h["doc_id"] for h in in_force}
    today = client.get("/api/search", params={"q": "担保", "status": "现行有效", "k": 50}).json()["hits"]
    assert "sd-2023-155" in {h["doc_id"] for h in today}  # no day: today, when it is in force
    # A clause named by its id is filtered too: sd-2023-155 is a 省 document.
    named = client.get("/api/search", params={"q": "sd-2023-155#3", "level": "市"}).json()
    assert named["exact"] == [] and all(levels[h["doc_id"]] == "市" for h in named["hits"])


def test_assistant_search_takes_level_and_status(service: PolicyService) -> None:
    hits = service.assistant.search("担保", k=20, level="全国", status="现行有效", on=dt.date(2029, 1, 1))
    assert hits and {service.document(h.doc_id).level for h in hits} == {"全国"}
    assert service.assistant.search("sd-2023-155#3", status="已失效", on="2029-01-01")[0].clause_id == "sd-2023-155#3"
    assert service.assistant.search("sd-2023-155#3", status="现行有效", on="2029-01-01")[0].clause_id != "sd-2023-155#3"


@pytest.mark.parametrize(
    ("params", "exact"),
    [
        ({"q": "sd-2023-155#3"}, ["sd-2023-155#3"]),
        ({"q": "第三条"}, ["sd-2023-155#3", "nm-2025-15#3"]),
        ({"q": "第三条", "doc_id": "nm-2025-15"}, ["nm-2025-15#3"]),
        ({"q": "山东第（三）条"}, ["sd-2023-155#3"]),
        ({"q": "155号第3条"}, ["sd-2023-155#3"]),
    ],
)
def test_search_finds_clauses_by_number(client: TestClient, params: dict[str, str], exact: list[str]) -> None:
    body = client.get("/api/search", params=params).json()
    assert [c["clause_id"] for c in body["exact"]] == exact
    assert not {h["clause_id"] for h in body["hits"]} & set(exact)


def test_search_finds_a_product_name(client: TestClient) -> None:
    assert client.get("/api/search", params={"q": "鲁科担"}).json()["hits"][0]["clause_id"] == "sd-2023-155#3"


@pytest.mark.parametrize(
    ("params", "status", "words"),
    [
        ({}, 422, ["缺少查询词"]),
        ({"q": ""}, 422, ["查询词不能为空"]),
        ({"q": "   "}, 422, ["查询词不能为空"]),
        ({"q": "担" * 501}, 422, ["查询词过长", "500"]),
        ({"q": "担保", "k": 0}, 422, ["结果条数应不小于1"]),
        ({"q": "担保", "k": 51}, 422, ["结果条数应不大于50"]),
        ({"q": "担保", "k": "abc"}, 422, ["结果条数应为整数"]),
        ({"q": "担保", "doc_id": "xx-0000-1"}, 404, ["没有编号为“xx-0000-1”的文件"]),
        ({"q": "担保", "level": "区"}, 422, ["层级应为全国、省、市、县之一"]),
        ({"q": "担保", "status": "有效"}, 422, ["状态应为现行有效、已失效、已被替代、尚未施行之一"]),
        ({"q": "担保", "status": "in_force"}, 422, ["状态应为现行有效"]),  # the REST enum: the Chinese names
        ({"q": "担保", "on": "2029-13-01"}, 422, ["2025-06-30 这样的日期"]),
    ],
)
def test_search_rejects_bad_parameters(client: TestClient, params: dict, status: int, words: list[str]) -> None:  # type: ignore[type-arg]
    assert_error(client.get("/api/search", params=params), status, *words)


# ---------------------------------------------------------------- clauses


def test_clause_by_id(client: TestClient, service: PolicyService) -> None:
    r = client.get("/api/clauses/sd-2023-155%231")
    assert r.status_code == 200
    body = r.json()
    assert body["id"] == "sd-2023-155#1" and body["number"] == 1
    assert body["text"] == service.clause("sd-2023-155#1").text
    assert body["doc_number"] == "鲁政办字〔2023〕155号" and body["region"] == "山东省"
    assert body["in_force"] == "2024年1月1日至2028年12月31日"
    assert {"name": "省科技厅", "lead": True} in body["units"]
    assert set(body["rules"]) == {"sd-lukedai-interest", "sd-lukedai-loss"}


def test_document_statements_are_clauses_too(client: TestClient) -> None:
    body = client.get("/api/clauses/nm-2025-15%23closing").json()
    assert body["kind"] == "closing" and body["number"] is None


def test_unknown_clause_is_404_with_a_hint(client: TestClient) -> None:
    assert_error(client.get("/api/clauses/sd-2023-155%2399"), 404, "sd-2023-155#99")
    assert_error(client.get("/api/clauses/sd-2023-155"), 404, "%23")


# ---------------------------------------------------------------- rules and calculators


def test_rules_list_inputs_with_units_and_labels(client: TestClient, service: PolicyService) -> None:
    rules = client.get("/api/rules").json()
    assert len(rules) == 39 and len({r["id"] for r in rules}) == 39  # 36 with an amount or none stated, 3 prohibitions
    by_id = {r["id"]: r for r in rules}
    interest = by_id["sd-lukedai-interest"]
    assert interest["clause_id"] == "sd-2023-155#1"
    assert {"name": "interest", "label": "所选贷款实际支付利息", "unit": "元", "choices": []} in interest["inputs"]
    assert "按时还本付息" in interest["conditions"]
    assert by_id["sd-lukedai-loss"]["parties"] == ["省财政", "市财政", "贷款银行", "省市财政"]
    for rule in rules:
        assert rule["quote"] in service.clause(rule["clause_id"]).text


def test_calc_computes_with_steps_conditions_and_quote(client: TestClient) -> None:
    r = client.post("/api/calc/sd-lukedai-interest", json={"inputs": {"interest": 800000, "tech_sme": True}})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["amount"] == 320000 and body["amount_text"] == "32万元" and body["eligible"] is True
    assert body["steps"] == ["80万元 × 40% = 32万元，未超过上限50万元"]
    assert {"text": "科技型中小企业", "status": "met"} in body["conditions"]
    assert "按实际支付利息的40%" in body["quote"]
    assert body["clause_label"].endswith("第（一）条")


def test_calc_caps_and_breaks_conditions(client: TestClient) -> None:
    capped = client.post("/api/calc/sd-lukedai-interest", json={"inputs": {"interest": 5_000_000}}).json()
    assert capped["amount"] == 500000
    broken = client.post("/api/calc/sd-lukedai-interest", json={"inputs": {"interest": 800000, "on_time": "否"}})
    assert broken.json()["eligible"] is False and broken.json()["amount"] == 0


def test_calc_takes_a_party_a_ratio_and_a_date(client: TestClient) -> None:
    share = client.post("/api/calc/sd-lukedai-loss", json={"inputs": {"loss": 1_000_000}, "party": "市财政"}).json()
    assert share["amount"] == 350000 and len(share["parts"]) == 3
    fee = client.post(
        "/api/calc/sd-lukedan-fee",
        json={"inputs": {"guaranteed": 10_000_000, "fee_rate": 0.006, "counter_guarantee": "无形资产"}},
    ).json()
    assert fee["eligible"] is False  # 0.6% > the 0.5% the clause allows
    late = client.post("/api/calc/sd-lukedai-interest", json={"inputs": {"interest": 1}, "on": "2029-01-01"}).json()
    assert any("2029年1月1日" in note for note in late["notes"])


def test_calc_without_a_body_reports_what_is_missing(client: TestClient) -> None:
    body = client.post("/api/calc/sd-lukedai-interest").json()
    assert body["amount"] is None and body["missing"] == ["interest"] and body["amount_text"] is None


@pytest.mark.parametrize(
    ("rule_id", "body", "status", "words"),
    [
        ("no-such-rule", {}, 404, ["没有编号为“no-such-rule”的计算规则"]),
        ("sd-lukedai-interest", {"inputs": {"interest": "abc"}}, 422, ["应为数字"]),
        ("sd-lukedai-interest", {"inputs": {"interest": -5}}, 422, ["不能为负数"]),
        ("sd-lukedai-interest", {"inputs": {"rate": 1}}, 422, ["没有输入项rate"]),
        ("sd-lukedai-interest", {"inputs": {"on_time": "maybe"}}, 422, ["应为“是”或“否”"]),
        ("sd-lukedai-interest", {"inputs": [1, 2]}, 422, ["输入项"]),
        ("sd-lukedai-interest", {"inputs": {}, "on": "yesterday"}, 422, ["on"]),
        ("sd-lukedan-fee", {"inputs": {"fee_rate": 5}}, 422, ["数值过大"]),
    ],
)
def test_calc_rejects_bad_input_with_a_clear_message(
    client: TestClient,
    rule_id: str,
    body: dict,
    status: int,
    words: list[str],  # type: ignore[type-arg]
) -> None:
    assert_error(client.post(f"/api/calc/{rule_id}", json=body), status, *words)


# ---------------------------------------------------------------- never a 500 with a traceback


def test_an_unexpected_error_is_a_clean_500(app, service: PolicyService, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(service, "lookup", boom)
    # raise_server_exceptions: the error must not escape the app, or uvicorn, having sent the 500, closes the
    # connection under a kept-alive client (the resets `make bench` counted).
    with TestClient(app, raise_server_exceptions=True) as strict:
        r = strict.get("/api/search", params={"q": "担保"})
    assert_error(r, 500, "服务器内部错误")
    assert "secret internal detail" not in r.text


# ---------------------------------------------------------------- start-up


def test_start_up_refuses_a_taken_port() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = subprocess.run(
            [sys.executable, "app.py", "--port", str(port)],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert run.returncode == 1
    assert f"端口 {port}" in run.stderr and "已被其他程序占用" in run.stderr
    assert "Traceback" not in run.stderr


def test_start_up_rejects_a_bad_port() -> None:
    run = subprocess.run(
        [sys.executable, "app.py", "--port", "70000"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 2 and "1–65535" in run.stderr


def test_the_service_warms_its_assistant_before_it_answers(
    service: PolicyService, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first question would otherwise pay jieba's part-of-speech tables (0.3 s) and every lazy lookup.
    warmed: list[Assistant] = []
    monkeypatch.setattr(Assistant, "warm_up", lambda self: warmed.append(self))
    PolicyService(service.assistant, service.conversations)
    assert warmed == [service.assistant]
