"""Rules: tied to their clauses (the evidence check), loaded strictly, and run by the cases in rule_cases/."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest

from assistant.money import written_forms
from assistant.rules import CalcResult, Constant, Rule, RuleBook, calculate, is_stated, load_rules
from index.corpus import Corpus
from index.errors import InputError, NotFoundError, RuleError
from index.settings import PROJECT_ROOT

RULES_DIR = PROJECT_ROOT / "corpus" / "rules"
CASES_DIR = Path(__file__).parent / "rule_cases"
_CASE_FIELDS = {"name", "rule", "inputs", "expected_amount", "expected_eligible"}
_CASE_OPTIONAL = {"on", "party", "expected_parts", "expected_note", "unexpected_note"}


@pytest.fixture(scope="module")
def book(corpus: Corpus) -> RuleBook:
    return load_rules(RULES_DIR, corpus)


# ---------------------------------------------------------------- the evidence check


def test_every_constant_is_stated_in_its_clause(book: RuleBook, corpus: Corpus) -> None:
    for rule in book.rules:
        text = corpus.clause(rule.clause_id).text
        for name, constant in rule.constants.items():
            forms = written_forms(constant.value, constant.unit)
            assert any(form in text for form in forms), f"{rule.id}.{name}: none of {forms} in the clause"
            assert is_stated(constant, text)


def test_a_rate_is_stated_in_chinese_numerals_but_not_inside_a_longer_one() -> None:
    five = Constant(0.05, "ratio")
    assert is_stated(five, "提取不低于百分之五的比例") and not is_stated(five, "提取不低于百分之五十的比例")
    assert is_stated(Constant(0.5, "ratio"), "提取不低于百分之五十的比例")


def test_every_quote_and_condition_is_verbatim(book: RuleBook, corpus: Corpus) -> None:
    for rule in book.rules:
        assert rule.quote in corpus.clause(rule.clause_id).text, rule.id
        for condition in rule.conditions:
            assert condition.text in rule.quote, (rule.id, condition.text)


def test_numbers_in_labels_and_notes_come_from_the_quote(book: RuleBook) -> None:
    """Labels and notes reach answers: a number in them must be the clause's own."""
    for rule in book.rules:
        stated = set(re.findall(r"\d+(?:\.\d+)?", rule.quote))
        texts = [rule.label, rule.note or "", *(s.label for s in rule.inputs)]
        for text in texts:
            assert set(re.findall(r"\d+(?:\.\d+)?", text)) <= stated, (rule.id, text)


@pytest.mark.parametrize(
    ("constant", "text", "stated"),
    [
        (Constant(0.40, "ratio"), "按实际支付利息的40%给予", True),
        (Constant(500000, "元"), "单个企业最高贴息50万元", True),
        (Constant(200000000, "元"), "累计每满2亿元", True),
        (Constant(0.005, "ratio"), "不超过0.5%/年", True),
        (Constant(2, "年"), "满2年以上", True),
        (Constant(3, "个百分点"), "提高不超过3个百分点", True),
        (Constant(0.05, "ratio"), "按照35%、35%的比例", False),  # not the tail of a longer number
        (Constant(0.05, "ratio"), "按0.05%计", False),
        (Constant(500000, "元"), "最高150万元", False),
        (Constant(0.45, "ratio"), "按实际支付利息的40%给予", False),
    ],
)
def test_is_stated(constant: Constant, text: str, stated: bool) -> None:
    assert is_stated(constant, text) is stated


def test_rule_ids_and_lookup(book: RuleBook) -> None:
    ids = [r.id for r in book.rules]
    assert len(set(ids)) == len(ids) and all(re.fullmatch(r"[a-z0-9-]+", i) for i in ids)
    assert book.get("sd-lukedai-interest").clause_id == "sd-2023-155#1"
    assert {r.id for r in book.for_clause("sd-2023-155#1")} == {"sd-lukedai-interest", "sd-lukedai-loss"}
    assert book.for_clause("sd-2023-155#2") == ()
    with pytest.raises(NotFoundError, match="没有编号为“sd-nothing”的计算规则"):
        book.get("sd-nothing")


def test_rules_inherit_their_documents_period(book: RuleBook, corpus: Corpus) -> None:
    for rule in book.rules:
        assert rule.in_force == corpus.document(rule.doc_id).in_force
        assert rule.unit == ("%" if rule.kind == "percentage_points" else "元")


# ---------------------------------------------------------------- rule tests as data


def _cases() -> list[dict[str, Any]]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.toml")):
        for case in tomllib.loads(path.read_text(encoding="utf-8"))["cases"]:
            fields = set(case)
            assert _CASE_FIELDS <= fields <= _CASE_FIELDS | _CASE_OPTIONAL, (path.name, case.get("name"))
            cases.append(case)
    return cases


CASES = _cases()


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_rule_case(case: dict[str, Any], book: RuleBook) -> None:
    result = calculate(book.get(case["rule"]), case["inputs"], on=case.get("on"), party=case.get("party"))
    expected = case["expected_amount"]
    assert result.amount == (None if expected == "none" else pytest.approx(expected)), result.steps
    assert result.eligible is (None if case["expected_eligible"] == "none" else case["expected_eligible"])
    if "expected_parts" in case:
        assert {p.party: p.amount for p in result.parts} == case["expected_parts"]
    if "expected_note" in case:
        assert any(case["expected_note"] in n for n in result.notes), result.notes
    if "unexpected_note" in case:
        assert not any(case["unexpected_note"] in n for n in result.notes), result.notes


def test_every_rule_has_at_least_three_cases(book: RuleBook) -> None:
    counts = {r.id: 0 for r in book.rules}
    for case in CASES:
        counts[case["rule"]] += 1
    assert all(n >= 3 for n in counts.values()), {k: v for k, v in counts.items() if v < 3}


# ---------------------------------------------------------------- calculate


def test_steps_read_as_the_clause_computes(book: RuleBook) -> None:
    interest = book.get("sd-lukedai-interest")
    assert calculate(interest, {"interest": 800000}).steps == ("80万元 × 40% = 32万元，未超过上限50万元",)
    assert calculate(interest, {"interest": 1500000}).steps == (
        "150万元 × 40% = 60万元，超过上限50万元，按50万元计",
    )
    fee = calculate(book.get("sd-lukedan-fee"), {"guaranteed": 10000000, "fee_rate": 0.01})
    assert fee.steps == ("实际收取担保费率1%超过0.5%，不符合条件（实际收取企业担保费率不超过0.5%/年）",)
    assert [c.status for c in fee.conditions] == ["unknown", "unmet", "unknown", "unknown", "unknown"]
    loss = calculate(book.get("sd-lukedai-loss"), {"loss": 1000000})
    assert loss.steps[-1] == "省财政、市财政合计：35万元 + 35万元 = 70万元"


def test_missing_inputs_show_the_formula(book: RuleBook) -> None:
    result = calculate(book.get("sd-lukedai-interest"), {})
    assert (result.amount, result.eligible, result.missing) == (None, None, ("interest",))
    assert result.steps == ("所选贷款实际支付利息 × 40%，最高50万元",)
    assert {c.status for c in result.conditions} == {"unknown"}


def test_conditions_met_unmet_unknown(book: RuleBook) -> None:
    result = calculate(book.get("sd-lukedai-interest"), {"interest": 1, "tech_sme": "是", "on_time": "否"})
    assert [c.status for c in result.conditions] == ["met", "unknown", "unmet", "unknown"]
    assert (result.amount, result.eligible, result.parts) == (0, False, ())
    assert result.steps == ("按时还本付息：否，不符合条件（按时还本付息）",)


def test_to_dict_is_the_design_shape(book: RuleBook) -> None:
    result = calculate(book.get("sd-lukedai-loss"), {"loss": "1000000"}, party="省财政")
    data = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert set(data) == {
        "rule_id", "clause_id", "inputs", "amount", "unit", "eligible",
        "steps", "conditions", "parts", "missing", "notes",
    }  # fmt: skip
    assert data["amount"] == 350000 and isinstance(data["amount"], int)
    assert data["parts"][0] == {"party": "省财政", "amount": 350000}
    assert data["inputs"] == {"loss": 1000000}


@pytest.mark.parametrize(
    ("rule_id", "inputs", "message"),
    [
        ("sd-lukedai-interest", {"intrest": 1}, "没有输入项intrest"),
        ("sd-lukedai-interest", {"interest": "八十万"}, "应为数字"),
        ("sd-lukedai-interest", {"interest": [1]}, "应为数字"),
        ("sd-lukedai-interest", {"interest": True}, "应为数字"),
        ("sd-lukedai-interest", {"interest": -1}, "不能为负数"),
        ("sd-lukedai-interest", {"interest": float("nan")}, "不是有效数字"),
        ("sd-lukedai-interest", {"interest": "inf"}, "不是有效数字"),
        ("sd-lukedai-interest", {"interest": 10**400}, "应为数字"),
        ("sd-lukedai-interest", {"interest": 2e13}, "数值过大"),
        ("sd-lukedan-fee", {"fee_rate": 1.5}, "如0.005表示0.5%"),
        ("sd-lukedai-interest", {"on_time": "maybe"}, "应为“是”或“否”"),
        ("sd-lukedai-interest", {"on_time": 1}, "应为“是”或“否”"),
        ("sd-lukedan-fee", {"counter_guarantee": "房产"}, "应为无形资产、无、其他之一"),
        ("nm-npl-tolerance", {"npl_ratio": 101}, "数值过大"),
    ],
)
def test_bad_inputs_raise_input_error(
    book: RuleBook, rule_id: str, inputs: dict[str, object], message: str
) -> None:
    with pytest.raises(InputError, match=re.escape(message)):
        calculate(book.get(rule_id), inputs)


def test_inputs_arrive_as_strings_or_not_at_all(book: RuleBook) -> None:
    rule = book.get("sd-lukedai-interest")
    result = calculate(rule, {"interest": " 800000 ", "tech_sme": "TRUE", "on_time": None})
    assert result.inputs == {"interest": 800000.0, "tech_sme": True}
    assert result.amount == 320000


def test_party(book: RuleBook) -> None:
    loss = book.get("sd-lukedai-loss")
    for word in (None, "政府", "财政", "省市", "省市财政"):
        assert calculate(loss, {"loss": 1000000}, party=word).amount == 700000
    assert calculate(loss, {"loss": 1000000}, party="市财政").amount == 350000
    with pytest.raises(InputError, match="分担方应为"):
        calculate(loss, {"loss": 1000000}, party="保险公司")
    other = calculate(book.get("sd-lukedai-interest"), {"interest": 800000}, party="省财政")
    assert other.amount == 320000 and other.notes[-1] == "本项不按分担方计算，所问“省财政”不影响金额"


def test_a_period_flag_keeps_the_amount(book: RuleBook) -> None:
    rule = book.get("sd-vc-settle")
    result = calculate(rule, {"invested": 5e8}, on=dt.date(2029, 1, 1))
    assert (result.amount, result.eligible) == (4000000, True)
    assert result.notes == ("所问日期2029年1月1日不在本条施行期（2024年1月1日至2028年12月31日）内",)


# ---------------------------------------------------------------- loading errors


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(RULES_DIR, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


_SD = "sd-2023-155.toml"
_BAD = [
    (
        'clause = "sd-2023-155#10"',
        'clause = "sd-2023-155#99"',
        r"sd-2023-155\.toml: rule '.*': no clause 'sd-2023-155#99'",
    ),
    ('clause = "sd-2023-155#10"', 'clause = "nm-2025-15#1"', "is not in document 'sd-2023-155'"),
    ('kind = "tiers"', 'kind = "tier"', "rule 'sd-long-term-capital': unknown kind 'tier'"),
    ('label = "“鲁科保”保费补贴"\n', "", "rule 'sd-lukebao-premium': missing field 'label'"),
    ('label = "“鲁科保”保费补贴"', 'label = "x"\nlable = "y"', "unknown field 'lable'"),
    (
        'value = 0.40, unit = "ratio"',
        'value = "40%", unit = "ratio"',
        "constant 'rate': field 'value' must be a number",
    ),
    (
        'value = 0.40, unit = "ratio"',
        'value = 0.40, unit = "percent"',
        "constant 'rate': unit must be one of",
    ),
    (
        'value = 0.40, unit = "ratio"',
        'value = 0.45, unit = "ratio"',
        "constant 'rate': 45% / 百分之四十五 is not stated in clause sd-2023-155#1",
    ),
    ('value = 0.40, unit = "ratio"', 'value = -0.4, unit = "ratio"', "out of range"),
    ('value = 500000, unit = "元"', 'value = 600000, unit = "元"', "60万元 / 600000元 is not stated"),
    ("rate = { value = 0.40", "rate = { val = 0.40", "constant 'rate': missing field 'value'"),
    ("按实际支付利息的40%给予", "按实际支付利息的45%给予", "quote is not a verbatim part of clause"),
    ('text = "按时还本付息"', 'text = "按期还本付息"', "text '按期还本付息' is not a verbatim part"),
    ('input = "on_time"', 'input = "ontime"', "unknown input 'ontime'"),
    ('op = "in"', 'op = "=~"', "op must be one of"),
    ('constant = "max_fee_rate"', "value = 0.005", "compares a numeric input with a constant"),
    (
        'caps = ["cap"] }\nconstants.rate = { value = 0.40',
        "caps = [] }\nconstants.rate = { value = 0.40",
        "'cap' is declared but not used",
    ),
    ('formula = { cap = "cap" }', 'formula = { cap = "cap", rate = "cap" }', "unknown argument(s) ['rate']"),
    ('formula = { cap = "cap" }', "formula = {}", "formula: missing argument 'cap'"),
    ('formula = { cap = "cap" }', 'formula = { cap = "kap" }', "'kap' must name a constant of unit 元"),
    (
        '{ above = "tier1_max", amount = "tier2_award" }',
        '{ min = "tier1_max", amount = "tier2_award" }',
        "each tier must start 'above' the 'max' of the one before",
    ),
    ('flag = "early_stage_rd_credit"\n', "", "flag, shares_if, note_if are given together or not at all"),
    ('id = "sd-lukedai-loss"', 'id = "sd-lukedai-interest"', "rule id 'sd-lukedai-interest' is already used"),
    ('id = "sd-lukedai-loss"', 'id = "SD_loss"', "id must be lowercase ascii"),
    ('[[rules]]\nid = "sd-lukedai-interest"', '[[rules]\nid = "sd-lukedai-interest"', "not valid TOML"),
]


@pytest.mark.parametrize(("old", "new", "message"), _BAD, ids=[b[2][:40] for b in _BAD])
def test_a_bad_rule_file_fails_loading(
    rules_copy: Path, corpus: Corpus, old: str, new: str, message: str
) -> None:
    _edit(rules_copy / _SD, old, new)
    with pytest.raises(RuleError, match=message if message.startswith("sd-") else re.escape(message)):
        load_rules(rules_copy, corpus)


_CN = "cn-rzdbgsjdgltl-20170802.toml"
_BAD_PENALTY = [
    ('clause = "cn-rzdbgsjdgltl-20170802#36"', 'clause = "cn-rzdbgsjdgltl-20170802#99"', "penalty: no clause"),
    ("违反本条例规定，未经批准擅自设立", "违反本条例规定，未经许可擅自设立", "penalty: quote is not a verbatim part"),
    (
        'penalty = { clause = "cn-rzdbgsjdgltl-20170802#36", quote',
        'penalty = { clause = "cn-rzdbgsjdgltl-20170802#36", text',
        "penalty is",
    ),
]


@pytest.mark.parametrize(("old", "new", "message"), _BAD_PENALTY, ids=[b[2] for b in _BAD_PENALTY])
def test_a_penalty_names_a_clause_and_quotes_it(
    rules_copy: Path, corpus: Corpus, old: str, new: str, message: str
) -> None:
    _edit(rules_copy / _CN, old, new)
    with pytest.raises(RuleError, match=re.escape(message)):
        load_rules(rules_copy, corpus)


def test_a_rule_file_needs_a_document(rules_copy: Path, corpus: Corpus) -> None:
    (rules_copy / _SD).rename(rules_copy / "sd-2023-999.toml")
    with pytest.raises(RuleError, match=r"sd-2023-999\.toml: no document 'sd-2023-999'"):
        load_rules(rules_copy, corpus)


def test_an_empty_rules_folder_fails(tmp_path: Path, corpus: Corpus) -> None:
    with pytest.raises(RuleError, match="no rule files"):
        load_rules(tmp_path, corpus)


def test_a_rule_may_state_its_own_period(tmp_path: Path, corpus: Corpus) -> None:
    (tmp_path / "nm-2025-15.toml").write_text(
        """
[[rules]]
id = "nm-npl-tolerance"
label = "小微型科技企业不良贷款容忍度"
clause = "nm-2025-15#14"
kind = "percentage_points"
triggers = ["容忍度"]
quote = "小微型科技企业不良贷款容忍度可较各项贷款不良率提高不超过3个百分点"
formula = { base = "npl_ratio", points = "points" }
constants.points = { value = 3, unit = "个百分点" }
in_force = { start = 2025-03-26, end = 2027-12-31, basis = "示例" }
[[rules.inputs]]
name = "npl_ratio"
label = "各项贷款不良率"
unit = "%"
roles = ["npl_ratio"]
""",
        encoding="utf-8",
    )
    rule: Rule = load_rules(tmp_path, corpus).get("nm-npl-tolerance")
    result: CalcResult = calculate(rule, {"npl_ratio": 2}, on=dt.date(2028, 1, 1))
    assert result.notes == ("所问日期2028年1月1日不在本条施行期（2025年3月26日至2027年12月31日）内",)


def test_no_rule_counts_one_word_twice_through_its_synonym(book: RuleBook) -> None:
    """A trigger and an everyday word the lexicon maps to it (利息 → 贴息) would both be found in a question
    saying either, doubling the rule's score against rules whose triggers have no synonyms."""
    synonyms = tomllib.loads((PROJECT_ROOT / "corpus" / "lexicon" / "synonyms.toml").read_text(encoding="utf-8"))
    doubled = [
        (rule.id, key, word)
        for rule in book.rules
        for key in rule.triggers
        for word in synonyms.get(key, [])
        if word in rule.triggers
    ]
    assert doubled == []
