"""The formula kinds, one by one, and properties every calculator keeps for any input."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.formulas import (
    CEILINGS,
    KINDS,
    Quantity,
    Share,
    Tier,
    cap_only,
    conditional_rate,
    fixed,
    minimum,
    multiple_cap,
    not_stated,
    per_step_with_cap,
    percentage_points,
    rate_floor,
    rate_with_cap,
    share_cap,
    split,
    tiers,
)
from assistant.money import dec, round_yuan
from assistant.rules import INPUT_LIMITS, InputSpec, Rule, calculate, load_rules
from index.corpus import load_corpus
from index.errors import InputError
from index.settings import PROJECT_ROOT

BOOK = load_rules(PROJECT_ROOT / "corpus" / "rules", load_corpus(PROJECT_ROOT / "corpus"))


def q(value: float | bool | None, label: str = "基数") -> Quantity:
    return Quantity("x", label, value)


# ---------------------------------------------------------------- each kind


def test_rate_with_cap() -> None:
    assert rate_with_cap(q(800000), 0.4, (500000,)).amount == 320000
    assert rate_with_cap(q(1500000), 0.4, (500000, 3000000)).amount == 500000
    assert rate_with_cap(q(10000000), 0.005, ()).steps == ("1000万元 × 0.5% = 5万元",)
    missing = rate_with_cap(q(None, "利息"), 0.4, (500000,))
    assert (missing.amount, missing.missing, missing.steps) == (None, ("x",), ("利息 × 40%，最高50万元",))


def test_rate_floor_is_the_least_due() -> None:
    assert rate_floor(q(2000000), 0.5).steps == ("200万元 × 50% = 100万元（不低于此数）",)
    assert rate_floor(q(None, "净收入"), 0.5).steps == ("净收入 × 50%（不低于）",)
    yearly = rate_floor(q((4e6, 6e6)), 0.05)  # each year's profit its floor, the amount their total
    assert yearly.amount == 5e5 and yearly.steps[-1] == "合计 20万元 + 30万元 = 50万元（不低于此数）"


def test_multiple_cap_is_a_limit_raised_where_the_flag_holds() -> None:
    assert multiple_cap(q(5e8), 10).steps == ("5亿元 × 10倍 = 50亿元（上限）",)
    assert multiple_cap(q(5e8), 10, q(True), 15).amount == 7.5e9
    unknown = multiple_cap(q(5e8), 10, q(None, "主要为小微企业服务"), 15)
    assert unknown.amount == 5e9 and unknown.notes == ("若主要为小微企业服务，上限为15倍，即75亿元",)
    assert multiple_cap(q(None, "净资产"), 10).steps == ("净资产 × 10倍",)


def test_conditional_rate() -> None:
    assert conditional_rate(q(100000), q(True), 0.5, 0.3, (300000,)).amount == 50000
    assert conditional_rate(q(100000), q(False), 0.5, 0.3, (300000,)).amount == 30000
    assert conditional_rate(q(1000000), q(True), 0.5, 0.3, (300000,)).amount == 300000
    unknown = conditional_rate(q(100000), q(None, "首年度购买"), 0.5, 0.3, (300000,))
    assert unknown.amount == 50000
    assert unknown.notes == ("未说明是否首年度购买，按较高比例50%计；另一情形按30%计为3万元",)
    over = conditional_rate(q(2000000), q(None, "首年度购买"), 0.5, 0.3, (300000,))
    assert over.notes == ("未说明是否首年度购买，按较高比例50%计；另一情形按30%计为30万元",)  # capped too


def test_per_step_with_cap() -> None:
    out = per_step_with_cap(q(5e8), 2e8, 2e6, (1e7,))
    assert out.amount == 4e6
    assert out.steps == ("5亿元中满2亿元的共2个", "2 × 200万元 = 400万元，未超过上限1000万元")
    assert per_step_with_cap(q(30e8), 2e8, 2e6, (1e7,)).amount == 1e7
    short = per_step_with_cap(q(1.99e8), 2e8, 2e6, (1e7,))
    assert (short.amount, short.eligible) == (0, False)
    assert per_step_with_cap(q(0.6), 0.2, 1, ()).amount == 3  # decimal floor: 0.6 // 0.2 is 2.0 in floats


TIERS = (Tier(1e8, True, 3e8, 2e6), Tier(3e8, False, None, 4e6))


@pytest.mark.parametrize(
    ("base", "amount", "eligible"),
    [(0.99e8, 0, False), (1e8, 2e6, True), (3e8, 2e6, True), (3.0001e8, 4e6, True), (1e12, 4e6, True)],
)
def test_tiers(base: float, amount: float, eligible: bool) -> None:
    out = tiers(q(base, "实际出资额"), TIERS)
    assert (out.amount, out.eligible) == (amount, eligible)


def test_tiers_describe_their_ranges() -> None:
    assert tiers(q(None, "实际出资额"), TIERS).steps == (
        "按实际出资额分档：1亿元至3亿元（含）最高200万元；超过3亿元最高400万元",
    )


def test_fixed_cap_only_not_stated() -> None:
    assert (fixed(300000).amount, fixed(300000).steps) == (300000, ("定额30万元",))
    assert (cap_only(2e6).amount, cap_only(2e6).notes) == (2e6, ("金额文件未明确，最高200万元",))
    assert (not_stated().amount, not_stated().notes) == (None, ("金额文件未明确",))


SHARES = (Share("省财政", 0.35), Share("市财政", 0.35), Share("贷款银行", 0.3))
EARLY = (Share("省市财政", 0.9),)


def test_split() -> None:
    out = split(q(1000000), SHARES)
    assert out.amount == 1000000
    assert [(p.party, p.amount) for p in out.parts] == [
        ("省财政", 350000),
        ("市财政", 350000),
        ("贷款银行", 300000),
    ]
    assert out.steps[0] == "省财政：100万元 × 35% = 35万元"
    flagged = split(q(1000000), SHARES, q(True), EARLY, "合计比例")
    assert [(p.party, p.amount) for p in flagged.parts] == [("省市财政", 900000)]
    assert flagged.notes == ("合计比例",)
    unknown = split(q(1000000), SHARES, q(None, "研发类信用贷款"), EARLY, "合计比例")
    assert len(unknown.parts) == 3
    assert unknown.notes == ("未说明是否属于研发类信用贷款；如属于，按省市财政90%计（合计比例）",)


def test_percentage_points() -> None:
    out = percentage_points(q(2.1), 3)
    assert out.amount == 5.1  # not 5.1000000000000005
    assert out.steps == ("2.1% + 3个百分点 = 5.1%",)


def test_every_kind_is_used_by_a_rule() -> None:
    assert {r.kind for r in BOOK.rules} == set(KINDS)


# ---------------------------------------------------------------- properties of every calculator


def _valid(spec: InputSpec) -> st.SearchStrategy[object]:
    if spec.unit == "bool":
        return st.booleans() | st.sampled_from(["是", "否", "true", "false"])
    if spec.unit == "choice":
        return st.sampled_from(spec.choices)
    top = INPUT_LIMITS[spec.unit]
    number = st.floats(0, top, allow_nan=False)
    return number | number.map(str) | st.integers(0, int(top))


def _upper_bound(rule: Rule, values: dict[str, object]) -> float:
    """The most a rule can give, read from its own arguments."""
    args = rule.args
    base = float(values.get(args.get("base", ""), 0))
    if rule.kind == "tiers":
        return max(t.amount for t in args["tiers"])
    if rule.kind in ("fixed", "cap_only"):
        return args.get("amount", args.get("cap"))
    if rule.kind == "percentage_points":
        return base + args["points"]
    if rule.kind == "multiple_cap":  # a limit: base times the larger multiple
        return round_yuan(dec(base) * dec(max(args["multiple"], args.get("multiple_if") or 0)))  # as computed
    if args.get("caps"):
        return min(args["caps"])
    return base  # a share or a rate of at most 100%


@pytest.mark.parametrize("rule", BOOK.rules, ids=[r.id for r in BOOK.rules])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_valid_inputs_give_an_amount_within_bounds(rule: Rule, data: st.DataObject) -> None:
    optional = {s.name: _valid(s) for s in rule.inputs}
    inputs = data.draw(st.fixed_dictionaries({}, optional=optional))
    party = data.draw(st.sampled_from([None, *rule.parties]))
    result = calculate(rule, inputs, on=data.draw(st.dates()), party=party)
    assert result.rule_id == rule.id and result.steps
    if result.amount is not None:
        assert 0 <= result.amount <= _upper_bound(rule, dict(result.inputs)) + 1e-6
    if result.eligible is False and rule.kind not in CEILINGS:  # a limit passed is still the limit
        assert result.amount == 0
    assert result.missing == () or result.amount is None


_ANY = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=8),
    st.sampled_from(["800000", "1e400", "-1", "nan", "是", "否", "无形资产", " 3 ", ""]),
    st.lists(st.integers(), max_size=2),
)


@pytest.mark.parametrize("rule", BOOK.rules, ids=[r.id for r in BOOK.rules])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_any_input_gives_a_result_or_an_input_error(rule: Rule, data: st.DataObject) -> None:
    names = st.sampled_from([s.name for s in rule.inputs]) if rule.inputs else st.nothing()
    inputs = data.draw(st.dictionaries(names | st.text(max_size=5), _ANY, max_size=4))
    party = data.draw(st.none() | st.text(max_size=4) | st.sampled_from(["政府", "银行", "省财政"]))
    try:
        result = calculate(rule, inputs, on=data.draw(st.none() | st.dates()), party=party)
    except InputError as err:
        assert str(err)
    else:
        assert result.amount is None or result.amount >= 0


@given(
    base=st.floats(0, 1e13),
    rate=st.floats(0, 1),
    caps=st.lists(st.floats(0, 1e9), max_size=3).map(tuple),
)
def test_rate_with_cap_never_exceeds_a_cap(base: float, rate: float, caps: tuple[float, ...]) -> None:
    out = rate_with_cap(q(base), rate, caps)
    assert out.amount is not None and 0 <= out.amount <= (min(caps) if caps else base * rate + 0.01)


@given(base=st.floats(0, 1e13), step=st.floats(1, 1e9), reward=st.floats(0, 1e7))
def test_per_step_pays_whole_steps(base: float, step: float, reward: float) -> None:
    out = per_step_with_cap(q(base), step, reward, ())
    assert out.amount is not None and out.amount <= (base // step * reward) * (1 + 1e-9) + 0.01
    assert out.eligible is (base >= step) or abs(base - step) < 1e-6


def test_dates_are_optional_and_checked_against_the_period() -> None:
    rule = BOOK.get("sd-lukedai-interest")
    inside = calculate(rule, {"interest": 1}, on=dt.date(2028, 12, 31))
    outside = calculate(rule, {"interest": 1}, on=dt.date(2029, 1, 1))
    assert inside.notes == ("可任选一笔贷款，一次性贴息",)
    assert outside.notes[-1].startswith("所问日期2029年1月1日不在本条施行期")


def test_rate_with_cap_caps_each_item_then_the_total() -> None:
    from assistant.formulas import Quantity, rate_with_cap

    out = rate_with_cap(
        Quantity("loss", "损失", (20_000_000.0, 15_000_000.0, 10_000_000.0)), 0.2, (3_000_000.0,), (6_000_000.0,)
    )
    assert out.amount == 6_000_000
    assert out.steps[0] == "第1项：2000万元 × 20% = 400万元，超过上限300万元，按300万元计"
    assert out.steps[-1] == "合计 300万元 + 300万元 + 200万元 = 800万元，超过上限600万元，按600万元计"
    single = rate_with_cap(Quantity("loss", "损失", 50_000_000.0), 0.2, (30_000_000.0,), (6_000_000.0,))
    assert single.amount == 6_000_000 and len(single.steps) == 2


def test_bind_lists_several_items_after_a_cue(reader, vocab) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    from assistant.bind import bind
    from assistant.rules import load_rules
    from index.corpus import load_corpus

    root = Path(__file__).resolve().parent.parent / "corpus"
    rule = load_rules(root / "rules", load_corpus(root)).get("sd-vc-loss-subsidy")
    u = reader.read("三个项目首轮实际损失分别是2000万、1500万和1000万，补多少")
    assert bind(rule, u, vocab).values["first_round_loss"] == (20_000_000, 15_000_000, 10_000_000)
    one = reader.read("首轮实际损失1000万，另外投资了3000万")
    assert bind(rule, one, vocab).values["first_round_loss"] == 10_000_000


def test_a_limit_less_what_is_taken_of_it_is_shown_beside_it() -> None:
    left = multiple_cap(q(2e8), 10, used=q(1.5e9, "现有担保责任余额"))
    assert left.amount == 2e9 and left.steps[-1] == "20亿元 − 现有担保责任余额15亿元 = 尚可新增5亿元"
    over = share_cap(q(2e8), 0.1, used=q(3e7, "现有余额"))
    assert (
        over.amount == 2e7
        and over.eligible is False
        and over.steps[-1] == "现有余额3000万元已超过上限2000万元，不得新增"
    )
    assert multiple_cap(q(None, "净资产"), 10, used=q(1e9)).amount is None


def test_share_cap_is_a_limit_as_a_share_of_its_base() -> None:
    assert share_cap(q(2e8), 0.1).steps == ("2亿元 × 10% = 2000万元（上限）",)
    assert share_cap(q(5e7), 0.1, q(True), 0.15).amount == 7.5e6
    unknown = share_cap(q(1e8), 0.1, q(None, "连同关联方"), 0.15)
    assert unknown.amount == 1e7 and unknown.notes == ("若连同关联方，上限为15%，即1500万元",)


def test_minimum_is_the_least_a_value_must_reach() -> None:
    assert minimum(q(1e7), 2e7).steps == ("1000万元 < 2000万元（最低限额）",)
    assert minimum(q(3e7), 2e7).amount == 2e7
    assert minimum(q(None, "注册资本"), 2e7).steps == ("注册资本不低于2000万元",)
