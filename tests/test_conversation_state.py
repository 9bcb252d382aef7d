"""A conversation's state through JSON and back, over real conversations: the restored one is equal
and answers the next turn exactly as the original does."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.bind import Carried
from assistant.conversation import Conversation, MatchPending, Measure, Pending
from assistant.conversation_state import StateError, dump_state, load_state
from index.settings import Settings

# name: (earlier turns, the turn asked of both, what is pending before it, measures in play)
SCENARIOS = {
    # A rule with a missing input: the first turn asks for the interest, the second gives it.
    "missing input": (["鲁科贷能贴息多少？"], "利息是80万元", Pending, 1),
    # Several measures in play: computed with their total, then a later fact updates them.
    "several measures": (["鲁科贷利息80万，鲁科保首年保费20万，一共能拿多少？"], "有两期还款逾期了", Pending, 2),
    "measures asked for inputs": (["鲁科贷和鲁科保能补多少？"], "利息80万，保费20万", Pending, 2),
    "measures across turns": (
        ["落户奖励多少？我们管理规模三十亿", "那投早投小呢，今年投了种子期企业6000万"],
        "两个加起来呢",
        Pending,
        1,
    ),
    # The asker said in a first turn (我们创投…) counts for a total asked three turns later.
    "asker across turns": (
        ["我们创投想落户山东", "落户奖励多少？我们管理规模三十亿", "那投早投小呢，今年投了种子期企业6000万"],
        "两个加起来呢",
        Pending,
        1,
    ),
    # Measures computed one per turn: the total asked later sums those of earlier turns too.
    "measures of earlier turns": (["鲁科贷利息80万能贴多少", "鲁科保首年保费40万能补多少"], "一共多少", Pending, 1),
    # Policy matching: a self-description, then a fact about the subject.
    "policy matching": (["我们是山东的科技型中小企业，能享受哪些政策？"], "去年鲁科贷利息付了80万", MatchPending, 0),
}


@pytest.fixture(scope="module")
def assistant(built_cache: Path, make_settings: Callable[..., Settings]) -> Assistant:
    return Assistant.load(make_settings(cache_dir=built_cache))


def _restored(conversation: Conversation, assistant: Assistant) -> Conversation:
    return load_state(dump_state(conversation), assistant)


@pytest.mark.parametrize("name", SCENARIOS)
def test_a_restored_conversation_is_equal_and_answers_alike(assistant: Assistant, name: str) -> None:
    turns, last, kind, measures = SCENARIOS[name]
    original = assistant.conversation()
    for turn in turns:
        original.ask(turn)
        restored = _restored(original, assistant)
        assert (restored.pending, restored.context, restored.history) == (
            original.pending,
            original.context,
            original.history,
        )
        assert dump_state(restored) == dump_state(original)
    assert isinstance(original.pending, kind)
    assert len(getattr(original.pending, "measures", ())) == measures
    assert restored.ask(last).to_dict() == original.ask(last).to_dict()
    assert restored.history == original.history


def test_values_keep_their_types(assistant: Assistant) -> None:
    """Tuples of amounts, yes/no, choices, numbers and dates come back as they were, not as lists or strings."""
    inputs = {"losses": (3e6, 1.5e6), "on_time": True, "stage": "初创期", "years": 3}
    carried = Carried(inputs, {"interest": 8e5}, ("x",))
    pending = Pending((Measure("sd-lukedai-interest", "sd-2023-155#1", carried),), (dt.date(2029, 1, 1),), "省财政")
    conversation = Conversation(assistant, pending, [], "鲁科贷")
    restored = _restored(conversation, assistant)
    assert restored.pending == pending
    inputs = restored.pending.measures[0].carried.inputs  # type: ignore[union-attr]
    assert [type(v) for v in inputs.values()] == [tuple, bool, str, int]


def test_a_state_of_another_version_or_damaged_cannot_be_continued(assistant: Assistant) -> None:
    conversation = assistant.conversation()
    conversation.ask("鲁科贷能贴息多少？")
    state = json.loads(dump_state(conversation))
    for bad in (
        json.dumps({**state, "version": 0}),
        json.dumps({**state, "pending": {"calculation": {"measures": "x"}}}),
        "{not json",
        "[]",
    ):
        with pytest.raises(StateError):
            load_state(bad, assistant)


def test_a_rule_gone_from_the_corpus_ends_the_conversation(assistant: Assistant) -> None:
    conversation = assistant.conversation()
    conversation.ask("鲁科贷能贴息多少？")
    assert isinstance(conversation.pending, Pending)
    gone = Measure("no-such-rule", "sd-2023-155#1", conversation.pending.measures[0].carried)
    conversation.pending = dataclasses.replace(conversation.pending, measures=(gone,))
    with pytest.raises(StateError, match="no-such-rule"):
        _restored(conversation, assistant)
