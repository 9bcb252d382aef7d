"""The assistant: understand a question, retrieve the clause, run its rule, compose a grounded answer."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant import compose, guard, numbers
from assistant.answer import Answer, Citation
from assistant.bind import bind
from assistant.rules import CalcResult, Rule, RuleBook, calculate, load_rules
from assistant.understand import MAX_QUESTION_CHARS, Scope, Understanding, load_scope, understand
from index.errors import InputError
from index.model import Clause, Document, cn_date
from index.search import MODES, Filters, Hit, SearchIndex
from index.settings import Settings
from index.store import open_index

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Relevance gate: a question naming no policy term and no corpus region must match some chunk at
# least this well in BM25. Calibrated on the public eval set (in-scope questions without a term
# score >= 3.15; chit-chat and off-topic ones mostly < 3). Dense similarity does not separate them
# (0.82-0.94 for both), so it is not used here.
MIN_BM25 = 3.0


@dataclass(frozen=True)
class Pending:
    """The last calculation of a conversation: a later turn may add a missing input or a fact."""

    rule_id: str
    clause_id: str
    inputs: dict[str, object]
    dates: tuple[dt.date, ...]
    party: str | None


@dataclass
class Conversation:
    """Multi-turn state: a follow-up can supply a missing input; a new topic starts afresh."""

    assistant: Assistant
    pending: Pending | None = None
    history: list[Answer] = field(default_factory=list)

    def ask(self, question: str) -> Answer:
        answer, self.pending = self.assistant.respond(question, self.pending)
        self.history.append(answer)
        return answer


class Assistant:
    def __init__(self, settings: Settings, index: SearchIndex, rules: RuleBook, scope: Scope, mode: str = "hybrid"):
        if mode not in MODES:
            raise InputError(f"检索模式 {mode!r} 无效，可选：{'、'.join(MODES)}")
        self.settings = settings
        self.index = index
        self.rules = rules
        self.scope = scope
        self.mode = mode
        self._terms = tuple(index.analyzer.lexicon.terms)
        # Terms found in at most two clauses name a measure; the others (科技型企业 …) do not.
        items = [c.text for c in index.corpus.clauses]
        self._specific_terms = tuple(t for t in self._terms if 0 < sum(t in text for text in items) <= 2)

    @classmethod
    def load(cls, settings: Settings | None = None, log: Callable[[str], None] | None = None) -> Assistant:
        """Load (building when needed) the index, rules and scope lists. No network."""
        settings = settings or Settings.from_env()
        index = open_index(settings, log) if log else open_index(settings)
        rules = load_rules(settings.corpus_dir / "rules", index.corpus)
        return cls(settings, index, rules, load_scope(settings.corpus_dir))

    def with_mode(self, mode: str) -> Assistant:
        """The same assistant retrieving with another mode (bm25, dense or hybrid)."""
        return Assistant(self.settings, self.index, self.rules, self.scope, mode)

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
    ) -> list[Hit]:
        """Ranked hits; clauses the query names (sd-2023-155#3, 155号文第三条) come first."""
        query = validate_question(query)
        named = [_named_hit(c) for c in self.named_clauses(query, region, doc_id)]
        filters = Filters(region, doc_id, in_force_on)
        hits = self.index.search(query, k=k, mode=mode or self.mode, filters=filters)
        return (named + [h for h in hits if h.clause_id not in {n.clause_id for n in named}])[:k]

    def named_clauses(self, text: str, region: str | None = None, doc_id: str | None = None) -> list[Clause]:
        """Clauses a text names by id, or by number (第三条) narrowed by 文号, region or filters."""
        return self._clauses_named(understand(validate_question(text), self.scope, self._terms), region, doc_id)

    def _clauses_named(self, u: Understanding, region: str | None = None, doc_id: str | None = None) -> list[Clause]:
        corpus = self.index.corpus
        if u.clause_id and corpus.has_clause(u.clause_id):
            return [corpus.clause(u.clause_id)]
        if u.clause_number is None:
            return []
        docs = [
            d
            for d in corpus.documents
            if (doc_id is None or d.id == doc_id)
            and (region is None or region in d.region)
            and (not u.regions or d.region in u.regions)
            and (u.doc_hint is None or u.doc_hint in d.doc_number)
        ]
        return [c for d in docs for c in d.clauses if c.number == u.clause_number]

    # -- the pipeline ----------------------------------------------------------------------
    def respond(self, question: str, pending: Pending | None = None) -> tuple[Answer, Pending | None]:
        question = validate_question(question)
        u = understand(question, self.scope, self._terms)
        if pending and self._continues(pending, u):
            return self._calculate(question, u, self.rules.get(pending.rule_id), pending, score=1.0)
        decline = self._decline_reason(u)
        if decline:
            return self._declined(question, decline), None
        if self._about_documents(u):
            return self._document_answer(question, u), None
        if ("compare" in u.intents and len(u.regions) != 1) or len(u.regions) > 1:
            compared = self._compare(question, u)
            if compared:
                return compared, None
        named = self._named_clause(u)
        hits = self._hits(u)
        if named is None and not hits:
            return self._declined(question, "未找到相关条款"), None
        if named is None and not self._relevant(u, hits):
            return self._declined(question, "问题与收录文件的内容无关"), None
        clause = named or self.clause(hits[0].clause_id)
        score = 1.0 if named else hits[0].score
        rule = self._pick_rule(clause, u)
        if rule is not None and self._wants_calculation(rule, u):
            return self._calculate(question, u, rule, None, score)
        hit = next((h for h in hits if h.clause_id == clause.id), None)
        return self._lookup(question, u, clause, hit, score, whole=named is not None), None

    # -- deciding ----------------------------------------------------------------------------
    def _decline_reason(self, u: Understanding) -> str | None:
        if u.outside_regions and not u.regions:
            return f"所问地区（{'、'.join(u.outside_regions)}）的政策不在收录范围内"
        if u.asks_criteria:
            return "收录文件只规定对已认定企业的支持措施，未规定认定标准或条件"
        if u.outside_topics and not self._policy_terms(u.text):
            return f"所问事项（{'、'.join(u.outside_topics)}）不属于科技金融政策"
        return None

    def _relevant(self, u: Understanding, hits: list[Hit]) -> bool:
        if self._policy_terms(u.text) or u.regions:
            return True
        return self.index.best_bm25(u.text) >= MIN_BM25

    def _about_documents(self, u: Understanding) -> bool:
        """A question about a whole document (文号, issue date, issuers, validity), not one measure."""
        if u.clause_number is not None or u.clause_id or any(t in u.text for t in self._specific_terms):
            return False
        return "docmeta" in u.intents or ("validity" in u.intents and not u.wants_amount)

    def _documents_named(self, u: Understanding) -> list[Document]:
        docs = self.index.corpus.documents
        return [d for d in docs if self._doc_named(d, u)] or list(docs)

    def _policy_terms(self, text: str) -> list[str]:
        return [t for t in self._terms if len(t) > 1 and t in text]

    def _hits(self, u: Understanding, region: str | None = None, text: str | None = None) -> list[Hit]:
        if region is None and len(u.regions) == 1:
            region = u.regions[0]
        hits = self.index.search(text or u.text, k=10, mode=self.mode, filters=Filters(region=region))
        return [h for h in hits if self.clause(h.clause_id).kind in ("item", "paragraph")]

    def _without_region_words(self, text: str) -> str:
        """The question less the words naming regions (山东, 内蒙古, 两地): the filter does their job."""
        words = {w for r, ws in self.scope.regions.items() for w in (r, *ws)} | set(self.scope.both_regions)
        for word in sorted(words, key=len, reverse=True):
            text = text.replace(word, "")
        return text.strip() or text

    def _named_clause(self, u: Understanding) -> Clause | None:
        named = self._clauses_named(u)
        return named[0] if len(named) == 1 else None  # several (第三条 of both documents): retrieval decides

    @staticmethod
    def _doc_named(doc: Document, u: Understanding) -> bool:
        return bool(u.doc_hint and u.doc_hint in doc.doc_number) or doc.region in u.regions

    def _pick_rule(self, clause: Clause, u: Understanding) -> Rule | None:
        rules = self.rules.for_clause(clause.id)
        if not rules:
            return None
        # A longer trigger is more specific. Everyday words count through their policy words
        # (亏了 → 损失) only when the question's own words pick no rule.
        for said in (u.text, " ".join(self.index.analyzer.expansions(u.text))):
            scored = [(sum(len(t) for t in r.triggers if t in said), -i, r) for i, r in enumerate(rules)]
            best = max(scored, key=lambda s: (s[0], s[1]))
            if best[0] > 0:
                return best[2]
        return rules[0]

    @staticmethod
    def _wants_calculation(rule: Rule, u: Understanding) -> bool:
        """Run the rule when the question gives numbers or facts, or asks for an amount or eligibility."""
        if u.amounts or u.percents or u.periods or "calc" in u.intents:
            return True
        return "eligibility" in u.intents and (bool(bind(rule, u)) or "validity" not in u.intents)

    def _continues(self, pending: Pending, u: Understanding) -> bool:
        rule = self.rules.get(pending.rule_id)
        new = {k: v for k, v in bind(rule, u).items() if pending.inputs.get(k) != v}
        if not new:
            return False
        # A term naming another measure (鲁科保 while computing 鲁科贷) starts a new topic.
        clause_text = self.clause(pending.clause_id).text
        return all(t in clause_text for t in self._specific_terms if t in u.text)

    # -- answering ---------------------------------------------------------------------------
    def _calculate(
        self, question: str, u: Understanding, rule: Rule, pending: Pending | None, score: float
    ) -> tuple[Answer, Pending | None]:
        inputs = {**(pending.inputs if pending else {}), **bind(rule, u)}
        dates = u.dates or (pending.dates if pending else ())
        party = u.party or (pending.party if pending else None)
        party = party if rule.parties else None  # "省财政给多少" names the payer of a non-split rule
        result = calculate(rule, inputs, on=dates[0] if dates else None, party=party)
        clause = self.clause(rule.clause_id)
        doc = self.index.corpus.document(clause.doc_id)
        lines = [
            compose.conclusion_for_calc(rule, result, party),
            "",
            *compose.clause_block(clause, [rule.quote]),
            *compose.steps_block(result),
            *compose.conditions_block(result),
            *compose.period_block(doc, dates),
            *compose.units_block(clause),
            "",
            compose.DISCLAIMER,
        ]
        follow_up = None
        if result.missing and result.eligible is not False:
            follow_up = compose.ask_for(rule, result.missing)
        # Kept even when complete: a later turn may add a fact ("不过有两期逾期了").
        next_pending = Pending(rule.id, clause.id, inputs, dates, party)
        citations = (compose.citation(clause, rule.quote, score),)
        return self._finish(question, lines, citations, result, follow_up, doc), next_pending

    def _lookup(
        self, question: str, u: Understanding, clause: Clause, hit: Hit | None, score: float, whole: bool = False
    ) -> Answer:
        """A clause named by number is quoted whole; one found by search, by its best sentences."""
        doc = self.index.corpus.document(clause.doc_id)
        quotes = [clause.text] if whole else _quotes(self.index, clause, u.text, units="units" in u.intents)
        citations = [compose.citation(clause, "".join(quotes), score)]
        lines = [compose.conclusion_for_lookup(clause, u), "", *compose.clause_block(clause, quotes)]
        validity = "validity" in u.intents or bool(u.dates)
        closing = next((s for s in doc.statements if s.kind == "closing" and "有效期" in s.text), None)
        if validity and closing:
            sentence = next(s.text for s in closing.sentences if "有效期" in s.text)
            citations.append(compose.citation(closing, sentence, score))
            lines += [f"> {sentence}（{closing.label}）"]
        if u.wants_amount and not self.rules.for_clause(clause.id):
            lines += ["", "本条未写明具体金额或计算标准，金额文件未明确。"]
        lines += [*compose.period_block(doc, u.dates), *compose.units_block(clause), "", compose.DISCLAIMER]
        return self._finish(question, lines, tuple(citations), None, None, doc)

    def _document_answer(self, question: str, u: Understanding) -> Answer:
        lines = []
        citations: list[Citation] = []
        docs = self._documents_named(u)
        for doc in docs:
            statement, line = compose.document_evidence(doc, u)
            lines += [*compose.document_card(doc, u), *compose.clause_block(statement, [line]), ""]
            if statement is not None:
                citations.append(compose.citation(statement, line, 1.0))
        lines.append(compose.DISCLAIMER)
        return self._finish(question, lines, tuple(citations), None, None, *docs)

    def _compare(self, question: str, u: Understanding) -> Answer | None:
        picks: list[tuple[Clause, Hit]] = []
        topic = self._without_region_words(u.text)
        for doc in self.index.corpus.documents:
            hits = self._hits(u, region=doc.region, text=topic or None)
            if hits:
                picks.append((self.clause(hits[0].clause_id), hits[0]))
        if len(picks) < 2:
            return None
        lines = ["**结论**：两地文件的相关规定如下，可对照比较：", ""]
        citations: list[Citation] = []
        docs = []
        for clause, hit in picks:
            doc = self.index.corpus.document(clause.doc_id)
            docs.append(doc)
            quotes = _quotes(self.index, clause, u.text, units=False)
            citations.append(compose.citation(clause, "".join(quotes), hit.score))
            lines += [f"**{doc.region}**", *compose.clause_block(clause, quotes), ""]
        for doc in docs:
            lines.append(f"- {doc.region}施行期：{doc.in_force.describe()}")
        lines += ["", compose.DISCLAIMER]
        return self._finish(question, lines, tuple(citations), None, None, *docs)

    def _declined(self, question: str, reason: str) -> Answer:
        docs = self.index.corpus.documents
        covered = "；".join(f"{d.region}《{d.title}》（{d.doc_number}）" for d in docs)
        text = (
            f"抱歉，这个问题超出了本助手的范围：{reason}。\n\n"
            f"本助手只收录以下科技金融政策文件：{covered}。"
            "可以问这些文件中的贷款贴息、担保、保险补贴、创投奖励、上市支持、责任单位和施行期等问题；"
            "其他地区或其他事项请咨询当地主管部门。"
        )
        return Answer(question, False, text, (), None, None)  # names only document metadata

    def _finish(
        self,
        question: str,
        lines: list[str],
        citations: tuple[Citation, ...],
        result: CalcResult | None,
        follow_up: str | None,
        *docs: Document,
    ) -> Answer:
        text = "\n".join(lines)
        # The user's own dates may be echoed (to flag them against the period in force).
        sources = [cn_date(d) for d in numbers.dates(numbers.normalise(question))]
        sources += [c.quote for c in citations] + [c.label for c in citations]
        if result is not None:
            sources += [*result.steps, *result.notes, *(str(v) for v in result.inputs.values())]
            sources += [compose.amount_text(result)]
            sources += [c.text for c in result.conditions]
        for doc in docs:
            sources += [doc.doc_number, doc.in_force.describe(), doc.in_force.basis, cn_date(doc.issued)]
        sources += [c.clause_id for c in citations]
        text, dropped = guard.enforce(text, sources)
        return Answer(question, True, text, citations, result, follow_up, tuple(dropped))


def validate_question(question: object) -> str:
    if not isinstance(question, str):
        raise InputError("问题必须是文字")
    text = _CONTROL.sub("", question).strip()
    if not text:
        raise InputError("问题不能为空")
    if len(text) > MAX_QUESTION_CHARS:
        raise InputError(f"问题过长（{len(text)}字），请控制在{MAX_QUESTION_CHARS}字以内")
    return text


def _quotes(index: SearchIndex, clause: Clause, query: str, units: bool) -> list[str]:
    """The verbatim passage to show: the units sentence, or the span of the two best-matching sentences."""
    if units:
        return [clause.sentences[-1].text]
    best = index.best_sentences(clause, query, n=2)
    return [clause.text[best[0].start : best[-1].end]]


def _named_hit(clause: Clause) -> Hit:
    first = clause.sentences[1] if len(clause.sentences) > 1 else clause.sentences[0]
    return Hit(clause.id, clause.doc_id, 1.0, first.text, (first.start, first.end), ())
