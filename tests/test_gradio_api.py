"""The page's API for gradio_client: six named endpoints returning the REST bodies; nothing else exposed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError

ENDPOINTS = {"/ask", "/search", "/clause", "/rules", "/calc", "/match"}


@pytest.fixture(scope="module")
def client(live_app: str) -> Iterator[Client]:
    c = Client(f"{live_app}/", verbose=False, analytics_enabled=False)
    yield c
    c.close()


@pytest.fixture(scope="module")
def http(live_app: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_app, timeout=60) as h:
        yield h


def test_only_the_named_endpoints_are_exposed(live_app: str, client: Client) -> None:
    info = httpx.get(f"{live_app}/gradio_api/info", params={"all_endpoints": "true"}).json()
    assert set(info["named_endpoints"]) == ENDPOINTS  # no /respond_1, /run_9 …: the page's events are private
    assert info["unnamed_endpoints"] == {}
    api = client.view_api(print_info=False, return_format="dict")
    assert set(api["named_endpoints"]) == ENDPOINTS
    ask = api["named_endpoints"]["/ask"]
    assert [p["parameter_name"] for p in ask["parameters"]] == ["question", "conversation_id"]


@pytest.mark.parametrize(
    ("args", "api_name", "rest"),
    [
        (("担保费补贴", 3), "/search", ("GET", "/api/search", {"params": {"q": "担保费补贴", "k": 3}})),
        (
            ("第三条", 5, None, "nm-2025-15"),
            "/search",
            ("GET", "/api/search", {"params": {"q": "第三条", "doc_id": "nm-2025-15"}}),
        ),
        (("sd-2023-155#3",), "/clause", ("GET", "/api/clauses/sd-2023-155%233", {})),
        ((), "/rules", ("GET", "/api/rules", {})),
        (
            ("sd-lukedai-loss", {"loss": 1000000}, "2025-01-01", "市财政"),
            "/calc",
            (
                "POST",
                "/api/calc/sd-lukedai-loss",
                {"json": {"inputs": {"loss": 1000000}, "on": "2025-01-01", "party": "市财政"}},
            ),
        ),
        (
            ("sd-vc-loss-subsidy", {"first_round_loss": [20000000, 15000000]}),
            "/calc",
            ("POST", "/api/calc/sd-vc-loss-subsidy", {"json": {"inputs": {"first_round_loss": [20000000, 15000000]}}}),
        ),
        (
            ("科技型中小企业", "山东省", "成长期", {"interest": 800000}, "按时还本付息", "2025-06-30"),
            "/match",
            (
                "POST",
                "/api/match",
                {
                    "json": {
                        "subject": "科技型中小企业",
                        "region": "山东省",
                        "stage": "成长期",
                        "inputs": {"interest": 800000},
                        "description": "按时还本付息",
                        "on": "2025-06-30",
                    }
                },
            ),
        ),
        (("银行",), "/match", ("POST", "/api/match", {"json": {"subject": "银行"}})),
    ],
)
def test_each_endpoint_returns_the_rest_body(
    client: Client, http: httpx.Client, args: tuple[Any, ...], api_name: str, rest: tuple[str, str, dict[str, Any]]
) -> None:
    method, path, options = rest
    r = http.request(method, path, **options)
    assert r.status_code == 200, r.text
    assert client.predict(*args, api_name=api_name) == r.json()


@pytest.mark.parametrize(
    ("args", "api_name", "words"),
    [
        (("", None), "/ask", "问题不能为空"),
        (("\x00 ", None), "/ask", "问题不能为空"),
        (("鲁科贷", "abc"), "/ask", "对话编号格式不正确"),
        (("利息是80万元", "0" * 32), "/ask", "不存在或已过期"),
        (("担保", 0), "/search", "结果条数应不小于1"),
        (("sd-2023-155#99",), "/clause", "sd-2023-155#99"),
        (("no-such-rule",), "/calc", "没有编号为“no-such-rule”的计算规则"),
        (("sd-lukedai-interest", {"interest": -5}), "/calc", "不能为负数"),
        (("sd-lukedai-interest", {"rate": 1}), "/calc", "没有输入项rate"),
        (("sd-lukedai-interest", {}, "明天"), "/calc", "2025-06-30"),
        (("个体户",), "/match", "主体类型应为科技型中小企业"),
        (("银行", "上海"), "/match", "地区应为"),
        (("银行", None, None, {"interest": "80万"}), "/match", "所选贷款实际支付利息（interest）应为数字"),
        (("银行", None, None, None, None, "明天"), "/match", "2025-06-30"),
    ],
)
def test_bad_input_raises_the_chinese_message(client: Client, args: tuple[Any, ...], api_name: str, words: str) -> None:
    with pytest.raises(AppError, match=words):
        client.predict(*args, api_name=api_name)
