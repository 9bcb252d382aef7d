"""The assistant: understand → decide scope → retrieve → choose the provision → calculate → compose → guard.

Each stage is its own unit: ``understand`` (reading a question), ``scope`` and ``decide`` (whether and how
to answer), ``retrieve`` (ranked clauses), ``measures`` and ``followup`` (several measures, later turns),
``route`` and ``bind`` (the provision and its inputs), ``answers`` (composing), ``guard`` (the number check).
This module holds the public API and runs the stages in order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence

from assistant.answer import Answer
from assistant.answers import Writer
from assistant.askers import Askers
from assistant.bind import Binding, Carried, bind
from assistant.conversation import Conversation, MatchPending, Measure, Pending
from assistant.decide import Decider, anchored
from assistant.facts import FactMatcher
from assistant.followup import FollowUp
from assistant.formulas import PROHIBITED
from assistant.match import MatchResult, Profile, match
from assistant.measures import SeveralMeasures
from assistant.retrieve import Retriever, named_hit
from assistant.route import CALCULATE, PARAMETER, answer_mode, breaks_a_condition, pick_rule, triggered
from assistant.rules import Rule, RuleBook, load_rules
from assistant.scope import Verdict, courtesy, judge
from assistant.subjects import Subjects, load_subjects
from assistant.understand import AMOUNT_INTENTS, MAX_QUESTION_CHARS, Reader, Understanding
from assistant.vocab import Vocabulary, load_vocabulary
from index.errors import InputError
from index.model import Clause, Status
from index.search import MODES, Filters, Hit, SearchIndex
from index.settings import Settings
from index.store import EmbeddingCache, open_index

WARM_UP_QUESTION = "我们是济南的科技型中小企业，鲁科贷付了80万利息，能贴多少？"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
UNCERTAIN_PICKS = 3  # clauses offered as possibly related when retrieval is unsure
LIST_MAX = 3  # articles of one document quoted for a question asking what it provides (…有哪些规定)
ASKER_REACH = 4  # ranks within which a clause whose money reaches the asker goes first
QUESTION_END = re.compile(r"[？?]")
MIN_QUESTION_CHARS = 4  # a question mark after less (对吗？) asks nothing of its own
APART_REACH = 3  # ranks of the whole message within which a part's own first clause is taken
FORBIDDING_REACH = 5  # ranks within which a clause forbidding an act said done goes first
# A region's clause scoring this share of its best is compared too (山东's 上市培育 and 上市奖励): at most
# COMPARED_PER_REGION, so that a comparison stays one the reader can take in.
COMPARED_CLOSE = 0.85
COMPARED_PER_REGION = 2
# Asked with no place and no number (尽职免责有什么规定), both regions' measures are shown side by side when
# the other region's best scores at least this share of the first.
BOTH_REGIONS_CLOSE = 0.9
# An amount asked (多少, 最高) or a law: answered by the first region's rule or the law, not side by side.
_ONE_REGION_INTENTS = ("calc", "parameter", "total", "each", "combine", "law")


class Assistant:
    def __init__(
        self,
        settings: Settings,
        index: SearchIndex,
        rules: RuleBook,
        vocab: Vocabulary,
        subjects: Subjects,
        mode: str = "hybrid",
    ) -> None:
        if mode not in MODES:
            raise InputError(f"检索模式 {mode!r} 无效，可选：{'、'.join(MODES)}")
        self.settings = settings
        self.index = index
        self.rules = rules
        vocab = vocab.for_corpus(c.text for c in index.corpus.clauses)
        self.vocab = vocab
        self.subjects = subjects
        self.mode = mode
        self.writer = Writer(index, rules, vocab)
        self.retriever = Retriever(index, rules, vocab, mode)
        self.decider = Decider(self.retriever)
        spelled = {*self.retriever.terms, *index.analyzer.lexicon.synonyms, *vocab.regions}
        # The provinces the corpus has documents for (山东省青岛市 is in 山东省).
        provinces = [r for d in index.corpus.documents for r in vocab.places.provinces_in(d.region)]
        function_chars = (w for w in index.analyzer.lexicon.stopwords if len(w) == 1)  # 是, 的, 在
        # Place names are misspelt too (深镇 → 深圳): the scope decision reads whose policy is asked; so are
        # documents' titles (…监督管理条列 → 条例), by which a question names its document.
        titles = [d.title for d in index.corpus.documents]
        misspellable = [*self.retriever.measure_words, *vocab.places.short_names(), *titles]
        self.reader = Reader(vocab, spelled, index.analyzer.is_word, provinces, function_chars, misspellable)
        concepts = EmbeddingCache(settings.cache_dir, index.embedder)
        self.facts = FactMatcher(vocab, index.embedder.passages, lambda words: concepts.vectors(list(words)))
        self.askers = Askers(self.retriever, subjects, self.facts)
        # A phrase describing a subject (投早投小的创投机构): the words before 的 and a subject's name.
        names = sorted({w for t in subjects.types.values() for w in t.words if len(w) >= 2}, key=len, reverse=True)
        self._describing = re.compile(rf"[^\s,，。?？;；、]{{1,10}}的(?:{'|'.join(map(re.escape, names))})")
        self.several = SeveralMeasures(self.decider, self.askers, self.reader, self.writer, self.facts, subjects)
        self.followup = FollowUp(self.several, self.reader, self.writer, self.facts)

    @classmethod
    def load(
        cls, settings: Settings | None = None, log: Callable[[str], None] | None = None, build: bool = True
    ) -> Assistant:
        """Load (building when needed, unless ``build=False``) the index, rules and vocabularies. No network."""
        settings = settings or Settings.from_env()
        index = open_index(settings, log, build=build) if log else open_index(settings, build=build)
        vocab = load_vocabulary(settings.corpus_dir)
        subjects = load_subjects(settings.corpus_dir, index.corpus)
        rules = load_rules(
            settings.corpus_dir / "rules", index.corpus, vocab.roles, vocab.concepts, subjects=subjects.types
        )
        return cls(settings, index, rules, vocab, subjects)

    def warm_up(self) -> None:
        """Pay now what the first question would (jieba's part-of-speech tables, 0.3 s; the models' and
        lookups' first use): a server calls it before it takes requests. Leaves no cached question behind."""
        self.index.analyzer.tagged(WARM_UP_QUESTION)
        self.ask(WARM_UP_QUESTION)
        self.clear_caches()

    def clear_caches(self) -> None:
        """Forget cached query vectors and questions already read (for latency measurements)."""
        self.index.clear_query_cache()
        self.reader.forget()

    def with_mode(self, mode: str) -> Assistant:
        """The same assistant retrieving with another mode (bm25, dense or hybrid)."""
        return Assistant(self.settings, self.index, self.rules, self.vocab, self.subjects, mode)

    # -- public API ------------------------------------------------------------------------
    def ask(self, question: str) -> Answer:
        return self.conversation().ask(question)

    def conversation(self) -> Conversation:
        return Conversation(self)

    def clause(self, clause_id: str) -> Clause:
        return self.index.corpus.clause(clause_id)

    def search(
        self,
        query: str,
        k: int = 5,
        mode: str | None = None,
        region: str | None = None,
        doc_id: str | None = None,
        in_force_on: dt.date | None = None,
        level: str | None = None,
        status: Status | str | None = None,
        on: dt.date | str | None = None,
    ) -> list[Hit]:
        """Ranked hits; clauses the query names (sd-2023-155#3, 155号文第三条) come first. ``level`` (全国/省/市/县)
        and ``status`` (现行有效/已失效/已被替代/尚未施行, on ``on``, default today) narrow the documents."""
        query = validate_question(query)
        filters = Filters.make(region, doc_id, level, status, on, in_force_on)
        corpus = self.index.corpus
        named = [
            named_hit(c) for c in self.named_clauses(query, region, doc_id) if filters.admits(corpus.document(c.doc_id))
        ]
        cleaned, _ = self.reader.clean(query)
        hits = self.index.search(cleaned, k=k, mode=mode or self.mode, filters=filters)
        return (named + [h for h in hits if h.clause_id not in {n.clause_id for n in named}])[:k]

    def match(self, profile: Profile | Mapping[str, object]) -> MatchResult:
        """Every measure for a subject: eligible, to confirm or not eligible, with quotes and the total."""
        if not isinstance(profile, Profile):
            profile = Profile.from_dict(profile, self.subjects)
        self._check_profile(profile)
        # The subject states itself ("我们是科技型中小企业"): conditions naming it are then met.
        said = validate_question(profile.description) if profile.description.strip() else ""
        words = "，".join(w for w in (f"我们是{profile.subject}", said, profile.stage) if w)
        facts = self.reader.read(words)
        return match(profile, self.index.corpus.documents, self.rules, self.subjects, facts, self._bind_carried)

    def named_clauses(self, text: str, region: str | None = None, doc_id: str | None = None) -> list[Clause]:
        """Clauses a text names by id, or by number (第三条) narrowed by 文号, region or filters."""
        return self.retriever.clauses_named(self.reader.read(validate_question(text)), region, doc_id)

    def asker_in(self, text: str) -> str | None:
        """The subject a text says is asking (a conversation's turns so far), if it says."""
        return self.askers.of(self.reader.read(text[-MAX_QUESTION_CHARS:]))

    def refers_back(self, question: str) -> bool:
        """Whether a turn opens as about the earlier ones (那要是违反了…) and names no policy term, region,
        document or clause of its own: it is read after them first."""
        u = self.reader.read(validate_question(question))
        opens = u.text.lstrip().startswith(self.vocab.refer_back)
        own = self.retriever.policy_terms(u.text) or u.regions or u.clause_numbers or self.retriever.titled(u)
        return opens and not own

    def _check_profile(self, profile: Profile) -> None:
        """A region the corpus has no document for, or an input no rule takes, is an error, not nothing."""
        regions = sorted({d.region for d in self.index.corpus.documents})
        if profile.region is not None and not any(profile.region in r for r in regions):
            raise InputError(f"地区应为{'、'.join(regions)}之一（或其中的一部分），收到“{profile.region}”")
        names = {s.name for r in self.rules.rules for s in r.inputs}
        unknown = sorted(str(k) for k in profile.inputs if k not in names)
        if unknown:
            raise InputError(f"没有输入项{'、'.join(unknown)}；可用的输入项见“计算规则”（policy-assistant rules）")

    def _bind_carried(self, rule: Rule, u: Understanding, carried: Carried) -> Binding:
        return bind(rule, u, self.vocab, carried, self.facts)

    # -- the pipeline ----------------------------------------------------------------------
    def respond(
        self, question: str, pending: Pending | MatchPending | None = None, context: str = ""
    ) -> tuple[Answer, Pending | MatchPending | None]:
        """One turn. ``context``: earlier turns of the conversation, read before this one (a follow-up
        such as "募资3亿" means nothing alone); the answer still names this turn as its question."""
        question = validate_question(question)
        closing = courtesy(question, self.reader.read, self.vocab, self.retriever.terms)
        if closing is not None:  # 好的，谢谢: answered in kind; the conversation may still go on
            return self.writer.declined(question, closing, []), pending
        u = self.reader.read(f"{context}，{question}"[-MAX_QUESTION_CHARS:] if context else question)
        if isinstance(pending, MatchPending) and self.askers.adds_to_profile(u, pending.profile):
            profile = dataclasses.replace(pending.profile, description=f"{pending.profile.description}，{u.text}")
            return self.writer.matching(question, u, self.match(profile)), MatchPending(profile)
        if isinstance(pending, Pending):
            continued = self.followup.answer(question, u, pending)
            if continued is not None:
                return continued
        is_anchored = anchored(u)
        names_measure = any(t in u.text for t in self.retriever.naming_terms)
        names_mechanism = self.retriever.names_mechanism(u.text)
        verdict = judge(u, self.vocab, is_anchored, self.retriever.terms, names_measure, names_mechanism)
        if verdict is not None and verdict.kind == "other_topic" and self._does_what_is_forbidden(u):
            verdict = None  # 担保公司…发理财产品，把钱吸进来再放贷: the 条例 forbids it, whatever topic words it uses
        verdict = verdict or self.decider.unknown_measure(u) or self.decider.unknown_program(u)
        verdict = verdict or self.decider.unknown_document(u)
        verdict = verdict or self.decider.other_trade(u) or self.decider.local_level(u)
        if verdict is not None:
            return self._declined(question, u, verdict), None
        if self.decider.about_documents(u):
            return self.writer.document_card(question, u, self.retriever.documents_named(u)), None
        units = self.retriever.units_named(u) if u.has("unit_measures") else ()
        found = self.retriever.clauses_of_units(u, units) if units else []
        if found:
            return self.writer.unit_measures(question, units, found), None
        # Where the asker is registered is no region asked about (我们是内蒙古的企业，能申请山东的鲁科担吗).
        asked_regions = [r for r in u.regions if r not in u.registered_in] or u.regions
        if (u.has("compare") and len(u.regions) != 1) or len(asked_regions) > 1:
            compared = self._compare(question, u)
            if compared is not None:
                return compared, None
        part = self.retriever.section_asked(u) if u.has("chapter") or u.chapter_number else None
        if part is not None:
            # 哪一部分讲科技保险: （四） cited first; a chapter named by its number is cited in its order.
            ranked = [] if u.chapter_number else [h.clause_id for h in self.retriever.hits(u)]
            return self.writer.section(question, *part, ranked), None
        numbered = self.retriever.clauses_numbered(u)
        if numbered:
            return self.several.answer(question, u, [c.id for c in numbered])
        hits = self.retriever.prefer_rules(u, self.retriever.prefer_definition(u, self.retriever.hits(u)))
        hits = self.retriever.prefer_penalty(u, hits)  # 比例不符合规定会受到什么处罚: not the ratio's rule
        hits = self._forbidding(u, self._for_the_measure(u, self._for_the_asker(u, self._past_who_asks(u, hits))))
        named = self.retriever.named_clause(u) or self.decider.period_clause(u, hits)
        if named is None and self._both_regions(u, hits):
            compared = self._compare(question, u, first=self.index.corpus.document(hits[0].doc_id).region)
            if compared is not None:
                return compared, None
        if named is None and (not hits or not self.decider.evidence(u, is_anchored)):
            if u.quantities:  # "是80万元" with nothing before it: which measure is it about?
                return self.writer.which_measure(question, u), None
            return self._declined(question, u, Verdict("unrelated", "问题与收录文件的内容无关", False)), None
        # A chapter the question names (金融环境那一章…天使投资) is what its texts say on the topic, named or not.
        in_part = u.has("chapter_named") and self.retriever.section_asked(u) is not None
        uncovered = (
            None if named or in_part else self.decider.topic_not_in_region(u) or self.decider.time_not_stated(u, hits)
        )
        if uncovered is not None:
            return self._declined(question, u, uncovered, hits[0]), None
        profile = self.askers.profile_asked(u)
        if named is None and profile is not None:
            return self.writer.matching(question, u, self.match(profile)), MatchPending(profile)
        # An act forbidden, said done or planned, is one question however many acts it lists (放贷或者吸收存款).
        forbidden = bool(hits) and not u.has("penalty") and self._forbids(u, hits[0])
        measures = [] if named or forbidden else self.several.asked(u, hits)
        if len(measures) >= 2:
            return self.several.answer(question, u, measures)
        provisions = [] if named else self.several.provisions_asked(u, hits[0].clause_id)
        if provisions:
            return self.several.answer(question, u, [], {r.id: Carried() for r in provisions})
        listed = [] if named else self._listed(u, hits)
        if len(listed) >= 2:
            return self.several.answer(question, u, listed)
        apart = [] if named or forbidden else self._asked_apart(u, hits)
        if len(apart) >= 2:
            return self.several.answer(question, u, apart)
        return self._answer_one(question, u, hits, named)

    def _answer_one(
        self, question: str, u: Understanding, hits: list[Hit], named: Clause | None
    ) -> tuple[Answer, Pending | None]:
        """One clause: its provision computed, or its parameter stated, or the sentences asked about quoted;
        several clauses offered as possibly related when retrieval is unsure of the one."""
        clause = named or self.clause(hits[0].clause_id)
        score = 1.0 if named else hits[0].score
        scores = self.index.sentence_scores(clause, u.text)
        said = self.retriever.said(u)
        rules = self.rules.for_clause(clause.id)
        # What describes the asker does not pick the provision (投早投小的创投机构，给不给风险补偿: the loss
        # subsidy), unless nothing else does.
        asked = self._describing.sub("", said)
        rule = pick_rule(clause, rules, u, scores, asked, self.vocab.derived) if asked != said else None
        rule = rule or pick_rule(clause, rules, u, scores, said, self.vocab.derived)
        rule = self._the_askers_own(u, rules, rule, said)
        binding = bind(rule, u, self.vocab, facts=self.facts) if rule else None
        if rule is None:  # 2019年就落户了，还能申请落户奖励吗: the provision named, though its sentence scores less
            rule, binding = self._broken(rules, u, said)
        mode = answer_mode(rule, u, binding)
        if rule is not None and mode not in (CALCULATE, PARAMETER) and self._asks_to_apply(u):
            # Its money never reaches the asker, and the clause offers the asker's kind nothing else (保险公司
            # asking how to join 鲁科保 is told of the products it may offer).
            offered = self._names_the_askers_kind(u, clause)
            mode = CALCULATE if self.askers.excluded(u, rule) and not offered else mode
        sure = (
            named is not None
            or self.decider.sure(u, hits, clause)
            or self.retriever.defines(u, clause)
            or (mode == CALCULATE and _gives_numbers(binding))
            or (mode in (CALCULATE, PARAMETER) and rule is not None and self.decider.fits_best(u, hits, rule, said))
            # An act the clause forbids, said done or planned (像存款一样给人付利息): the clause is beyond doubt.
            or (rule is not None and rule.kind == PROHIBITED and breaks_a_condition(rule, binding))
            # Whether one may, asked of a provision named by its words, and a fact stated breaks it (投的都是成熟的
            # 大公司，能申请投早投小的奖励吗): the provision is what is asked, and the answer is no.
            or (
                rule is not None
                and u.has("eligibility")
                and bool(triggered([rule], said))
                and breaks_a_condition(rule, binding)
            )
        )
        if not sure:
            return self._uncertain(question, u, hits), None
        served = self._serving_the_asker(u, clause, rule, binding) if mode in (CALCULATE, PARAMETER) else None
        if served is not None:
            quotes, note = served
            return self.writer.lookup(question, u, clause, quotes, score, note), None
        if rule is not None and binding is not None and mode in (CALCULATE, PARAMETER):
            if mode == CALCULATE:
                excluded = self.askers.excluded(u, rule)
                answer, _ = self.writer.calculation(question, u, rule, binding, u.dates, u.party, score, excluded)
            else:
                answer = self.writer.parameter(question, u, rule, binding, score)
            # Kept even when complete: a later turn may add a fact ("不过有两期逾期了").
            return answer, Pending((Measure.of(rule, binding),), u.dates, u.party, opened=u.text)
        # A clause asked for by number is quoted whole; so is one whose heading names the term asked about.
        defined = u.has("define") and any(t in clause.heading for t in self.retriever.policy_terms(u.text))
        quotes = [clause.text] if named else self.writer.quotes(clause, u.text, whole=defined)
        thing = self.decider.figure_not_stated(u, clause)
        note = f"本条提到{thing}，但未规定所问的具体数值或比例，以相关主管部门的规定为准" if thing else ""
        return self.writer.lookup(question, u, clause, quotes, score, note), None

    def _listed(self, u: Understanding, hits: list[Hit]) -> list[str]:
        """Asked as a list what a document provides (…对科技人员的激励有哪些规定), no amount asked: the first
        clause and the next of its document ranked behind it (BM25 may leave them far behind: a decisive
        first says nothing of what else the document provides)."""
        if not u.has("listing") or u.has(*AMOUNT_INTENTS) or not hits:
            return []
        first = hits[0]
        close = [h.clause_id for h in hits if h.doc_id == first.doc_id]
        return close[:LIST_MAX]

    def _asked_apart(self, u: Understanding, hits: list[Hit]) -> list[str]:
        """Several questions in one message, no amount asked (…几方一起支持一个项目，怎么运作？项目要先进哪个库？):
        the first clause, then each question's own first clause when the whole message ranks it near the top
        too, in the first clause's document."""
        if u.has(*AMOUNT_INTENTS) or any(q.role for q in u.quantities) or not hits:
            return []
        questions = [q for q in QUESTION_END.split(u.text) if len(q.strip()) >= MIN_QUESTION_CHARS]
        found = [hits[0].clause_id]
        near = {h.clause_id for h in hits[:APART_REACH] if h.doc_id == hits[0].doc_id}
        for text in questions if len(questions) >= 2 else ():
            read = self.reader.read(text)
            own = self.retriever.hits(read)
            # The part's first clause, ranked near the top for the whole message too.
            if own and own[0].clause_id in near and own[0].clause_id not in found:
                found.append(own[0].clause_id)
        return found if len(found) >= 2 else []

    def _past_who_asks(self, u: Understanding, hits: list[Hit]) -> list[Hit]:
        """A first clause that only the asker's description of itself names (我们集团是科技型总部企业，发了5亿
        科创债…: the HQ listing reward) yields to one of the first few naming what the rest of the question
        says (科创债 → 科技创新公司债券)."""
        described = self.facts.descriptions(u.text)
        if not described or not hits:
            return hits
        rest = u.text
        for phrase in described:
            rest = rest.replace(phrase, "＿")
        rest = self.retriever.said(dataclasses.replace(u, text=rest))
        held = [t for t in self.retriever.specific_terms if self.retriever.holds(hits[0].clause_id, t)]
        if not any(t in u.text for t in held) or any(t in rest for t in held):
            return hits
        for i, hit in enumerate(hits[1:ASKER_REACH], start=1):
            if any(t in rest and self.retriever.holds(hit.clause_id, t) for t in self.retriever.specific_terms):
                return [hit, *hits[:i], *hits[i + 1 :]]
        return hits

    def _for_the_asker(self, u: Understanding, hits: list[Hit]) -> list[Hit]:
        """A clause whose money reaches the asker, among the first few, before one whose money never does
        (我们给企业做的担保代偿了，损失300万能补多少: the guarantor's compensation, not the bank's loss share)."""
        asker = self.askers.acting_as(u)
        if asker is None or not hits or not self._never_reaches(asker, hits[0]):
            return hits
        first = self.clause(hits[0].clause_id).text
        if any(t in first and self.retriever.names(t, u.text) for t in self.retriever.naming_terms):
            return hits  # 企业想申请鲁科担的担保费补贴: the measure named is the answer, and it says for whom
        for i, hit in enumerate(hits[1:ASKER_REACH], start=1):
            if self.rules.for_clause(hit.clause_id) and self._reaches(asker, hit):
                return [hit, *hits[:i], *hits[i + 1 :]]
        return hits

    def _for_the_measure(self, u: Understanding, hits: list[Hit]) -> list[Hit]:
        """Asked an amount or whether one may, of a first clause that states none, the one measure the
        question names or gives the sums of goes first (青岛…贷款利息40万，能拿多少: the city's regulation
        ranks first, the 鲁科贷 interest subsidy takes the 利息; 孵化器…能走鲁科贷吗)."""
        if not hits or not u.wants_amount:
            return hits
        takers = self.several.named(u, hits, everyday=False)
        if len(takers) != 1:
            return hits
        # A first clause with a rule keeps its place, unless the measure is named by its own name and the first
        # names none (我们是上市公司的子公司，鲁科贷还能申请吗: not the IPO subsidy).
        brands = [t for names in self.vocab.anchors.values() for t in names if t in u.text]
        by_name = any(self.retriever.holds(takers[0], t) for t in brands)
        if self.rules.for_clause(hits[0].clause_id) and not (
            by_name and not any(self.retriever.holds(hits[0].clause_id, t) for t in brands)
        ):
            return hits
        moved = [h for h in hits if h.clause_id == takers[0]]
        return [*moved, *(h for h in hits if h.clause_id != takers[0])] if moved else hits

    def _forbidding(self, u: Understanding, hits: list[Hit]) -> list[Hit]:
        """A clause among the first few forbidding an act the question says is done or planned (打算对外放贷: 条例
        第二十三条) goes first: whether one may is what is asked, whatever else the words share with others; not
        when the penalty is asked (做了会怎么罚: the article stating it)."""
        if u.has("penalty"):
            return hits
        for i, hit in enumerate(hits[:FORBIDDING_REACH]):
            if self._forbids(u, hit):
                return [hit, *hits[:i], *hits[i + 1 :]]
        # Retrieval may miss it (许可证还没批下来，能先开展担保业务吗: 担保业务 draws 鲁科担): a prohibition of a
        # document among the first few, whose words are said and whose act the question says is done, is what
        # is asked wherever it ranks (银行放贷 is no guarantor's 放贷 unless the question is about the 条例).
        said = self.retriever.said(u)
        near = {h.doc_id for h in hits[:FORBIDDING_REACH]}
        asker = self.askers.of(u)
        for rule in self.rules.rules:
            if rule.kind != PROHIBITED or not any(t in said for t in rule.triggers):
                continue
            if self.clause(rule.clause_id).doc_id not in near and not self._binds(asker, rule):
                continue
            if breaks_a_condition(rule, bind(rule, u, self.vocab, facts=self.facts)):
                clause = self.clause(rule.clause_id)
                start = max(clause.text.find(rule.quote), 0)
                span = (start, start + len(rule.quote))
                first = Hit(clause.id, clause.doc_id, hits[0].score if hits else 1.0, rule.quote, span, ())
                return [first, *(h for h in hits if h.clause_id != clause.id)]
        return hits

    def _the_askers_own(self, u: Understanding, rules: Sequence[Rule], rule: Rule | None, said: str) -> Rule | None:
        """A provision picked by a number alone (基金规模10亿: the 50亿 manager's 300万) whose money the asker
        never gets, when a provision of the same clause serves the asker and the picked one is not named
        (我们是新设立的创投机构…落户奖励: the 创投's reward on what it invested, asked for)."""
        asker = self.askers.of(u)
        if rule is None or asker is None or not rule.recipient or triggered([rule], said):
            return rule
        if self.subjects.may_receive(asker, rule.recipient) or self.askers.for_a_client(u, rule.recipient):
            return rule
        serving = [r for r in rules if r.recipient and self.subjects.may_receive(asker, r.recipient)]
        return serving[0] if len(serving) == 1 else rule

    def _forbids(self, u: Understanding, hit: Hit) -> bool:
        """The clause forbids an act the question says is done or planned."""
        forbidding = [r for r in self.rules.for_clause(hit.clause_id) if r.kind == PROHIBITED]
        return any(breaks_a_condition(r, bind(r, u, self.vocab, facts=self.facts)) for r in forbidding)

    def _does_what_is_forbidden(self, u: Understanding) -> bool:
        """The asker is of the kind a prohibition binds, and says it does or plans the act forbidden."""
        said = self.retriever.said(u)
        asker = self.askers.of(u)
        return any(
            rule.kind == PROHIBITED
            and self._binds(asker, rule)
            and any(t in said for t in rule.triggers)
            and breaks_a_condition(rule, bind(rule, u, self.vocab, facts=self.facts))
            for rule in self.rules.rules
        )

    def _binds(self, asker: str | None, rule: Rule) -> bool:
        """The subject the rule's quote names is the asker's kind (融资担保公司不得…, asked by 我们担保公司)."""
        return asker is not None and self.subjects.named_in(rule.quote) == asker

    def _reaches(self, asker: str, hit: Hit) -> bool:
        """Whether some money of the clause may reach the asker."""
        rules = self.rules.for_clause(hit.clause_id)
        return any(r.recipient and self.subjects.may_receive(asker, r.recipient) for r in rules)

    def _never_reaches(self, asker: str, hit: Hit) -> bool:
        """Whether every rule of the clause pays someone the asker is not (a law's limit pays no one)."""
        rules = self.rules.for_clause(hit.clause_id)
        return bool(rules) and all(r.recipient for r in rules) and not self._reaches(asker, hit)

    def _names_the_askers_kind(self, u: Understanding, clause: Clause) -> bool:
        asker = self.askers.stated(u)
        words = self.subjects.types[asker].words if asker in self.subjects.types else ()
        return any(w in clause.text for w in words)

    def _asks_to_apply(self, u: Understanding) -> bool:
        """Whether one may, or how to apply: both ask whether the measure is the asker's (个人想申请鲁科贷，怎么办理:
        the measure serves enterprises)."""
        return u.has("eligibility") or any(w in u.text for w in self.vocab.apply)

    def _broken(self, rules: Sequence[Rule], u: Understanding, said: str) -> tuple[Rule | None, Binding | None]:
        """A provision the question names by its trigger words, or any of the clause's when it asks whether the
        asker may (民营担保公司能参与鲁科担吗), whose condition a stated fact breaks or whose money never
        reaches the asker (我们是河南的担保公司，能纳入鲁科担吗)."""
        asking = self._asks_to_apply(u)
        candidates = triggered(rules, said) or (rules if asking else ())
        # The provision serving the asker goes first (房地产公司能用鲁科担吗: the enterprise's fee cap, not the
        # guarantor's subsidy it could never receive).
        asker = self.askers.stated(u)
        serving = [r for r in candidates if asker and r.recipient and self.subjects.may_receive(asker, r.recipient)]
        for rule in [*serving, *(r for r in candidates if r not in serving)]:
            binding = bind(rule, u, self.vocab, facts=self.facts)
            # Another's money is no refusal when a provision of the clause serves the asker.
            excluded = asking and (rule in serving or not serving) and self.askers.excluded(u, rule)
            if breaks_a_condition(rule, binding) or excluded:
                return rule, binding
        return None, None

    def _serving_the_asker(
        self, u: Understanding, clause: Clause, rule: Rule | None, binding: Binding | None
    ) -> tuple[list[str], str] | None:
        """An asker the rule's money does not reach, asking what support the clause offers it, with no figure
        of its own (我们是保险公司，鲁科保对我们有什么支持): the sentences naming the asker's kind are the answer
        (支持保险机构开发…产品、组建共保体), with the rule's recipient said; none when no sentence names it."""
        if rule is None or rule.recipient is None or _gives_numbers(binding) or u.has("parameter"):
            return None
        if not any(w in u.text for w in self.vocab.offered):  # 这笔贴息能给银行吗 asks for the money itself
            return None
        # The asker says what it is (我们是财险公司), or asks for a kind (对保险机构有什么支持).
        asker = self.askers.stated(u) or self.subjects.named_after(u.text, self.vocab.asked_for)
        if asker is None or self.subjects.may_receive(asker, rule.recipient):
            return None
        words = self.subjects.types[asker].words if asker in self.subjects.types else ()
        naming = [n for n in clause.body if any(w in clause.sentences[n].text for w in words)]
        if not naming:
            return None
        # From the first sentence naming the asker's kind, or asked about, to the last of either.
        asked = self.writer.quotes(clause, u.text)[0]
        start, end = clause.sentences[naming[0]].start, clause.sentences[naming[-1]].end
        at = clause.text.find(asked)
        if at >= 0:
            start, end = min(start, at), max(end, at + len(asked))
        return [clause.text[start:end]], f"本条{rule.label}给予{rule.recipient}，不给予{asker}。"

    def _uncertain(self, question: str, u: Understanding, hits: list[Hit]) -> Answer:
        picks = []
        for hit in hits[:UNCERTAIN_PICKS]:
            clause = self.clause(hit.clause_id)
            picks.append((clause, "".join(self.writer.quotes(clause, u.text)), hit.score))
        return self.writer.uncertain(question, u, picks)

    def _declined(self, question: str, u: Understanding, verdict: Verdict, nearest: Hit | None = None) -> Answer:
        related = []
        if nearest is not None:
            clause = self.clause(nearest.clause_id)
            related.append((clause, "".join(self.writer.quotes(clause, u.text)), nearest.score))
        elif verdict.related:
            topic = self.retriever.without_places(u)
            hits = self.retriever.hits(u, text=topic) if topic else []
            if hits:
                clause = self.clause(hits[0].clause_id)
                related.append((clause, "".join(self.writer.quotes(clause, topic)), hits[0].score))
        return self.writer.declined(question, verdict, related)

    def _both_regions(self, u: Understanding, hits: list[Hit]) -> bool:
        """No place, no number, no rule named: the policy measures of another region answer about as well
        as the first's (尽职免责: 山东（二十） and 内蒙古（十四）)."""
        if u.regions or u.localities or u.places or u.quantities or not hits or u.has(*_ONE_REGION_INTENTS):
            return False
        said = self.retriever.said(u)
        if any(w in said for r in self.rules.for_clause(hits[0].clause_id) for w in r.triggers):
            return False  # 科技贷款的风险补偿，企业能申请吗: the first's provision is named
        policy = [h for h in hits if h.doc_id in self.retriever.policy_docs]
        if not policy or policy[0] is not hits[0]:
            return False
        first = self.index.corpus.document(hits[0].doc_id).region
        other = [h for h in policy if self.index.corpus.document(h.doc_id).region != first]
        return bool(other) and other[0].score >= BOTH_REGIONS_CLOSE * hits[0].score

    def _compare(self, question: str, u: Understanding, first: str | None = None) -> Answer | None:
        """The best clause of each region compared (两地: the regions of the policy documents), ``first``'s
        first."""
        picks: list[tuple[Clause, Hit]] = []
        topic = self.retriever.without_places(u) or u.text
        # A document named by title adds its region (促进科技成果转化法和山东、浙江的条例), and goes first
        # (山东省…条例的比例，比国家法律高吗).
        titled = [d.region for d in self.retriever.titled(u)]
        first = first or next(iter(titled), None)
        regions = list(dict.fromkeys([*(u.regions or self.vocab.regions), *titled]))
        regions.sort(key=lambda r: r != first)
        for region in regions:
            hits = self.retriever.hits(u, region=region, text=topic)
            # Regions are compared by their measures; laws only when the question is about law or no
            # measure of the region answers it.
            measures = [h for h in hits if h.doc_id in self.retriever.policy_docs]
            hits = hits if u.has("law") else measures or hits
            if hits:
                best = max(h.score for h in hits)
                close = [h for h in hits if h.score >= COMPARED_CLOSE * best][:COMPARED_PER_REGION]
                picks += [(self.clause(h.clause_id), h) for h in close]
        if len({clause.doc_id for clause, _ in picks}) < 2:
            return None
        return self.writer.comparison(question, u, picks)


def _gives_numbers(binding: Binding | None) -> bool:
    return binding is not None and bool(binding.roles)


def validate_question(question: object) -> str:
    if not isinstance(question, str):
        raise InputError("问题必须是文字")
    text = _CONTROL.sub("", question).strip()
    if not text:
        raise InputError("问题不能为空")
    if len(text) > MAX_QUESTION_CHARS:
        raise InputError(f"问题过长（{len(text)}字），请控制在{MAX_QUESTION_CHARS}字以内")
    return text
