"""Policy matching over REST: POST /api/match (the engine's JSON, typed) and POST /api/match/print (the page)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from test_api import assert_error  # the JSON error shape every route answers with

from assistant import Assistant
from index.settings import Settings
from web.match_request import MAX_DESCRIPTION_CHARS, STAGES
from web.server import create_app
from web.service import PolicyService

GROUPS = {"eligible", "to_confirm", "not_eligible", "no_amount"}
ITEM_KEYS = {"status", "label", "rule_id", "clause_id", "doc_id", "citation", "quote", "amount", "unit"}
ITEM_KEYS |= {"calculation", "why"}
HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">'
# A profile the hotline might enter: 鲁科贷 interest typed in, the rest in plain words.
SME = {
    "subject": "科技型中小企业",
    "region": "山东省",
    "stage": "成长期",
    "inputs": {"interest": 800000, "on_time": "是"},
    "description": "科技成果转化贷款，首次申请贴息，首次购买鲁科保，保费40万元",
    "on": "2025-06-30",
}


@pytest.fixture(scope="module")
def service(built_cache: Path, make_settings: Callable[..., Settings]) -> PolicyService:
    return PolicyService(Assistant.load(make_settings(cache_dir=built_cache)))


@pytest.fixture(scope="module")
def client(service: PolicyService) -> Iterator[TestClient]:
    with TestClient(create_app(service), raise_server_exceptions=False) as c:
        yield c


def match(client: TestClient, body: dict[str, Any]) -> dict[str, Any]:
    r = client.post("/api/match", json=body)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


# ---------------------------------------------------------------- the schema


def test_the_schema_enumerates_subjects_regions_stages_and_types_the_inputs(
    client: TestClient, service: PolicyService
) -> None:
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    request = schemas["MatchRequest"]
    assert request["required"] == ["subject"] and request["additionalProperties"] is False
    fields = request["properties"]
    assert fields["subject"]["enum"] == list(service.assistant.subjects.types)
    regions = list(service.regions)  # every region of the library, in order of issue
    assert fields["region"]["anyOf"][0]["enum"] == regions and {"山东省", "内蒙古自治区"} <= set(regions)
    assert fields["stage"]["anyOf"][0]["enum"] == list(STAGES)
    assert fields["description"]["maxLength"] == MAX_DESCRIPTION_CHARS
    assert fields["on"]["anyOf"][0] == {"type": "string", "format": "date"}
    inputs = schemas["MatchInputs"]
    assert inputs["additionalProperties"] is False
    assert set(inputs["properties"]) == {s.name for r in service.rules for s in r.inputs}
    assert inputs["properties"]["interest"]["anyOf"][0] == {"type": "number", "minimum": 0.0, "maximum": 1e13}
    assert {"type": "boolean"} in inputs["properties"]["on_time"]["anyOf"]
    assert inputs["properties"]["tier"]["anyOf"][0]["enum"] == ["优选层", "上市层", "其他"]
    # One field for an input two rules take, naming both.
    assert inputs["properties"]["investment"]["title"] == "实际投资额／当年对在孵科技型企业的实际投资额"
    assert set(schemas["MatchGroups"]["properties"]) == GROUPS
    page = spec["paths"]["/api/match/print"]["post"]["responses"]
    assert set(page["200"]["content"]) == {"text/html"}
    assert set(page["422"]["content"]) == {"application/json"}  # errors are JSON there too


def test_inputs_of_the_same_name_have_the_same_type_in_every_rule(service: PolicyService) -> None:
    """So the one field a profile has for it states exactly what each rule taking it accepts."""
    seen: dict[str, tuple[object, ...]] = {}
    for rule in service.rules:
        for spec in rule.inputs:
            kind = (spec.unit, spec.choices, spec.many)
            assert seen.setdefault(spec.name, kind) == kind, (rule.id, spec.name)


# ---------------------------------------------------------------- the result


def test_match_returns_the_engine_result_grouped_with_quotes(client: TestClient, service: PolicyService) -> None:
    body = match(client, SME)
    assert body == service.assistant.match(SME).to_dict()
    assert set(body) == {"subject", "region", "on", "groups", "total"}
    assert body["subject"] == "科技型中小企业" and body["on"] == "2025-06-30"
    assert set(body["groups"]) == GROUPS
    items = [i for group in body["groups"].values() for i in group]
    assert items and all(set(i) == ITEM_KEYS for i in items)
    for status, group in body["groups"].items():
        for item in group:
            assert item["status"] == status
            assert item["quote"] in service.clause(item["clause_id"]).text  # verbatim
            assert item["citation"] == service.clause(item["clause_id"]).label
    by_rule = {i["rule_id"]: i for i in items}
    interest = by_rule["sd-lukedai-interest"]
    assert interest["amount"] == 320000 and interest["calculation"]["inputs"]["interest"] == 800000
    assert body["total"]["unit"] == "元"
    eligible = body["groups"]["eligible"]
    assert body["total"]["amount"] == sum(i["amount"] for i in eligible)
    assert body["total"]["rule_ids"] == [i["rule_id"] for i in eligible]


@pytest.mark.parametrize(
    "profile",
    [
        {"subject": "创业投资机构", "region": "山东省", "description": "新迁入山东，3年内投资省内非上市科技企业5亿元"},
        {"subject": "融资担保机构", "inputs": {"guaranteed": 20000000, "fee_rate": 0.006}},
        {"subject": "银行", "region": "内蒙古自治区", "inputs": {"npl_ratio": 2.5}, "on": "2025-12-31"},
        {"subject": "创业投资机构", "inputs": {"first_round_loss": [20000000, 15000000], "capital_increase": True}},
        {"subject": "科技型企业", "region": None, "stage": None, "on": None, "description": ""},
        {"subject": "科技孵化器", "on": "2023-12-31"},  # before either document is in force: nothing
    ],
)
def test_match_equals_the_python_api(client: TestClient, service: PolicyService, profile: dict[str, Any]) -> None:
    assert match(client, profile) == service.assistant.match(profile).to_dict()


def test_a_stated_fact_that_breaks_a_condition_lists_the_measure_as_not_eligible(client: TestClient) -> None:
    body = match(client, {"subject": "融资担保机构", "inputs": {"fee_rate": 0.006}, "on": "2025-06-30"})
    broken = {i["rule_id"]: i for i in body["groups"]["not_eligible"]}["sd-lukedan-fee"]
    assert broken["why"] == ["实际收取企业担保费率不超过0.5%/年"] and broken["amount"] is None


def test_the_longest_description_with_a_stage_is_accepted(client: TestClient, service: PolicyService) -> None:
    """The engine reads description and stage as one question of at most 500 characters."""
    profile = {"subject": "科技型中小企业", "description": "按时还本付息" * 100, "stage": "初创期"}
    profile["description"] = profile["description"][:MAX_DESCRIPTION_CHARS]
    assert match(client, profile) == service.assistant.match(profile).to_dict()


def test_a_blank_description_states_nothing(client: TestClient, service: PolicyService) -> None:
    body = match(client, {"subject": "银行", "description": " \x00\t "})
    assert body == service.assistant.match({"subject": "银行"}).to_dict()


# ---------------------------------------------------------------- bad requests


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({}, ["缺少主体类型"]),
        ({"subject": "个体户"}, ["主体类型应为科技型中小企业、科技型企业"]),
        ({"subject": None}, ["主体类型应为"]),
        ({"subject": "银行", "region": "上海"}, ["地区应为"]),
        ({"subject": "银行", "stage": "晚期"}, ["发展阶段应为早期、初创期、成长期、成熟期之一"]),
        ({"subject": "银行", "inputs": {"foo": 1}}, ["没有输入项foo", "interest"]),
        ({"subject": "银行", "inputs": {"interest": "80万"}}, ["所选贷款实际支付利息（interest）应为数字"]),
        ({"subject": "银行", "inputs": {"interest": -1}}, ["不能为负数"]),
        ({"subject": "银行", "inputs": {"on_time": "也许"}}, ["应为“是”或“否”"]),
        ({"subject": "银行", "inputs": {"fee_rate": 5}}, ["数值过大"]),
        ({"subject": "银行", "inputs": [1]}, ["输入项应为 JSON 对象"]),
        ({"subject": "银行", "on": "明天"}, ["2025-06-30"]),
        ({"subject": "银行", "description": "x" * (MAX_DESCRIPTION_CHARS + 1)}, ["已知情况过长", "500"]),
        ({"subject": "银行", "description": 5}, ["已知情况应为文字"]),
        ({"subject": "银行", "extra": 1}, ["不支持的字段“extra”"]),
        # A figure in the words beyond any real case: the engine's own message, still a 422.
        ({"subject": "科技型中小企业", "description": "利息99999999999999亿元"}, ["数值过大"]),
        (["银行"], ["请求体应为 JSON 对象"]),
    ],
)
@pytest.mark.parametrize("path", ["/api/match", "/api/match/print"])
def test_bad_profiles_are_422_with_a_chinese_message(
    client: TestClient, path: str, body: object, words: list[str]
) -> None:
    assert_error(client.post(path, json=body), 422, *words)


def test_malformed_missing_and_wrong_method(client: TestClient) -> None:
    r = client.post("/api/match", content=b"{", headers={"content-type": "application/json"})
    assert_error(r, 400, "JSON")
    assert_error(client.post("/api/match"), 422, "缺少请求体")
    r = client.get("/api/match/print")
    assert_error(r, 405, "POST")
    assert r.headers["allow"] == "POST"


# ---------------------------------------------------------------- the printable page


def test_the_printable_page_is_self_contained_html(client: TestClient, service: PolicyService) -> None:
    r = client.post("/api/match/print", json=SME)
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert "default-src 'none'" in r.headers["content-security-policy"]
    page = r.text
    assert page.startswith("<!DOCTYPE html>") and "@media print" in page
    assert not re.search(r"<script|<link|<img|<iframe|@import|url\(|https?://", page)  # nothing fetched or run
    result = service.assistant.match(SME)
    for item in result.items:
        assert item.quote in page and item.clause.label in page and item.clause.id in page
    for title in ("待确认（需补充或核实下列事项）", "相关支持（金额文件未明确）"):
        assert title in page
    assert "最高 32万元" in page and "合计" in page
    assert "2025年6月30日" in page  # the date the measures are in force on
    assert "具体以责任部门的解释为准" in page
    for shown in ("科技型中小企业", "山东省", "成长期", SME["description"], "所选贷款实际支付利息", "80万元"):
        assert shown in page  # the profile


def test_the_printable_page_shows_hostile_text_as_text(client: TestClient) -> None:
    r = client.post("/api/match/print", json={"subject": "银行", "description": HOSTILE + "&amp;"})
    assert r.status_code == 200
    assert "<script>alert" not in r.text and "<img src=x" not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&#34;alert(2)&#34;&gt;&amp;amp;" in r.text


# ---------------------------------------------------------------- the page's tab


def test_the_tab_asks_each_subject_for_the_amounts_its_rules_take(service: PolicyService) -> None:
    from web.ui_match import money_fields

    asked = {f.name: f.labels for f in money_fields(service)}

    def of(subject: str) -> set[str]:
        return {name for name, labels in asked.items() if subject in labels}

    # its own rule and the 科技型企业 ones (鲁科保's premium, the guarantee 鲁科担's fee cap applies to)
    assert of("科技型中小企业") == {"interest", "premium", "guaranteed"}
    assert of("科技型企业") == {"premium", "guaranteed"}
    assert of("创业投资机构") == {"invested", "investment", "first_round_loss"}
    assert of("保险机构") == set()
    assert asked["investment"] == {"创业投资机构": "实际投资额", "科技孵化器": "当年对在孵科技型企业的实际投资额"}


def test_the_tab_shows_hostile_text_as_text(service: PolicyService) -> None:
    from assistant.match_report import match_report
    from web import render

    request = service.profile_schema.parse({"subject": "银行", "description": HOSTILE})
    shown = render.match_html(match_report(service.match(request)))
    assert "<script" not in shown and "<img" not in shown
    assert "已知情况：&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in shown
