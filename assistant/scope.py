"""The scope decision: decline a question only on evidence that it asks what the documents do not state.

Evidence, from the vocabularies (corpus/lexicon/scope.toml): another jurisdiction's policy (a place named
as whose policy is asked, not where something happens), another body's product, recognition criteria, a
statistic, a policy not yet issued, a procedure asked on its own, or another topic. A question anchored in
the corpus (it names a corpus region, a measure only one document has, or a clause) is not declined for a
place or a body it mentions. Without such evidence the question is answered — with low confidence when retrieval is
unsure — never declined for merely using no policy term.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.quantities import PHRASE_END, questions
from assistant.understand import AMOUNT_INTENTS, Understanding
from assistant.vocab import Vocabulary, says, spans

# Intents that a procedure question may carry and still be answered from a clause.
_ANSWERABLE = ("calc", "parameter", "eligibility", "conditions", "units", "docmeta", "compare")


QUESTION_MARKS = ("？", "?", "吗", "呢")
COURTESY_REPLY = "不客气。还有科技金融政策方面的问题（如贴息、担保和保险补贴、创投奖励怎么算），随时可以问我"


@dataclass(frozen=True)
class Verdict:
    # other_region | other_body | criteria | statistic | forecast | procedure | task | other_topic | unrelated
    # | courtesy (谢谢，辛苦了: nothing asked)
    kind: str
    reason: str  # why, in Chinese, as the answer states it
    related: bool  # whether the nearest clause is worth offering as related


def courtesy(
    text: str, read: Callable[[str], Understanding], vocab: Vocabulary, policy_terms: tuple[str, ...]
) -> Verdict | None:
    """Thanks or a goodbye that asks nothing (谢谢啊，辛苦了): besides its courtesies (改天再联系 asks for no
    unit's contact), no asking word, number, place, question mark or policy term (谢谢，那内蒙古的呢 asks on)."""
    rest = text
    for word in vocab.courtesy:
        rest = rest.replace(word, "，")
    if rest == text:
        return None
    u = read(rest)
    asks = u.intents or u.quantities or u.regions or u.places or any(m in rest for m in QUESTION_MARKS)
    return None if asks or any(t in rest for t in policy_terms) else Verdict("courtesy", COURTESY_REPLY, False)


def judge(
    u: Understanding,
    vocab: Vocabulary,
    anchored: bool,
    policy_terms: tuple[str, ...],
    names_measure: bool = False,
    names_mechanism: bool = False,
) -> Verdict | None:
    """``names_measure``: the question names a measure of the corpus (鲁科保), whose clause tells how to
    apply as far as any document does (its conditions and responsible units). ``names_mechanism``: it names
    one the documents never treat as a status recognised elsewhere (尽职免责, 后备库), so 怎么认定 asks how
    the measure works, not for recognition criteria."""
    text = u.text
    for term in sorted(policy_terms, key=len, reverse=True):  # 名单 inside 白名单, 社保 inside 社保基金
        text = text.replace(term, "＿")
    # 能拿多少上市奖励 asks for support; 高企申报要满足哪些指标？研发费用占比要多少 asks the criteria
    asks_support = u.has(*AMOUNT_INTENTS) and any(w in u.text for w in vocab.criteria.support)
    if not asks_support and not names_mechanism and _asks_criteria(u.text, vocab):
        reason = "收录文件只规定对已认定、已上市、已备案主体的支持措施，未规定认定、上市、登记或备案的标准、条件"
        return Verdict("criteria", reason, True)
    if any(says(text, w) for w in vocab.statistics):
        return Verdict("statistic", "收录文件是政策条文，不含统计数据（如获得支持的企业数量、已发放金额）", True)
    if any(says(u.text, w) for w in vocab.advice):
        return Verdict("other_topic", "收录文件是政策条文，不提供投资建议（如买卖哪只股票、企业值多少钱）", False)
    if any(says(u.text, w) for w in vocab.chat) and not any(t in u.text for t in policy_terms):
        reason = "本助手只回答收录的科技金融政策文件中的问题（如贴息、担保和保险补贴、创投奖励怎么算）"
        return Verdict("unrelated", reason, False)
    if any(says(u.text, w) for w in vocab.tasks):
        return Verdict("task", "本助手依据收录的政策文件回答问题、测算金额，不代写申请书、商业计划书等材料", True)
    if any(says(text, w) for w in vocab.forecast):
        return Verdict("forecast", "收录文件是已发布的政策条文，不含尚未发布的政策，也不预测政策走向", True)
    products = _other_products(text, vocab)
    if products and anchored and not any(w in u.text for w in vocab.product_past):
        named = "、".join(dict.fromkeys(products))
        return Verdict("other_body", f"所问的{named}是其他省份的产品，不在收录文件中，无法据此回答或比较", True)
    bodies = _bodies_named(text, vocab) + products
    # A region word inside a body's name (齐鲁银行, 青岛银行) places the body, not the question.
    anchored = anchored and not (bodies and _placed_by(bodies, u, vocab))
    elsewhere = _asked_elsewhere(u, vocab)
    if elsewhere:
        return Verdict("other_region", f"所问地区（{'、'.join(elsewhere)}）的政策不在收录范围内", True)
    if not anchored:
        places = [p.name for p in u.places if not p.activity]
        # Where the asker is, beside a deal in a corpus region (我们公司在江苏，投了一家山东的初创企业), asks about
        # that region's measures, not its own place's.
        if u.dealt_in and all(p.registered for p in u.places if not p.activity):
            places = []
        if places:
            return Verdict("other_region", f"所问地区（{'、'.join(dict.fromkeys(places))}）的政策不在收录范围内", True)
        if bodies:
            named = "、".join(dict.fromkeys(bodies))
            return Verdict("other_body", f"所问的{named}不是收录文件中的政策或产品", True)
    taxes = [w for w in vocab.outside_topics_always if w in text]
    if taxes:
        reason = f"收录文件未规定所问的税务事项（{'、'.join(taxes)}），以税务部门的规定为准"
        return Verdict("other_topic", reason, True)
    # A topic's words may hold a policy term (员工社保 holds 社保): the term then asks nothing of its own.
    # Where sentences end in question marks, a topic in the others is the asker's setting (…影响到我们发工资
    # 了。促进法对拖欠账款有什么规定？).
    text, said = asked(text), asked(u.text)
    topics = [w for w in vocab.outside_topics if says(text, w) or (w in said and any(t in w for t in policy_terms))]
    asked_terms = [t for t in policy_terms if t in said and not any(t in w for w in topics)]  # 天气 in 呼和浩特
    # A term inside what a topic's words span asks nothing either (买点科创板的股票).
    within = [span for w in topics for span in spans(text, w)]
    free = [i for i, c in enumerate(text) if c == "＿" and not any(a <= i < b for a, b in within)]
    if topics and not (asked_terms and free) and not any(w in u.text for w in vocab.asks_the_law):
        return Verdict("other_topic", f"所问事项（{'、'.join(topics)}）不属于科技金融政策", False)
    procedure = [w for w in vocab.procedure if says(text, w)]
    applying = names_measure and all(w in vocab.apply for w in procedure)
    if procedure and not applying and not _asks_more(text, procedure, vocab):
        return Verdict("procedure", "收录文件未规定申请流程、申报材料、受理窗口或办公时间", True)
    return None


_FIGURE_AFTER = re.compile(r"[^，,。？?]{0,3}[0-9０-９一二两三四五六七八九十百千万亿]")


def _bodies_named(text: str, vocab: Vocabulary) -> list[str]:
    """The bodies ``text`` names somewhere they do not run into a longer word (科技部门 is no 科技部)."""
    taken = {i for w in vocab.not_bodies for at in spans(text, w) for i in range(*at)}
    return [b for b in vocab.bodies if b in text and any(not taken & set(range(*at)) for at in spans(text, b))]


def _asks_criteria(text: str, vocab: Vocabulary) -> bool:
    """A subject word followed in its phrase by an ask word, with no support word in the phrase (认定需要什么
    条件; not 上市要满足什么条件才能拿奖励), or right after an ask word (怎么认定). A subject ending its
    phrase is asked about by a next phrase that opens with the ask ("想申请专精特新认定，需要什么条件";
    not "想上市，内蒙古这边会怎么扶一把")."""
    c = vocab.criteria
    for sense in c.other_senses:
        text = text.replace(sense, "＿")
    for subject in c.subjects:
        for m in re.finditer(re.escape(subject), text):
            phrases = PHRASE_END.split(text[m.end() : m.end() + c.reach + 8], maxsplit=1)
            ends_phrase = len(phrases) > 1 and len(phrases[0]) <= 2
            after = "".join(phrases) if ends_phrase else phrases[0]
            if any(w in after for w in c.support):
                continue
            reach = len(phrases[0]) + 2 if ends_phrase else c.reach
            for ask in c.asks:
                at = after.find(ask)
                # A figure said right after (营收一千二百万) states a fact of the asker, asking no criterion.
                if 0 <= at <= reach and not _FIGURE_AFTER.match(after, at + len(ask)):
                    return True
            if any(text.endswith(a, 0, m.start()) for a in c.asks):
                return True
    return False


def _our_places(vocab: Vocabulary) -> list[str]:
    """The words naming a corpus region or a measure only one region has (鲁科贷)."""
    return [w for words in (*vocab.regions.values(), *vocab.anchors.values()) for w in words] + list(vocab.regions)


def _placed_by(names: list[str], u: Understanding, vocab: Vocabulary) -> bool:
    """Whether every word placing the question in a corpus region stands inside one of ``names``."""
    if u.clause_id or u.doc_hint:
        return False
    ours = _our_places(vocab)
    rest = u.text
    for name in names:
        rest = rest.replace(name, "＿")
    return not any(w in rest for w in ours)


def _asked_elsewhere(u: Understanding, vocab: Vocabulary) -> list[str]:
    """Places named as whose policy is asked ("北京中关村那边对…的政策"), in a phrase naming no corpus
    region or measure, though another phrase may ("听说山东有鲁科贷，想问问北京那边…")."""
    ours = _our_places(vocab)
    asked = []
    for phrase in PHRASE_END.split(u.text):
        if any(w in phrase for w in ours):
            continue
        for place in dict.fromkeys(p.name for p in u.places if not p.activity):
            at = phrase.find(place)
            if at >= 0 and phrase.startswith(vocab.policy_after, at + len(place)):
                asked.append(place)
    return list(dict.fromkeys(asked))


def _asks_more(text: str, procedure: list[str], vocab: Vocabulary) -> bool:
    """Whether the question, its procedure words set aside (电话是多少 is no amount), asks what a clause answers.
    Where sentences end in question marks only they ask: "老板说我们符合鲁科贷贴息的条件，让我去办。申报要准备
    哪些材料？" asks for paperwork alone."""
    text = asked(text)
    for word in procedure:
        text = text.replace(word, "＿")
    words = [w for intent in _ANSWERABLE for w in vocab.words(intent)]
    # An ask word right before the procedure item, or right after it (有没有咨询电话, 网址是多少), asks for that
    # item.
    for word in words:
        text = text.replace(word + "＿", "＿").replace("＿是" + word, "＿").replace("＿" + word, "＿")
    return any(w in text for w in words)


def asked(text: str) -> str:
    """The sentences that end in a question mark, where some do; else the whole text."""
    return "".join(questions(text)) or text


def _other_products(text: str, vocab: Vocabulary) -> list[str]:
    return [
        prefix + suffix
        for prefix in vocab.product_prefixes
        for suffix in vocab.product_suffixes
        if prefix + suffix in text
    ]
