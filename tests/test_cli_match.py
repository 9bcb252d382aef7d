"""``policy-assistant match --profile profile.toml [--json] [--html out.html]``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.cli import main
from index.settings import Settings

PROFILE = """\
subject = "科技型中小企业"
region = "山东省"
stage = "成长期"
description = "科技成果转化贷款，首次申请贴息，首次购买鲁科保，保费40万元"
on = 2025-06-30

[inputs]
interest = 800000
on_time = true
"""


@pytest.fixture(autouse=True)
def _built(built_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICY_ASSISTANT_CACHE_DIR", str(built_cache))


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "profile.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_match_prints_the_groups_with_quotes_and_writes_the_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "out.html"
    assert main(["match", "--profile", str(write(tmp_path, PROFILE)), "--html", str(page)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("政策匹配结果\n主体类型：科技型中小企业\n地区：山东省\n发展阶段：成长期")
    assert "所选贷款实际支付利息：80万元" in out and "所依据日期：2025年6月30日" in out
    assert "【待确认（需补充或核实下列事项）】" in out and "【相关支持（金额文件未明确）】" in out
    assert "1. “鲁科贷”一次性贴息：最高 32万元" in out
    assert "原文：对科技成果转化贷款按时还本付息的科技型中小企业" in out
    assert "依据：《关于加强科技财政金融协同服务企业创新发展的若干措施》（鲁政办字〔2023〕155号）第（一）条" in out
    assert "合计（符合条件各项）：" in out and out.rstrip().endswith("具体以责任部门的解释为准。")
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "最高 32万元" in html and "2025年6月30日" in html


def test_match_json_is_the_python_api_result(
    tmp_path: Path, built_cache: Path, make_settings: Callable[..., Settings], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["match", "--profile", str(write(tmp_path, PROFILE)), "--json"]) == 0
    body = json.loads(capsys.readouterr().out)
    profile = {
        "subject": "科技型中小企业",
        "region": "山东省",
        "stage": "成长期",
        "description": "科技成果转化贷款，首次申请贴息，首次购买鲁科保，保费40万元",
        "on": "2025-06-30",
        "inputs": {"interest": 800000, "on_time": True},
    }
    assert body == Assistant.load(make_settings(cache_dir=built_cache)).match(profile).to_dict()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, "找不到画像文件"),
        ('subject = "科技型企业"\nregion = 山东', "不是有效的 TOML（第2行第10列附近）"),
        ('subject = "科技型企业"\ncolour = "红"', "不支持的字段“colour”"),
        ('subject = "个体户"', "主体类型应为科技型中小企业、科技型企业"),
        ('region = "山东省"', "缺少主体类型（subject）"),
        ('subject = "银行"\nregion = "上海"', "地区应为"),
        ('subject = "银行"\n[inputs]\nrate = 1', "没有输入项rate"),
        ('subject = "银行"\n[inputs]\ninterest = "80万"', "应为数字"),
        ('subject = "银行"\non = 2025-06-30T10:00:00', "2025-06-30"),
    ],
)
def test_bad_profiles_are_clear_chinese_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str | None, message: str
) -> None:
    path = tmp_path / "missing.toml" if text is None else write(tmp_path, text)
    assert main(["match", "--profile", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and message in err, err
    assert "Traceback" not in err


def test_a_page_that_cannot_be_written_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "no-such-folder" / "out.html"
    assert main(["match", "--profile", str(write(tmp_path, 'subject = "银行"')), "--html", str(page)]) == 2
    assert "无法写入打印页" in capsys.readouterr().err
