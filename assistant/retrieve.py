"""Retrieve: the clauses a question is about, ranked.

Within the one document a question names by title, else the one region it names, else the corpus; policy
measures ahead of laws and a named city's documents ahead of its province's on a close call; a clause
holding a measure's own name (鲁科贷) ahead of others; for an amount, the clause whose rule fits the
question's numbers and words. Also the clauses and documents a question names outright.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Sequence

import cn2an

from assistant.quantities import PHRASE_END
from assistant.route import fit, roles_complete, tells_remaining
from assistant.rules import RuleBook
from assistant.understand import Understanding
from assistant.vocab import Vocabulary
from index.model import POLICY_TYPE, Clause, Document
from index.search import Filters, Hit, SearchIndex

# A term of this many characters found in at most two clauses names a measure (鲁科贷, 投早投小); a
# clause holding it gains this much (fused scores run 0–1).
NAMING_TERM_CHARS = 3
NAMED_BOOST = 0.3
TAKER_MIN_ROLES = 2  # numbers of this many roles taken by one rule point to its clause wherever it ranks
POLICY_BOOST = 0.15  # their precedence on the fused 0–1 scale, on a close call
NATIONAL_BOOST = 0.075  # national laws over local ones when no place is named: less than a measure's
LOCAL_BOOST = 0.3  # a named city's own documents over its province's, on the same scale
NATIONAL = "全国"  # the level of national laws
PROVINCE = "省"  # how a province's units begin (省科技厅), left out when asked by their office (科技厅)
CHINA = "中华人民共和国"  # national laws are named without it
_PLACE_SUFFIX = re.compile(r"^(\w{2,3}?)(?:省|市|自治区)")
DOC_NAME_CHARS = 5  # a document title shorter than this is no name to find in a question
DEFINITION_REACH = 8  # ranks within which a clause defining the term asked about is preferred
PENALTY_REACH = 3  # ranks within which a clause stating a penalty is preferred when one is asked
# A title is named loosely by its first four characters and its kind (条例, 意见) at most twelve characters on.
LOOSE_TITLE_CHARS, LOOSE_HEAD_CHARS, LOOSE_GAP = 8, 4, 12
# A title abbreviated by dropping characters (科技进步法 for 科学技术进步法, 成果转化法): at least this many
# characters, and this share of the title, in its order, ending with its kind.
ABBREVIATION_CHARS, ABBREVIATION_SHARE = 4, 0.5
# The kinds of clause that answer a question (not the cover notice, preamble or closing lines).
ANSWERING_KINDS = ("item", "article", "section", "paragraph")
# How far down, and how far behind the first in fused score, a clause with an applicable rule may be
# brought forward for a question about an amount.
RULE_RERANK_DEPTH = 3
RULE_RERANK_GAP = 0.25
# A name asked to be recognised (…特色示范机构是怎么评定的) is matched to the documents' words by its last
# 5 to 12 characters: fewer would be common words (企业评价), more a whole phrase.
MECHANISM_NAME_MIN, MECHANISM_NAME_MAX = 5, 12


class Retriever:
    def __init__(self, index: SearchIndex, rules: RuleBook, vocab: Vocabulary, mode: str) -> None:
        self.index = index
        self.rules = rules
        self.vocab = vocab
        self.mode = mode
        corpus = index.corpus
        self.terms = tuple(t for t in index.analyzer.lexicon.terms if len(t) > 1)
        items = [c.text for c in corpus.clauses]
        # Terms found in at most two clauses name a measure; the others (科技型企业 …) do not.
        self.specific_terms = tuple(t for t in self.terms if 0 < sum(t in text for text in items) <= 2)
        self.naming_terms = tuple(t for t in self.specific_terms if len(t) >= NAMING_TERM_CHARS)
        # Naming terms the documents never write in a phrase with a recognition or listing word (尽职免责,
        # 后备库; not 自治区认定的自治区科技标杆企业, 在科创板上市): how one is 认定 or 入库 is how the measure
        # works, which its clause tells as far as any document does.
        self._phrases = [p for text in items for p in PHRASE_END.split(text)]
        self._marked = [p for p in self._phrases if any(w in p for w in vocab.criteria.subjects)]
        self.mechanism_terms = tuple(t for t in self.naming_terms if not any(t in p for p in self._marked))
        # The longer terms holding a naming term (科创板企业培育中心 holds 科创板).
        self._holding = {t: tuple(o for o in self.terms if t in o and o != t) for t in self.naming_terms}
        self.policy_docs = frozenset(d.id for d in corpus.documents if d.doc_type == POLICY_TYPE)
        self.national_docs = frozenset(d.id for d in corpus.documents if d.level == NATIONAL)
        # A city's documents (山东省青岛市): their region is not the province it lies in.
        self.city_docs = frozenset(d.id for d in corpus.documents if vocab.places.provinces_in(d.region) != [d.region])
        # Words naming a measure with an amount (贴息, 保费补贴): the rules' trigger words of two or more characters.
        self.measure_words = tuple(dict.fromkeys(t for r in rules.rules for t in r.triggers if len(t) >= 2))
        # The units responsible for the measures (省科技厅, 人民银行山东省分行), longest first.
        self.unit_names = tuple(sorted({u.name for c in corpus.clauses for u in c.units}, key=len, reverse=True))
        self._clause_words: dict[str, str] = {}  # a clause's text and its rules' trigger words, made once
        # How questions name a document: its title (without 中华人民共和国) or short title.
        self.doc_names = sorted(
            ((name, d) for d in corpus.documents for name in _names_of(d)), key=lambda p: -len(p[0])
        )

    def clause(self, clause_id: str) -> Clause:
        return self.index.corpus.clause(clause_id)

    @functools.cached_property
    def _recognised_terms(self) -> tuple[str, ...]:
        """Terms the documents write in a phrase with a recognition or listing word (科技型中小企业, beside
        高新技术企业 in 引导高新技术企业、科技型中小企业进入区域性股权市场)."""
        return tuple(t for t in self.terms if any(t in p for p in self._marked))

    def names_mechanism(self, text: str) -> bool:
        """Whether ``text`` asks how something is recognised that the documents set up themselves: a
        mechanism term, or the name said before the recognition word (科技特色示范机构是怎么评定的) ending in
        words a document writes (…特色示范机构建设) and never writes with a recognition word. A phrase naming
        a recognised status before its recognition word, and no mechanism (科技型中小企业评价入库评分标准…研发
        投入各占多少分), asks for that status's criteria, whatever mechanism term it holds after it."""
        criteria = self.vocab.criteria
        names = []
        earlier = ""
        for phrase in PHRASE_END.split(text):
            at = min((phrase.find(w) for w in criteria.subjects if w in phrase), default=-1)
            before = phrase[: max(at, 0)]
            cut = min((before.find(a) for a in criteria.asks if a in before), default=len(before))
            name = before[:cut].rstrip("是的被要")
            if any(t in name for t in self.mechanism_terms):
                return True
            # A phrase without a recognition word (高企认定要什么条件？研发投入占多少？: its second) asks nothing
            # of how a thing is recognised, whatever term it holds; one naming nothing itself (…尽职免责这一说，
            # 怎么认定) asks it of the phrases before.
            if at >= 0 and not any(t in name for t in self._recognised_terms):
                names.append((phrase if self._names_something(phrase) else earlier + phrase, name))
            earlier += phrase
        if any(t in phrase for phrase, _ in names for t in self.mechanism_terms):
            return True
        for _, name in names:
            for start in range(max(0, len(name) - MECHANISM_NAME_MAX), len(name) - MECHANISM_NAME_MIN + 1):
                part = name[start:]
                if any(part in p for p in self._phrases):
                    if not any(part in p for p in self._marked):
                        return True
                    break  # the longest part the documents write is recognised somewhere: a status
        return False

    def _names_something(self, phrase: str) -> bool:
        """Whether a phrase says a policy term, in the documents' words or everyday ones (高企)."""
        return bool(self.policy_terms(phrase) or self.index.analyzer.expansions(phrase))

    def holds(self, clause_id: str, term: str) -> bool:
        """Whether a clause names ``term`` itself, not only as a part of a longer name (a clause on the
        科创板企业培育中心 does not name 科创板)."""
        text = self.clause(clause_id).text
        for longer in self._holding.get(term, ()):
            text = text.replace(longer, "")
        return term in text

    def names(self, term: str, text: str) -> bool:
        """Whether ``text`` says ``term`` as a name of its own, not as the modifier of a product named
        after it (研发投入险 is an insurance, not the R&D subsidy 研发投入 names)."""
        return term in text and any(
            not text.startswith(self.vocab.modified_by, m.end()) for m in re.finditer(re.escape(term), text)
        )

    def said(self, u: Understanding) -> str:
        """The question and the policy words its everyday words stand for (北交所上市 → 首次公开发行)."""
        return f"{u.text} {' '.join(self.index.analyzer.expansions(u.text))}"

    def policy_terms(self, text: str) -> list[str]:
        return [t for t in self.terms if t in text]

    def hits(
        self, u: Understanding, region: str | None = None, text: str | None = None, within: Document | None = None
    ) -> list[Hit]:
        """Ranked clauses: within the one document the question names by title (of ``region``, when one is
        given) or ``within`` one a whole question named (a part of it asked each), else the one region it
        names (its policy measures first), else the corpus (its policy measures first)."""
        query, filters, named = self._plan(u, region, text, within)
        if filters.doc_id is not None:
            return self._retrieve(query, filters, named)
        hits = self._prefer_local(u, self._prefer_policy(u, self._retrieve(query, filters, named)))
        if not named:
            return hits
        # A clause holding a measure's own name (鲁科贷) answers a question that names it.
        boosted = [(h.score + NAMED_BOOST * any(self.holds(h.clause_id, t) for t in named), h) for h in hits]
        return [h for _, h in sorted(boosted, key=lambda p: -p[0])]

    def _plan(
        self, u: Understanding, region: str | None, text: str | None, within: Document | None
    ) -> tuple[str, Filters, list[str]]:
        """What ``hits`` searches: the query, the documents searched and the measures the query names."""
        titled = [d for d in self.titled(u) if region is None or region in d.region] or self._numbered(u, region)
        titled = titled or ([within] if within else [])
        # Where the asker is registered is no region asked about (我们在山东青岛，内蒙古的上市奖励能拿吗).
        asked = [r for r in u.regions if r not in u.registered_in] or u.regions
        if region is None and len(asked) == 1:
            region = asked[0]
        query = text or u.search_text
        named = [t for t in self.naming_terms if self.names(t, query)]
        filters = Filters(doc_id=titled[0].id) if len(titled) == 1 else Filters(region=region)
        return query, filters, named

    def prime(self, questions: Sequence[Understanding]) -> None:
        """Embed at once the questions about to be searched one by one (a compound question's parts), except
        those whose BM25 ranking is decisive: their dense query is never run."""
        if self.mode == "bm25":
            return
        plans = [self._plan(u, None, None, None) for u in questions]
        dense = self.mode == "dense"
        self.index.prime([q for q, where, named in plans if dense or self._decisive(q, where, named) is None])

    def prefer_definition(self, u: Understanding, hits: list[Hit]) -> list[Hit]:
        """A question asking what a term means goes to the clause that defines it (本法所称中小企业，是指…)
        among the first few ranked."""
        if not u.has("define"):
            return hits
        for term in self._terms_defined(u.text):
            for i, hit in enumerate(hits[:DEFINITION_REACH]):
                if self._defines(self.clause(hit.clause_id), term):
                    return [hit, *hits[:i], *hits[i + 1 :]]
        return hits

    def prefer_penalty(self, u: Understanding, hits: list[Hit]) -> list[Hit]:
        """A question asking what befalls a breach goes to the clause of the same document that states a
        penalty, among the first few ranked, when the first states none (担保责任余额与净资产比例不符合规定会
        受到什么处罚: 第四十条's 罚款, not 第十五条's ratio); one asking what is allowed goes to the rule, not
        to the penalty that restates it (对关联方担保有什么限制: 第十七条, not 第四十条); of several rules, the
        one sharing most wording with the penalty, which restates the rule broken (未经批准…经营融资担保业务:
        第六条's 未经监督管理部门批准…不得经营, not 第十二条 on what else may be done)."""
        asked = u.has("penalty")
        if not hits or self._states_penalty(hits[0].clause_id) == asked:
            return hits
        fitting = [
            i
            for i, hit in enumerate(hits[1:PENALTY_REACH], start=1)
            if hit.doc_id == hits[0].doc_id and self._states_penalty(hit.clause_id) == asked
        ]
        if not fitting:
            return hits
        first = _bigrams(self.clause(hits[0].clause_id).text)
        shared = [len(first & _bigrams(self.clause(hits[i].clause_id).text)) for i in fitting]
        best = fitting[0] if asked else fitting[shared.index(max(shared))]
        return [hits[best], *hits[:best], *hits[best + 1 :]]

    def _states_penalty(self, clause_id: str) -> bool:
        return any(m in self.clause(clause_id).text for m in self.vocab.penalty_marks)

    def defines(self, u: Understanding, clause: Clause) -> bool:
        """Whether ``clause`` defines a term the question asks the meaning of."""
        return u.has("define") and any(self._defines(clause, t) for t in self._terms_defined(u.text))

    def _defines(self, clause: Clause, term: str) -> bool:
        return any(m.format(term=term) in clause.text for m in self.vocab.definition_marks)

    def _terms_defined(self, text: str) -> list[str]:
        """The terms a question may ask the meaning of: its policy terms, then the words right before the
        asking word, longest first (中小企业是怎么界定的 → 中小企业, 小企业)."""
        at = min((text.find(w) for w in self.vocab.words("define") if w in text), default=-1)
        phrase = PHRASE_END.split(text[:at])[-1].removesuffix("是") if at > 0 else ""
        return [*self.policy_terms(text), *(phrase[i:] for i in range(len(phrase) - 2))]

    def prefer_rules(self, u: Understanding, hits: list[Hit]) -> list[Hit]:
        """A question asking for an amount, or giving numbers a rule takes, goes to the clause whose rule
        fits it best (numbers taken, then trigger words) among those ranked close behind the first
        (上市…奖多少: the IPO subsidy, not the listing clause)."""
        if not hits or not (u.has("calc", "parameter") or any(q.role for q in u.quantities)):
            return hits
        hits = [*hits, *self._takers_outside(u, hits)]
        said = self.said(u)
        fits = [fit(self.rules.for_clause(h.clause_id), u, said, self.vocab.derived) for h in hits]
        taken = [fit(self.rules.for_clause(h.clause_id), u, "", self.vocab.derived) for h in hits]
        # When the first clause holds a measure the question names (科创债 → 科技创新公司债券), a clause naming
        # none of the named measures, in its text or its rules' trigger words, does not displace it: the
        # 鲁科贷 贴息 does not answer "科创债能贴息多少".
        named = [t for t in self.specific_terms if self.names(t, said)]
        held = [any(t in self._words_of(h.clause_id) for t in named) for h in hits] if named else []
        # A measure named by its brand (鲁科担的保费补贴) holds its clause against one sharing only the
        # other words (鲁科保's 保费补贴).
        brands = [t for t in named if t in self.naming_terms]
        holding_brands = [all(t in self._words_of(h.clause_id) for t in brands) for h in hits] if brands else []
        held = holding_brands if holding_brands and holding_brands[0] else held
        held = held if held and held[0] else []
        # Nor does a wider region's rule displace the first clause when that clause is of the city the
        # question names (青岛…技术转让奖励: 青岛's own 百分之三十, not the province's 百分之七十).
        local = self._local_docs(u)
        if hits[0].doc_id in local and self.rules.for_clause(hits[0].clause_id):
            held = [h.doc_id in local for h in hits]
        # Numbers a rule takes are strong evidence wherever the clause ranks; trigger words only nearby.
        reach = [
            i
            for i, h in enumerate(hits)
            if (taken[i] or (i < RULE_RERANK_DEPTH and hits[0].score - h.score <= RULE_RERANK_GAP))
            and (not held or held[i])
        ]
        if not reach:
            return hits
        # Among rules that fit alike, with no place named, the national law's (it applies everywhere; a
        # region's may set another floor only there: 转让费300万，团队至少多少 is the law's 50%).
        national = [not u.regions and h.doc_id in self.national_docs for h in hits]
        # A figure asked of a clause that states none (奖励比例是多少: 第三十三条 leaves it to the unit) is
        # stated by a rule of a clause close behind (第三十四条's 百分之七十).
        states = [
            u.has("parameter")
            and not self.rules.for_clause(hits[0].clause_id)
            and bool(self.rules.for_clause(h.clause_id))
            for h in hits
        ]
        best = max(reach, key=lambda i: (fits[i], states[i], national[i], -i))
        if (fits[best] == 0 and not states[best]) or best == 0:
            return hits
        return [hits[best], *(h for h in hits if h is not hits[best])]

    def _words_of(self, clause_id: str) -> str:
        """A clause's text and the trigger words of its rules (鲁科保's 保费补贴, which its text never says)."""
        if clause_id not in self._clause_words:
            triggers = (w for r in self.rules.for_clause(clause_id) for w in r.triggers)
            self._clause_words[clause_id] = " ".join([self.clause(clause_id).text, *triggers])
        return self._clause_words[clause_id]

    def titled(self, u: Understanding) -> list[Document]:
        """Documents the question names by title ("中小企业促进法第十七条")."""
        found: list[Document] = []
        for name, doc in self.doc_names:
            # An abbreviation shared by several regions' titles (成果转化条例) names the one of the region said.
            abbreviated = _in_regions(doc, u) and self._abbreviated(name, u.text) and self._fits_only(name, doc, u.text)
            named = name in u.text or self._loosely_named(name, u.text) or abbreviated
            if named and doc not in found:
                found.append(doc)
        if found:
            return found
        # A shorter abbreviation names a title when it fits no other (担保条例: 融资担保公司监督管理条例 alone).
        short = {doc.id: doc for name, doc in self.doc_names if self._abbreviated(name, u.text, share=0.0)}
        return list(short.values()) if len(short) == 1 else []

    def _numbered(self, u: Understanding, region: str | None) -> list[Document]:
        """The one document whose 文号 the question gives (内党金办发〔2025〕15号, 155号文), else none."""
        docs = [d for d in self.index.corpus.documents if hinted(d, u.doc_hint)]
        return docs if len(docs) == 1 and (region is None or region in docs[0].region) else []

    def _loosely_named(self, name: str, text: str) -> bool:
        """A title said by its opening words and its kind, a few words apart (管融资担保公司的那个条例 names
        融资担保公司监督管理条例); a kind of one character (法) is too common a word to count."""
        kind = next((k for k in self.vocab.document_kinds if name.endswith(k)), None)
        if kind is None or len(kind) < 2 or len(name) < LOOSE_TITLE_CHARS:
            return False
        head = name[:LOOSE_HEAD_CHARS]
        return any(kind in text[m.end() : m.end() + LOOSE_GAP] for m in re.finditer(re.escape(head), text))

    def _fits_only(self, name: str, doc: Document, text: str) -> bool:
        """Whether the abbreviation naming ``doc`` fits no other title of its kind and region as well:
        山东条例 fits 山东省地方金融条例 and 山东省促进科技成果转化条例 alike, and names neither."""
        kind = next((k for k in self.vocab.document_kinds if name.endswith(k)), "")
        fit = self._abbreviation_fit(name, text)
        return all(
            other is doc
            or not (other_name.endswith(kind) and other.region == doc.region)
            or self._abbreviation_fit(other_name, text) < fit
            for other_name, other in self.doc_names
        )

    def _abbreviated(self, name: str, text: str, share: float = ABBREVIATION_SHARE) -> bool:
        """A title said with characters dropped, ending with its kind (科技进步法 names 科学技术进步法): the
        words before the kind in the question are, read backwards, the title's in its order, at least
        ``share`` of it."""
        fit = self._abbreviation_fit(name, text)
        return fit >= ABBREVIATION_CHARS and fit >= share * len(name)

    def _abbreviation_fit(self, name: str, text: str) -> int:
        """The most characters of the title that the question says, in its order, ending with its kind."""
        kind = next((k for k in self.vocab.document_kinds if name.endswith(k)), None)
        best = 0
        for m in re.finditer(re.escape(kind), text) if kind else ():
            matched, at = len(kind), len(name) - len(kind)  # characters matched; where in the title to look
            for c in reversed(text[: m.start()]):
                found = name.rfind(c, 0, at)
                if found < 0:
                    break
                matched, at = matched + 1, found
            best = max(best, matched)
        return best

    def section_asked(self, u: Understanding) -> tuple[Document, str, list[Clause]] | None:
        """The part of a document a question asks for (哪一章讲融资促进, 第十一章有哪几条): the section whose name
        shares the most words with the question, in the documents it names (by title or 文号), else its
        regions'; of those a chapter number names (第十一章), when it names one."""
        docs = self.documents_named(u) if (self.titled(u) or u.doc_hint) else self.index.corpus.documents
        docs = [d for d in docs if _in_regions(d, u)] or docs
        if u.chapter_number:
            numbered = f"第{cn2an.an2cn(u.chapter_number)}章"
            docs = [d for d in docs if any(c.section.startswith(numbered) for c in d.clauses)]
            if len(docs) != 1:  # 第三章讲什么: of which document is for the question to say
                return None
        text = u.text
        for name, _ in self.doc_names:  # the title names the document, not the part (科学技术进步法 ≠ 科学技术…机构)
            text = text.replace(name, "")
        if u.has("penalty"):  # 违规了怎么罚，在哪一章: the part on penalties, whatever it is called (法律责任)
            text += "，" + "，".join(self.vocab.intents["penalty"])
        words = set(self.index.analyzer(text))
        best: tuple[int, Document, str] | None = None
        for doc in docs:
            for section in dict.fromkeys(c.section for c in doc.clauses if c.section):
                if u.chapter_number and not section.startswith(numbered):
                    continue
                name = section.split(" ", 1)[-1]
                shared = sum(len(w) for w in set(self.index.analyzer(name)) & words if len(w) > 1)
                shared += 1 if u.chapter_number else 0  # the number names it, whatever words it shares
                if shared and (best is None or shared > best[0]):
                    best = (shared, doc, section)
        if best is None:
            return None
        _, doc, section = best
        return doc, section, [c for c in doc.clauses if c.section == section]

    def documents_named(self, u: Understanding) -> list[Document]:
        """The documents a question is about: named by title or 文号; else, per region named, its policy
        measures (规范性文件) if it has any; else the policy measures of the whole corpus."""
        docs = self.index.corpus.documents
        titled = self.titled(u) or [d for d in docs if any(hinted(d, h) for h in u.doc_hints)]
        if titled:
            return titled
        regional = [d for d in docs if any(r in d.region for r in u.regions)] or list(docs)
        return [d for d in regional if d.doc_type == POLICY_TYPE] or regional

    def clauses_numbered(self, u: Understanding) -> list[Clause]:
        """The clauses of several numbers named at once (155号文第（一）条和第（十）条), when each number names
        one clause; else none."""
        each = [self.clauses_named(dataclasses.replace(u, clause_number=n)) for n in u.clause_numbers]
        if len(each) < 2 or any(len(found) != 1 for found in each):
            return []
        return [found[0] for found in each]

    def named_clause(self, u: Understanding) -> Clause | None:
        named = self.clauses_named(u)
        return named[0] if len(named) == 1 else None  # several (第三条 of both documents): retrieval decides

    def clauses_named(self, u: Understanding, region: str | None = None, doc_id: str | None = None) -> list[Clause]:
        """Clauses a question names by id, or by number (第三条) narrowed by title, 文号, region or filters."""
        corpus = self.index.corpus
        if u.clause_id and corpus.has_clause(u.clause_id):
            return [corpus.clause(u.clause_id)]
        if u.clause_number is None:
            return []
        titled = self.titled(u)
        docs = [
            d
            for d in (titled or corpus.documents)
            if (doc_id is None or d.id == doc_id)
            and (region is None or region in d.region)
            and (not u.regions or any(r in d.region for r in u.regions))
            and (u.doc_hint is None or hinted(d, u.doc_hint))
        ]
        if not titled and u.doc_hint is None and doc_id is None:  # 山东…第二十条: its policy measures first
            docs = [d for d in docs if d.doc_type == POLICY_TYPE] or docs
        return [c for d in docs for c in d.clauses if c.number == u.clause_number]

    def units_named(self, u: Understanding) -> tuple[str, ...]:
        """The responsible units a question names: by name, or a province's without its 省 (科技厅 names
        省科技厅 and 内蒙古's 科技厅 alike)."""
        text = u.text
        named: list[str] = []
        for name in self.unit_names:  # longest first: 科技厅 inside a 省科技厅 already named is no other unit
            if name in text or (name.startswith(PROVINCE) and name[1:] in text):
                named.append(name)
                text = text.replace(name, "")
        return tuple(named)

    def clauses_of_units(self, u: Understanding, units: Sequence[str]) -> list[tuple[Clause, bool]]:
        """The measures the units are responsible for, in the question's regions: each with whether a unit
        leads it (牵头) rather than takes part (按职责分工负责)."""
        wanted = set(units)
        return [
            (clause, bool(wanted.intersection(clause.lead_units)))
            for doc in self.index.corpus.documents
            if _in_regions(doc, u)
            for clause in doc.clauses
            if wanted.intersection(x.name for x in clause.units)
        ]

    def without_places(self, u: Understanding) -> str:
        """The question less the words naming regions (山东, 内蒙古, 两地, 宜昌): filters and scope do their job."""
        text = u.text
        words = {w for r, ws in self.vocab.regions.items() for w in (r, *ws)} | set(self.vocab.both_regions)
        words |= {p.name for p in u.places}
        for word in sorted(words, key=len, reverse=True):
            text = text.replace(word, "")
        return text.strip()

    def _prefer_policy(self, u: Understanding, hits: list[Hit]) -> list[Hit]:
        """Policy measures (规范性文件) rank ahead of laws on a close call, unless the question is about
        law ("依法", "条例", "注册资本"): users ask the assistant about support, laws are background. Among
        laws, with no place named (学校把我的专利卖了，我能分多少), the national ones rank ahead of a
        province's or a city's: they apply wherever the asker is."""
        national = not (u.regions or u.localities or u.places)
        policy = 0.0 if u.has("law") else POLICY_BOOST
        boosted = [
            (
                h.score
                + policy * (h.doc_id in self.policy_docs)
                + NATIONAL_BOOST * (national and h.doc_id in self.national_docs),
                h,
            )
            for h in hits
        ]
        return [h for _, h in sorted(boosted, key=lambda p: -p[0])]

    def _local_docs(self, u: Understanding) -> set[str]:
        """The documents of the cities the question names."""
        return {
            d.id
            for d in self.index.corpus.documents
            if d.region not in u.regions and any(city in d.region for city in u.localities)
        }

    def _prefer_local(self, u: Understanding, hits: list[Hit]) -> list[Hit]:
        """The documents of a city the question names (青岛的担保机构…) rank ahead of the province's on a
        close call: a city's own rules are what its enterprises ask about, the province's apply too. Asked
        of the province (山东高校…, 省条例, 省里) with no city named, a city's documents rank behind."""
        local = self._local_docs(u)
        if local:
            return _demoted(hits, {h.doc_id for h in hits} - local, LOCAL_BOOST)
        if (u.regions and not u.localities) or any(w in u.text for ws in self.vocab.unnamed.values() for w in ws):
            return _demoted(hits, set(self.city_docs), LOCAL_BOOST)
        return hits

    def _retrieve(self, query: str, filters: Filters, named: list[str]) -> list[Hit]:
        """Clause hits (numbered items only). In hybrid mode a decisive BM25 ranking is taken as it is:
        the dense query is then not run."""
        decisive = self._decisive(query, filters, named) if self.mode == "hybrid" else None
        if decisive is not None:
            return decisive
        return self._items(self.index.search(query, k=10, mode=self.mode, filters=filters))

    def _decisive(self, query: str, filters: Filters, named: list[str]) -> list[Hit] | None:
        """The BM25 ranking (scores relative to the first) when it leaves the first clause beyond doubt and
        that clause holds every measure the question names; else None."""
        lexical = self._items(self.index.search(query, k=10, mode="bm25", filters=filters))
        first = self.clause(lexical[0].clause_id).text if lexical else ""
        if not self.index.bm25_decisive(lexical) or not all(t in first for t in named):
            return None
        top = lexical[0].score
        return [dataclasses.replace(h, score=round(h.score / top, 4)) for h in lexical]

    def _items(self, hits: list[Hit]) -> list[Hit]:
        return [h for h in hits if self.clause(h.clause_id).kind in ANSWERING_KINDS]

    def _takers_outside(self, u: Understanding, hits: list[Hit]) -> list[Hit]:
        """Clauses retrieval missed whose rule several of the question's numbers fill (月息3‰，借了100万一年:
        principal, rate and term make an interest the 贴息 rule takes, though no word of the clause is said);
        with no place named, a national law's whose rule takes any of them (作价1000万元入股: the law's
        floor stands beside the provinces'); with one named, the rule of that region alone taking one of them
        (山东…作价1000万入股: the 山东 条例's share of the equity), or a national law's when no rule of that region
        takes the number (在山东设融资担保公司，注册资本1000万: the 条例's floor)."""
        ranked = {h.clause_id for h in hits}
        regions = set(u.regions)
        corpus = self.index.corpus
        region_of = {r.clause_id: corpus.document(self.clause(r.clause_id).doc_id).region for r in self.rules.rules}
        takers: dict[str, set[str]] = {}  # role → the clauses of the named regions whose rules take it
        for rule in self.rules.rules:
            if region_of[rule.clause_id] in regions:
                for role in roles_complete(rule, u, self.vocab.derived):
                    takers.setdefault(role, set()).add(rule.clause_id)
        found: list[Hit] = []
        retrieved = {h.doc_id for h in hits}
        for rule in self.rules.rules:
            clause = self.clause(rule.clause_id)
            national = clause.doc_id in self.national_docs
            elsewhere = regions and region_of[rule.clause_id] not in regions and not national
            if rule.clause_id in ranked or elsewhere:
                continue
            filled = roles_complete(rule, u, self.vocab.derived)
            alone = any(takers.get(role) == {rule.clause_id} for role in filled)
            # A national law applies in the region named, when no rule of that region takes the number
            # (在山东成立融资担保公司，注册资本1000万: the 条例's 2000万元 floor).
            unrivalled = national and any(not takers.get(role) for role in filled)
            least = 1 if (not regions and national) or alone or unrivalled else TAKER_MIN_ROLES
            # 还能新增多少担保业务: the limit of a document retrieved that takes what is used, no number said.
            left = tells_remaining(rule, u) and clause.doc_id in retrieved
            if len(filled) >= least or left:
                ranked.add(rule.clause_id)
                start = max(clause.text.find(rule.quote), 0)
                found.append(Hit(clause.id, clause.doc_id, 0.0, rule.quote, (start, start + len(rule.quote)), ()))
        return found


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _demoted(hits: list[Hit], lowered: set[str], by: float) -> list[Hit]:
    """The hits with those of the ``lowered`` documents scored ``by`` less; each group keeps its order (the
    measures' precedence over laws, already applied, stays)."""
    kept = [h for h in hits if h.doc_id not in lowered]
    low = [h for h in hits if h.doc_id in lowered]
    out: list[Hit] = []
    while kept or low:
        out.append(low.pop(0) if low and (not kept or low[0].score - by > kept[0].score) else kept.pop(0))
    return out


def _in_regions(doc: Document, u: Understanding) -> bool:
    """Whether a document is of the regions the question names (any, when it names none)."""
    return not u.regions or any(r in doc.region for r in u.regions)


def named_hit(clause: Clause) -> Hit:
    """A clause named outright, as a hit: its first sentence after the number is the snippet."""
    first = clause.sentences[1] if len(clause.sentences) > 1 else clause.sentences[0]
    return Hit(clause.id, clause.doc_id, 1.0, first.text, (first.start, first.end), ())


def hinted(doc: Document, hint: str | None) -> bool:
    """Whether a 文号 fragment the question gives ("155号") is part of the document's 文号."""
    return bool(hint and doc.doc_number and hint in doc.doc_number)


def _names_of(doc: Document) -> set[str]:
    """The title, without 中华人民共和国, the short title, and each without the 省/市/自治区 of the place it
    opens with (青岛金融发展促进条例, 山东地方金融条例)."""
    names = {doc.title, doc.title.removeprefix(CHINA), doc.short_title}
    names |= {_PLACE_SUFFIX.sub(r"\1", n, count=1) for n in names}
    return {n for n in names if len(n) >= DOC_NAME_CHARS}
