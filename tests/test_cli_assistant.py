from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.cli import main


@pytest.fixture(autouse=True)
def _built(built_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICY_ASSISTANT_CACHE_DIR", str(built_cache))


def test_ask_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "鲁科贷实际支付利息80万元，能贴息多少？", "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["calculation"]["amount"] == 320000


def test_ask_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "鲁科保这事归哪个部门管？"]) == 0
    assert "省科技厅" in capsys.readouterr().out


def test_calc_and_rules(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calc", "sd-lukedai-interest", "--interest", "1500000", "--on_time", "true"]) == 0
    out = capsys.readouterr().out
    assert "结果：50万元" in out and "150万元 × 40% = 60万元" in out
    assert main(["rules"]) == 0
    assert "sd-lukedan-fee" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["calc", "sd-lukedai-interest", "--interest", "-5"], "不能为负数"),
        (["calc", "no-such-rule"], "no-such-rule"),
        (["calc", "sd-lukedai-interest", "--interest"], "成对"),
        (["ask", ""], "不能为空"),
    ],
)
def test_bad_input_is_a_clear_error(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_search_with_level_and_status_filters(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "担保", "--level", "省", "--status", "现行有效", "-k", "10"]) == 0
    ids = [line.split()[1] for line in capsys.readouterr().out.splitlines() if line[:1].isdigit()]
    assert ids and all(i.startswith(("sd-", "nm-", "sh-", "zj-")) for i in ids)  # 省-level documents
    assert main(["search", "担保", "--status", "已失效", "--on", "2029-01-01", "-k", "10"]) == 0
    ids = [line.split()[1] for line in capsys.readouterr().out.splitlines() if line[:1].isdigit()]
    assert ids and all(i.startswith("sd-2023-155#") for i in ids)
    assert main(["search", "担保", "--level", "区"]) == 2
    assert "层级“区”无效" in capsys.readouterr().err


def test_chat_completes_a_follow_up(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("鲁科贷能贴息多少？\n利息是80万元\n\n"))
    assert main(["chat"]) == 0
    out = capsys.readouterr().out
    assert "→ 请提供所选贷款实际支付利息" in out and "**32万元**" in out


def test_build_if_needed_keeps_a_good_index(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--if-needed"]) == 0
    captured = capsys.readouterr()
    assert "索引可用" in captured.out and "正在重建" not in captured.err
