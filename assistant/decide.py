"""Decide: what kind of answer a question gets once its clauses are ranked.

Whether it shares enough with the corpus to be answered at all, whether it is about whole documents,
whether the best clause is sure enough to be the answer (else the answer offers two or three as
possibly related), and whether it asks about a day outside a document's period or a measure the
named region's documents never state. Scope from what a question asks is ``scope.judge``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from assistant.formulas import NOT_STATED
from assistant.quantities import PHRASE_END
from assistant.retrieve import Retriever
from assistant.route import fit, triggered
from assistant.rules import Rule
from assistant.scope import Verdict, asked
from assistant.understand import Understanding
from index.model import POLICY_TYPE, Clause
from index.search import Hit

# Evidence that a question is about this domain at all, when it names no policy term, region or
# clause: the best BM25 score of any chunk. Questions below it share no meaningful word with the
# corpus (greetings, chit-chat); measured on the dev split (see evals/report.md).
MIN_EVIDENCE = 1.0
# A retrieval is sure when the best clause leads the second by this much (weighted fusion, 0–1),
# or the question names a term found in at most two clauses; measured on the dev split.
SURE_MARGIN = 0.12
FIGURE_THING_CLAUSES = 10  # a thing whose figure is asked is named by at most this many clauses (准备金: 3)
# The words a document's title is made of before its kind (私募投资基金监督管理暂行办法: 私募 a, 暂行 v; terms x).
NAME_FLAGS = ("n", "vn", "v", "a", "b", "x", "eng")
TITLE_END_FLAGS = ("n", "vn", "x")
TITLE_NAME_CHARS = 6  # a document's title before its kind (商业银行资本管理; 单位没定奖励办法 names none)
PROGRAM_NAME_CHARS = 4  # a programme's name before 工程/计划 (泰山产业领军人才; 上市计划, 融资计划 are no names)


# A measure named by what it pays for: a noun right before a word of support (房租补贴, 电费补助).
_NAMED_MEASURE = re.compile(r"([\u4e00-\u9fff]{2})(补贴|补助|奖励|奖补|补偿|贴息)")
# A time limit a clause states (满2年, 30日内, 3个月, 之日起); a date (2023年9月28日) is none.
TIME_LIMIT = re.compile(r"(?:\d{1,3}|[一二两三四五六七八九十百]+)个?(?:工作日|日|天|周|月|年)|之日起|期限|时限|届满")
# A figure a sentence states: digits, or a Chinese number with its unit (百分之五十, 十倍, 两千万元).
_FIGURE = re.compile(r"\d|百分之|千分之|[一二两三四五六七八九十百千万]+(?:倍|万|亿|元|年|个月|日|天|成)")
_DATE = re.compile(r"(?:\d{4}年)?\d{1,2}月(?:\d{1,2}日)?|\d{4}年")
_NOUNS = ("n", "vn", "nz")  # jieba's part-of-speech flags of common nouns (房租, 招工), not 省里 or 还给


def anchored(u: Understanding) -> bool:
    """The question names a corpus region (or a measure of one, 鲁科贷), or a clause."""
    return bool(u.regions or u.clause_id or u.doc_hint)


class Decider:
    def __init__(self, retriever: Retriever) -> None:
        self.retriever = retriever
        self.index = retriever.index
        self.rules = retriever.rules
        self.vocab = retriever.vocab
        analyzer = self.index.analyzer
        # What a measure's name may be about and still be covered: the documents' words, the everyday
        # words the lexicon maps to them, and the words questions ask with (多少, 能拿).
        self._corpus_text = "".join(d.text for d in self.index.corpus.documents)
        # Names as the documents write them, without quotation marks (科技“突围”工程 names 突围工程).
        self._corpus_names = re.sub(r"[“”‘’\"'《》「」]", "", self._corpus_text)
        self._known = {
            *analyzer.lexicon.stopwords,
            *analyzer.lexicon.synonyms,
            *(w for ws in self.vocab.intents.values() for w in ws),
        }
        self._is_word = analyzer.is_word
        # Kinds of title no document of the corpus has (办法, 细则): a title ending so names another document.
        kinds = {k for d in self.index.corpus.documents for k in self.vocab.document_kinds if d.title.endswith(k)}
        self._other_kinds = tuple(k for k in self.vocab.other_document_kinds if k not in kinds)
        self._rare = functools.lru_cache(maxsize=4096)(self._rare)  # type: ignore[method-assign]

    def evidence(self, u: Understanding, anchored: bool) -> bool:
        """Whether the question, its numbers set aside, shares a meaningful word with the corpus."""
        if anchored or any(t in u.text for t in self.retriever.terms):
            return True
        words = u.text
        for q in sorted(u.quantities, key=lambda q: -q.start):
            words = words[: q.start] + words[q.end :]
        return self.index.best_bm25(words) >= MIN_EVIDENCE

    def sure(self, u: Understanding, hits: list[Hit], clause: Clause) -> bool:
        said = self.retriever.said(u)  # a term said in everyday words counts (科创债 → 科技创新公司债券)
        if any(t in said and t in clause.text for t in self.retriever.specific_terms):
            return True
        rivals = hits[1:]
        if hits and hits[0].doc_id in self.retriever.policy_docs and not u.has("law"):
            # A measure is weighed against the other measures: a law close behind is background, not a rival.
            rivals = [h for h in rivals if h.doc_id in self.retriever.policy_docs]
        return not rivals or hits[0].score - rivals[0].score >= SURE_MARGIN

    def fits_best(self, u: Understanding, hits: list[Hit], rule: Rule, said: str) -> bool:
        """An amount asked of a provision with an amount, which its words name better than any rule of the
        clauses ranked close behind does (科技企业上市给多少钱: the IPO subsidy of （十）, though （九） on
        listing ranks close behind)."""
        own = fit([rule], u, said, self.vocab.derived)
        close = [h for h in hits if h.clause_id != rule.clause_id and hits[0].score - h.score < SURE_MARGIN]
        rivals = [fit(self.rules.for_clause(h.clause_id), u, said, self.vocab.derived) for h in close]
        return rule.kind != NOT_STATED and own > 0 and all(own > r for r in rivals)

    def about_documents(self, u: Understanding) -> bool:
        """A question about a whole document (文号, issue date, issuers, validity), not one measure: no
        measure named, and no policy term beyond the words of a document's name."""
        if u.clause_number is not None or u.clause_id or any(t in u.text for t in self.retriever.specific_terms):
            return False
        titles = "".join(name for name, _ in self.retriever.doc_names)  # 科技成果转化 in a title names the document
        # A policy term beyond a title's words is what is asked about (经营许可证是谁发的: not the document's issuer).
        topical = [t for t in self.retriever.policy_terms(u.text) if t not in titles]
        if u.has("docmeta"):
            return not topical
        return u.has("validity") and not u.has("calc") and not topical  # 有没有有效期 asks for no amount

    def period_clause(self, u: Understanding, hits: list[Hit]) -> Clause | None:
        """Asked whether a measure applies on a day outside its document's period (2029年还能申请吗,
        2023年10月做的业务能享受吗), or whether the document itself still holds (到2026年文件还管用吗): the
        clause stating the period answers, not the measure's amount."""
        if not hits or not u.has("eligibility", "validity"):
            return None
        doc = self.index.corpus.document(hits[0].doc_id)
        about_document = u.has("validity") and any(w in u.text for w in self.vocab.document_words)
        outside = bool(u.dates) and not all(doc.in_force.contains(day) for day in u.dates)
        if not (outside or about_document) or not doc.in_force.basis:
            return None
        return next((c for c in doc.all_clauses if doc.in_force.basis in c.text), None)

    def unknown_measure(self, u: Understanding) -> Verdict | None:
        """A measure named by what it pays for, a word no document uses (济南高新区的房租补贴, 电费补助):
        say plainly that the documents set no such measure, and offer the nearest clause as related."""
        for m in _NAMED_MEASURE.finditer(u.text):
            word = m.group(1)
            if not self._is_word(word) or word in self._known or word in self._corpus_text:
                continue
            if self.index.analyzer.part_of_speech(word) in _NOUNS:
                return Verdict("not_covered", f"收录文件未规定所问的{word}{m.group(2)}", True)
        return None

    def unknown_program(self, u: Understanding) -> Verdict | None:
        """A programme asked about by its proper name (泰山产业领军人才工程的申报条件), nouns of four characters or
        more before 工程 or 计划, that no document holds, with no policy term beside it (我们入选了…，能申请
        鲁科贷吗 asks about 鲁科贷): the documents set no such programme."""
        if any(t in u.text for t in self.retriever.terms):
            return None
        whole = self._unknown_name(u.text, self.vocab.program_heads, ("n", "vn"), 2, PROGRAM_NAME_CHARS)
        return Verdict("not_covered", f"收录文件未规定所问的{whole}", True) if whole else None

    def unknown_document(self, u: Understanding) -> Verdict | None:
        """A document asked about by its title (融资担保公司资产比例管理办法里…; 按照私募投资基金监督管理暂行办法),
        of a kind no document of the corpus is (办法, 细则), that no document holds or cites, with no
        measure of the corpus named (鲁科贷): what it says is not in the library, whatever terms it uses."""
        # Cheap checks first: most questions name no such kind, and tagging the text is the costly part.
        if not any(k in u.text for k in self._other_kinds):
            return None
        if any(t in u.text for t in self.retriever.naming_terms) or self.retriever.titled(u):
            return None
        whole = self._unknown_name(u.text, self._other_kinds, NAME_FLAGS, PROGRAM_NAME_CHARS, TITLE_NAME_CHARS)
        return Verdict("not_covered", f"收录文件中没有《{whole}》，其规定无从引用", True) if whole else None

    def _unknown_name(self, text: str, heads: Sequence[str], flags: tuple[str, ...], tail: int, least: int) -> str:
        """The first proper name in ``text`` ending with one of ``heads``, words of ``flags`` before it at least
        ``least`` characters long, that the documents do not write, nor its last ``tail`` characters before the
        head (突围工程 is the corpus's 科技“突围”工程); "" for none."""
        name, last = "", ""
        for word, flag in self.index.analyzer.tagged(text):
            # A title's last word before its kind is a noun (管理办法, 实施细则; not 有没有办法).
            if word in heads and len(name) >= least and last.startswith(TITLE_END_FLAGS):
                whole = name + word
                if not any(whole[i:] in self._corpus_names for i in range(len(whole) - len(word) - tail + 1)):
                    return whole
            named = flag.startswith(flags) and word.isalnum()  # punctuation is tagged x, as terms are
            name, last = (name + word, flag) if named else ("", "")
        return ""

    def time_not_stated(self, u: Understanding, hits: list[Hit]) -> Verdict | None:
        """How long something takes asked (贴息申请交上去多久能到账), where the clause found states no time
        limit: the documents set no processing or payment times."""
        v, said = self.vocab, asked(u.text)
        if not any(w in said for w in v.duration_asks) or not any(w in said for w in v.duration_of):
            return None
        if any(w in said for w in v.duration_not):
            return None
        if not hits or TIME_LIMIT.search(_DATE.sub("", self.retriever.clause(hits[0].clause_id).text)):
            return None
        return Verdict("procedure", "收录文件未规定办理、审批或拨付到账的时间，以责任单位发布的通知为准", True)

    def figure_not_stated(self, u: Understanding, clause: Clause) -> str | None:
        """The thing whose figure is asked (准备金计提比例具体多少, 引导基金的容亏率是多少), no rule's quantity
        asked, when the clause names it only in sentences stating no figure (应当按照国家有关规定提取相应的准备金):
        the answer says plainly that the clause sets none. None when the clause does not name the thing (the
        question may say it in other words)."""
        v = self.vocab
        phrase = next((p for p in PHRASE_END.split(asked(u.text)) if any(w in p for w in v.figure_asks)), None)
        if phrase is None or any(q.role for q in u.quantities):
            return None
        if triggered(self.rules.for_clause(clause.id), self.retriever.said(u)):
            return None  # a provision's amount asked (贴息多少)
        generic = {*v.figure_generic, *self.index.analyzer.lexicon.stopwords}
        things = [
            w
            for w, flag in self.index.analyzer.tagged(phrase)
            if len(w) >= 2 and flag.startswith((*_NOUNS, "x")) and w not in generic and self._rare(w)
        ]
        naming = [s.text for s in clause.sentences if any(t in s.text for t in things)]
        if not naming or any(_FIGURE.search(s) for s in naming):
            return None
        return next(t for t in things if any(t in s for s in naming))

    def _rare(self, word: str) -> bool:
        """Whether few clauses name ``word``: a thing of its own (准备金), not one every text names (政府)."""
        return sum(word in c.text for d in self.index.corpus.documents for c in d.all_clauses) <= FIGURE_THING_CLAUSES

    def local_level(self, u: Understanding) -> Verdict | None:
        """A city's own level of policy asked (鄂尔多斯市级配套奖励) where the corpus holds no document of that
        city: say so, and offer the region's nearest clause as related."""
        if not u.localities:
            return None
        level = any(w in u.text for w in self.vocab.local_level)
        regions = [d.region for d in self.index.corpus.documents]
        missing = [
            city
            for city in u.localities
            if not any(city in r for r in regions) and (level or self._gives(u.text, city))
        ]
        # A city named in two forms (烟台, 烟台市) is said once.
        missing = [city for city in missing if not any(city != other and city in other for other in missing)]
        if not missing:
            return None
        cities = "、".join(missing)
        reason = f"收录文件中没有{cities}本级的政策文件，所问{cities}的本级政策不在收录范围内"
        return Verdict("other_region", reason, True)

    def _gives(self, text: str, city: str) -> bool:
        """Whether the city is named as the one giving support (济南市对…, 烟台对…), not 潍坊市对接…."""
        v = self.vocab
        for m in re.finditer(re.escape(city), text):
            rest = text[m.end() :]
            opening = rest[rest.find("对") :]
            if rest.startswith(v.local_actor) and not opening.startswith(v.local_actor_not):
                return True
        return False

    def other_trade(self, u: Understanding) -> Verdict | None:
        """A business no measure serves (我想开个奶茶店，有补贴吗: facts.toml non_tech) asking in general, no
        policy word said or implied: say that the measures serve technology enterprises and finance."""
        trades = [w for w in self.vocab.concepts.get("non_tech", ()) if w in u.text]
        if not trades or self.retriever.policy_terms(u.text) or self.index.analyzer.expansions(u.text):
            return None
        reason = f"收录文件的措施面向科技型企业和服务科技创新的金融、投资机构，所述经营（{trades[0]}）不在其支持范围内"
        return Verdict("not_covered", reason, True)

    def topic_not_in_region(self, u: Understanding) -> Verdict | None:
        """A measure (贴息, 保费补贴: a trigger word of a rule) asked of a region whose documents are laws
        and regulations only and never name it (上海…贴息): say plainly that they do not cover it, and
        offer the region's nearest clause as related."""
        if not u.regions or self.retriever.titled(u):
            return None
        docs = [d for d in self.index.corpus.documents if any(r in d.region for r in u.regions)]
        said = self.retriever.said(u)
        terms = [t for t in self.retriever.measure_words if t in said]
        # A measure's own name as the question says it (保费补贴, 在孵: a term of at most two clauses; not
        # what an everyday word stands for, 科技贷款 → 鲁科贷) that the region's texts never use is not
        # covered there, though a broader word of it is (保险).
        names = [t for t in self.retriever.specific_terms if t in u.text and not any(t in d.text for d in docs)]
        if not docs or any(d.doc_type == POLICY_TYPE for d in docs) or not (terms or names):
            return None
        if not names and any(t in d.text for t in terms for d in docs):
            return None
        terms = names or terms
        where = "、".join(u.regions)
        named = "、".join(terms)
        titles = "、".join(d.cited_as for d in docs)
        return Verdict("not_covered", f"收录的{where}文件（{titles}）未涉及所问事项（{named}）", True)
