from __future__ import annotations

from assistant.guard import enforce, unsupported_numbers


def test_numbers_from_sources_pass() -> None:
    sources = ["按实际支付利息的40%给予一次性贴息支持，单个企业最高贴息50万元", "80万元 × 40% = 32万元"]
    assert unsupported_numbers("可贴息32万元（80万元的40%，上限50万元）", sources) == []


def test_an_invented_number_is_caught_and_its_line_dropped() -> None:
    sources = ["最高贴息50万元"]
    assert unsupported_numbers("最高贴息50万元，通常60万元", sources) == ["60"]
    text, dropped = enforce("结论：最高50万元\n一般能拿60万元\n以文件为准", sources)
    assert text == "结论：最高50万元\n以文件为准" and dropped == ["60"]


def test_equal_numbers_written_differently() -> None:
    assert unsupported_numbers("费率0.50%", ["不超过0.5%/年"]) == []
    assert unsupported_numbers("30.0万元", ["30万元"]) == []
