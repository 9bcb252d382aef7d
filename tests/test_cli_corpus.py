from __future__ import annotations

import pytest

from assistant.cli import main


def test_clauses_filtered_by_unit(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clauses", "--doc", "nm-2025-15", "--unit", "财政厅"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "nm-2025-15#1\t落实科技型企业财政优惠政策"
    assert all(line.startswith("nm-2025-15#") for line in out)
    assert "nm-2025-15#4\t扩大科技型企业融资担保覆盖面" in out


def test_clauses_of_a_document_list_its_notice_and_closing_lines_in_reading_order(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["clauses", "--doc", "sd-2023-155"]) == 0
    ids = [line.split("\t")[0] for line in capsys.readouterr().out.splitlines()]
    assert ids[0] == "sd-2023-155#notice" and ids[-1] == "sd-2023-155#closing" and "sd-2023-155#1" in ids


def test_show_prints_label_units_and_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "sd-2023-155#3"]) == 0
    out = capsys.readouterr().out
    assert "（鲁政办字〔2023〕155号）第（三）条" in out
    assert "牵头单位：省科技厅" in out
    assert "不高于担保金额0.5%的保费补贴" in out


def test_show_unknown_clause_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "sd-2023-155#99"]) == 2
    assert "sd-2023-155#99" in capsys.readouterr().err


def test_unknown_document(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clauses", "--doc", "bj-2020-1"]) == 2
    assert "bj-2020-1" in capsys.readouterr().err


def test_clauses_filtered_by_level_region_and_status(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clauses", "--level", "市"]) == 0
    docs = {line.split("#")[0] for line in capsys.readouterr().out.splitlines()}
    assert docs == {"qd-jrfzcjtl-20120927", "qd-kjcxcjtl-20110729"}
    assert main(["clauses", "--region", "山东", "--status", "已失效", "--on", "2029-01-01"]) == 0
    docs = {line.split("#")[0] for line in capsys.readouterr().out.splitlines()}
    assert docs == {"sd-2023-155"}
    assert main(["clauses", "--doc", "sd-2023-155", "--level", "全国"]) == 0
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["clauses", "--level", "区"], "层级“区”无效，可选：全国、省、市、县"),
        (["clauses", "--status", "有效"], "可选：现行有效、已失效、已被替代、尚未施行"),
        (["clauses", "--status", "已失效", "--on", "明年"], "日期“明年”格式不正确"),
    ],
)
def test_an_unknown_filter_is_a_chinese_error(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(argv) == 2
    assert message in capsys.readouterr().err
