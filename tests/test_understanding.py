"""Question understanding without the index: number roles, spelling, places, intents (all from data)."""

from __future__ import annotations

import pytest

from assistant.numbers import normalise
from assistant.quantities import find_quantities
from assistant.spelling import Speller, unspace
from assistant.understand import Reader
from assistant.vocab import Vocabulary, load_vocabulary
from index.analyzer import load_lexicon
from index.settings import PROJECT_ROOT

CORPUS = PROJECT_ROOT / "corpus"


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return load_vocabulary(CORPUS)


@pytest.fixture(scope="module")
def reader(vocab: Vocabulary) -> Reader:
    lexicon = load_lexicon(CORPUS)
    words = {"报废", "银行", "设立", "早起", "科技", "贷款"}  # stand-ins for the dictionary's real words
    function_chars = [w for w in lexicon.stopwords if len(w) == 1]
    return Reader(vocab, {*lexicon.terms, *lexicon.synonyms}, words.__contains__, function_chars=function_chars)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("贷款500万元，年利率4%，贷了一年", [("principal", 5e6), ("annual_rate", 0.04), ("loan_term", 1)]),
        ("我们去年鲁科贷付了80万利息", [("interest", 8e5)]),
        ("利息80万元", [("interest", 8e5)]),
        ("我们有个500万的鲁科贷", [("principal", 5e6)]),  # the loan the product is: its principal
        ("放了一笔1个亿的鲁科贷", [("principal", 1e8)]),
        ("首轮损失分别是2000万、1500万和1000万", [("loss", 2e7), ("loss", 1.5e7), ("loss", 1e7)]),
        ("担保了2000万，担保费率0.4%", [("guaranteed", 2e7), ("fee_rate", 0.004)]),
        ("保险保额5000万，保费付了30万", [("insured_amount", 5e7), ("premium", 3e5)]),
        ("基金规模10亿，投了山东企业3亿", [("managed_scale", 1e9), ("investment", 3e8)]),
        ("持有到第8年才清算，首轮亏了1000万", [("holding_years", 7.5), ("loss", 1e7)]),
        ("1个亿的投资，满两年", [("investment", 1e8), ("holding_years", 2)]),
        ("一千五百万的贷款", [("principal", 1.5e7)]),
        ("借了一千五百万年化3.5%一年期", [("principal", 1.5e7), ("annual_rate", 0.035), ("loan_term", 1)]),
        ("其中一笔2000万的业务", [(None, 2e7)]),  # 一笔 counts anything: it names no role
        ("投了一家初创科技公司 A 轮 2000w", [("investment", 2e7)]),  # spaces of mixed typing do not count
        ("月息3‰，借了100万一年", [("monthly_rate", 0.003), ("principal", 1e6), ("loan_term", 1)]),
        ("利息一年一万七", [(None, 1), ("interest", 17000)]),
        ("设立三年内投了25亿元", [("window", 3), ("investment", 2.5e9)]),
        ("创投机构2亿元", [(None, 2e8)]),  # 投 inside 创投机构 qualifies nothing
        ("一笔500万的科技贷款", [("principal", 5e6)]),  # 贷款 heads 科技贷款: a loan
        ("贷款800万年化3.5%一年", [("principal", 8e6), ("annual_rate", 0.035), (None, 1)]),
        ("交了担保费16万", [("guarantee_fee", 1.6e5)]),  # 担保费 is no 保费: the fee paid, which no measure refunds
        ("发了3亿元公司债", [("bonds_issued", 3e8)]),  # no measure takes it: never interest paid
        ("借了100万，月息4厘", [("principal", 1e6), ("monthly_rate", 0.004)]),
        ("有笔300万贷款本金损失了", [("loss", 3e6)]),  # the compound's head is 损失, not 贷款
        ("500万贷款利息没算", [("interest", 5e6)]),
        ("200万贷款利息8万", [("principal", 2e6), ("interest", 8e4)]),  # 利息 has a number of its own
        ("担保公司担了800万的贷款", [("guaranteed", 8e6)]),  # the loan guaranteed: the amount of the guarantee
        # A role word right before a number of its own qualifies that one, not the number listed before it.
        ("要是贷3000万、利息111万呢", [("principal", 3e7), ("interest", 1.11e6)]),
        ("保额2000万、保费16万", [("insured_amount", 2e7), ("premium", 1.6e5)]),
        ("出了不良，亏了本金300万", [("loss", 3e6)]),  # what was lost: no loan's principal
        ("放的一笔贷款坏了150万", [("loss", 1.5e6)]),  # a loan gone bad, in a banker's words
        ("烂账300万", [("loss", 3e6)]),
    ],
)
def test_numbers_take_the_role_of_the_word_that_qualifies_them(
    vocab: Vocabulary, reader: Reader, text: str, expected: list[tuple[str | None, float]]
) -> None:
    found = find_quantities(normalise(text), vocab.roles, reader.terms, reader.is_word)
    assert [(q.role, pytest.approx(q.value)) for q in found] == [(role, pytest.approx(v)) for role, v in expected]


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("路科贷贴息上限", "鲁科贷贴息上限"),
        ("鲁可贷怎么贴膝", "鲁科贷怎么贴息"),
        ("天俊计划是什么", "天骏计划是什么"),
        ("鲁 科 贷 贴 息 多 少", "鲁科贷贴息多少"),
        ("魯科貸利息８０萬", "鲁科贷利息80万"),
        ("设备报废了", "设备报废了"),  # a real word is not a typo of 保费
        ("担保费补帖能补几年", "担保费补贴能补几年"),  # 保费补帖 overlaps the right-spelt 担保费
        ("浙科贷的申请条件", "浙科贷的申请条件"),  # another province's product keeps its name
        ("苏科贷利率", "苏科贷利率"),
        ("对银行设科技金融专营机构", "对银行设科技金融专营机构"),  # 行设 straddles the word 银行
        ("在科技金融上是怎么配合的", "在科技金融上是怎么配合的"),  # 是 is a word of its own: 上是 is no 上市
        ("两地在贷款贴息上有什么区别", "两地在贷款贴息上有什么区别"),  # 在|贷款 is no 再贷款
    ],
)
def test_noisy_typing_is_read(reader: Reader, typed: str, read: str) -> None:
    assert reader.clean(typed)[0] == read


def test_corrections_are_reported(reader: Reader) -> None:
    _, corrections = reader.clean("路科贷贴息上限")
    assert [(c.typed, c.term) for c in corrections] == [("路科贷", "鲁科贷")]


def test_spaced_out_typing_is_joined_but_words_are_kept_apart() -> None:
    assert unspace("鲁 科 贷 8 0 万") == "鲁科贷80万"
    assert unspace("鲁科贷 贴息 多少") == "鲁科贷贴息多少"
    assert unspace("IPO of a tech firm") == "IPO of a tech firm"


def test_the_speller_leaves_unknown_words_alone() -> None:
    speller = Speller(["鲁科贷"], lambda w: False)
    assert speller.correct("苏科贷") == ("苏科贷", ())


def test_a_three_character_run_cutting_a_word_is_left_alone() -> None:
    speller = Speller(["新设立"], {"银行"}.__contains__)
    assert speller.correct("鼓励银行设立科技支行") == ("鼓励银行设立科技支行", ())
    assert speller.correct("支持行设立的机构")[0] == "支持新设立的机构"


def test_a_function_character_beside_a_word_is_left_alone() -> None:
    speller = Speller(["再贷款"], {"贷款"}.__contains__, function_chars="在的")
    assert speller.correct("在贷款贴息上") == ("在贷款贴息上", ())
    assert speller.correct("用好再代款工具")[0] == "用好再贷款工具"


def test_a_two_character_slip_beside_a_kept_function_character_is_read() -> None:
    words = {"小规模", "上市", "有效"}.__contains__
    speller = Speller(["上市", "有效", "再保"], words, function_chars="上有在")
    assert speller.correct("科技企业上事融资")[0] == "科技企业上市融资"  # 上 kept, 事 → 市
    assert speller.correct("我们在保期间") == ("我们在保期间", ())  # 在 itself would change
    assert speller.correct("我们有小规模基金") == ("我们有小规模基金", ())  # 小规模 runs across the edge


def test_a_corpus_region_moved_into_is_the_region_asked(reader: Reader) -> None:
    assert reader.read("我们是浙江的基金管理人，打算迁到山东，有奖励吗").regions == ("山东省",)
    assert reader.read("我们想从山东迁到浙江，有奖励吗").regions == ()  # the region left is not asked
    assert reader.read("我们投的那家企业搬去浙江了，奖励还有吗").regions == ()  # the investee moved, not the asker


def test_measure_words_are_spelt_without_becoming_terms(vocab: Vocabulary) -> None:
    reader = Reader(vocab, ["鲁科贷"], lambda w: False, misspellable=["投资奖励"])
    assert reader.clean("投资奖厉多少")[0] == "投资奖励多少" and "投资奖励" not in reader.terms


@pytest.mark.parametrize(
    ("text", "places", "activity"),
    [
        ("宜昌市科技贷款市级贴息的标准是什么", ["宜昌市"], [False]),
        ("去新加坡上市的科技企业有支持吗", ["新加坡"], [True]),
        ("我们首次投了一家江苏的初创期科技企业", ["江苏"], [True]),
        ("我们在北京有分公司，山东总部能申请鲁科贷吗", ["北京"], [True]),
        ("在上海申请科技贷款贴息", ["上海"], [False]),
    ],
)
def test_places_are_read_with_their_use(reader: Reader, text: str, places: list[str], activity: list[bool]) -> None:
    u = reader.read(text)
    assert [p.name for p in u.places] == places
    assert [p.activity for p in u.places] == activity


def test_corpus_regions_and_their_measures_name_the_region(reader: Reader) -> None:
    assert reader.read("青岛的企业能贴息吗").regions == ("山东省",)
    assert reader.read("鲁科贷能贴多少").regions == ("山东省",)
    assert reader.read("天骏计划是什么").regions == ("内蒙古自治区",)
    assert set(reader.read("两地有什么不同").regions) == {"山东省", "内蒙古自治区"}


def test_a_listing_abroad_searches_for_境外(reader: Reader) -> None:
    assert "境外" in reader.read("去新加坡上市的科技企业有支持吗").search_text
    assert reader.read("上海的科技贷款贴息是多少").search_text == "上海的科技贷款贴息是多少"


def test_vocabularies_are_data(vocab: Vocabulary) -> None:
    assert "parameter" in vocab.intents and "比例" in vocab.words("parameter")
    assert any(d.role == "interest" for d in vocab.derived)
    assert "tech_sme" in vocab.concepts


@pytest.mark.parametrize(
    ("question", "intent"),
    [("鲁科担保费补贴咋算", "parameter"), ("山东有啥政策能用上", "match"), ("内蒙古上市奖励有木有", "eligibility")],
)
def test_spoken_asking_words_ask_as_their_standard_forms(reader: Reader, question: str, intent: str) -> None:
    assert intent in reader.read(question).intents


@pytest.mark.parametrize(
    ("question", "year"),
    [
        ("我们的创投2019年就设立了，投了山东企业2亿", 2019),
        ("我们是2020年成立的创投", 2020),
        ("我们新设立的创投投了一家2019年成立的企业", None),  # the investee's year
        ("2025年投了3000万", None),
        ("我们这只基金2020年就在青岛注册了", 2020),  # a place between the year and the word
        ("我们2021年投的企业注册在济南", None),  # 的: the year of a deal, not of the asker
    ],
)
def test_the_year_the_asker_was_set_up_is_read(reader: Reader, question: str, year: int | None) -> None:
    assert reader.read(question).founded == year


def test_a_founding_year_ending_its_phrase_is_the_asker_s(reader: Reader) -> None:
    assert reader.read("我们这家创投2018年成立的，累计投了4亿").founded == 2018


def test_a_founding_year_is_no_date_asked(reader: Reader) -> None:
    u = reader.read("我们机构2020年就在济南设立了，落户奖励还能申请吗")
    assert u.founded == 2020 and u.dates == ()


@pytest.mark.parametrize(
    ("question", "fewer"),
    [
        ("投资不到两年就退出了", True),
        ("持有未满3年", True),
        ("已经持有两年半", False),
        ("投了少于1年", True),
        ("快满两年了", True),
    ],
)
def test_a_figure_said_as_an_upper_bound_is_read_so(reader: Reader, question: str, fewer: bool) -> None:
    periods = [q for q in reader.read(question).quantities if q.unit == "年"]
    assert len(periods) == 1 and periods[0].fewer is fewer


@pytest.mark.parametrize(
    ("question", "registered", "activity"),
    [
        ("我们公司在江苏，想问鲁科贷", ("江苏省",), ()),
        ("我们在北京有分公司，想问鲁科贷", (), ("北京",)),  # a branch: where something happens
        ("我们投的那家企业在河南，能拿奖励吗", (), ("河南",)),  # an investee's place
        ("被投公司在安徽，我们在济南", ("山东省",), ("安徽",)),
    ],
)
def test_the_asker_s_own_place_is_told_from_a_place_where_it_deals(
    reader: Reader, question: str, registered: tuple[str, ...], activity: tuple[str, ...]
) -> None:
    u = reader.read(question)
    assert u.registered_in == registered
    assert tuple(p.name for p in u.places if p.activity and not p.registered) == activity


def test_a_measure_number_alone_is_read_only_beside_a_document_number(reader: Reader) -> None:
    assert reader.read("15号文（三）说了什么").clause_number == 3
    assert reader.read("政策分（一）贷款（二）保险两块吗").clause_number is None


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("lukedan danbao jine 500wan baofei duoshao", "鲁科担担保金额500万保费多少"),
        ("IPO上市奖励多少", "IPO上市奖励多少"),  # a Chinese question keeps its Latin letters
        ("hello, what is this", "hello, what is this"),  # no run divides into known words
        ("size 10亿的子基金，guidance fund出资多少", "规模10亿的子基金,引导基金出资多少"),  # English among Chinese
        ("sizeable的基金", "sizeable的基金"),  # only whole English words
        ("一笔loan，principal 800万，rate 5%", "一笔贷款,本金800万,利率5%"),  # a loan's figures in English
        ("鲁科担的 bao fei 补贴比例", "鲁科担的保费补贴比例"),  # a word typed with the input method off
        ("明天青岛天qi怎样", "明天青岛天气怎样"),  # a syllable finishing the character before it
        ("投pre-A轮的VC", "投pre-A轮的VC"),  # letters spelling no known word stay
    ],
)
def test_a_question_typed_in_pinyin_is_read_as_the_words_it_spells(reader: Reader, typed: str, read: str) -> None:
    assert reader.read(typed).text == read


def test_a_number_in_a_phrase_adding_one_more_takes_the_role_before_it(reader: Reader) -> None:
    u = reader.read("投了一家初创企业600万，另一家种子期企业200万")
    assert [q.role for q in u.quantities] == ["investment", "investment"]


@pytest.mark.parametrize(
    ("question", "roles"),
    [
        ("我们去年投了两家种子期的科技公司，合计4000万左右，奖励怎么算", ["investment"]),
        ("鲁科贷的利息付过了，大概35万，贴多少", ["interest"]),
        ("我们投了一家企业，估值5亿", [None]),  # 估值 qualifies it, though no role word does
        ("贷款500万，一共两笔，利息30万", ["principal", "interest"]),
        ("上个月办了一笔鲁科贷，600万", ["principal"]),  # the loan a product names is its principal
        # A list of numbers alone in its phrase: each takes the role word ending the phrase before.
        ("今年投了三家初创期企业，分别是800万元、1200万元和伍佰万元", ["investment"] * 3),
    ],
)
def test_a_number_alone_in_its_phrase_takes_the_role_word_ending_the_phrase_before(
    reader: Reader, question: str, roles: list[str | None]
) -> None:
    assert [q.role for q in reader.read(question).quantities if q.unit == "元"] == roles


def test_one_guarantees_an_amount_said_with_the_bare_verb(reader: Reader) -> None:
    assert [q.role for q in reader.read("我担1个亿能少交多少").quantities] == ["guaranteed"]


def test_a_cost_named_with_a_word_of_review_asks_no_review(reader: Reader) -> None:
    """评估费 is a cost of a transfer: it asks nothing about when a document is reviewed."""
    assert not reader.read("扣掉评估费和税费，净收入60万，团队至少拿多少").has("review", "docmeta")
    assert reader.read("这个文件到期后会不会评估调整").has("review")


@pytest.mark.parametrize(
    ("question", "party"),
    [("损失六百万元，省级风险补偿能补多少", "省财政"), ("鲁科贷损失500万，市级承担多少", "市财政")],
)
def test_a_level_of_government_names_its_share(reader: Reader, question: str, party: str) -> None:
    assert reader.read(question).party == party


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("突围工程的文件现在还管不管用", "validity"),
        ("鲁科担和鲁科保能一起用吗", "combine"),
        ("上市奖励和发债贴息能同时享受吗", "combine"),
        ("内蒙古那边都给些什么支持", "listing"),
    ],
)
def test_intents_read_from_everyday_words(reader: Reader, question: str, intent: str) -> None:
    assert reader.read(question).has(intent)


def test_a_combination_told_is_no_combination_asked(reader: Reader) -> None:
    assert not reader.read("某企业同时用了鲁科贷和鲁科保，一共补多少").has("combine")


def test_an_english_deal_word_is_read_as_the_documents_say_it(reader: Reader) -> None:
    assert "并购重组" in reader.read("刚做完一起M&A，自治区有奖励没").text


@pytest.mark.parametrize(
    "question", ["我们基金投了一家初创企业1500万元，企业注册在河南，有奖励吗", "投的那家企业在河南，有奖励吗"]
)
def test_an_investee_s_place_is_where_the_investment_goes_not_where_the_asker_is(reader: Reader, question: str) -> None:
    u = reader.read(question)
    assert not u.registered_in and [p.activity for p in u.places] == [True]



@pytest.mark.parametrize(
    ("question", "asks_amount"),
    [
        ("内蒙古那边从贷款、担保到上市能给我们哪些支持？", False),  # which support, not how much
        ("投早投小能拿哪几项奖励", False),
        ("辅导验收通过了，能领什么奖励？", True),  # what reward: the reward and its amount
        ("投早投小能拿哪些奖励，各多少", True),  # 多少 asks the amounts
        ("鲁科贷贴息能拿多少", True),
        ("担保公司能不能给我们大股东旗下另一家公司做担保啊？", True),  # no which-word after 能给 (as before)
    ],
)
def test_a_calc_word_asking_which_supports_asks_no_amount(reader: Reader, question: str, asks_amount: bool) -> None:
    assert reader.read(question).has("calc") is asks_amount
