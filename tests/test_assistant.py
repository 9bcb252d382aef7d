"""The assistant end to end through its public API (DESIGN.md contracts)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant import Assistant, InputError, money
from assistant.match import Profile
from assistant.numbers import dates, normalise
from evals.cases import load_cases
from index.model import cn_date
from index.settings import Settings

EVAL_DIR = Path(__file__).resolve().parent.parent / "evals" / "cases"


@pytest.fixture(scope="module")
def assistant(built_cache: Path, make_settings: Callable[..., Settings]) -> Assistant:
    return Assistant.load(make_settings(cache_dir=built_cache))


def test_answer_contract(assistant: Assistant) -> None:
    d = assistant.ask("鲁科贷实际支付利息80万元，能贴息多少？").to_dict()
    assert set(d) == {
        "question",
        "in_scope",
        "confidence",
        "answer",
        "citations",
        "related",
        "calculation",
        "calculations",
        "total",
        "follow_up",
    }
    assert d["confidence"] == "high" and d["related"] == [] and d["calculations"] == [d["calculation"]]
    assert isinstance(d["answer"], str) and d["in_scope"] is True and d["follow_up"] is None
    citation = d["citations"][0]
    assert set(citation) == {"clause_id", "doc_id", "label", "quote", "score"}
    assert isinstance(citation["score"], float)
    calc = d["calculation"]
    assert {
        "rule_id",
        "clause_id",
        "inputs",
        "amount",
        "unit",
        "eligible",
        "steps",
        "conditions",
        "parts",
        "missing",
    } <= set(calc)
    assert calc["amount"] == 320000 and calc["unit"] == "元"
    assert all(c["status"] in ("met", "unmet", "unknown") for c in calc["conditions"])
    assert "80万元 × 40% = 32万元" in calc["steps"][0]


def test_calculation_answer_quotes_the_clause_verbatim(assistant: Assistant) -> None:
    answer = assistant.ask("我们去年鲁科贷付了80万利息，能贴多少？")
    assert "**32万元**" in answer.answer
    clause = assistant.clause("sd-2023-155#1")
    assert answer.citations[0].clause_id == clause.id
    assert answer.citations[0].quote in clause.text
    assert "（鲁政办字〔2023〕155号）第（一）条" in answer.answer
    assert "2024年1月1日至2028年12月31日" in answer.answer
    assert "以责任部门的解释为准" in answer.answer


def test_a_rules_figures_quote_a_short_clause_whole(assistant: Assistant) -> None:
    """The premium subsidy states no amount; the cap on the risk compensation beside it is the same provision."""
    answer = assistant.ask("内蒙古给担保公司的保费补助标准是多少？")
    assert answer.calculation is not None and answer.calculation.rule_id == "nm-guarantee-premium"
    quote = answer.citations[0].quote
    assert quote in assistant.clause("nm-2025-15#4").text and "每家每年风险补偿上限不超500万元" in quote


@pytest.mark.parametrize(
    ("question", "rule_id", "amount"),
    [
        ("鲁科贷利息付了150万，贴息最多多少", "sd-lukedai-interest", 500000),
        ("鲁科贷贷款本金损失1000万元，省财政承担多少", "sd-lukedai-loss", 3500000),
        ("鲁科担担保金额2000万元，费率0.5%，保费补贴多少", "sd-lukedan-fee", 100000),
        ("鲁科担业务担保金额1000万元发生了代偿，风险补偿多少", "sd-lukedan-risk", 2000000),
        ("创投机构投了1000万初创期企业首次投资满2年奖励多少", "sd-vc-early-reward", 500000),
        ("增资扩股投的初创企业满3年首轮实际损失500万补贴多少", "sd-vc-loss-subsidy", 1000000),
    ],
)
def test_rule_selection_within_a_clause(assistant: Assistant, question: str, rule_id: str, amount: float) -> None:
    calc = assistant.ask(question).calculation
    assert calc is not None and (calc.rule_id, calc.amount) == (rule_id, amount)


def test_a_broken_condition_makes_it_ineligible(assistant: Assistant) -> None:
    calc = assistant.ask("鲁科担业务担保金额2000万，实际收取担保费率1%，能拿多少保费补贴？").calculation
    assert calc is not None and calc.eligible is False and calc.amount == 0


def test_the_rate_paid_before_a_measure_is_not_the_rate_under_it(assistant: Assistant) -> None:
    """A guarantee at 1.6% before 鲁科担 breaks no condition of it: it is what the capped rate saves against."""
    answer = assistant.ask("我们原来的担保费率是1.6%，如果改做鲁科担，一笔两千万的担保一年可以少花多少？")
    calc = answer.calculation
    assert calc is not None and calc.rule_id == "sd-lukedan-fee-saving" and calc.eligible is not False
    assert calc.amount == 220_000 and "给予融资担保机构" not in answer.answer
    subsidy = assistant.ask("鲁科担担保了两千万，实际费率0.4%，担保公司保费补贴多少").calculation
    assert subsidy is not None and (subsidy.rule_id, subsidy.amount) == ("sd-lukedan-fee", 100_000)


def test_multi_turn_completion_and_new_topic(assistant: Assistant) -> None:
    conversation = assistant.conversation()
    first = conversation.ask("鲁科贷能贴息多少？")
    assert first.follow_up and "实际支付利息" in first.follow_up
    assert first.calculation is not None and first.calculation.missing == ("interest",)
    second = conversation.ask("利息是80万元")
    assert second.calculation is not None and second.calculation.amount == 320000
    assert second.follow_up is None
    third = conversation.ask("鲁科保第二年保费50万能补多少")  # a new topic
    assert third.calculation is not None and third.calculation.rule_id == "sd-lukebao-premium"
    assert third.calculation.amount == 150000


def test_a_later_fact_updates_the_calculation(assistant: Assistant) -> None:
    conversation = assistant.conversation()
    conversation.ask("鲁科贷利息60万元能贴多少")
    later = conversation.ask("不过有两期还款逾期了")
    assert later.calculation is not None and later.calculation.eligible is False


@pytest.mark.parametrize(
    "question",
    ["上海的科技贷款贴息是多少？", "个人所得税年度汇算怎么申报？", "你好，给我讲个笑话吧", "今天天气怎么样？"],
)
def test_out_of_scope_is_declined(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert answer.in_scope is False and answer.citations == () and answer.calculation is None
    assert "山东省" in answer.answer and "内蒙古自治区" in answer.answer


def test_a_date_after_the_period_is_flagged(assistant: Assistant) -> None:
    answer = assistant.ask("2029年鲁科贷利息80万还能贴息吗")
    assert "所问时间2029年1月1日不在本文件施行期内" in answer.answer
    assert answer.calculation is not None
    assert any("2029年1月1日" in note for note in answer.calculation.notes)


def test_last_day_in_force_is_not_flagged(assistant: Assistant) -> None:
    answer = assistant.ask("2028年12月31日鲁科贷利息80万能贴多少")
    assert f"所问时间{cn_date(dt.date(2028, 12, 31))}在本文件施行期内" in answer.answer


def test_comparison_cites_both_regions(assistant: Assistant) -> None:
    answer = assistant.ask("山东和内蒙古对融资担保的支持有何不同")
    assert {c.doc_id for c in answer.citations} == {"sd-2023-155", "nm-2025-15"}


def test_comparison_keeps_a_regions_close_second_clause(assistant: Assistant) -> None:
    # 山东's 上市 support is two clauses (培育 and 奖励) that score alike; 内蒙古's one leads its region.
    answer = assistant.ask("企业上市方面，山东跟内蒙古的扶持政策比较一下")
    cited = [c.clause_id for c in answer.citations]
    assert {"sd-2023-155#9", "sd-2023-155#10", "nm-2025-15#6"} <= set(cited)
    assert answer.answer.count("**山东省**") == 1


def test_a_preposition_before_a_loan_is_read_as_typed(assistant: Assistant) -> None:
    # With the real dictionary: 在|贷款 is "at the loan", not the 再贷款 tool of 内蒙古 (二).
    assert assistant.reader.read("山东和内蒙古在贷款贴息上有什么区别？").text.count("再贷款") == 0
    assert "再贷款" in assistant.reader.read("用好再代款工具").text


def test_units_question(assistant: Assistant) -> None:
    answer = assistant.ask("鲁科保这事归哪个部门管？")
    assert "省科技厅、省工业和信息化厅牵头" in answer.answer


def test_clause_named_by_number(assistant: Assistant) -> None:
    answer = assistant.ask("155号文第三条讲的什么？")
    assert answer.citations[0].clause_id == "sd-2023-155#3"
    assert answer.citations[0].quote == assistant.clause("sd-2023-155#3").text


@pytest.mark.parametrize("bad", ["", "   ", "问" * 501, None, 42])
def test_bad_questions_are_clear_errors(assistant: Assistant, bad: object) -> None:
    with pytest.raises(InputError):
        assistant.ask(bad)  # type: ignore[arg-type]


def test_number_guard_holds_on_every_public_eval_answer(assistant: Assistant) -> None:
    """Every number in every answer comes from a quote, the calculation or document metadata."""
    metadata: list[str] = []
    for doc in assistant.index.corpus.documents:
        metadata += [doc.doc_number, cn_date(doc.issued), doc.in_force.describe(), doc.in_force.basis]
    for path in sorted(EVAL_DIR.glob("*.jsonl")):
        for case in load_cases(path):
            conversation = assistant.conversation()
            answers = [conversation.ask(q) for q in (case.question, *case.turns)]
            for answer in answers:
                assert answer.guard_dropped == (), (case.id, answer.guard_dropped)
                asked = [cn_date(d) for q in (case.question, *case.turns) for d in dates(normalise(q))]
                sources = [
                    *metadata,
                    *asked,
                    *(c.quote for c in answer.citations),
                    *(c.label for c in answer.citations),
                ]
                sources += [c.clause_id for c in answer.citations]
                if answer.calculation is not None:
                    calc = answer.calculation
                    sources += [*calc.steps, *calc.notes, *(c.text for c in calc.conditions)]
                    sources += [str(v) for v in calc.inputs.values()]
                    if calc.amount is not None:
                        sources.append(money.fmt(calc.amount, calc.unit))
                allowed = {n for s in sources for n in re.findall(r"\d+(?:\.\d+)?", s)}
                found = set(re.findall(r"\d+(?:\.\d+)?", answer.answer))
                assert found <= allowed, (case.id, found - allowed)


@pytest.mark.parametrize(
    ("question", "who"),
    [
        ("鲁科贷贷款本金损失100万元，市财政承担多少？", "市财政承担 **35万元**"),
        ("鲁科贷贷款本金损失100万元，省财政承担多少？", "省财政承担 **35万元**"),
        ("鲁科贷贷款本金损失100万元，政府能补偿多少？", "省市财政合计承担 **70万元**"),
        ("鲁科贷贷款本金损失100万元，省里和市里加起来分担多少？", "省市财政合计承担 **70万元**"),  # both named
    ],
)
def test_split_conclusion_names_the_party_asked_about(assistant: Assistant, question: str, who: str) -> None:
    assert who in assistant.ask(question).answer


def test_search_puts_a_named_clause_first(assistant: Assistant) -> None:
    assert assistant.search("sd-2023-155#3", k=3)[0].clause_id == "sd-2023-155#3"
    assert assistant.search("155号文第三条", k=3)[0].clause_id == "sd-2023-155#3"


def test_recognition_criteria_are_declined_even_with_a_policy_term(assistant: Assistant) -> None:
    answer = assistant.ask("高新技术企业认定标准是什么？")
    assert answer.in_scope is False and "未规定认定、上市、登记或备案的标准" in answer.answer
    assert assistant.ask("首次认定的国家高新技术企业有奖补吗？").in_scope is True


def test_the_province_s_own_regulation_asked_ranks_before_a_city_s(assistant: Assistant) -> None:
    answer = assistant.ask("省条例规定，技术转让净收入500万，给科研人员的奖励至少多少？")
    assert answer.calculation is not None and answer.calculation.rule_id == "sd-result-transfer-reward"


def test_how_to_apply_for_a_named_measure_gets_its_clause_and_says_the_procedure_is_unstated(
    assistant: Assistant,
) -> None:
    answer = assistant.ask("鲁科担业务要怎么申请？")
    assert answer.in_scope and answer.citations[0].clause_id == "sd-2023-155#3"
    assert "申请流程、申报材料和受理窗口文件未规定" in answer.answer
    assert assistant.ask("鲁科担业务的申报材料有哪些？").in_scope is False  # paperwork no document states


def test_words_describing_the_asker_do_not_pick_the_provision_asked(assistant: Assistant) -> None:
    answer = assistant.ask("做投早投小的创投机构，省里有没有风险补偿，怎么补？")
    assert answer.calculation is not None and answer.calculation.rule_id == "sd-vc-loss-subsidy"


@pytest.mark.parametrize("question", ["投早投小这块有风险补偿吗，能补多少？", "VC投早投小有risk compensation吗"])
def test_a_word_of_the_clause_heading_does_not_pick_one_of_its_provisions(assistant: Assistant, question: str) -> None:
    # 投早投小 heads the clause: it names the reward and the loss subsidy alike; 风险补偿 names the latter.
    answer = assistant.ask(question)
    assert "首轮投资实际损失金额的20%" in answer.answer
    assert answer.calculation is None or answer.calculation.rule_id == "sd-vc-loss-subsidy"


def test_a_measure_named_in_everyday_words_is_one_of_several_asked(assistant: Assistant) -> None:
    answer = assistant.ask("我们是山东的科小企业，贷款利息付了20万，明年想买科技保险，能享受哪些支持，拿多少？")
    assert {c.clause_id for c in answer.citations} == {"sd-2023-155#1", "sd-2023-155#4"}  # 科技保险 → 鲁科保
    assert answer.total is not None and answer.total.amount == 80000


def test_each_measure_of_ones_own_situation_is_answered_when_asked_what_one_may_use(assistant: Assistant) -> None:
    # A measure named (鲁科贷) beside one named in everyday words (科技保险 → 鲁科保): no "one clause holds
    # them all" shortcut, the user asks about each thing it has.
    answer = assistant.ask("我们是烟台的科技型中小企业，去年用了鲁科贷，今年还投保了科技保险，能享受哪些政策？")
    assert [c.clause_id for c in answer.citations][:2] == ["sd-2023-155#1", "sd-2023-155#4"]


def test_a_named_measure_beside_a_part_asked_first_keeps_the_order_asked(assistant: Assistant) -> None:
    answer = assistant.ask("山东对科技型企业上市有什么奖励？另外鲁科担的担保费率要求是多少？")
    assert [c.clause_id for c in answer.citations][:2] == ["sd-2023-155#10", "sd-2023-155#3"]


def test_the_setting_of_a_sum_asked_is_no_measure_of_it(assistant: Assistant) -> None:
    # 准备冲科创板 places the question; （九）'s 科创板企业培育中心 does not name 科创板 on its own.
    answer = assistant.ask("公司正准备冲科创板，去年鲁科贷付了利息20万，一共能拿多少")
    assert [c.clause_id for c in answer.citations] == ["sd-2023-155#1"]
    assert answer.calculation is not None and answer.calculation.amount == 80000


def test_the_asker_described_before_a_joiner_of_a_sum_is_no_measure_of_it(assistant: Assistant) -> None:
    answer = assistant.ask("某科技型中小企业同时用了鲁科贷（付息12万）和鲁科保（首年保费4万），一共补多少")
    assert [c.clause_id for c in answer.citations] == ["sd-2023-155#1", "sd-2023-155#4"]
    assert answer.total is not None and answer.total.amount == 68000


def test_a_list_after_a_self_description_answers_each_thing_listed(assistant: Assistant) -> None:
    # The first item shares its sentence with the ask word (想了解), the last with the ask (这几方面…哪些政策).
    question = "我们是青岛的一家科技型中小企业，研发人员四十人。想了解贷款、保险、上市这几方面，省里都有哪些政策？"
    answer = assistant.ask(question)
    assert [c.clause_id for c in answer.citations][:3] == ["sd-2023-155#1", "sd-2023-155#4", "sd-2023-155#10"]


def test_things_listed_of_a_document_named_by_title_are_each_found_in_it(assistant: Assistant) -> None:
    """集中度 and 关联担保 are the 条例's 第十六条 and 第十七条, not other documents' clauses; an item between two
    list joiners is the thing listed whole, and the first one ends in words the documents know (科创债)."""
    answer = assistant.ask("按融资担保公司监督管理条例，集中度、放大倍数、关联担保各有什么规定？")
    assert [c.clause_id for c in answer.citations][:3] == [
        "cn-rzdbgsjdgltl-20170802#16",
        "cn-rzdbgsjdgltl-20170802#15",
        "cn-rzdbgsjdgltl-20170802#17",
    ]
    listed = assistant.ask("请问山东对发行科创债和上市奖励分别怎么规定？")
    assert [c.clause_id for c in listed.citations][:2] == ["sd-2023-155#11", "sd-2023-155#10"]


def test_things_listed_between_commas_are_each_answered(assistant: Assistant) -> None:
    answer = assistant.ask("我们明年想发科创债，后年冲科创板上市，山东这两块分别有什么奖励？")
    assert [c.clause_id for c in answer.citations][:2] == ["sd-2023-155#11", "sd-2023-155#10"]


def test_a_document_named_by_title_is_compared_with_the_law_asked_beside_it(assistant: Assistant) -> None:
    answer = assistant.ask("浙江省促进科技成果转化条例规定的科研人员奖励比例是多少？比国家法律高吗？")
    cited = [c.clause_id for c in answer.citations]
    assert cited[0].startswith("zj-") and "cn-cjkjcgzhf-20150829#45" in cited  # the titled document first


def test_a_law_abbreviated_by_dropping_characters_is_named(assistant: Assistant) -> None:
    answer = assistant.ask("科技进步法是哪天开始施行的？")  # 科学技术进步法
    assert answer.citations and answer.citations[0].clause_id.startswith("cn-kxjsjbf-20211224")


def test_a_liability_asked_how_it_is_determined_is_no_recognition_criteria(assistant: Assistant) -> None:
    answer = assistant.ask("银行科技贷款出了不良，尽职免责的责任怎么认定？")
    assert answer.in_scope and answer.citations[0].clause_id in {"sd-2023-155#20", "nm-2025-15#14"}


def test_how_a_measure_of_the_documents_is_determined_is_no_recognition_criteria(assistant: Assistant) -> None:
    # 尽职免责 and 后备库 are mechanisms the documents set up; 科技标杆企业 is a status they say is 认定 elsewhere.
    exemption = assistant.ask("做科技信贷出了风险，尽职免责要怎么认定才算数？")
    assert exemption.in_scope and exemption.citations[0].clause_id in {"sd-2023-155#20", "nm-2025-15#14"}
    pool = assistant.ask("发债项目后备库的企业是怎么评定入库的？")
    assert pool.in_scope and pool.citations[0].clause_id == "nm-2025-15#5"
    assert assistant.ask("自治区科技标杆企业要怎么认定？").in_scope is False


def test_a_body_the_documents_set_up_named_loosely_is_no_recognition_criteria(assistant: Assistant) -> None:
    """特色示范机构 is a kind of branch 内蒙古's text asks banks to build (科技金融特色示范机构建设), never said to be
    recognised elsewhere: asked how one is assessed, its clause answers; 高新技术企业 stays a status set elsewhere."""
    branch = assistant.ask("银行的科技特色示范机构要如何评定？")
    assert branch.in_scope and branch.citations[0].clause_id == "nm-2025-15#3"
    assert assistant.ask("高新技术企业是怎么评定的？").in_scope is False


def test_a_penalty_asked_is_answered_by_the_clause_stating_it_not_by_the_rule_broken(assistant: Assistant) -> None:
    answer = assistant.ask("我们担保公司的担保责任余额和净资产的比例超标了，监管部门会给什么处罚？")
    assert answer.citations[0].clause_id == "cn-rzdbgsjdgltl-20170802#40" and "罚款" in answer.citations[0].quote
    ratio = assistant.ask("融资担保公司的担保责任余额与净资产的比例有什么规定？")  # no penalty asked: the rule
    assert ratio.citations[0].clause_id == "cn-rzdbgsjdgltl-20170802#15"
    # Asked what is allowed, the rule answers, not the penalty that restates it.
    related = assistant.ask("融资担保公司给关联企业提供担保，条例是怎么限制的？")
    assert related.citations[0].clause_id == "cn-rzdbgsjdgltl-20170802#17"


def test_the_rule_a_penalty_restates_answers_what_is_allowed(assistant: Assistant) -> None:
    """Asked whether one may do without approval, the rule the penalty restates answers (第六条 未经…批准…不得
    经营), not the penalty (第三十六条) nor another rule ranked near (第十二条)."""
    answer = assistant.ask("没经过批准，我们能经营融资担保业务吗")
    assert answer.citations[0].clause_id == "cn-rzdbgsjdgltl-20170802#6"


def test_a_securities_fund_manager_is_no_private_equity_manager(assistant: Assistant) -> None:
    answer = assistant.ask("我们是一家证券私募，管理规模60亿，刚迁到济南，私募基金管理机构的落户奖励能拿吗？")
    calc = answer.calculation
    assert calc is not None and calc.rule_id == "sd-pe-manager-settle" and calc.eligible is False


def test_the_age_of_the_firm_invested_in_is_not_the_investors_own(assistant: Assistant) -> None:
    old_firm = assistant.ask("我们基金前年投的那家企业都成立十多年了，营收好几个亿，投早投小的奖励还能拿吗？")
    assert old_firm.calculation is not None and old_firm.calculation.eligible is False
    old_fund = assistant.ask("我们这家创投成立二十多年了，前年首投了一家刚起步的省内科技企业800万，奖励多少？")
    assert old_fund.calculation is not None and old_fund.calculation.eligible is not False
    assert old_fund.calculation.amount == 400_000


def test_an_item_of_a_list_is_quoted_with_the_line_leading_into_it(assistant: Assistant) -> None:
    # 第四十八条's fourth item says what is done; the fine is in the line that leads into the list.
    answer = assistant.ask("在山东没经过批准就搞农民专业合作社信用互助，按地方金融条例要罚多少？")
    quote = answer.citations[0].quote
    assert answer.citations[0].clause_id == "sd-dfjrtl-20160330#48" and "信用互助业务" in quote
    assert "五万元以上十万元以下罚款" in quote and quote in assistant.clause("sd-dfjrtl-20160330#48").text


def test_penalty_interest_paid_means_a_repayment_was_late(assistant: Assistant) -> None:
    calc = assistant.ask("鲁科贷去年一共付息45万，银行还收了我们5万罚息，贴息有多少？").calculation
    assert calc is not None and calc.rule_id == "sd-lukedai-interest" and calc.eligible is False


def test_a_private_fund_trading_listed_shares_is_no_venture_investor(assistant: Assistant) -> None:
    calc = assistant.ask("我们是一家做二级市场的私募，刚落户青岛，创投落户奖励有份吗？").calculation
    assert calc is not None and calc.eligible is False


def test_each_measure_asked_with_its_units_names_them(assistant: Assistant) -> None:
    answer = assistant.ask("鲁科贷和鲁科保分别是什么，各找哪个部门？")
    assert answer.answer.count("**责任单位**") == 2 and "省工业和信息化厅" in answer.answer  # 鲁科保's lead


def test_a_citys_own_level_is_answered_where_the_corpus_holds_its_documents(assistant: Assistant) -> None:
    assert assistant.ask("青岛市级对科技型企业有什么支持？").in_scope is True  # 青岛's own regulations


def test_listing_criteria_are_declined_but_listing_support_is_answered(assistant: Assistant) -> None:
    assert assistant.ask("科创板上市对企业净利润有什么要求？").in_scope is False
    assert assistant.ask("企业上市要满足什么条件才能拿省里的奖励？").in_scope is True
    assert assistant.ask("我们想在科创板上市，自治区会怎么支持？").in_scope is True  # 怎么 deep in the next phrase
    assert assistant.ask("上市前净利润5000万，募资8亿，上市奖励能拿多少？").in_scope is True  # an amount asked


# ---------------------------------------------------------------- understanding that generalizes (issue 11)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("宜昌市科技贷款市级贴息的标准是什么？", "other_region"),
        ("建设银行浙科贷的申请条件是什么？", "other_body"),
        ("国家大基金投早期项目的比例是多少？", "other_body"),
        ("济南市今年有多少家企业拿到了鲁科贷贴息？", "statistic"),
        ("高新技术企业认定需要什么条件？", "criteria"),
        ("我们在济南，想申请专精特新认定，需要什么条件？", "criteria"),  # the ask in the next phrase
        ("鲁科担的业务办理电话是多少？", "procedure"),
        ("请问怎么注册一家科技公司？", "procedure"),
        ("科技型中小企业的增值税税率是多少？", "other_topic"),  # a policy term does not make a tax rate covered
        ("明天呼和浩特天气怎么样？", "other_topic"),
        ("三年期定期存款利率现在是多少？", "other_topic"),  # household finance: no document sets it
        ("失业后想申请个人创业担保贷款，能贷多少？", "other_topic"),
        ("内蒙古的担保公司今年累计担保了多少钱？", "statistic"),  # a past aggregate of a body
        ("鲁科保的补贴要在什么网站上填报？", "procedure"),
        ("青岛对软件企业的电费补助标准是多少？", "not_covered"),  # a measure no document names
        ("宁波对投资在孵企业的机构有什么奖励？", "not_covered"),  # 在孵: a measure 浙江's law never names
        ("包头市级对科技企业贷款有没有配套贴息？", "other_region"),  # a city's own level, no document of 包头
        ("广洲对创投机构有什么奖励？", "other_region"),  # a place name typed by sound (广州)
        ("听说省里会出台新的科技金融政策，会有哪些新措施？", "forecast"),
        ("想买点北交所的股票，哪个值得入手？", "other_topic"),  # 北交所 inside what the topic's words span
        ("知道山东有鲁科贷了，想再问问深圳那边的科技贷款贴息怎么规定", "other_region"),  # 鲁科贷 in another phrase
        ("鲁科保的保费补贴批下来以后多长时间能到账？", "procedure"),
        ("老板说我们够鲁科贷贴息的条件了。申报时要交哪些材料？", "procedure"),  # only the question sentence asks
        ("后年鲁科担的补贴比例会不会下调？", "forecast"),
        ("创业板哪几只股票最近能涨？", "other_topic"),  # investment advice, whatever board it names
        ("威海市对鲁科贷有没有自己的配套贴息？", "other_region"),
        ("鲁科担有没有资询电话？", "procedure"),  # typed by sound; 有没有 asks for the number itself
        ("鲁科担的网上申报平台网址是多少？", "procedure"),  # 是多少 after the item asks for the item
        ("麻烦帮我起草一份鲁科担的申请报告", "task"),  # a task, not a question
        ("安徽有没有和鲁科担一样的担保产品？", "other_region"),  # 鲁科担 named as a likeness, said after it
        ("鲁科保今年的补贴名额还有吗？", "statistic"),  # what is left of a quota
        ("你预计明年鲁科贷的贴息比例会怎么变？", "forecast"),
        ("鲁科保有没有办事指南？", "procedure"),
        ("鲁科保补贴今年申报到几号截止？错过了能补报吗", "procedure"),  # a round's deadline: no document sets it
        ("烟台市对新上市的科技企业奖励多少？", "other_region"),  # the city as the giver: its own policy
        ("想评高企，要满足啥条件？研发费用得占多少？", "criteria"),  # the second phrase asks it of the first
        ("青岛银行的科创贷单户最高额度多少？", "other_body"),  # 青岛 names the bank, not the policy's region
        ("2029年以后还会接着出台贴息政策吗？", "forecast"),
        ("鲁科贷合作银行里哪家放款最多？", "statistic"),
        ("想入股一家做芯片的公司，净利润五百万，你帮我估个价，大概值多少钱？", "other_topic"),  # a valuation
        ("鲁科保的申报表有没有填好的范本？", "procedure"),
        ("Pre-A轮估值八千万合理吗，该出让多少股权？", "other_topic"),  # a negotiation, no document sets it
        ("鲁科保跟哪几家银行合作？能把合作银行名单发我吗", "statistic"),  # no document lists the participants
        ("我们基金投了初创企业，投资额的70%能抵应纳税所得额吗", "other_topic"),  # tax mechanics: the tax rules'
        ("专精特新认定时研发人员占比要达到多少", "criteria"),  # a threshold asked of a recognition
        ("你们这个咨询热线周末有人接吗，几点上班", "procedure"),  # the service's hours
        ("科技型中小企业评价入库的打分规则里研发投入占几分", "criteria"),  # 研发投入 is a criterion, no mechanism
        ("去济南科技厅办事，坐公交哪条线能到？", "other_topic"),  # getting about town
        ("鲁科贷今年放款额同比增长了多少？", "statistic"),  # a growth figure
        ("粤科贷跟鲁科贷的贴息比例比起来怎么样", "other_body"),  # another province's product beside ours
    ],
)
def test_questions_the_documents_do_not_cover_are_declined(assistant: Assistant, question: str, kind: str) -> None:
    answer = assistant.ask(question)
    assert answer.in_scope is False and answer.calculation is None and answer.citations == ()
    if kind != "other_topic" or "税" in question:  # the nearest clause is offered as related, never as the answer
        assert answer.related and "仅供参考，并非对所问事项的答复" in answer.answer
        assert answer.related[0].quote in assistant.clause(answer.related[0].clause_id).text


def test_talk_about_the_assistant_itself_is_declined_with_what_it_answers(assistant: Assistant) -> None:
    answer = assistant.ask("在吗？你是真人还是机器人啊")
    assert answer.in_scope is False and answer.citations == () and "贴息" in answer.answer
    assert assistant.ask("你是机器人吗？鲁科贷的贴息比例是多少").in_scope is True  # a policy term said


def test_a_programme_no_document_holds_is_declined_by_its_name(assistant: Assistant) -> None:
    answer = assistant.ask("山东的泰山学者计划每年给多少钱？")
    assert answer.in_scope is False and "泰山学者计划" in answer.answer
    assert assistant.ask("内蒙古的天骏计划是干什么的？").in_scope is True  # a programme of the documents
    assert assistant.ask("我们入选过泰山学者计划，公司能申请鲁科贷吗？").in_scope is True  # the asker's setting


def test_a_city_s_own_level_names_the_city_once(assistant: Assistant) -> None:
    answer = assistant.ask("威海市对鲁科贷有没有自己的配套贴息？")
    assert "威海市本级" in answer.answer and "威海、" not in answer.answer


@pytest.mark.parametrize(
    ("question", "clause"),
    [
        ("去新加坡上市的科技企业有支持吗？", "sd-2023-155#9"),
        ("我们想找投资人，政府能牵线吗？", None),
        ("有什么办法让银行多借点钱给我们？", None),
        ("我们是做软件的轻资产公司，有什么融资渠道？", None),
        ("我们在北京有分公司，山东总部能申请鲁科贷吗？", "sd-2023-155#1"),
        ("国家对科技型中小企业有什么税收优惠？", "cn-kxjsjbf-20211224#43"),  # promised in a law, no rate asked
        ("孵化器投了在孵企业2000万，省里奖励多少？", "sd-2023-155#8"),  # 省里 is no measure's name
        ("鲁科保续保了还给补贴吗？", "sd-2023-155#4"),
        ("浙江的科技贷款有没有贴息？", None),  # 科技贷款 stands for 鲁科贷, but the question does not name it
    ],
)
def test_in_scope_questions_without_policy_terms_are_answered(
    assistant: Assistant, question: str, clause: str | None
) -> None:
    answer = assistant.ask(question)
    assert answer.in_scope is True and answer.citations
    if clause:
        assert clause in [c.clause_id for c in answer.citations]


def test_an_unsure_match_offers_possible_clauses(assistant: Assistant) -> None:
    answer = assistant.ask("我们想找投资人，政府能牵线吗？")
    if answer.confidence == "low":
        assert 2 <= len(answer.citations) <= 3 and "可能相关" in answer.answer
    assert answer.to_dict()["confidence"] in ("high", "low")


@pytest.mark.parametrize(
    ("question", "figure"),
    [
        ("鲁科担保费补贴比例是多少？", "0.5%"),
        ("鲁科保以后年度补贴比例是多少？", "30%"),
        ("路科贷贴息上限", "50万元"),
    ],
)
def test_a_question_about_a_figure_is_answered_not_asked_back(assistant: Assistant, question: str, figure: str) -> None:
    answer = assistant.ask(question)
    assert answer.follow_up is None and figure in answer.answer.split("**依据**")[0]


def test_a_question_about_another_sentence_quotes_that_sentence(assistant: Assistant) -> None:
    answer = assistant.ask("山东的再贴现额度有多大？")
    assert answer.calculation is None and "130亿元" in answer.citations[0].quote


def test_a_loan_amount_is_never_used_as_interest(assistant: Assistant) -> None:
    asked = assistant.ask("贷款500万元，年利率4%，鲁科贷贴息多少？")
    assert asked.calculation is not None and asked.calculation.amount is None and asked.follow_up
    estimated = assistant.ask("贷款500万元，年利率4%，贷了一年，鲁科贷贴息多少？").calculation
    assert estimated is not None and estimated.amount == 80000
    assert any("以实际支付利息为准" in s for s in estimated.steps)


def test_a_lone_duration_is_the_loan_term_only_when_it_stands_alone(assistant: Assistant) -> None:
    alone = assistant.ask("鲁科贷贷了500万，年利率4%，一年，按时还完了，能贴息多少").calculation
    assert alone is not None and alone.amount == 80000
    # Beside the loan's own principal and rate only, it is the loan's term too.
    with_loan = assistant.ask("鲁科贷：贷款800万年化3.5%一年，按时还完了，能贴息多少").calculation
    assert with_loan is not None and with_loan.amount == 112000
    about_sales = assistant.ask("我们一年卖一个半亿的货，找银行借了2000万，年息3.65%，鲁科贷利息能补多少？").calculation
    assert about_sales is not None and about_sales.amount is None


def test_an_amount_said_about_so_much_is_computed_as_said_and_marked(assistant: Assistant) -> None:
    calculation = assistant.ask("鲁科贷去年付了六十来万利息，按时还本付息，能贴多少？").calculation
    assert calculation is not None and calculation.amount == 240_000
    assert "“六十来万”按60万元计，以实际金额为准" in calculation.notes


def test_bonds_issued_are_never_taken_for_interest_paid(assistant: Assistant) -> None:
    conversation = assistant.conversation()
    conversation.ask("鲁科贷贴息能贴多少")
    answer = conversation.ask("我们发了2亿元的科创债")
    assert answer.calculation is None or answer.calculation.amount is None


def test_a_number_whose_role_is_unclear_is_asked_about(assistant: Assistant) -> None:
    answer = assistant.ask("我们鲁科贷这块是80万，能贴多少？")  # the loan, or the interest paid on it?
    assert answer.calculation is not None and answer.calculation.amount is None
    assert answer.follow_up and "80万" in answer.follow_up


def test_the_term_the_follow_up_asks_for_is_read_from_a_bare_reply(assistant: Assistant) -> None:
    conversation = assistant.conversation()
    conversation.ask("贷款500万元，年利率4%，鲁科贷贴息多少？")
    answer = conversation.ask("3年")
    assert answer.calculation is not None and answer.calculation.amount == 240000


@pytest.mark.parametrize(
    "question",
    [
        "我们是大型国企，鲁科贷利息付了100万，能贴多少",
        "我们首次投了一家江苏的初创期科技企业2000万，持有3年，能拿山东的投早投小奖励吗？",
        "增资投的早期科技企业，持有到第8年才清算，首轮亏了1000万，能补多少？",
        "我们孵化器投了一家外面的企业800万，它不在我们这儿孵化，能拿孵化+投资奖励吗？",
        "我们是做房地产开发的，也想沾一下科技贷款利息补贴的光",  # no eligibility word: the fact alone
        "我们是2015年就成立的老牌创投，能拿山东新设立创投的落户奖励吗？",  # the measure's name is no fact
        "我们这笔贷款其实用于流动资金，不是成果转化项目，利息能贴吗？",  # a negator bridged by 用于 … 是
        "借来的钱先买了几个月理财，利息还能享受鲁科贷贴息吗？",  # a no-cue with a gap (买…理财)
        "我们是江苏的融资担保公司，能纳入鲁科担吗？",  # the province's guarantee system is for its own
        "我们是内蒙古包头的科技型中小企业，能申请山东的鲁科贷贴息吗？",  # registered in the other region: not compared
        "我们是开饭店的，能用鲁科担吗",  # the enterprise's provision (费率不超过0.5%) is for 科技型企业
        "我们是江苏的科技公司，在山东没有分支机构，能用鲁科担做担保吗",
        "我想用个人名义申请鲁科贷贴息，能批吗？",  # a person is no 科技型中小企业
        "我们保险公司科技保险赔得多，省里对保险公司的保费补贴能拿多少？",  # 公司 in 保险公司 names no client
        "客户说他是自己个人投了一家青岛的初创科技企业300万，能拿投早投小奖励吗",
        "我们投资的那家科技公司已经成立15年了，能拿投早投小奖励吗？",  # 15 read as 十五: past the early stage
        "去年我们获得了800万元的鲁科担贷款担保，担保费补贴能拿多少",  # got a guarantee: no guarantor
        "我们去年增资投了一家山东的初创期科技企业，今年它清算了，首轮亏了400万，能补多少",  # lost in 不到2年
        "2022年我们首次投了一家济南的初创期科技企业，能拿投早投小奖励吗",  # before the policy: not 政策实施后
        "我们是开连锁火锅店的，能进内蒙古的科技型企业融资需求库吗",  # a measure without an amount is for 科技企业
        "我们公司注册在河北石家庄，可以参加内蒙古的天骏计划吗",  # a region's measure without an amount
        "我们基金投的都是成熟的大企业，能申请山东投早投小的奖励吗",  # the investee's stage said by meaning
    ],
)
def test_a_stated_fact_breaks_a_condition(assistant: Assistant, question: str) -> None:
    calc = assistant.ask(question).calculation
    assert calc is not None and calc.eligible is False and calc.amount == 0


@pytest.mark.parametrize(
    "question", ["再贴现额度有多少？科技企业能用吗", "我们是科技型中小企业，鲁科贷以外，再贴现有额度吗"]
)
def test_a_cue_cut_out_of_the_start_of_a_longer_term_states_nothing(assistant: Assistant, question: str) -> None:
    # 再贴 (贴息 again, so no first 鲁科贷 interest subsidy) only begins the term 再贴现: no fact said.
    calc = assistant.ask(question).calculation
    assert calc is None or calc.eligible is not False


def test_a_holding_short_of_its_floor_is_a_wait_said_with_the_amount_it_will_bring(assistant: Assistant) -> None:
    calc = assistant.ask("我们去年在山东首次投了一家初创期科技企业600万，投早投小奖励有多少").calculation
    assert calc is not None and calc.amount == 300_000 and calc.eligible is not False
    assert any("至今不到2年" in n and "须满2年以上后方可申请" in n for n in calc.notes)


def test_a_measure_serving_the_asker_is_no_refusal_for_another_provision_of_its_clause(assistant: Assistant) -> None:
    # 鲁科担's subsidy goes to the guarantor, but the enterprise is served by its fee cap: no 不符合.
    calc = assistant.ask("我们是青岛做芯片设计的企业，能用鲁科担吗").calculation
    assert calc is None or calc.eligible is not False


def test_a_later_turn_saying_who_asks_is_checked_against_whom_the_money_reaches(assistant: Assistant) -> None:
    conversation = assistant.conversation()
    conversation.ask("山东给新落户的创投有奖励吗")
    calc = conversation.ask("那我们是做二级市场的证券私募，能拿吗").calculation
    assert calc is not None and calc.eligible is False and calc.amount == 0


@pytest.mark.parametrize(
    "turns",
    [["我们是城商行，客户去年鲁科贷利息付了50万，能贴多少"], ["鲁科贷贴息怎么算", "我们是城商行，客户利息付了50万"]],
)
def test_a_financier_asking_for_its_client_gets_the_clients_amount(assistant: Assistant, turns: list[str]) -> None:
    conversation = assistant.conversation()
    answers = [conversation.ask(t) for t in turns]
    calc = answers[-1].calculation
    assert calc is not None and calc.eligible is not False and calc.amount == 200_000


def test_a_typo_is_read_and_said(assistant: Assistant) -> None:
    answer = assistant.ask("路科贷利息80万能贴多少")
    assert answer.calculation is not None and answer.calculation.amount == 320000
    assert "“路科贷”按“鲁科贷”理解" in answer.answer


def test_a_short_follow_up_is_read_in_the_conversation(assistant: Assistant) -> None:
    conversation = assistant.conversation()
    conversation.ask("内蒙古企业上市有什么支持？")
    answer = conversation.ask("募资3亿")
    assert answer.in_scope and answer.citations[0].clause_id.startswith("nm-2025-15#")


def test_an_enterprise_total_leaves_out_what_goes_to_the_guarantor(assistant: Assistant) -> None:
    answer = assistant.ask("鲁科贷付了80万利息，又做了鲁科担，担保金额1000万，一共能拿多少补贴？")
    assert answer.total is not None and answer.total.amount == 320000
    assert answer.total.rule_ids == ("sd-lukedai-interest",)
    assert [rule for rule, _ in answer.total.excluded] == ["sd-lukedan-fee"]
    assert "融资担保机构" in answer.total.excluded[0][1]


def test_the_asker_is_whom_its_own_sums_serve_and_other_subjects_measures_come_after(assistant: Assistant) -> None:
    answer = assistant.ask("上年度实付贷款利息60万，担保费交了25万，两项补贴加起来能拿多少？")  # no 我们, no region
    assert answer.calculation is not None and answer.calculation.rule_id == "sd-lukedai-interest"
    assert answer.total is not None and answer.total.amount == 240000
    assert {c.clause_id for c in answer.citations} == {"sd-2023-155#1", "sd-2023-155#3"}  # 山东's, as the first
    assert answer.follow_up is None  # the guarantor's 担保金额 is not asked of the enterprise


def test_the_asker_of_measures_for_a_kind_and_a_narrower_kind_is_the_narrower(assistant: Assistant) -> None:
    answer = assistant.ask("我们有银行贷款利息30万、科技保险保费4万，按山东政策合计补多少？")  # 银行 names no asker
    assert answer.total is not None and answer.total.amount == 140000  # 12万 贴息 + 2万 首年保费补贴


def test_investments_stated_for_a_cumulative_input_are_added_up(assistant: Assistant) -> None:
    answer = assistant.ask("新迁入山东的创投，设立三年内分别投了省内非上市科技企业1.2亿和9000万，落户奖励多少？")
    calc = answer.calculation
    assert calc is not None and calc.rule_id == "sd-vc-settle" and calc.amount == 2000000  # 2.1亿: one full 2亿
    assert "1.2亿元 + 9000万元 = 2.1亿元" in answer.answer


def test_the_early_investment_reward_is_capped_once_per_institution(assistant: Assistant) -> None:
    answer = assistant.ask("我们创投首次投了两家省内初创期科技企业，分别投了3000万和2500万，满两年了，投早投小奖励多少")
    assert answer.calculation is not None and answer.calculation.amount == 2000000  # 150万 + 125万, at most 200万


def test_a_sum_no_rule_takes_is_placed_with_the_measure_it_was_paid_for(assistant: Assistant) -> None:
    answer = assistant.ask("我们在烟台，是科技型中小企业，贷款利息30万、担保费10万，能拿多少补贴？")
    assert {c.clause_id for c in answer.citations} == {"sd-2023-155#1", "sd-2023-155#3"}
    assert answer.total is not None and answer.total.amount == 120000
    assert [rule for rule, _ in answer.total.excluded] == ["sd-lukedan-fee"]


def test_a_ceiling_is_never_summed_as_an_amount(assistant: Assistant) -> None:
    answer = assistant.ask("北交所上市+发了一期公司债1.5亿，再加上鲁科贷利息50万，三样一起能拿多少钱")
    assert {c.clause_id for c in answer.citations} >= {"sd-2023-155#10", "sd-2023-155#11", "sd-2023-155#1"}
    assert answer.total is not None and answer.total.amount == 200000  # 鲁科贷 50万 × 40%
    assert [rule for rule, _ in answer.total.excluded] == ["sd-ipo-subsidy"]  # 最高200万: not an amount due


def test_a_total_asked_later_sums_the_measures_of_earlier_turns(assistant: Assistant) -> None:
    conversation = assistant.conversation()
    conversation.ask("鲁科贷利息80万能贴多少")
    conversation.ask("鲁科保首年保费40万能补多少")
    total = conversation.ask("一共多少").total
    assert total is not None and total.amount == 520000
    assert set(total.rule_ids) == {"sd-lukedai-interest", "sd-lukebao-premium"}


def test_each_named_measure_is_quoted_in_the_order_asked(assistant: Assistant) -> None:
    answer = assistant.ask("鲁科保和鲁科贷分别是什么？")
    assert [c.clause_id for c in answer.citations] == ["sd-2023-155#4", "sd-2023-155#1"]
    # What each is: quoted, with no request for inputs and nothing to add up.
    assert answer.follow_up is None and answer.calculations == () and answer.total is None


def test_a_city_named_puts_its_own_documents_first(assistant: Assistant) -> None:
    answer = assistant.ask("青岛对给科技型中小企业做担保的机构有补助吗？")
    assert answer.citations[0].doc_id.startswith("qd-")


def test_the_bank_asking_its_own_share_of_a_loss_gets_it(assistant: Assistant) -> None:
    answer = assistant.ask("鲁科贷坏账了，本金损失600万，我行自己承担多少？")
    assert answer.calculation is not None and answer.calculation.amount == 1_800_000  # 30%


def test_two_provisions_of_one_clause_are_summed_for_their_own_asker(assistant: Assistant) -> None:
    answer = assistant.ask(
        "我们创投首次投资了一家省内初创期企业600万，持有满2年；另一个增资扩股投资的省内早期项目投资3年后失败，"
        "首轮亏了800万。两项合计能拿多少？"
    )
    assert [c.rule_id for c in answer.calculations] == ["sd-vc-early-reward", "sd-vc-loss-subsidy"]
    assert answer.total is not None and answer.total.amount == 300_000 + 1_600_000  # 600万×5% + 800万×20%


@pytest.mark.parametrize("question", ["2030年还能申请鲁科贷贴息吗？", "2022年底做的鲁科担业务能享受保费补贴吗？"])
def test_a_day_outside_the_period_is_answered_by_the_period(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert [c.clause_id for c in answer.citations] == ["sd-2023-155#closing"]
    assert "不在本文件施行期" in answer.answer.split("\n")[0] and answer.follow_up is None


def test_a_measure_named_as_a_likeness_does_not_place_the_question(assistant: Assistant) -> None:
    assert not assistant.ask("广东有没有像鲁科担这样的担保费补贴？").in_scope
    assert assistant.ask("广东的企业能申请鲁科担吗？").in_scope  # named as itself, it anchors


def test_a_total_and_one_investment_of_it_go_to_their_own_rules(assistant: Assistant) -> None:
    answer = assistant.ask(
        "我们创投是新设立的，三年内累计投了省内非上市科技企业6亿，其中一笔1000万首投初创期企业已满2年，"
        "落户奖励和投早投小奖励一共多少？"
    )
    amounts = {c.rule_id: c.amount for c in answer.calculations}
    assert amounts == {"sd-vc-settle": 6_000_000, "sd-vc-early-reward": 500_000}  # 3 × 200万; 1000万 × 5%


def test_an_unstated_asker_is_whom_the_measures_serve_and_non_listed_names_no_listing(assistant: Assistant) -> None:
    # No 我们: the 创投 both rewards go to is the asker, not the 科技企业 it invested in; 非上市 is no IPO.
    answer = assistant.ask(
        "新迁入山东的创投，三年内投了省内非上市科技企业2亿；另外以增资扩股首轮投的一家初创企业持有2年后亏了500万，"
        "两项一共能拿多少？"
    )
    assert {c.rule_id: c.amount for c in answer.calculations} == {
        "sd-vc-settle": 2_000_000,
        "sd-vc-loss-subsidy": 1_000_000,  # 500万 × 20%
    }
    assert answer.total is not None and answer.total.amount == 3_000_000 and not answer.total.excluded


def test_a_measure_for_a_narrower_kind_is_to_confirm_in_a_match(assistant: Assistant) -> None:
    result = assistant.match({"subject": "科技型企业", "region": "山东省", "on": "2025-06-30"})
    item = next(i for i in result.items if i.rule is not None and i.rule.id == "sd-lukedai-interest")
    assert item.status == "to_confirm" and "待确认：须为科技型中小企业" in item.why
    assert "待确认：科技型中小企业" not in item.why  # the same fact asked once


def test_a_match_on_a_day_outside_a_document_s_period_says_why_its_measures_do_not_apply(
    assistant: Assistant,
) -> None:
    before = assistant.match({"subject": "创业投资机构", "region": "山东省", "on": "2023-03-01"})
    items = [i for i in before.items if i.document.id == "sd-2023-155"]
    assert items and all(i.status == "not_eligible" for i in items)
    assert all("2023年3月1日不在本文件施行期内（2024年1月1日至2028年12月31日）" in i.why for i in items)
    assert before.total.amount == 0
    during = assistant.match({"subject": "创业投资机构", "region": "山东省", "on": "2025-03-01"})
    assert any(i.status != "not_eligible" for i in during.items if i.document.id == "sd-2023-155")


def test_the_asker_of_a_first_turn_counts_in_a_later_total(assistant: Assistant) -> None:
    conversation = assistant.conversation()
    conversation.ask("我们是创投机构，准备迁到山东")
    conversation.ask("落户奖励怎么算？我们管理的基金规模20亿")
    conversation.ask("投早投小呢？去年首次投了一家省内初创期企业1000万，已经满2年")
    total = conversation.ask("加起来一共多少").total
    assert total is not None and total.amount == 500_000 and total.rule_ids == ("sd-vc-early-reward",)


@pytest.mark.parametrize(
    ("question", "rule_id"),
    [
        ("去年投了一个初创项目800万，能奖多少？", "sd-vc-early-reward"),
        ("累计投了省内科技企业6亿，能奖多少？", "sd-vc-settle"),
    ],
)
def test_a_single_investment_and_a_total_go_to_the_rules_made_for_them(
    assistant: Assistant, question: str, rule_id: str
) -> None:
    answer = assistant.ask(question)
    assert answer.calculation is not None and answer.calculation.rule_id == rule_id


@pytest.mark.parametrize(
    "question",
    ["山东155号文件从什么时候开始执行，有没有有效期？", "2028年12月31号签的担保还算155号文的政策期内吗？"],
)
def test_a_question_about_a_documents_period_is_answered_by_its_closing_clause(
    assistant: Assistant, question: str
) -> None:
    # 有没有 asks for no amount; 12月31号 is a day, not the 文号 155号
    assert assistant.ask(question).citations[0].clause_id == "sd-2023-155#closing"


def test_joint_training_is_a_measure_and_joint_issuing_is_about_the_document(assistant: Assistant) -> None:
    assert assistant.ask("银行和高校联合培养科技金融人才，山东支持吗？").citations[0].clause_id == "sd-2023-155#18"
    assert assistant.ask("155号文是哪几个部门联合发的？").citations[0].clause_id == "sd-2023-155#notice"


@pytest.mark.parametrize(
    "question",
    [
        "我们担保公司给一家餐饮企业做的鲁科担，知识产权反担保，费率0.5%，担保金额500万，保费补贴多少？",
        "这笔不是鲁科担，是普通担保，担保金额1000万，费率0.4%，能拿保费补贴吗？",
    ],
)
def test_a_guarantee_outside_the_measure_gets_no_fee_subsidy(assistant: Assistant, question: str) -> None:
    calc = assistant.ask(question).calculation
    assert calc is not None and calc.rule_id == "sd-lukedan-fee" and calc.eligible is False and calc.amount == 0


def test_measures_listed_with_he_are_each_answered(assistant: Assistant) -> None:
    answer = assistant.ask("科技企业发债增信与进科技项目库，各自有啥好处？")
    assert [c.clause_id for c in answer.citations] == ["sd-2023-155#11", "sd-2023-155#13"]


def test_a_floor_the_law_sets_is_answered_as_the_least_due(assistant: Assistant) -> None:
    answer = assistant.ask("我们研究所把一项专利许可给企业用，许可净收入80万，单位也没定奖励办法，科研人员能分多少？")
    assert answer.calculation is not None and answer.calculation.rule_id == "cn-result-transfer-reward"
    assert answer.calculation.amount == 400_000 and "至少可获 **40万元**" in answer.answer


def test_an_amount_asked_of_the_provision_its_words_name_is_answered_surely(assistant: Assistant) -> None:
    # （九） on listing ranks close behind （十）, but only （十）'s IPO subsidy has an amount the words name
    answer = assistant.ask("我想问下科技企业上市山东给多少钱")
    assert answer.confidence == "high" and answer.citations[0].clause_id == "sd-2023-155#10"


def test_a_self_description_asking_about_one_named_measure_is_no_profile_match(assistant: Assistant) -> None:
    answer = assistant.ask("我们是内蒙的企业，想去北交所上市，有啥支持？")  # 北交所上市 stands for 首次公开发行
    assert answer.citations[0].clause_id == "nm-2025-15#6" and answer.total is None
    assert len(assistant.ask("我们是科技型中小企业，山东有哪些政策能用上？").citations) > 3  # still a match


def test_the_asker_s_city_places_the_question_without_being_searched_for(assistant: Assistant) -> None:
    loans = assistant.ask("我们在济南做芯片设计，怎么能从银行多贷点款？")
    assert loans.in_scope and "sd-2023-155#19" not in [c.clause_id for c in loans.citations]  # 济南…试验区
    assert assistant.ask("济南科创金融改革试验区有什么政策？").citations[0].clause_id == "sd-2023-155#19"


def test_a_subject_named_with_a_topic_asks_about_the_topic_not_every_measure(assistant: Assistant) -> None:
    bonds = assistant.ask("科技型企业想发行债券融资，山东这边有哪些支持？")
    assert bonds.total is None and bonds.citations[0].clause_id == "sd-2023-155#11"
    assert len(assistant.ask("科技型企业在山东能享受哪些优惠政策？").citations) > 3  # no topic: a match
    # An everyday topic word (贷款) is a topic as much as a policy term is.
    loans = assistant.ask("山东的科技企业，贷款有哪些支持？")
    assert loans.total is None and loans.citations[0].clause_id == "sd-2023-155#1" and len(loans.citations) <= 3


def test_a_measure_named_keeps_its_clause_before_another_clauses_rule(assistant: Assistant) -> None:
    answer = assistant.ask("公司发了5000万的科创债，票面利率2.8%，省里给贴息多少？")
    assert answer.citations[0].clause_id == "sd-2023-155#11" and answer.calculation is None
    assert "金额文件未明确" in answer.answer


def test_two_provisions_of_one_clause_named_for_a_total_are_each_computed(assistant: Assistant) -> None:
    answer = assistant.ask("鲁科担业务担保了2000万，无反担保，费率0.5%，后来代偿了，保费补贴加风险补偿一共多少？")
    assert {c.rule_id for c in answer.calculations} == {"sd-lukedan-fee", "sd-lukedan-risk"}
    assert answer.total is not None and answer.total.amount == 4_100_000  # 10万 + 400万, both to the guarantor
    loss = assistant.ask("鲁科贷本金损失800万，财政一共分担多少？").calculation  # 鲁科贷 names the clause only
    assert loss is not None and loss.amount == 5_600_000


def test_a_later_turn_naming_another_provision_of_the_clause_computes_it_with_what_was_given(
    assistant: Assistant,
) -> None:
    conversation = assistant.conversation()
    conversation.ask("鲁科担保费补贴怎么算")
    fee = conversation.ask("担保金额2000万，费率0.4%，知识产权反担保").calculation
    assert fee is not None and fee.rule_id == "sd-lukedan-fee" and fee.amount == 100_000
    risk = conversation.ask("如果代偿了呢").calculation
    assert risk is not None and risk.rule_id == "sd-lukedan-risk" and risk.amount == 4_000_000  # 2000万 × 20%


def test_a_bare_self_description_is_answered_with_the_measures_for_that_subject(assistant: Assistant) -> None:
    answer = assistant.ask("我们是青岛的一家担保公司。")
    cited = {c.clause_id for c in answer.citations}
    assert "sd-2023-155#3" in cited and "sd-2023-155#1" not in cited  # the guarantor's, not the borrower's


def test_income_said_plainly_is_the_transfer_income_a_reward_floor_takes(assistant: Assistant) -> None:
    answer = assistant.ask("浙江大学一项专利许可出去，净收入80万，研发团队至少能分多少")
    assert answer.calculation is not None and answer.calculation.rule_id == "zj-result-transfer-reward"
    assert answer.calculation.amount == 560000
    plain = assistant.ask("单位没约定奖励，职务成果转让给企业收入60万元，按法律完成人至少拿多少")
    assert plain.calculation is not None and plain.calculation.amount == 300000
    revenue = assistant.ask("我们公司营业收入5亿元，鲁科贷利息付了30万能贴多少")  # 营业收入 is no transfer income
    assert revenue.calculation is not None and revenue.calculation.amount == 120000


def test_a_city_s_own_clause_is_not_displaced_by_the_province_s_rule(assistant: Assistant) -> None:
    answer = assistant.ask("青岛的大学转让专利收入100万，给团队的奖励最少多少")
    assert answer.citations[0].clause_id == "qd-kjcxcjtl-20110729#41"
    assert answer.calculation is not None and answer.calculation.amount == 300000


def test_an_institution_registered_in_another_province_is_not_new_to_the_rule_s_region(assistant: Assistant) -> None:
    elsewhere = assistant.ask("我们是注册在江苏的创投，新设立不到两年，投了山东企业3亿元，能拿山东的落户奖励吗？")
    assert elsewhere.calculation is not None and elsewhere.calculation.eligible is False
    statuses = {c.text: c.status for c in elsewhere.calculation.conditions}
    assert statuses["新设立或新迁入"] == "unmet" and statuses["实际投资山东区域内"] != "unmet"  # the deal is in 山东
    here = assistant.ask("我们创投机构注册在济南，新设立的，3年内投了山东企业4亿元，落户奖励多少？")
    assert here.calculation is not None and here.calculation.eligible is True and here.calculation.amount == 4000000


def test_a_loan_with_its_rate_and_a_listing_are_measures_of_a_total_beside_a_named_one(assistant: Assistant) -> None:
    # The loan is never called 鲁科贷 and retrieval ranks its clause low: its principal alone implies it.
    answer = assistant.ask("山东的企业，借了300万年利率5%一年，买科技保险交了8万保费，今年又在科创板上市，合计能拿多少")
    cited = {c.clause_id for c in answer.citations}
    assert {"sd-2023-155#1", "sd-2023-155#4", "sd-2023-155#10"} <= cited
    amounts = {c.rule_id: c.amount for c in answer.calculations}
    assert amounts["sd-lukedai-interest"] == 60000  # 300万 × 5% × 1年 × 40%


def test_a_guarantee_fee_paid_is_not_an_insurance_premium(assistant: Assistant) -> None:
    answer = assistant.ask("鲁科贷的利息付了30万，鲁科担那边交了担保费5万，总共能返多少")
    assert "sd-lukebao-premium" not in {c.rule_id for c in answer.calculations}
    assert answer.total is not None and answer.total.amount == 120000


def test_a_question_about_law_naming_no_place_is_answered_from_national_law_first(assistant: Assistant) -> None:
    answer = assistant.ask("法律对科技成果转化的奖励比例有规定吗")
    assert answer.citations[0].clause_id == "cn-cjkjcgzhf-20150829#45"  # not 浙江's regulation of the same
    zhejiang = assistant.ask("浙江的条例对科技成果转化的奖励比例有规定吗")
    assert zhejiang.citations[0].clause_id.startswith("zj-")


def test_a_measure_named_by_its_brand_is_not_displaced_by_one_sharing_its_other_words(assistant: Assistant) -> None:
    # 保费补贴 is said of 鲁科保 too, whose rule has more trigger words in the question: the brand decides.
    answer = assistant.ask("鲁科担那个保费补贴给多少")
    assert answer.citations[0].clause_id == "sd-2023-155#3"
    assert answer.calculation is not None and answer.calculation.rule_id == "sd-lukedan-fee"


def test_the_measures_a_responsible_unit_leads_or_takes_part_in_are_listed(assistant: Assistant) -> None:
    answer = assistant.ask("省科技厅负责哪些措施")
    cited = [c.clause_id for c in answer.citations]
    assert cited and all(c.startswith("sd-2023-155#") for c in cited)  # 省科技厅 is 山东's, not 内蒙古's 科技厅
    for citation in answer.citations:
        clause = assistant.clause(citation.clause_id)
        assert "省科技厅" in {u.name for u in clause.units} and citation.quote in clause.text
    leads = sum("省科技厅" in assistant.clause(c).lead_units for c in cited)
    assert f"共{len(cited)}项（其中牵头{leads}项）" in answer.answer
    both = assistant.ask("科技厅负责哪些工作")  # the office in either region
    assert {c.clause_id.split("#")[0] for c in both.citations} == {"sd-2023-155", "nm-2025-15"}


def test_an_institution_set_up_before_the_policy_is_not_new_unless_it_relocated(assistant: Assistant) -> None:
    old = assistant.ask("我们这家创投2018年成立的，三年累计投了山东科技企业4亿，落户奖励能拿多少")
    assert old.calculation is not None and old.calculation.eligible is False
    moved = assistant.ask("私募基金管理人2018年成立，管理规模80亿，今年刚迁入山东，奖多少")
    assert moved.calculation is not None and moved.calculation.eligible is not False


def test_a_body_a_document_of_the_library_names_is_no_outside_body(assistant: Assistant) -> None:
    answer = assistant.ask("国家中小企业发展基金主要用来干什么？")  # 中小企业促进法 第十条 sets it up
    assert answer.in_scope and answer.citations[0].clause_id == "cn-zxqycjf-20170901#10"


def test_several_clause_numbers_named_at_once_are_each_quoted(assistant: Assistant) -> None:
    answer = assistant.ask("鲁政办字〔2023〕155号第（三）条和第（四）条各讲什么")
    assert [c.clause_id for c in answer.citations] == ["sd-2023-155#3", "sd-2023-155#4"]
    assert answer.calculations == ()
    assert all(c.quote == assistant.clause(c.clause_id).text for c in answer.citations)  # each quoted whole


def test_among_laws_the_national_one_comes_first_when_no_place_is_named(assistant: Assistant) -> None:
    answer = assistant.ask("职务科技成果转让后给完成人的奖励最少是多少")
    assert answer.citations[0].clause_id == "cn-cjkjcgzhf-20150829#45"  # not 浙江's or 青岛's article


def test_an_asker_the_money_never_reaches_is_not_eligible(assistant: Assistant) -> None:
    answer = assistant.ask("我们是保险公司，鲁科保保费30万能补多少")  # the subsidy is the insured enterprise's
    assert answer.calculation is not None and answer.calculation.eligible is False
    assert answer.calculation.conditions[0].text == "本项给予科技型企业，您所述为保险机构"
    enterprise = assistant.ask("我们是科技型中小企业，鲁科保首年保费30万能补多少")
    assert enterprise.calculation is not None and enterprise.calculation.amount == 150000


def test_a_loan_spent_on_something_else_is_no_transfer_loan(assistant: Assistant) -> None:
    answer = assistant.ask("鲁科贷那笔贷款其实拿去炒股了，利息30万还能贴吗")
    assert answer.calculation is not None and answer.calculation.eligible is False
    assert {c.text: c.status for c in answer.calculation.conditions}["科技成果转化贷款"] == "unmet"


def test_a_capital_below_the_law_s_minimum_fails_its_requirement(assistant: Assistant) -> None:
    answer = assistant.ask("打算开一家融资担保公司，注册资本1500万行不行")
    assert answer.calculation is not None and answer.calculation.rule_id == "cn-guarantee-min-capital"
    assert answer.calculation.eligible is False and "不符合" in answer.answer and "不能享受" not in answer.answer


def test_a_term_asked_what_it_means_gets_its_clause_quoted_whole(assistant: Assistant) -> None:
    answer = assistant.ask("“政银担投”到底指什么")
    clause = assistant.clause("sd-2023-155#14")
    assert answer.citations[0].clause_id == clause.id
    assert "财政资金、银行贷款、融资担保、产业投资一体化配置" in answer.citations[0].quote  # the defining sentence


def test_the_part_of_a_document_asked_for_is_listed_article_by_article(assistant: Assistant) -> None:
    answer = assistant.ask("中小企业促进法哪一章是讲融资的")
    cited = [c.clause_id for c in answer.citations]
    assert sorted(cited) == sorted(f"cn-zxqycjf-20170901#{n}" for n in range(13, 24))  # 第三章 融资促进
    assert "第三章 融资促进" in answer.answer
    listed = [answer.answer.index(f"第{n}条") for n in ("十三", "十四", "二十三")]
    assert listed == sorted(listed)  # the text in the document's order, the citations best first
    assert all(c.quote in assistant.clause(c.clause_id).text for c in answer.citations)


def test_the_chapter_of_penalties_is_found_whatever_the_penalty_is_called(assistant: Assistant) -> None:
    """违反了会怎么罚，在第几章: the chapter on penalties is named 法律责任, a word the question need not say."""
    answer = assistant.ask("融资担保公司监督管理条例里，违反了规定会怎么罚，是在第几章？")
    assert "法律责任" in answer.answer.split("**依据**")[0]


def test_a_chapter_named_by_its_words_answers_a_topic_its_texts_do_not_name(assistant: Assistant) -> None:
    """金融环境那一章…天使投资: the chapter is what the question is about; a narrower word its texts never use
    (天使投资) is no reason to decline."""
    answer = assistant.ask("上海科创中心那部条例，金融环境这一章，说没说天使投资")
    assert answer.in_scope and answer.citations[0].clause_id.startswith("sh-tjkjcxzxjstl-20200120#")


def test_a_chapter_named_by_its_number_is_listed_in_order_and_never_read_as_an_article(assistant: Assistant) -> None:
    answer = assistant.ask("融资担保公司监督管理条例第五章一共几条？")
    cited = [c.clause_id for c in answer.citations]
    assert cited == [f"cn-rzdbgsjdgltl-20170802#{n}" for n in range(36, 45)]  # 第五章 法律责任, not 第五条
    # With no document named, a chapter number several documents have names none of them for sure.
    unnamed = assistant.ask("第二章讲的是什么")
    assert unnamed.confidence == "low" or not unnamed.in_scope


@pytest.mark.parametrize(
    "question", ["中小企业促进法后来还改过没？现在用的是哪一版", "现在执行的还是2017年修订的那版中小企业促进法吗"]
)
def test_a_question_about_a_law_s_versions_is_answered_from_its_history(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert answer.citations and answer.citations[0].clause_id == "cn-zxqycjf-20170901#preamble"
    assert "所问时间" not in answer.answer  # 2017年修订的 names a version, not a day asked about


def test_a_total_is_for_the_subject_named_when_the_measures_serve_several(assistant: Assistant) -> None:
    answer = assistant.ask("科技型中小企业，鲁科贷利息20万，另外鲁科担担保费率0.3%，担保金额500万，合计多少")
    # 鲁科担's fee subsidy goes to the guarantor; a measure left out gives a reason, never a blank
    assert answer.total is not None and answer.total.rule_ids == ("sd-lukedai-interest",)
    settle = assistant.ask("我们创投新迁入青岛，首次投了一家初创企业2000万满两年，落户奖励和投早投小一共多少")
    assert settle.total is not None
    assert dict(settle.total.excluded)["sd-vc-settle"] == "不符合条件：2000万元不满2亿元，不予奖励"


def test_with_no_place_named_both_regions_close_measures_are_shown(assistant: Assistant) -> None:
    answer = assistant.ask("信贷人员的尽职免责有什么规定")
    assert {c.clause_id for c in answer.citations} >= {"sd-2023-155#20", "nm-2025-15#14"}
    assert "两地文件都有相关规定" in answer.answer
    one = assistant.ask("鲁科担有什么规定")  # a brand names its region
    assert all(c.clause_id.startswith("sd-") for c in one.citations)


def test_a_provision_named_with_no_place_is_answered_for_its_recipient_not_both_regions(
    assistant: Assistant,
) -> None:
    answer = assistant.ask("贷款本金的风险补偿，我们公司可以去申请吗？")  # 风险补偿 names the loss-sharing rule
    assert answer.calculation is not None and answer.calculation.rule_id == "sd-lukedai-loss"
    assert answer.calculation.eligible is False  # the banks' and the budgets' share, not the firm's
    assert "两地文件都有相关规定" not in answer.answer


def test_a_figure_asked_goes_to_the_clause_close_behind_that_states_it(assistant: Assistant) -> None:
    # 第三十三条 leaves the reward to the unit; 第三十四条 states the 百分之七十.
    answer = assistant.ask("按山东省促进科技成果转化条例，科研人员的成果转化奖励比例是多少？")
    assert answer.citations[0].clause_id == "sd-cjkjcgzhtl-20171201#34"


def test_a_measure_named_by_its_brand_beats_a_clause_the_self_description_matches(assistant: Assistant) -> None:
    answer = assistant.ask("作为上市公司的全资子公司，鲁科贷能不能拿")  # 上市 describes the asker
    assert answer.calculation is not None and answer.calculation.rule_id == "sd-lukedai-interest"


def test_the_period_of_a_named_measure_is_the_conclusion(assistant: Assistant) -> None:
    answer = assistant.ask("鲁科担的政策哪年到期")
    assert "施行期为2024年1月1日至2028年12月31日" in answer.answer.split("\n")[0]
    assert answer.citations[0].clause_id == "sd-2023-155#closing"  # the sentence stating the period first
    answer = assistant.ask("2027年3月做的鲁科保业务，还在政策有效期里吗")
    assert answer.answer.split("\n")[0].startswith("**结论**：所问时间2027年3月1日在施行期内")


def test_implementing_a_result_is_no_question_of_when_a_law_applies(assistant: Assistant) -> None:
    answer = assistant.ask("单位自行实施转化的成果，投产后按国家的成果转化法要连续几年给团队提奖励？")
    assert answer.citations[0].clause_id == "cn-cjkjcgzhf-20150829#45"
    assert "施行期：" not in answer.answer.split("\n")[0]


def test_a_business_no_measure_serves_asking_in_general_is_told_so(assistant: Assistant) -> None:
    answer = assistant.ask("我开了家火锅店，政府有补贴吗")
    assert answer.in_scope is False and "不在其支持范围内" in answer.answer
    named = assistant.ask("我们是餐饮企业，鲁科贷能用吗")  # a measure named: its condition decides
    assert named.calculation is not None and named.calculation.eligible is False


def test_a_topic_in_the_setting_of_the_question_does_not_decline_it(assistant: Assistant) -> None:
    answer = assistant.ask("货款被拖了半年，员工工资都发不出来了。法律对大企业拖欠小企业的款项有什么规定？")
    assert answer.in_scope and answer.citations[0].clause_id == "cn-zxqycjf-20170901#53"


def test_everyday_words_are_not_spelt_into_words_that_decline(assistant: Assistant) -> None:
    answer = assistant.ask("企业还不上贷款，省里会不会帮银行分担点损失？")  # 会不会帮 is not 会不会变
    assert answer.in_scope and answer.citations


def test_a_topic_word_beside_a_covered_matter_does_not_decline_it(assistant: Assistant) -> None:
    answer = assistant.ask("科研人员离职后还能拿成果转化的奖励吗")
    assert answer.in_scope and answer.citations[0].clause_id.startswith("cn-cjkjcgzhf-20150829#")


@pytest.mark.parametrize(
    ("question", "broken"),
    [
        ("前年那笔科技成果转化贷款拖欠了一个季度利息，鲁科贷贴息还能申请吗", "按时还本付息"),
        ("我们给济南一家初创公司投了600万，拿了一年多就退出了，投早投小奖励有吗", "满2年以上"),
        ("投了烟台一家种子期企业400万，投资还不到2年，奖励能拿多少", "满2年以上"),
        ("我们投的那家早期企业在安徽，投了800万满3年了，山东奖励多少", "投资我省"),
        ("我们这只基金2018年就在青岛注册了，这两年投了山东企业4亿，落户奖励怎么算", "新设立或新迁入"),
        ("那笔科技贷款是借新还旧用的，鲁科贷还能贴息吗", "科技成果转化贷款"),
        ("公司股票在新三板创新层挂牌了，山东的IPO补助能拿吗", "符合条件首次公开发行股票（IPO）的科技型企业"),
    ],
)
def test_a_stated_fact_said_in_other_words_breaks_its_condition(
    assistant: Assistant, question: str, broken: str
) -> None:
    answer = assistant.ask(question)
    assert answer.calculation is not None and answer.calculation.eligible is False
    assert {c.text: c.status for c in answer.calculation.conditions}[broken] == "unmet"


def test_a_figure_below_a_floor_it_exceeds_leaves_the_condition_to_confirm(assistant: Assistant) -> None:
    answer = assistant.ask("投了济南一家初创企业500万，持有不到5年，投早投小奖励多少")
    assert answer.calculation is not None and answer.calculation.amount == 250000
    assert {c.text: c.status for c in answer.calculation.conditions}["满2年以上"] == "unknown"


@pytest.mark.parametrize(
    "question",
    [
        "本人作为个人投资者投了300万到一家初创企业，有奖励吗？",  # 作为 describes the asker; 有奖励吗 asks if it may
        "我们担保公司在安徽注册的，能拿鲁科担的补助吗？",  # registered before 注册; 能拿…的…吗 asks if it may
    ],
)
def test_an_asker_the_measure_does_not_serve_is_told_so(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert answer.calculation is not None and answer.calculation.eligible is False


@pytest.mark.parametrize(
    "question",
    ["我们集团是科技型总部企业，今年发了3亿科创债，省里能补多少？", "我们是科技型总部企业，去年发了科创债，有补贴吗？"],
)
def test_who_asks_does_not_name_the_measure_asked_about(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)  # the bonds' clause, not the HQ listing reward the asker's kind names
    assert answer.confidence == "high" and answer.citations[0].clause_id == "sd-2023-155#11"


def test_two_measures_asked_whether_both_may_be_had_are_each_answered(assistant: Assistant) -> None:
    answer = assistant.ask("IPO补助和鲁科贷贴息能同时享受吗？")
    assert {c.clause_id for c in answer.citations} == {"sd-2023-155#1", "sd-2023-155#10"}


def test_measures_named_together_and_asked_whether_usable_together_are_each_answered(assistant: Assistant) -> None:
    # Both named in one article (（十五）'s list of products) is no answer to whether they combine.
    answer = assistant.ask("我们做了鲁科担，也买了鲁科宝，这俩能一块用不")
    assert [c.clause_id for c in answer.citations] == ["sd-2023-155#3", "sd-2023-155#4"]
    # Nothing in either clause limits having both: said so, without promising they may be combined.
    assert "均未规定上述措施不得同时享受" in answer.answer and "以责任单位的解释为准" in answer.answer


def test_a_clause_limiting_measures_together_is_quoted_when_asked(assistant: Assistant) -> None:
    clause = assistant.clause("sd-2023-155#3")
    limit = dataclasses.replace(clause.sentences[0], text="同一项目不重复享受省级财政补助。")
    limited = dataclasses.replace(clause, sentences=(*clause.sentences, limit))
    line = assistant.writer._together([limited, assistant.clause("sd-2023-155#4")])
    assert line == f"**能否同时享受**：{clause.label}：“同一项目不重复享受省级财政补助。”"


def test_support_asked_in_the_plural_quotes_several_clauses_of_the_document(assistant: Assistant) -> None:
    answer = assistant.ask("内蒙古那边，企业上市以后再融资、搞并购，都给些什么支持")
    cited = [c.clause_id for c in answer.citations]
    assert len(cited) >= 2 and {"nm-2025-15#6", "nm-2025-15#8"} <= set(cited)


def test_a_condition_in_the_clause_s_words_says_whose_fact_it_is(assistant: Assistant) -> None:
    answer = assistant.ask("我们创投投了一家济南的初创企业2000万，投早投小奖励多少")
    assert "- 【待确认】科技型企业 —— 被投企业为科技型企业" in answer.answer  # the investee's, not the asker's
    assert "- 【待确认】满2年以上\n" in answer.answer  # a number's label (投资持有年限) would add nothing


def test_the_region_asked_about_is_searched_not_the_one_the_asker_is_in(assistant: Assistant) -> None:
    answer = assistant.ask("我们在山东青岛，内蒙古的上市奖励我们能拿吗")
    assert {c.clause_id.split("#")[0] for c in answer.citations} == {"nm-2025-15"}  # not 山东's IPO subsidy


def test_a_document_of_a_kind_the_library_lacks_is_declined_by_name(assistant: Assistant) -> None:
    answer = assistant.ask("商业银行资本管理办法对科技企业贷款的风险权重是如何规定的？")
    assert not answer.in_scope and "收录文件中没有《商业银行资本管理办法》" in answer.answer
    # 有没有办法 names no document; a 办法 a clause cites is one the library quotes from.
    assert assistant.ask("没有东西可以质押，有没有办法凭科技实力拿到融资？").in_scope
    assert assistant.ask("内蒙古融资担保公司风险补偿和保费补助资金管理办法是哪个文件提到的").in_scope


def test_a_short_abbreviation_names_the_one_title_it_fits(assistant: Assistant) -> None:
    answer = assistant.ask("担保条例哪年施行的？")  # 融资担保公司监督管理条例 alone holds 担…保…条例
    assert answer.citations[0].clause_id == "cn-rzdbgsjdgltl-20170802#49"


def test_a_part_made_of_asking_words_asks_about_the_measure_named_before(assistant: Assistant) -> None:
    answer = assistant.ask("我们给科技企业放了一笔1个亿的鲁科贷，年化3.2%，期限一年，企业能拿多少贴息？有没有上限？")
    assert [c.clause_id for c in answer.citations] == ["sd-2023-155#1"]  # 有没有上限 is no IPO subsidy
    assert answer.calculation is not None and answer.calculation.amount == 500000  # 320万 × 40%, capped


def test_investments_listed_after_what_was_invested_in_are_summed(assistant: Assistant) -> None:
    answer = assistant.ask("今年我们投了三家初创期科技型企业，分别是800万元、1200万元和伍佰万元，奖励总共能拿多少？")
    assert answer.calculation is not None and answer.calculation.rule_id == "sd-vc-early-reward"
    assert answer.calculation.amount == 1250000  # (800 + 1200 + 500)万 × 5%


@pytest.mark.parametrize("question", ["明天济南会不会下雨？", "2023年山东全省技术合同成交额是多少？"])
def test_weather_and_a_region_s_statistics_are_declined(assistant: Assistant, question: str) -> None:
    assert not assistant.ask(question).in_scope


@pytest.mark.parametrize(
    "question",
    [
        "我们基金投了一家初创科技企业1500万元，企业注册在河南，投早投小奖励有吗",  # outside 我省
        "我们基金参与了一家已经上市五年的公司定增，这个能算投早投小拿奖励吗？",  # no early-stage firm
    ],
)
def test_a_fact_of_the_investee_said_apart_from_the_investing_breaks_the_reward(
    assistant: Assistant, question: str
) -> None:
    answer = assistant.ask(question)
    assert answer.calculation is not None and answer.calculation.rule_id == "sd-vc-early-reward"
    assert answer.calculation.eligible is False


def test_a_deal_in_a_corpus_region_beside_where_the_asker_is_asks_that_region(assistant: Assistant) -> None:
    answer = assistant.ask("我们公司在江苏，投了一家山东的初创企业，投早投小奖励有吗")
    assert answer.in_scope and answer.citations[0].clause_id == "sd-2023-155#6"
    assert not assistant.ask("我们公司在江苏，有没有科技贷款贴息").in_scope  # its own place's policy


def test_the_province_named_ranks_its_own_documents_before_a_city_s(assistant: Assistant) -> None:
    answer = assistant.ask("山东对技术转让给科研人员的奖励比例是多少？")  # the 山东 条例, not 青岛's
    assert answer.citations[0].clause_id == "sd-cjkjcgzhtl-20171201#34"


def test_the_one_rule_of_the_region_named_taking_a_number_is_found_beyond_the_ranking(assistant: Assistant) -> None:
    u = assistant.reader.read("山东一所大学拿专利作价600万入股公司，发明人团队至少能拿多少股份？")
    missed = [h for h in assistant.retriever.hits(u) if h.clause_id != "sd-cjkjcgzhtl-20171201#34"]
    assert assistant.retriever.prefer_rules(u, missed)[0].clause_id == "sd-cjkjcgzhtl-20171201#34"


def test_what_a_document_provides_asked_as_a_list_quotes_several_of_its_articles(assistant: Assistant) -> None:
    answer = assistant.ask("中小企业促进法对小微企业融资有哪些规定？")
    docs = {c.clause_id.split("#")[0] for c in answer.citations}
    assert len(answer.citations) >= 2 and docs == {"cn-zxqycjf-20170901"}
    assert "条规定，逐条说明" in answer.answer


def test_a_stage_of_a_listing_names_the_staged_listing_reward(assistant: Assistant) -> None:
    answer = assistant.ask("辅导验收通过了，能领什么奖励？")  # 辅导验收: a stage of the 上市进程
    assert answer.citations[0].clause_id == "sd-2023-155#10"


def test_who_issues_a_licence_is_asked_of_the_clause_not_the_document(assistant: Assistant) -> None:
    answer = assistant.ask("担保公司的经营许可证是谁发的？")  # 谁发的 of a 许可证, not of a document
    assert answer.citations[0].clause_id == "cn-rzdbgsjdgltl-20170802#8"


def test_whether_days_fall_within_the_period_cites_the_period_first(assistant: Assistant) -> None:
    answer = assistant.ask("2024年5月到2026年5月付的成果转化贷款利息，都在鲁科贷的有效期内吗，都能申请贴息吗？")
    assert [c.clause_id for c in answer.citations][:2] == ["sd-2023-155#closing", "sd-2023-155#1"]


def test_another_province_s_product_beside_ours_is_still_asked_about(assistant: Assistant) -> None:
    """浙科贷 compared with 鲁科贷: the corpus holds one side only, so it is declined (鲁科贷 offered as
    related); told as the asker's past (之前办过浙科贷), the question is about 鲁科贷 alone."""
    compared = assistant.ask("浙科贷和鲁科贷相比，哪个贴息比例高？")
    assert not compared.in_scope and "浙科贷" in compared.answer
    past = assistant.ask("我们之前在杭州办过浙科贷，现在公司迁到济南了，鲁科贷能申请吗？")
    assert past.in_scope and past.citations[0].clause_id == "sd-2023-155#1"


def test_a_sum_said_of_what_a_phrase_describes_takes_its_role_however_far(assistant: Assistant) -> None:
    """投了三家初创期的…企业合计4500万元: 合计 sums what the phrase says, 投了 qualifies it (200万, capped)."""
    answer = assistant.ask("我们今年投了三家初创期的山东科技型中小企业合计4500万元，投早投小能拿多少")
    assert answer.calculation is not None and answer.calculation.inputs.get("investment") == 45000000


def test_a_measure_for_another_subject_goes_after_the_stated_askers_own(assistant: Assistant) -> None:
    """我们是创投机构…保险资金给我们出资了2亿元: the 长期资本方's reward, given a sum, is still not the asker's."""
    question = "我们是创投机构，保险资金给我们出资了2亿元，我们投了种子期的山东科技企业1000万，能拿哪些奖励，一共多少"
    answer = assistant.ask(question)
    assert answer.calculations[-1].rule_id == "sd-long-term-capital"
    assert answer.total is not None and answer.total.amount == 500000


def test_a_term_in_the_askers_self_description_names_no_measure_asked_beside_those_listed(assistant: Assistant) -> None:
    """专注硬科技的VC describes the asker: the measures asked are those listed after it, in their order."""
    answer = assistant.ask("我们是一家专注硬科技的VC，想问山东的落户奖励和长期资本出资奖励各是什么内容？")
    assert [c.clause_id for c in answer.citations[:2]] == ["sd-2023-155#5", "sd-2023-155#7"]


def test_when_money_is_paid_is_no_validity_asked(assistant: Assistant) -> None:
    """什么时候兑现 asks when the reward is paid, not the document's period: the measure is quoted first."""
    answer = assistant.ask("在科创板上市，省里给不给奖励？什么时候兑现？")
    assert answer.citations[0].clause_id == "sd-2023-155#10"
    assert assistant.ask("IPO的省级补助一般何时拨付").citations[0].clause_id == "sd-2023-155#10"


def test_a_breach_found_is_answered_with_what_befalls_it(assistant: Assistant) -> None:
    """未经批准经营 (第六条) or a limit passed (第十五条): the article stating the penalty is quoted and cited
    after the conditions; an answer finding no breach quotes none."""
    unlicensed = assistant.ask("我们还没拿到许可证，能先做融资担保业务吗")
    cited = [c.clause_id for c in unlicensed.citations]
    assert cited == ["cn-rzdbgsjdgltl-20170802#6", "cn-rzdbgsjdgltl-20170802#36"]
    assert "**违反的后果**" in unlicensed.answer and "50万元以上100万元以下" in unlicensed.answer
    over = assistant.ask("担保公司净资产1亿，在保余额13亿，合规吗")
    assert over.citations[-1].clause_id == "cn-rzdbgsjdgltl-20170802#40"
    within = assistant.ask("担保公司净资产1亿，在保余额8亿，合规吗")
    assert "违反的后果" not in within.answer


def test_a_prohibited_act_said_planned_makes_its_clause_certain(assistant: Assistant) -> None:
    """当存款收一笔钱、按月给利息: what 第二十三条 forbids, said planned, is answered 不可以, not offered as
    possibly related."""
    answer = assistant.ask("我们担保公司周转紧张，想找熟人当存款收一笔钱、按月给利息，行吗")
    assert answer.confidence == "high" and "不可以" in answer.answer
    assert answer.calculation is not None and answer.calculation.eligible is False


def test_a_prohibited_act_said_done_is_answered_by_its_clause_wherever_retrieval_ranks_it(assistant: Assistant) -> None:
    """牌照还没下来，先接几单担保业务: 担保业务 draws the support measures; the act said is what 第六条 forbids."""
    answer = assistant.ask("牌照还没下来，我们担保公司能不能先接几单科技企业的担保业务？")
    assert answer.citations[0].clause_id == "cn-rzdbgsjdgltl-20170802#6" and "不可以" in answer.answer


def test_the_same_provision_asked_of_another_region_is_computed_with_the_earlier_figures(assistant: Assistant) -> None:
    """那浙江的条例呢 after the law's transfer reward: 浙江's one rule of the same kind and inputs, on the net
    income already given (800万 × 70%), not both earlier documents again."""
    conversation = assistant.conversation()
    first = conversation.ask("按国家法律，职务成果转让净收入800万元，完成团队至少分多少？")
    assert first.calculation is not None and first.calculation.amount == 4e6
    later = conversation.ask("那浙江的条例呢")
    assert later.calculation is not None and later.calculation.rule_id == "zj-result-transfer-reward"
    assert later.calculation.amount == 5.6e6


def test_yearly_profits_listed_are_each_a_floor_and_their_total_is_asked_once(assistant: Assistant) -> None:
    """投产后每年的营业利润 listed (分别): one provision, each year 5%, the total asked is theirs, and no other
    clause is taken for a second measure because a total is asked."""
    question = "单位自己实施成果转化，头两年营业利润分别是600万元和900万元，按法律完成人两年加起来至少拿多少？"
    answer = assistant.ask(question)
    assert [c.rule_id for c in answer.calculations] == ["cn-result-profit-reward"]
    assert answer.calculation is not None and answer.calculation.amount == 750000
    assert answer.total is not None and answer.total.amount == 750000


def test_a_person_asking_how_to_apply_for_an_enterprise_measure_is_told_it_is_not_theirs(assistant: Assistant) -> None:
    """How to apply asks whether one may: a person (是个人) is no enterprise. An insurer asking how to join
    鲁科保 is told what the clause offers insurers, not refused."""
    person = assistant.ask("我是个人，想申请鲁科贷，去哪办理？怎么办理？")
    assert person.calculation is not None and person.calculation.eligible is False
    insurer = assistant.ask("我们是财险公司，鲁科保如何申请参与？")
    assert insurer.calculation is None and insurer.citations[0].clause_id == "sd-2023-155#4"


def test_a_firm_based_in_another_province_gets_no_region_s_enterprise_measure(assistant: Assistant) -> None:
    away = assistant.ask("我们公司在安徽合肥，在深交所创业板首发上市，山东的上市补助能拿吗")
    assert away.calculation is not None and away.calculation.eligible is False
    assert any("安徽省" in c.text and c.status == "unmet" for c in away.calculation.conditions)
    home = assistant.ask("我们公司在潍坊，在深交所创业板首发上市，山东的上市补助能拿多少")
    assert home.calculation is not None and home.calculation.eligible is not False
    # An investor may come from anywhere: its measure's conditions say where it must invest.
    investor = assistant.ask("我们是安徽的创投，首次投资了山东一家初创期科技企业1000万，满两年了，奖励多少")
    assert investor.calculation is not None and investor.calculation.amount == 500000


def test_a_provision_named_with_a_fact_that_breaks_it_is_computed_not_its_neighbour_quoted(
    assistant: Assistant,
) -> None:
    answer = assistant.ask("我们机构2017年就在山东成立了，落户奖励现在还有份吗")
    assert answer.calculation is not None and answer.calculation.rule_id == "sd-vc-settle"
    assert answer.calculation.eligible is False


def test_a_document_is_named_without_the_province_or_city_of_its_title(assistant: Assistant) -> None:
    answer = assistant.ask("山东地方金融条例第一条写了什么")
    assert answer.citations[0].clause_id == "sd-dfjrtl-20160330#1"


def test_the_guarantee_balance_asked_plainly_is_the_leverage_cap(assistant: Assistant) -> None:
    whole = assistant.ask("担保公司净资产4亿，在保余额最多能到多少")
    assert whole.calculation is not None and whole.calculation.rule_id == "cn-guarantee-leverage-cap"
    one = assistant.ask("担保公司净资产4亿，对单一客户最多担保多少")
    assert one.calculation is not None and one.calculation.rule_id == "cn-guarantee-single-party-cap"


def test_a_guarantee_balance_stated_is_set_against_the_limit(assistant: Assistant) -> None:
    """The balance is no 鲁科担 amount guaranteed: nothing is computed on it but the room left. Asked what
    remains, the amount is what remains (the most the clause allows for the balance given); asked the limit
    first, the limit, what remains beside it."""
    answer = assistant.ask("我们担保公司净资产2亿元，目前在保余额15亿，按条例还能新增多少担保？")
    assert [c.rule_id for c in answer.calculations] == ["cn-guarantee-leverage-cap"]
    assert answer.calculation is not None and answer.calculation.amount == 5e8
    assert "尚可新增 **5亿元**" in answer.answer.split("**依据**")[0] and "20亿元（上限）" in answer.answer
    limit = assistant.ask("我们担保公司净资产2亿元，在保余额15亿，担保责任余额最多能做到多少，还有多少空间？")
    assert limit.calculation is not None and limit.calculation.amount == 2e9
    assert "尚可新增5亿元" in limit.answer.split("**依据**")[0]
    one = assistant.ask("融资担保公司净资产5亿，担保余额30亿，对同一家企业最多能担保多少")
    assert one.calculation is not None and one.calculation.rule_id == "cn-guarantee-single-party-cap"


def test_a_balance_for_one_party_is_set_against_that_partys_limit(assistant: Assistant) -> None:
    """对某一户的担保余额 is 第十六条's, not the company's whole balance: over 10% of the net assets it breaks
    the limit; under it, what remains for that party is said. The company's balance stays 第十五条's."""
    over = assistant.ask("公司净资产1亿元，给同一个被担保人的担保余额现在1200万，这户还能继续加吗？")
    assert over.calculation is not None and over.calculation.rule_id == "cn-guarantee-single-party-cap"
    assert over.calculation.eligible is False and "不符合" in over.answer.split("**依据**")[0]
    room = assistant.ask("净资产3亿元，对一家客户的担保余额已经2000万了，还能给它担保多少")
    assert room.calculation is not None and room.calculation.left == 1e7
    whole = assistant.ask("净资产3亿元，在保余额20亿，对单个客户最多担保多少")
    single = next(c for c in whole.calculations if c.rule_id == "cn-guarantee-single-party-cap")
    assert single.eligible is True and single.amount == 3e7


def test_what_is_left_asked_first_is_answered_when_later_turns_give_the_numbers(assistant: Assistant) -> None:
    """还能新增多少 asks for the limit that takes what is used, though no number is said yet; the turns
    giving 净资产 and then 在保余额 are answered with what remains, and the balance is asked for."""
    conversation = assistant.conversation()
    first = conversation.ask("照监管条例，我们担保公司还可以新增多少融资担保？")
    assert first.citations[0].clause_id == "cn-rzdbgsjdgltl-20170802#15" and first.confidence == "high"
    second = conversation.ask("净资产4亿元")
    assert second.calculation is not None and second.calculation.amount == 4e9
    assert second.follow_up and "现有担保责任余额" in second.follow_up
    third = conversation.ask("在保余额30亿元")
    assert third.calculation is not None and third.calculation.amount == 1e9
    assert "尚可新增 **10亿元**" in third.answer


def test_a_limit_named_as_the_setting_leaves_what_remains_the_amount(assistant: Assistant) -> None:
    """按…倍数上限 names the limit the question is about; 还能再担保多少 is what it asks."""
    answer = assistant.ask("我司净资产4亿元，目前担保责任余额31亿元，按条例规定的倍数上限，我们还能再担保多少？")
    assert answer.calculation is not None and answer.calculation.amount == 9e8


def test_of_two_limits_taking_the_same_number_the_one_whose_sentence_is_asked_answers(assistant: Assistant) -> None:
    """Both 第十五条 and 第十六条 take the 净资产; asked of 同一被担保人, 第十六条's 10% answers."""
    answer = assistant.ask("净资产4亿元的融资担保公司，对同一被担保人的融资担保责任余额最高不得超过多少？")
    assert answer.calculation is not None and answer.calculation.rule_id == "cn-guarantee-single-party-cap"
    assert answer.calculation.amount == 4e7


def test_an_asker_serving_the_recipient_is_told_the_recipient_s_amount(assistant: Assistant) -> None:
    """A bank asking what its client's 贴息 comes to is not told it cannot have it; asking what it gets
    itself, it is."""
    client = assistant.ask("我行给一家科技型中小企业发放了鲁科贷，企业支付利息50万元，贴息有多少？")
    assert client.calculation is not None and client.calculation.amount == 2e5
    assert "不符合" not in client.answer.split("**依据**")[0]
    itself = assistant.ask("我们银行给一家科技型中小企业发放了鲁科贷，企业支付利息50万元，我们能拿多少贴息？")
    assert itself.calculation is not None and itself.calculation.eligible is False


def test_a_measure_named_as_a_time_is_not_asked(assistant: Assistant) -> None:
    """IPO前 sets when the loan was taken: the interest subsidy is asked, not the listing subsidy."""
    answer = assistant.ask("我们IPO前还有一笔成果转化贷款，本金600万，年利率5%，一年，能贴多少息？")
    assert [c.rule_id for c in answer.calculations] == ["sd-lukedai-interest"]
    assert answer.calculation is not None and answer.calculation.amount == 120000


@pytest.mark.parametrize(
    ("question", "unmet"),
    [
        # A status not granted: not yet in the register, failed, or applied for.
        ("公司还没入库科技型中小企业，鲁科贷利息付了20万，能贴多少", "科技型中小企业"),
        ("我们去年申报了科技型中小企业评价，可惜没通过，鲁科贷利息付了20万，能贴多少", "科技型中小企业"),
        ("我们正在申请科技型中小企业评价，鲁科贷利息付了20万，能贴多少", "科技型中小企业"),
        ("我是个体户，开了家修车铺，贷款利息付了10万，能贴多少", "科技型中小企业"),  # no enterprise at all
        ("公司的房贷利息一年付了20万，能申请贴息吗", "科技成果转化贷款"),  # a mortgage is no conversion loan
        ("我们拿贷款买了一层写字楼，利息付了20万，能贴吗", "科技成果转化贷款"),
    ],
)
def test_a_status_not_held_or_a_loan_of_another_kind_breaks_the_interest_subsidy(
    assistant: Assistant, question: str, unmet: str
) -> None:
    calc = assistant.ask(question).calculation
    assert calc is not None and calc.eligible is False
    assert unmet in [c.text for c in calc.conditions if c.status == "unmet"]


def test_a_status_granted_or_only_named_still_holds(assistant: Assistant) -> None:
    granted = assistant.ask("我们的科技型中小企业评价已经通过了，鲁科贷利息付了20万，能贴多少").calculation
    assert granted is not None and granted.amount == 80000
    named = assistant.ask("我们是科技型中小企业，申请鲁科贷时银行没批，利息20万能贴吗").calculation
    assert named is None or [c.status for c in named.conditions if c.text == "科技型中小企业"] != ["unmet"]


def test_a_document_named_by_its_number_is_searched_alone(assistant: Assistant) -> None:
    """The 文号 in full-width digits names 内蒙古's document: its guidance-fund measure, not 山东's."""
    answer = assistant.ask("内党金办发〔２０２５〕１５号对政府引导基金是怎么说的？")
    assert [c.doc_id for c in answer.citations] == ["nm-2025-15"] * len(answer.citations)


def test_a_kind_the_money_does_not_reach_is_told_what_the_clause_offers_it(assistant: Assistant) -> None:
    """An insurer asking what support it gets: the sentences naming 保险机构 (products, the 共保体), and the
    premium subsidy said to be the enterprises'; not "不符合" nor the subsidy's formula."""
    answer = assistant.ask("我们是人寿保险公司，想在山东开发科技保险产品，政府能给我们什么支持？")
    quote = answer.citations[0].quote
    assert answer.citations[0].clause_id == "sd-2023-155#4" and "山东科创保险共保体" in quote
    assert "不给予保险机构" in answer.answer and "不符合" not in answer.answer
    asked = assistant.ask("我们是保险公司，客户买鲁科保的保费补贴能给我们吗？")  # the money itself asked for
    assert asked.calculation is not None and asked.calculation.rule_id == "sd-lukebao-premium"


@pytest.mark.parametrize(
    "question",
    ["风投投天使轮的科技型企业，在山东有哪些支持措施？", "投资初创科技型企业的创投机构，在山东有哪些支持措施？"],
)
def test_a_kind_named_as_what_is_invested_in_is_not_the_asker(assistant: Assistant, question: str) -> None:
    cited = {c.clause_id for c in assistant.ask(question).citations}
    assert "sd-2023-155#6" in cited and "sd-2023-155#1" not in cited  # the investor's measures, not the firm's


def test_how_long_a_step_takes_is_declined_where_the_clause_states_no_time(assistant: Assistant) -> None:
    declined = assistant.ask("鲁科担的风险补偿报上去以后，多长时间能拨下来？")
    assert not declined.in_scope and "时间" in declined.answer
    # A time the clause states (满2年), or a duration only told, is answered.
    assert assistant.ask("创投投早投小，投资要满多久才能拿奖励？").in_scope
    told = assistant.ask("我们有两期还款晚了几天。鲁科贷贴息还能拿吗？利息10万")
    assert told.calculation is not None and told.calculation.eligible is False


def test_a_sub_fund_s_contribution_is_the_guidance_fund_s_clause(assistant: Assistant) -> None:
    """子基金 names （八）: the long-term capital reward's rule, taking the 出资 figure, does not displace it."""
    answer = assistant.ask("省里的引导基金给一支规模8亿的子基金出资1.6亿，出资比例有没有上限？")
    assert answer.citations[0].clause_id == "sd-2023-155#8"


def test_a_pinyin_typed_calculation_is_answered(assistant: Assistant) -> None:
    answer = assistant.ask("lukedai lixi 60wan neng tiexi duoshao")
    assert answer.calculation is not None and answer.calculation.amount == 240000
    assert "鲁科贷" in answer.answer  # the reading is shown


def test_things_listed_with_what_policies_serve_them_are_answered_each(assistant: Assistant) -> None:
    # 山东 is where the bonds and the listing happen: it stays the region asked.
    each = assistant.ask("科技企业在山东上市和发债分别能得到什么支持")
    assert {"sd-2023-155#10", "sd-2023-155#11"} <= {c.clause_id for c in each.citations}
    listed = assistant.ask("我们是包头的科技企业，想发债、想上市，自治区有哪些政策能用")
    assert len({c.clause_id for c in listed.citations if c.clause_id.startswith("nm-")}) >= 2


def test_a_bare_word_of_a_measure_in_a_list_asked_each_is_answered(assistant: Assistant) -> None:
    # 保险 names no measure by itself, but listed beside 贷款 and 上市 it asks for the insurance measure.
    answer = assistant.ask("我们是济南的科技型中小企业，贷款、保险、上市这几块，山东分别有什么支持？")
    assert {"sd-2023-155#1", "sd-2023-155#4", "sd-2023-155#10"} <= {c.clause_id for c in answer.citations}


def test_a_guarantee_share_stated_is_checked_against_the_single_party_limit(assistant: Assistant) -> None:
    over = assistant.ask("给同一家客户的担保余额占公司净资产12%，有没有违规")
    assert over.calculation is not None and over.calculation.eligible is False
    assert "不符合" in over.answer


def test_an_individual_investing_is_told_the_reward_is_an_institution_s(assistant: Assistant) -> None:
    answer = assistant.ask("我是自然人投资者，自己掏钱投了青岛一家种子期企业，满两年能拿投早投小奖励吗")
    assert answer.calculation is not None and answer.calculation.eligible is False
    assert any("创业投资机构" in c.text and c.status == "unmet" for c in answer.calculation.conditions)
    # Matched on a form, the profile finds no measure, and the answer says so.
    nothing = assistant.match(Profile("个人投资者"))
    assert nothing.items == ()
    said = assistant.writer.matching("", assistant.reader.read("个人投资者"), nothing).answer
    assert "没有以个人投资者为对象的措施" in said


def test_a_bare_number_said_as_a_correction_replaces_the_one_given_before(assistant: Assistant) -> None:
    conversation = assistant.conversation()
    conversation.ask("鲁科保的补贴怎么算，首年")
    first = conversation.ask("保费是12万")
    assert first.calculation is not None and first.calculation.amount == 60000
    fixed = conversation.ask("不对，保费是16万")  # with its role: it is read as given
    assert fixed.calculation is not None and fixed.calculation.amount == 80000
    bare = conversation.ask("打错了，其实是18万")  # bare: it replaces the premium given before
    assert bare.calculation is not None and bare.calculation.amount == 90000


@pytest.mark.parametrize(
    ("question", "broken"),
    [
        ("我们投了青岛一家C轮的科技公司3000万，满三年，投早投小奖励多少", "早期、初创期科技型企业"),
        ("去年首投的那家初创企业，今年我们又跟投了800万，这笔能拿投早投小奖励吗", "政策实施后首次投资"),
        (
            "鲁科担，企业拿土地使用权做了反担保，担保600万，保费补贴多少",
            "以知识产权、许可权等无形资产作为反担保措施或无反担保要求",
        ),
        ("我们不是孵化器，是投资公司，投了在孵企业300万，孵化投资奖励有吗", "采取“孵化+投资”方式建设科技孵化器"),
    ],
)
def test_a_deal_s_stated_terms_break_the_measure_s_conditions(assistant: Assistant, question: str, broken: str) -> None:
    answer = assistant.ask(question)
    assert answer.calculation is not None and answer.calculation.eligible is False
    assert {c.text: c.status for c in answer.calculation.conditions}[broken] == "unmet"


@pytest.mark.parametrize(
    ("question", "in_scope"),
    [
        ("员工社保怎么交", False),  # 社保 inside the topic's words is no 社保基金
        ("公司股权怎么设计比较合理", False),
        ("小微企业普惠贷款利率多少", False),  # a market rate no document states
        ("社保基金投了创投基金，能拿长期资本奖励吗", True),
        ("给员工的股权激励有什么政策", True),
        ("年化利率3.5%贷了1000万一年，鲁科贷贴多少", True),
    ],
)
def test_a_topic_is_declined_only_when_no_policy_term_is_asked_beside_it(
    assistant: Assistant, question: str, in_scope: bool
) -> None:
    assert assistant.ask(question).in_scope is in_scope


def test_a_sum_beside_one_named_measure_is_background_unless_a_total_is_asked(assistant: Assistant) -> None:
    one = assistant.ask("我们基金规模8亿，投了烟台一家种子期企业2000万，满两年了，投早投小奖励多少")
    assert [c.rule_id for c in one.calculations] == ["sd-vc-early-reward"]
    assert one.calculation is not None and one.calculation.amount == 1000000


def test_a_question_about_national_law_is_answered_from_the_national_laws(assistant: Assistant) -> None:
    answer = assistant.ask("国家层面对科研人员离岗创业有什么规定")
    assert answer.citations and all(c.clause_id.startswith("cn-") for c in answer.citations)


def test_a_reward_floor_rests_on_the_net_income_and_the_law_s_when_no_place_is_named(assistant: Assistant) -> None:
    net = assistant.ask("研究所把专利转让出去，转让费一共900万，扣除费用后净收入700万，没约定奖励，团队至少拿多少")
    assert net.calculation is not None and net.calculation.rule_id == "cn-result-transfer-reward"
    assert net.calculation.amount == 3500000  # 700万 × 50%, not 900万
    # A price alone is not the net income: that is asked for, or the costs to take off the price.
    price = assistant.ask("学校把一项专利以400万元的转让价卖给了企业，按成果转化法团队最少分多少")
    assert price.calculation is not None and price.calculation.amount is None
    assert price.follow_up is not None and "请提供转让净收入" in price.follow_up and "相关费用" in price.follow_up
    shares = assistant.conversation()
    shares.ask("成果作价入股的话，科研团队能分多少？")
    answer = shares.ask("作价800万元入股")
    assert answer.calculation is not None and answer.calculation.rule_id == "cn-result-equity-reward"


def test_a_net_income_is_derived_from_the_price_less_the_costs_stated(assistant: Assistant) -> None:
    answer = assistant.ask("专利许可收入一共160万，评估费和中介费用花了10万，按成果转化法团队最少分多少")
    calc = answer.calculation
    assert calc is not None and calc.rule_id == "cn-result-transfer-reward" and calc.amount == 750_000
    assert any("估算净收入" in step and "150万元" in step for step in calc.steps)


def test_a_fact_breaking_every_provision_of_a_measure_named_is_answered_when_eligibility_is_asked(
    assistant: Assistant,
) -> None:
    answer = assistant.ask("我们是私人老板开的担保公司，没有国资，能做鲁科担业务吗")
    assert answer.calculation is not None and answer.calculation.eligible is False


def test_the_bank_s_overall_npl_ratio_is_the_base_of_the_tolerance_not_the_small_firms(assistant: Assistant) -> None:
    answer = assistant.ask("内蒙古的银行，小微科技企业贷款不良率3.5%，各项贷款不良率1.2%，容忍度上限多少")
    assert answer.calculation is not None and answer.calculation.amount == 4.2


def test_two_investments_named_one_after_another_are_both_rewarded(assistant: Assistant) -> None:
    answer = assistant.ask("我们投了青岛一家初创企业600万元，另一家种子期企业400万元，都满两年了，投早投小奖励一共多少")
    assert answer.calculation is not None and answer.calculation.amount == 500000


def test_a_turn_giving_the_interest_s_sources_continues_the_interest_not_the_loss_provision(
    assistant: Assistant,
) -> None:
    conversation = assistant.conversation()
    conversation.ask("鲁科贷贴息能拿多少")
    answer = conversation.ask("本金500万，月息0.4%，借了一年")
    assert answer.calculation is not None and answer.calculation.rule_id == "sd-lukedai-interest"
    assert answer.calculation.amount == 96000  # 500万 × 0.4% × 12 × 40%


@pytest.mark.parametrize(
    ("question", "amount"),
    [
        ("We paid 500 thousand RMB interest on our 鲁科贷 loan, how much subsidy can we get", 200000),
        ("lu ke bao bao fei 20 wan di yi nian bu tie duoshao", 100000),  # syllables typed apart
    ],
)
def test_a_question_typed_in_latin_letters_is_computed(assistant: Assistant, question: str, amount: float) -> None:
    answer = assistant.ask(question)
    assert answer.calculation is not None and answer.calculation.amount == amount


def test_an_insurance_named_after_research_costs_is_the_premium_subsidy(assistant: Assistant) -> None:
    answer = assistant.ask("公司买了一份研发费用损失保险，首年保费10万元，能补贴多少")
    assert answer.calculation is not None and answer.calculation.rule_id == "sd-lukebao-premium"
    assert answer.calculation.amount == 50000


def test_the_parts_of_a_sum_are_answered_in_the_order_asked(assistant: Assistant) -> None:
    answer = assistant.ask("鲁科贷利息10万，鲁科保首年保费4万，加在一起能补多少")
    assert [c.rule_id for c in answer.calculations] == ["sd-lukedai-interest", "sd-lukebao-premium"]
    assert answer.total is not None and answer.total.amount == 60000


def test_a_title_said_loosely_names_its_document(assistant: Assistant) -> None:
    answer = assistant.ask("那个管融资担保公司的条例第十六条说了啥")
    assert answer.citations[0].clause_id == "cn-rzdbgsjdgltl-20170802#16"
    # A law's kind (法) is too common a word: 合法 names no law.
    assert not assistant.retriever.titled(assistant.reader.read("融资担保公司合法经营有什么要求"))


def test_a_subject_no_measure_serves_is_answered_from_the_clauses_not_matched(assistant: Assistant) -> None:
    answer = assistant.ask("我们是券商，想在青岛开个营业部，青岛的法规有什么支持")
    assert answer.calculations == () and answer.citations[0].clause_id.startswith("qd-jrfzcjtl")


def test_a_measure_s_name_modifying_an_insurance_names_the_insurance(assistant: Assistant) -> None:
    answer = assistant.ask("买了研发投入险，首年保费16万元，能补多少")
    assert answer.calculation is not None and answer.calculation.rule_id == "sd-lukebao-premium"
    assert answer.calculation.amount == 80000


def test_the_asker_is_known_by_what_it_says_it_does(assistant: Assistant) -> None:
    said = assistant.askers.acting_as
    assert said(assistant.reader.read("我们为一家软件企业提供担保，后来代偿了")) == "融资担保机构"
    assert said(assistant.reader.read("银行给我们放贷了500万，能贴息吗")) is None  # 我们 is the borrower
    answer = assistant.ask("我们给一家科技企业做的担保出了代偿，损失了200万元，政府能补多少")
    assert answer.calculation is not None and answer.calculation.rule_id == "sd-lukedan-risk"


def test_a_firm_paying_a_guarantee_fee_is_told_the_fee_subsidy_is_the_guarantor_s(assistant: Assistant) -> None:
    answer = assistant.ask("我们找了担保公司担保贷款800万，交了8万担保费，担保费补贴我们能拿多少")
    assert answer.calculation is not None and answer.calculation.eligible is False
    assert any("融资担保机构" in c.text and c.status == "unmet" for c in answer.calculation.conditions)


def test_whether_the_document_still_holds_is_answered_from_its_period(assistant: Assistant) -> None:
    answer = assistant.ask("我们后年还想按155号文那套措施申请补贴，到2027年这个文件还管用吗")
    assert answer.citations[0].clause_id == "sd-2023-155#closing"
    assert "在本文件施行期" in answer.answer


def test_a_sum_paid_out_for_a_default_is_not_the_amount_guaranteed(assistant: Assistant) -> None:
    calc = assistant.ask("我们为一家企业担保了600万的鲁科担，后来代偿了200万，风险补偿能拿多少").calculation
    assert calc is not None and calc.inputs["guaranteed"] == 6_000_000 and calc.amount == 1_200_000
    calc = assistant.ask("鲁科担业务代偿800万，风险补偿多少").calculation  # 800万 is what was paid out
    assert calc is not None and calc.amount is None and "guaranteed" in calc.missing


def test_the_fee_rate_is_estimated_from_the_fee_and_the_amount_guaranteed(assistant: Assistant) -> None:
    calc = assistant.ask("鲁科担担保了2000万，一年担保费收了16万，保费补贴有多少").calculation
    assert calc is not None and calc.eligible is False  # 0.8% a year, over the 0.5% the clause allows
    calc = assistant.ask("鲁科担担保了2000万，一年担保费收了6万，保费补贴有多少").calculation
    assert calc is not None and calc.amount == 100_000 and calc.inputs["fee_rate"] == 0.003
    assert any("估算担保费率" in s and "0.3%" in s for s in calc.steps)


def test_a_stated_asker_of_another_kind_is_not_eligible_for_each_measure_asked(assistant: Assistant) -> None:
    answer = assistant.ask("我是自然人投资者，自己出钱投了在孵企业500万，投早投小奖励和孵化器的投资奖励分别能申请吗")
    assert len(answer.calculations) >= 2
    assert all(c.eligible is False and c.amount == 0 for c in answer.calculations)
    assert all("您所述为个人投资者" in c.conditions[0].text for c in answer.calculations)


@pytest.mark.parametrize(
    "question",
    [
        "去年贷款有一期还款迟了五天，鲁科贷贴息还能申请吗？利息付了20万",
        "我们孵化器投的企业去年已经出孵了，今年又追投了300万，孵化加投资的奖励还有吗",
    ],
)
def test_a_fact_said_in_everyday_words_breaks_its_condition(assistant: Assistant, question: str) -> None:
    calc = assistant.ask(question).calculation
    assert calc is not None and calc.eligible is False


def test_english_words_give_a_rate_and_an_investee_s_place(assistant: Assistant) -> None:
    calc = assistant.ask("鲁科贷 loan 2000万，rate 3%，期限一年，interest subsidy 多少").calculation
    assert calc is not None and calc.amount == 240_000  # 2000万 × 3% × 1年 = 60万 interest, × 40%
    question = "Our VC is in 济南, the startup we invested is in 安徽, 投早投小 reward 能拿吗？投了800万"
    calc = assistant.ask(question).calculation
    assert calc is not None and calc.eligible is False


def test_the_asker_s_own_kind_names_no_measure_and_may_be_the_kind_served(assistant: Assistant) -> None:
    answer = assistant.ask("我们是一家科技型总部企业，去年鲁科贷付息60万，能贴多少？")
    assert [c.clause_id for c in answer.citations][:1] == ["sd-2023-155#1"] and len(answer.calculations) == 1
    calc = answer.calculation  # a 总部企业 is not defined by size: 科技型中小企业 stays to confirm
    assert calc is not None and calc.amount == 240_000 and calc.eligible is not False


def test_what_a_body_may_not_do_asked_in_everyday_words(assistant: Assistant) -> None:
    answer = assistant.ask("融资担保公司不能干哪些业务？")
    assert answer.citations[0].clause_id == "cn-rzdbgsjdgltl-20170802#23"  # 不得从事下列活动
    answer = assistant.ask("融资担保公司能不能放点贷款？")
    assert answer.citations[0].clause_id == "cn-rzdbgsjdgltl-20170802#23"  # （二）自营贷款


def test_a_title_typed_with_a_slip_names_its_document(assistant: Assistant) -> None:
    answer = assistant.ask("融资担保公司监督管理条列对注册资本有什么要求")
    assert answer.citations[0].clause_id.startswith("cn-rzdbgsjdgltl-20170802#")
    assert "按“融资担保公司监督管理条例”理解" in answer.answer.split("\n")[0]  # the reading is said


def test_a_turn_about_the_last_one_is_asked_of_its_document(assistant: Assistant) -> None:
    conversation = assistant.conversation()
    conversation.ask("融资担保公司可以做受托投资吗？")
    answer = conversation.ask("那如果做了，会怎么罚？")  # names nothing: the 条例's penalty for 受托投资
    assert answer.confidence == "high" and answer.citations[0].clause_id == "cn-rzdbgsjdgltl-20170802#39"
    assert conversation.ask("那鲁科保呢？").citations[0].clause_id == "sd-2023-155#4"  # a measure of its own


def test_a_derived_figure_no_input_can_hold_is_not_used_and_the_question_is_still_answered(
    assistant: Assistant,
) -> None:
    question = "鲁科担担保额900万，担保费收了30万，反担保登记费花了5000元，补贴多少"  # a fee over a misread amount
    calc = assistant.ask(question).calculation
    assert calc is not None and "fee_rate" not in calc.inputs
    assert any("超出可能的范围" in n for n in calc.notes)  # said; its condition stays to confirm


def test_what_a_regulation_allows_is_asked_of_it_whatever_topic_it_names(assistant: Assistant) -> None:
    answer = assistant.ask("融资担保公司想拿闲钱帮客户理财、顺便放贷，条例允许吗？")
    assert answer.in_scope and answer.citations[0].clause_id == "cn-rzdbgsjdgltl-20170802#23"
    assert assistant.ask("买银行理财产品合法吗？").in_scope is False  # no document asked about
    answer = assistant.ask("融资担保公司能不能发理财产品？")  # 融资担保公司, the 条例's own term, is asked about
    assert answer.in_scope and answer.citations[0].clause_id == "cn-rzdbgsjdgltl-20170802#23"


def test_an_investee_of_another_trade_breaks_the_venture_measures(assistant: Assistant) -> None:
    """投早投小 and the loss subsidy are for investing in 科技型企业: a restaurant chain invested in is not one;
    the investor's own trade says nothing of it."""
    answer = assistant.ask("我们创投机构去年首投了一家连锁餐饮企业，亏了800万，能拿多少损失补贴？")
    assert answer.calculation is not None and answer.calculation.eligible is False
    ours = assistant.ask("我们创投机构投了一家刚起步的芯片公司，首轮亏了800万，能拿多少损失补贴？")
    assert ours.calculation is not None and ours.calculation.amount == 1.6e6


def test_a_hotline_caller_s_region_is_where_the_firm_is(assistant: Assistant) -> None:
    answer = assistant.ask("来电人是安徽合肥的科技型中小企业，想问鲁科贷的利息能不能贴")
    assert answer.calculation is not None and answer.calculation.eligible is False
    assert "安徽" in answer.answer.split("**依据**")[0]


def test_a_value_asked_with_the_figures_a_rule_takes_is_no_valuation(assistant: Assistant) -> None:
    """A firm's worth asks for a valuation (declined); the worth of the share the law sets is reckoned."""
    assert assistant.ask("能帮我估一下我们这家初创公司值多少钱吗").in_scope is False
    shares = assistant.ask("成果作价入股形成的股份作价600万元，按法律团队那部分最少值多少钱？")
    assert shares.in_scope and shares.calculation is not None and shares.calculation.amount == 3e6


def test_who_holds_an_office_and_prudential_ratios_are_declined(assistant: Assistant) -> None:
    """No document names office holders or sets a bank's or insurer's capital ratios."""
    assert assistant.ask("内蒙古科技厅的现任厅长叫什么？").in_scope is False
    assert assistant.ask("财险公司偿付能力要达到多少才合规？").in_scope is False
    assert assistant.ask("融资担保公司按什么风险权重计量担保责任余额？").in_scope is True  # 条例 第十四条


def test_a_local_department_a_stated_figure_and_the_law_asked_are_not_declined(assistant: Assistant) -> None:
    """我们科技部门 is no 科技部; 营收八百万 states a figure, asking no listing criterion; 条例咋管的 asks the
    law about what the topic words name."""
    department = assistant.ask("省里要求科技项目遴选引入投资机构参与，我们市科技部门要做哪些配合？")
    assert department.in_scope
    profile = assistant.conversation()
    profile.ask("我们想贷款，省里有什么支持政策吗？")
    stated = profile.ask("我们是济南的科技型中小企业，已经入库，去年营收八百万")
    assert stated.in_scope
    law = assistant.ask("担保公司的闲钱能不能拿去炒股？条例咋管的")
    assert law.in_scope
    assert assistant.ask("科创板上市对营收有什么要求").in_scope is False  # criteria, still declined


def test_both_limits_asked_in_two_questions_give_the_general_one_and_the_raised_one(assistant: Assistant) -> None:
    answer = assistant.ask("我们担保公司净资产4亿。单个客户的担保余额最多多少？要是算上它的关联方，上限又是多少？")
    calc = answer.calculation
    assert calc is not None and calc.amount == 40_000_000  # 10% of the net assets, asked first
    assert "6000万元" in answer.answer  # 15% with its related parties, asked second
    raised = assistant.ask("我们担保公司净资产4亿，对一家客户连同它的关联方，担保余额最多多少？").calculation
    assert raised is not None and raised.amount == 60_000_000


def test_each_measure_asked_whether_one_may_says_the_condition_a_stated_fact_breaks(assistant: Assistant) -> None:
    answer = assistant.ask("我们是开火锅店的，鲁科贷贴息和鲁科保保费补贴都能申请吗？")
    assert len(answer.calculations) >= 2
    by_rule = {c.rule_id: c for c in answer.calculations}
    assert by_rule["sd-lukedai-interest"].eligible is False and by_rule["sd-lukebao-premium"].eligible is False


def test_a_figure_the_clause_leaves_to_other_rules_is_said_to_be_unset(assistant: Assistant) -> None:
    answer = assistant.ask("担保公司的准备金按什么比例提？具体多少")
    assert answer.in_scope and answer.citations[0].clause_id == "cn-rzdbgsjdgltl-20170802#18"
    assert "未规定所问的具体数值或比例" in answer.answer
    stated = assistant.ask("担保公司的放大倍数上限是多少")  # a figure the clause states: no such line
    assert "未规定所问的具体数值" not in stated.answer


@pytest.mark.parametrize(
    "question",
    [
        "我们担保公司准备向员工吸收点存款，给人家付利息，这样可以吗",  # 第二十三条
        "担保公司账上闲钱多，打算对外放贷赚点利息，条例允许不？",
        "我们是担保公司，想给控股股东的借款做担保，行不行",  # 第十七条
        "我们担保公司给股东控制的另一家关联企业担保，费率比外部企业低两个点，行不行",  # 第十七条, better terms
    ],
)
def test_an_act_the_law_forbids_said_done_is_answered_not_allowed(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    calc = answer.calculation
    assert calc is not None and calc.eligible is False and "不可以" in answer.answer


def test_a_balance_said_as_a_multiple_of_net_assets_is_checked_against_the_limit(assistant: Assistant) -> None:
    over = assistant.ask("我们担保公司的在保余额已经放大到净资产的十二倍了，这样合规吗").calculation
    assert over is not None and over.rule_id == "cn-guarantee-leverage-cap" and over.eligible is False
    room = assistant.ask("我们融资担保公司净资产2亿，担保余额现在是净资产的6倍，还能新增多少担保").calculation
    assert room is not None and room.eligible is not False
    assert any("尚可新增2亿元 × 4倍 = 8亿元" in step for step in room.steps)


def test_a_forbidden_act_denied_or_a_list_of_them_asked_is_no_breach(assistant: Assistant) -> None:
    denied = assistant.ask("我们担保公司不吸收存款，只做担保，这样没问题吧").calculation
    assert denied is None or denied.eligible is not False
    listed = assistant.ask("融资担保公司有哪些业务是不能做的？")
    assert listed.calculation is None and listed.citations[0].clause_id == "cn-rzdbgsjdgltl-20170802#23"


def test_a_turn_computing_a_measure_not_for_the_asker_named_before_is_read_after_the_earlier_turns(
    assistant: Assistant,
) -> None:
    conversation = assistant.conversation()
    conversation.ask("我们是一家农商行，问下科技贷款的事")
    answer = conversation.ask("亏了六百万能补多少？")  # alone: the 创投's investment loss subsidy
    calc = answer.calculation
    assert calc is not None and calc.rule_id == "sd-lukedai-loss" and calc.amount == 4_200_000


@pytest.mark.parametrize(
    "question",
    [
        "我们是新设立的创投机构，基金规模10亿，落户山东能拿多少奖励",
        "我司在山东新成立了一家创业投资企业，认缴规模3亿元，落户能拿多少奖励",
    ],
)
def test_a_number_alone_does_not_pick_a_provision_for_another_kind_of_asker(
    assistant: Assistant, question: str
) -> None:
    """The fund's size fits the 50亿 manager's reward, but a 创投 gets its own, on what it invested: asked for."""
    answer = assistant.ask(question)
    assert answer.calculation is not None and answer.calculation.rule_id == "sd-vc-settle"
    assert answer.calculation.eligible is not False and answer.follow_up and "不是本条的计算基数" in answer.follow_up


def test_a_limit_word_leading_into_what_remains_asks_what_remains(assistant: Assistant) -> None:
    calc = assistant.ask("净资产3亿的担保公司，担保责任余额已经25亿，最多还能再新增多少？").calculation
    assert calc is not None and calc.amount == 500_000_000


@pytest.mark.parametrize(
    ("question", "limit"),
    [
        ("净资产2亿的担保公司，业务主要是给小微企业和农户做担保，余额上限多少", 3_000_000_000),  # 15倍
        ("我们净资产七个亿，融资担保的余额最多能做到多少", 7_000_000_000),  # no party named: 第十五条, not 第十六条
    ],
)
def test_the_whole_balance_limit_is_read_from_how_it_is_said(assistant: Assistant, question: str, limit: int) -> None:
    calc = assistant.ask(question).calculation
    assert calc is not None and calc.clause_id == "cn-rzdbgsjdgltl-20170802#15" and calc.amount == limit


@pytest.mark.parametrize(
    "question",
    [
        "我们担保公司准备推一款理财产品，把老百姓的钱吸进来再放出去，这么干可以吗",  # 理财产品 declined alone
        "我们担保公司的闲钱能不能放点短期贷款给客户？或者搞点存款业务？",  # two acts: one question
    ],
)
def test_a_guarantor_planning_an_act_the_regulation_forbids_is_told_it_may_not(
    assistant: Assistant, question: str
) -> None:
    answer = assistant.ask(question)
    assert answer.in_scope and answer.citations[0].clause_id == "cn-rzdbgsjdgltl-20170802#23"
    assert answer.calculation is not None and answer.calculation.eligible is False


def test_a_regions_lending_total_and_its_growth_are_statistics(assistant: Assistant) -> None:
    assert assistant.ask("全市科技贷款余额有多少？比去年增长了多少？").in_scope is False


def test_a_national_floor_applies_in_the_region_named(assistant: Assistant) -> None:
    calc = assistant.ask("我们准备在山东设一家融资担保公司，注册资本800万，够不够").calculation
    assert calc is not None and calc.clause_id == "cn-rzdbgsjdgltl-20170802#7" and calc.eligible is False


def test_a_later_turn_naming_no_region_stays_in_the_region_named_before(assistant: Assistant) -> None:
    conversation = assistant.conversation()
    conversation.ask("内蒙古企业发债有支持吗")
    answer = conversation.ask("科创债有贴息吗")  # not 山东's 科技创新公司债券
    assert answer.in_scope and answer.citations[0].doc_id == "nm-2025-15"


@pytest.mark.parametrize(
    ("question", "clause_id"),
    [
        ("山东的企业发科技创新债券，票面利率3%，期限2年，省里给贴息吗", "sd-2023-155#11"),  # not the 鲁科贷's interest
        ("浙江的学校把成果卖给企业了，我们项目组能分几成", "zj-cjkjcgzhtl-20210929#37"),
    ],
)
def test_everyday_names_of_a_bond_and_of_a_team_find_their_clause(
    assistant: Assistant, question: str, clause_id: str
) -> None:
    assert assistant.ask(question).citations[0].clause_id == clause_id


@pytest.mark.parametrize(
    ("question", "clause_ids"),
    [
        (
            "鲁政办字155号文里，银行、担保、投资机构和政府几方是怎么联动支持的？科技项目库又是怎么回事？",
            {"sd-2023-155#13", "sd-2023-155#14"},
        ),
        (  # answered as two already (a list of what the 条例 asks)
            "融资担保公司的注册资本最低多少？跨省设分公司要什么条件？",
            {"cn-rzdbgsjdgltl-20170802#7", "cn-rzdbgsjdgltl-20170802#10"},
        ),
    ],
)
def test_each_question_of_a_message_is_answered(assistant: Assistant, question: str, clause_ids: set[str]) -> None:
    assert clause_ids <= {c.clause_id for c in assistant.ask(question).citations}


def test_a_clause_named_by_number_is_answered_when_keyword_search_finds_nothing(assistant: Assistant) -> None:
    answer = assistant.with_mode("bm25").ask("155号文第十条说的啥？")
    assert answer.in_scope and answer.citations[0].clause_id == "sd-2023-155#10"


def test_a_compound_questions_parts_are_embedded_only_where_bm25_leaves_doubt(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A part whose BM25 ranking is decisive is searched without its dense query: embedding it beforehand
    costs time for nothing. Every dense query the parts' searches run is still embedded in the one batch."""
    asked = ("鲁科贷贴息比例", "银行给科技企业贷款出了坏账怎么办", "企业上市有什么补助")
    parts = [assistant.reader.read(p) for p in asked]
    assistant.clear_caches()
    embedder = assistant.index.embedder
    embedded: list[str] = []
    batch, one = embedder.queries, embedder.query
    monkeypatch.setattr(embedder, "queries", lambda texts: embedded.extend(texts) or batch(texts))
    monkeypatch.setattr(embedder, "query", lambda text: embedded.append(text) or one(text))
    assistant.retriever.prime(parts)
    primed = list(embedded)
    embedded.clear()
    for part in parts:
        assistant.retriever.hits(part)
    assert embedded == []  # nothing left to embed one by one
    assert len(primed) == 2 and not any(t.startswith("鲁科贷贴息比例") for t in primed), primed


def test_questions_listed_one_after_another_are_each_answered(assistant: Assistant) -> None:
    answer = assistant.ask("我们是一家创投，想问：来山东落户有没有奖励、投早期企业有没有补贴、引导基金能不能跟投？")
    assert {"sd-2023-155#5", "sd-2023-155#6", "sd-2023-155#8"} <= {c.clause_id for c in answer.citations}
    # Things listed, not questions (贷款、担保), are no parts unless asked each.
    assert [c.clause_id for c in assistant.ask("鲁科贷能不能申请、能贴多少？").citations] == ["sd-2023-155#1"]


def test_thanks_are_answered_in_kind_and_the_conversation_goes_on(assistant: Assistant) -> None:
    answer = assistant.ask("好嘞，谢谢，辛苦你了，改天再联系")
    assert not answer.in_scope and answer.answer.startswith("不客气") and not answer.citations
    conversation = assistant.conversation()
    conversation.ask("鲁科贷贴息能拿多少")
    assert conversation.ask("谢谢").answer.startswith("不客气")
    assert conversation.ask("付了60万利息").calculation.amount == 240000  # the measure asked before thanks
    # Thanks beside a question is no closing (谢谢，那内蒙古的呢？).
    assert assistant.ask("谢谢，鲁科担的保费补贴是多少？").in_scope


def test_an_abbreviation_fitting_two_titles_of_a_region_names_neither(assistant: Assistant) -> None:
    # 山东条例: 山东省地方金融条例 and 山东省促进科技成果转化条例 alike; the question's topic decides.
    answer = assistant.ask("成果转化的奖励，国家法律和山东条例规定得一样吗")
    assert not any(c.clause_id.startswith("sd-dfjrtl") for c in answer.citations)
    assert any(c.clause_id.startswith("sd-cjkjcgzhtl") for c in answer.citations)


def test_criteria_asked_in_two_phrases_are_declined_and_a_mechanism_asked_back_is_not(assistant: Assistant) -> None:
    # The second phrase's 研发投入 (a term the documents never write with a recognition word) is a criterion
    # asked of 高企, not a mechanism of the documents.
    assert assistant.ask("想评高企，需要什么条件？研发投入要占多少？").in_scope is False
    # 怎么认定 naming nothing itself asks it of the phrase before: 尽职免责, a mechanism the documents set up.
    exemption = assistant.ask("银行这边怕担责，听说有个尽职免责，这个怎么认定？")
    assert exemption.in_scope and exemption.citations[0].clause_id == "sd-2023-155#20"


def test_a_measure_named_only_as_the_setting_comes_after_the_one_asked(assistant: Assistant) -> None:
    # 科技贷款 names the 鲁科贷 in everyday words; what is asked is whether the loan officer answers for it.
    answer = assistant.ask("行里放的科技贷款成了坏账 信贷员会不会被追责？山东有没有尽职了不追究的规定")
    assert [c.clause_id for c in answer.citations][:1] == ["sd-2023-155#20"]


def test_a_city_named_before_a_word_opening_with_dui_is_no_giver(assistant: Assistant) -> None:
    assert assistant.ask("我们在济南，对鲁科贷贴息比例有点疑问").in_scope  # 对 opens the asker's phrase
    assert assistant.ask("潍坊市对接鲁科贷的银行，贴息比例是多少").in_scope  # 对接: no giving


@pytest.mark.parametrize(
    ("first", "then", "both"),
    [
        ("创投落户山东能拿什么奖励？", "我们也投了早期企业，这两个能一起拿吗？", {"sd-2023-155#5", "sd-2023-155#6"}),
        ("山东对信贷人员尽职免责怎么规定？", "内蒙古在这方面有什么不一样？", {"sd-2023-155#20", "nm-2025-15#14"}),
    ],
)
def test_a_turn_comparing_or_combining_with_the_last_answer_quotes_both(
    assistant: Assistant, first: str, then: str, both: set[str]
) -> None:
    conversation = assistant.conversation()
    conversation.ask(first)
    assert both <= {c.clause_id for c in conversation.ask(then).citations}


def test_two_documents_named_by_their_numbers_are_both_answered(assistant: Assistant) -> None:
    answer = assistant.ask("155号文和15号文，哪一个先印发的？")
    assert {c.doc_id for c in answer.citations} == {"sd-2023-155", "nm-2025-15"}


def test_a_document_not_yet_in_force_on_a_past_day_asked_is_said_as_of_that_day(assistant: Assistant) -> None:
    answer = assistant.ask("我们2021年就在科创板上市了，现在还能申请山东的上市奖励吗？").answer
    # In force today: "本文件尚未施行，请以现行文件为准" alone would say it is not.
    assert "2021年1月1日时，本文件尚未施行" in answer and "【注意】本文件尚未施行" not in answer


def test_two_provisions_of_one_clause_each_named_with_no_number_are_each_answered(assistant: Assistant) -> None:
    answer = assistant.ask("鲁科担的担保费率有上限吗 代偿了省里给不给补偿")
    assert [c.rule_id for c in answer.calculations] == ["sd-lukedan-fee", "sd-lukedan-risk"]
    assert "0.5%/年" in answer.answer and "20%" in answer.answer
    # One provision named: one answered; a word naming the measure (科技贷款 → 鲁科贷) names no provision.
    assert [c.rule_id for c in assistant.ask("鲁科担保费补贴比例是多少？").calculations] == ["sd-lukedan-fee"]
    assert [c.rule_id for c in assistant.ask("科技贷款的风险补偿，我们企业能不能申请？").calculations] == [
        "sd-lukedai-loss"
    ]
