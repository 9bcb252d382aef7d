"""Facts by meaning: self-descriptions that say no concept word, decided by embedding similarity."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant import Assistant
from index.settings import Settings

DATA = tomllib.loads((Path(__file__).parent / "data" / "self_descriptions.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def assistant(built_cache: Path, make_settings: Callable[..., Settings]) -> Assistant:
    return Assistant.load(make_settings(cache_dir=built_cache))


def _judge(assistant: Assistant, phrase: str) -> bool | None:
    rule = assistant.rules.get("sd-lukedai-interest")
    spec = next(s for s in rule.inputs if s.name == "tech_sme")
    return assistant.facts.judge(spec, [phrase])


def test_no_description_is_decided_the_wrong_way(assistant: Assistant) -> None:
    wrong = [p for p in DATA["yes"] if _judge(assistant, p) is False]
    wrong += [p for p in DATA["no"] if _judge(assistant, p) is True]
    wrong += [p for p in DATA["open"] if _judge(assistant, p) is not None]
    assert wrong == []


def test_most_non_technology_descriptions_are_recognised(assistant: Assistant) -> None:
    decided = [p for p in DATA["no"] if _judge(assistant, p) is False]
    assert len(decided) >= 0.7 * len(DATA["no"]), decided


def test_a_description_breaks_the_condition_in_an_answer(assistant: Assistant) -> None:
    calc = assistant.ask("我们是开连锁餐厅的，鲁科贷利息付了60万，能贴多少？").calculation
    assert calc is not None and calc.eligible is False and calc.amount == 0
    assert any("开连锁餐厅的" in n for n in calc.notes)


def test_self_descriptions_are_read_up_to_punctuation(assistant: Assistant) -> None:
    assert assistant.facts.descriptions("我们是做房地产开发的，想问贴息") == ["做房地产开发的"]
    assert assistant.facts.descriptions("鲁科贷贴息多少") == []
