"""Building each kind of answer: a calculation, a rule's figures, a clause, several possible clauses, a
document card, a comparison, a decline. Each goes through the number guard before it leaves.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from dataclasses import replace

from assistant import compose, guard, money, numbers
from assistant.answer import Answer, Citation, Total
from assistant.bind import Binding
from assistant.match import ELIGIBLE, STATUSES, TO_CONFIRM, MatchResult, confirmable
from assistant.quantities import PHRASE
from assistant.route import accepted_roles
from assistant.rules import CalcResult, ConditionResult, Rule, RuleBook, calculate
from assistant.scope import Verdict
from assistant.several import total as several_total
from assistant.subjects import Subjects
from assistant.understand import Understanding
from assistant.vocab import Vocabulary
from index.model import Clause, Document, cn_date
from index.search import Hit, SearchIndex

# A body sentence is quoted with the best one when it scores at least this share of the best.
QUOTE_SHARE = 0.34
# A clause body this short is quoted whole: it is one provision, read at a glance.
WHOLE_BODY_CHARS = 200
# A question asking several things (…？…？) has the sentences for each quoted; a part shorter than this
# ("是吗？") asks nothing of its own.
_QUESTION_END = re.compile(r"[？?；;]")
# An item of a list (（四）未经批准擅自从事…的。), and the line leading into the list (…有下列情形之一的，…：).
_ITEM = re.compile(r"[（(][一二三四五六七八九十]+[）)]")
_LEAD_END = "：\n"
QUESTION_PART_CHARS = 5
_ARTICLE_NUMBER = re.compile(r"^第[一二三四五六七八九十百零〇\d]+条\s*")


class Writer:
    """Writes answers from the corpus, the rules and the search index (for quote sentences)."""

    def __init__(self, index: SearchIndex, rules: RuleBook, vocab: Vocabulary) -> None:
        self.index = index
        self.rules = rules
        self.vocab = vocab

    def clause(self, clause_id: str) -> Clause:
        return self.index.corpus.clause(clause_id)

    def document(self, clause: Clause) -> Document:
        return self.index.corpus.document(clause.doc_id)

    # -- a rule ------------------------------------------------------------------------------
    def calculation(
        self,
        question: str,
        u: Understanding,
        rule: Rule,
        binding: Binding,
        dates: Sequence[dt.date],
        party: str | None,
        score: float,
        excluded: str | None = None,
        opened: str = "",
    ) -> tuple[Answer, CalcResult]:
        """``excluded``: why the money never reaches the asker (我们是担保公司 asking the 鲁科保 premium
        subsidy of 科技型企业): not eligible, whatever the numbers. ``opened``: the question an earlier turn
        opened this calculation with (还能新增多少担保业务 → 净资产3.5亿元)."""
        party = party if rule.parties else None  # "省财政给多少" names the payer of a non-split rule
        result = calculate(rule, binding.values, on=dates[0] if dates else None, party=party)
        asked = f"{opened}，{u.text}" if opened else u.text
        result = self._left_if_asked(_with_estimates(result, binding), asked)
        if excluded is not None:
            result = _not_for_the_asker(result, excluded)
        clause = self.clause(rule.clause_id)
        doc = self.document(clause)
        follow_up = None
        if result.eligible is not False and binding.unclear:
            follow_up = compose.unclear_numbers([q.text for q in binding.unclear], rule, result.missing)
        elif result.eligible is not False and result.missing and binding.wanting:
            labels = [self.vocab.roles[r].label for r in binding.wanting]
            follow_up = compose.ask_for_sources(rule, result.missing, labels)
        elif result.missing and result.eligible is not False:
            follow_up = compose.ask_for(rule, result.missing, self._not_taken(u, rule, result.missing))
        elif self._used_wanted(rule, binding, result, asked):
            follow_up = compose.ask_for(rule, [str(rule.args["used"])])
        lines = [
            *compose.corrections_line([(c.typed, c.term) for c in u.corrections]),
            compose.conclusion_for_calc(rule, result, party),
            "",
            *compose.clause_block(clause, [rule.quote]),
            *compose.steps_block(result),
            *compose.conditions_block(result, rule),
            *self._penalty_block(rule, result),
            *compose.period_block(doc, dates),
            *compose.units_block(clause),
            "",
            compose.DISCLAIMER,
        ]
        citations = (compose.citation(clause, rule.quote, score),)
        if result.eligible is False and rule.penalty is not None:
            penalty_id, quote = rule.penalty
            citations += (compose.citation(self.clause(penalty_id), quote, score),)
        # A total asked over the items one provision lists (三年营业利润…，三年合计多少) is its amount.
        listed = any(isinstance(v, tuple) for v in binding.values.values())
        summed = u.has("total") and listed and result.amount is not None and result.eligible is not False
        total = Total(result.amount, result.unit, (rule.id,), ()) if summed else None
        answer = self.finish(question, lines, citations, (result,), follow_up, [doc], total=total)
        return answer, result

    def _penalty_block(self, rule: Rule, result: CalcResult) -> list[str]:
        """What befalls the breach the answer finds (未经批准经营: 第三十六条), quoted."""
        if result.eligible is not False or rule.penalty is None:
            return []
        penalty_id, quote = rule.penalty
        return ["", "**违反的后果**", *compose.clause_block(self.clause(penalty_id), [quote])]

    def _not_taken(self, u: Understanding, rule: Rule, missing: Sequence[str]) -> list[str]:
        """The question's numbers, of a missing input's unit, that the rule takes in no role (转让价300万元
        where the base is the 净收入): named when the input is asked for, so the asker sees why."""
        units = {s.unit for s in rule.inputs if s.name in missing}
        taken = accepted_roles([rule], self.vocab.derived)
        return [
            f"{self.vocab.roles[q.role].label}{q.text}"
            for q in u.quantities
            if q.role is not None and q.role not in taken and q.unit in units
        ]

    def _used_wanted(self, rule: Rule, binding: Binding, result: CalcResult, asked: str) -> bool:
        """What remains is asked (还能新增多少), the limit is known, and what is already used is not given."""
        used = rule.args.get("used")
        return (
            result.amount is not None
            and result.eligible is not False
            and used is not None
            and used not in binding.values
            and _first_at(asked, self.vocab.words("remaining")) is not None
        )

    def _limit_asked_at(self, text: str) -> int | None:
        """Where the limit is asked: a limit word in a phrase that asks an amount (最多能做到多少), not one
        naming the limit as the setting (按条例的放大倍数上限，还能再做多少)."""
        limits = self.vocab.words("limit")
        asking = [w for w in self.vocab.words("calc") if w not in limits]
        leading = self._limit_leading_on
        found = [
            m.start() + at
            for m in PHRASE.finditer(text)
            if any(w in m.group() for w in asking)
            for at in [_first_at(leading.sub(lambda x: "＿" * len(x.group()), m.group()), limits)]
            if at is not None
        ]
        return min(found, default=None)

    @functools.cached_property
    def _limit_leading_on(self) -> re.Pattern[str]:
        """A limit word leading into what remains (最多还能再新增多少): it asks what remains, not the limit."""
        remaining = "|".join(map(re.escape, self.vocab.words("remaining")))
        return re.compile("|".join(f"{re.escape(w)}(?={remaining})" for w in self.vocab.words("limit")))

    def _left_if_asked(self, result: CalcResult, asked: str) -> CalcResult:
        """What remains of a limit is the amount when the question asks it before any limit (已经12亿了，还能
        再做多少), not when it asks the limit first (最多能做到多少，还有多少空间)."""
        if result.left is None or result.eligible is False:
            return result  # no limit with a balance taken: nothing to look for in the question
        left = _first_at(asked, self.vocab.words("remaining"))
        limit = self._limit_asked_at(asked)
        if left is None or (limit is not None and limit < left):
            return result
        return replace(result, amount=result.left, amount_is_left=True)

    def parameter(self, question: str, u: Understanding, rule: Rule, binding: Binding, score: float) -> Answer:
        """The figures a rule states (rate, cap, tiers) and its conditions, without computing an amount."""
        result = _with_estimates(calculate(rule, binding.values, on=u.dates[0] if u.dates else None), binding)
        clause = self.clause(rule.clause_id)
        doc = self.document(clause)
        description = result.steps[0] if result.steps else "文件未明确金额或计算标准"
        quote = self.asked_with_rule(clause, rule)
        lines = [
            *compose.corrections_line([(c.typed, c.term) for c in u.corrections]),
            compose.conclusion_for_parameter(rule, description),
            "",
            *compose.clause_block(clause, [quote]),
            *[f"- 注：{n}" for n in result.notes],
            *compose.conditions_block(result, rule),
            *compose.offer_to_compute(rule, result.missing),
            *compose.period_block(doc, u.dates),
            *compose.units_block(clause),
            "",
            compose.DISCLAIMER,
        ]
        citations = (compose.citation(clause, quote, score),)
        return self.finish(question, lines, citations, (result,), None, [doc])

    def asked_with_rule(self, clause: Clause, rule: Rule) -> str:
        """A short clause's whole body, as a lookup quotes it (怎么要求的: the cap sentence after the subsidy's
        is part of the answer); a long one's rule sentence."""
        body = self.quotes(clause, "")[0]
        return body if rule.quote in body and len(body) <= WHOLE_BODY_CHARS else rule.quote

    def several(
        self,
        question: str,
        u: Understanding,
        measures: Sequence[tuple[Clause, Rule | None, Binding | None]],
        asker: str | None,
        subjects: Subjects,
        stated: bool = False,
        clients: frozenset[str] = frozenset(),
    ) -> tuple[Answer, list[tuple[Rule, Binding]]]:
        """Each measure with its own quote, calculation and conditions, then the total the asker receives.
        ``stated``: the asker said what it is (我是个人天使投资人), so asked whether it may or how much, a measure
        for another subject is not eligible for it, as with one measure, unless that subject is among
        ``clients``, those the asker asks for (我们银行给企业放的贷款，企业能贴多少); otherwise it is only left out
        of the total."""
        lines = [*compose.corrections_line([(c.typed, c.term) for c in u.corrections])]
        # Articles of laws are provisions, not measures (科技人员的激励有哪些规定: 第三十八条…).
        articles = all(clause.kind == "article" for clause, _, _ in measures)
        kind = "条规定，逐条" if articles else "项措施，逐项"
        lines += [f"**结论**：您的问题涉及{len(measures)}{kind}说明如下。", ""]
        if u.has("combine"):  # 鲁科担和鲁科保能一起用吗
            lines += [self._together([clause for clause, _, _ in measures]), ""]
        citations: list[Citation] = []
        computed: list[tuple[Rule, CalcResult]] = []
        docs: dict[str, Document] = {}
        asked: list[tuple[Rule, Binding]] = []
        for n, (clause, rule, binding) in enumerate(measures, start=1):
            docs[clause.doc_id] = self.document(clause)
            if rule is None or binding is None:  # a clause asked for by its number is quoted whole
                quotes = [clause.text] if clause.number in u.clause_numbers else self.quotes(clause, u.text)
                citations.append(compose.citation(clause, "".join(quotes), 1.0))
                units = compose.units_block(clause) if u.has("units") else []  # 各找哪个部门: each its own
                lines += [f"**{n}. {clause.heading}**", *compose.clause_block(clause, quotes), *units, ""]
                continue
            on = u.dates[0] if u.dates else None
            result = self._left_if_asked(_with_estimates(calculate(rule, binding.values, on=on), binding), u.text)
            others = bool(asker and rule.recipient and not subjects.may_receive(asker, rule.recipient))
            if others and stated and (u.has("eligibility") or u.wants_amount) and rule.recipient not in clients:
                result = _not_for_the_asker(result, f"本项给予{rule.recipient}，您所述为{asker}")
            computed.append((rule, result))
            # Inputs are asked for the asker's own measures: not the 担保金额 of the guarantor's fee subsidy.
            if result.missing and not others:
                asked.append((rule, binding))
            citations.append(compose.citation(clause, rule.quote, 1.0))
            lines += [
                f"**{n}. {rule.label}**：{compose.measure_outcome(result, rule)}",
                *compose.clause_block(clause, [rule.quote]),
                *compose.steps_block(result),
                *compose.conditions_block(result, rule),
                *(compose.units_block(clause) if u.has("units") else []),
                "",
            ]
        # Quotes alone (鲁科贷、鲁科担分别是什么) have nothing to add up.
        total = several_total(computed, asker, subjects) if computed or u.has("total") else None
        if total is not None:
            lines += compose.total_block(total, {r.id: r.label for r, _ in computed}, asker)
        for doc in docs.values():
            lines += compose.period_block(doc, u.dates)
        lines += ["", compose.DISCLAIMER]
        follow_up = compose.ask_for(asked[0][0], calculate(asked[0][0], asked[0][1].values).missing) if asked else None
        results = tuple(r for _, r in computed)
        counted = [str(n) for n in range(1, len(measures) + 1)]
        answer = self.finish(
            question, lines, tuple(citations), results, follow_up, list(docs.values()), total=total, counted=counted
        )
        return answer, asked

    def _together(self, clauses: Sequence[Clause]) -> str:
        """What the clauses say of having their measures together: the sentences limiting it, quoted, or
        that none does (no clause of the corpus does today; an answer must not claim they may be combined)."""
        marks = self.vocab.exclusive_marks
        limits = [(c, s.text) for c in clauses for s in c.sentences if any(m in s.text for m in marks)]
        if not limits:
            return "**能否同时享受**：所引各条均未规定上述措施不得同时享受；能否叠加，以责任单位的解释为准。"
        said = "；".join(f"{c.label}：“{text}”" for c, text in limits)
        return f"**能否同时享受**：{said}"

    def matching(self, question: str, u: Understanding, result: MatchResult) -> Answer:
        """A subject's measures grouped eligible / to confirm / not eligible / no amount, with the total."""
        lines = [*compose.corrections_line([(c.typed, c.term) for c in u.corrections])]
        lines += compose.match_blocks(result, confirmable(result))
        lines += ["", compose.DISCLAIMER]
        citations = tuple(compose.citation(i.clause, i.quote, 1.0) for i in result.items)
        results = tuple(i.result for i in result.items if i.result is not None and i.status in (ELIGIBLE, TO_CONFIRM))
        docs = list({i.document.id: i.document for i in result.items}.values())
        counted = [cn_date(result.on), *(str(len(result.group(s))) for s in STATUSES), money.yuan(confirmable(result))]
        return self.finish(question, lines, citations, results, None, docs, total=result.total, counted=counted)

    # -- clauses -----------------------------------------------------------------------------
    def lookup(
        self, question: str, u: Understanding, clause: Clause, quotes: Sequence[str], score: float, note: str = ""
    ) -> Answer:
        """``note``: a line after the quote (whom else the clause's money goes to)."""
        doc = self.document(clause)
        citations = [compose.citation(clause, "".join(quotes), score)]
        lines = [
            *compose.corrections_line([(c.typed, c.term) for c in u.corrections]),
            compose.conclusion_for_lookup(clause, u, doc),
            "",
            *compose.clause_block(clause, quotes),
            *([f"- 注：{note}"] if note else []),
        ]
        validity = u.has("validity") or bool(u.dates)
        closing = next((s for s in doc.statements if s.kind == "closing" and "有效期" in s.text), None)
        if validity and closing and closing.id != clause.id:
            sentence = next(s.text for s in closing.sentences if "有效期" in s.text)
            # The period asked, not an amount: the sentence stating it is the first evidence (也在有效期内，
            # 能申请吗: whether one may, on those days, is the period's to say).
            at = 0 if not u.has("calc") else len(citations)
            citations.insert(at, compose.citation(closing, sentence, score))
            lines += [f"> {sentence}（{closing.label}）"]
        if u.wants_amount and clause.kind != "closing" and not self.rules.for_clause(clause.id):
            lines += ["", "本条未写明具体金额或计算标准，金额文件未明确。"]
        if any(w in u.text for w in self.vocab.apply):  # 鲁科保怎么申请: what the text says, and what it does not
            lines += ["", "申请流程、申报材料和受理窗口文件未规定，以责任单位发布的申报通知为准。"]
        cited = compose.cited_block(clause, self.index.corpus.documents)
        lines += [*cited, *compose.period_block(doc, u.dates), *compose.units_block(clause), "", compose.DISCLAIMER]
        named = [d for d in self.index.corpus.documents if d.id != doc.id and d.id in "".join(cited)]
        return self.finish(question, lines, tuple(citations), (), None, [doc, *named])

    def uncertain(self, question: str, u: Understanding, picks: Sequence[tuple[Clause, str, float]]) -> Answer:
        lines = [
            *compose.corrections_line([(c.typed, c.term) for c in u.corrections]),
            *compose.uncertain_block([(c, q) for c, q, _ in picks]),
            compose.DISCLAIMER,
        ]
        citations = tuple(compose.citation(c, q, s) for c, q, s in picks)
        docs = list({c.doc_id: self.document(c) for c, _, _ in picks}.values())
        return self.finish(question, lines, citations, (), None, docs, confidence="low")

    def which_measure(self, question: str, u: Understanding) -> Answer:
        """Numbers with no measure to go with: ask which one (nothing to quote yet)."""
        said = "、".join(q.text for q in u.quantities)
        ask = (
            f"您提到的{said}是关于哪项政策的？请说明措施或用途（如“鲁科贷”利息、“鲁科保”保费、创投投资额），"
            "我再为您计算。"
        )
        lines = [f"**结论**：{ask}", "", compose.DISCLAIMER]
        text, dropped = guard.enforce("\n".join(lines), [question])
        return Answer(question, True, text, (), (), ask, "low", guard_dropped=tuple(dropped))

    def declined(self, question: str, verdict: Verdict, related: Sequence[tuple[Clause, str, float]]) -> Answer:
        docs = self.index.corpus.documents
        covered = "；".join(f"{d.region}{d.cited_as}" for d in docs)
        if verdict.kind == "courtesy":  # thanks, goodbyes: nothing asked, nothing to decline
            return Answer(question, False, f"{verdict.reason}。", (), (), None)
        lines = [
            f"抱歉，这个问题超出了本助手的范围：{verdict.reason}。",
            "",
            f"本助手只收录以下科技金融政策文件：{covered}。"
            "可以问这些文件中的贷款贴息、担保、保险补贴、创投奖励、上市支持、责任单位和施行期等问题；"
            "其他地区或其他事项请咨询当地主管部门。",
            *compose.related_block([(c, q) for c, q, _ in related]),
        ]
        if verdict.kind == "procedure" and related:
            lines += compose.units_block(related[0][0])
        related_citations = tuple(compose.citation(c, q, s) for c, q, s in related)
        text, dropped = guard.enforce("\n".join(lines), _sources(question, related_citations, (), docs))
        return Answer(question, False, text, (), (), None, related=related_citations, guard_dropped=tuple(dropped))

    def document_card(self, question: str, u: Understanding, docs: Sequence[Document]) -> Answer:
        lines: list[str] = []
        citations: list[Citation] = []
        for doc in docs:
            statement, line = compose.document_evidence(doc, u)
            lines += [*compose.document_card(doc, u), *compose.clause_block(statement, [line]), ""]
            if statement is not None:
                citations.append(compose.citation(statement, line, 1.0))
        lines.append(compose.DISCLAIMER)
        return self.finish(question, lines, tuple(citations), (), None, docs)

    def comparison(self, question: str, u: Understanding, picks: Sequence[tuple[Clause, Hit]]) -> Answer:
        asked = u.has("compare") or u.regions  # else shown side by side unasked (no place named)
        lead = "两地文件的相关规定如下，可对照比较：" if asked else "两地文件都有相关规定，分列如下："
        lines = [f"**结论**：{lead}", ""]
        citations: list[Citation] = []
        docs: list[Document] = []
        for clause, hit in picks:
            doc = self.document(clause)
            if doc not in docs:
                docs.append(doc)
                lines.append(f"**{doc.region}**")
            quotes = self.quotes(clause, u.text)
            citations.append(compose.citation(clause, "".join(quotes), hit.score))
            lines += [*compose.clause_block(clause, quotes), ""]
        for doc in docs:
            lines.append(f"- {doc.region}施行期：{doc.in_force.describe()}")
        lines += ["", compose.DISCLAIMER]
        return self.finish(question, lines, tuple(citations), (), None, docs)

    def unit_measures(self, question: str, units: Sequence[str], found: Sequence[tuple[Clause, bool]]) -> Answer:
        """The measures of responsible units, by document, those they lead (牵头) first, each cited by the
        line naming its units."""
        lead = sum(leads for _, leads in found)
        names = "、".join(n for n in units if any(n in (u.name for u in c.units) for c, _ in found))
        of_which = f"（其中牵头{lead}项）" if lead else ""
        lines = [f"**结论**：收录文件中，{names}负责的措施共{len(found)}项{of_which}：", ""]
        docs: list[Document] = []
        for clause, leads in sorted(found, key=lambda f: (f[0].doc_id, not f[1])):
            doc = self.document(clause)
            if doc not in docs:
                docs.append(doc)
                lines += ["", f"**{doc.cited_as}**"] if len(docs) > 1 else [f"**{doc.cited_as}**"]
            lines.append(f"- {clause.label.removeprefix(doc.cited_as)}“{clause.heading}”{'（牵头）' if leads else ''}")
        lines += ["", compose.DISCLAIMER]
        citations = tuple(compose.citation(c, compose.units_line(c), 1.0) for c, _ in found)
        return self.finish(question, lines, citations, (), None, docs, counted=[str(len(found)), str(lead)])

    def section(
        self, question: str, doc: Document, section: str, clauses: Sequence[Clause], ranked: Sequence[str] = ()
    ) -> Answer:
        """The clauses of one part of a document, each by its label and first sentence (quoted), in the
        document's order; the citations best first, as ``ranked`` (clause ids) orders them."""
        lines = [f"**结论**：{doc.cited_as}的“{section}”共{len(clauses)}条：", ""]
        citations = []
        for clause in clauses:
            first = _ARTICLE_NUMBER.sub("", clause.sentences[0].text)  # the label says 第十三条 already
            shown = clause.heading if clause.kind == "item" and clause.heading in clause.text else first
            lines.append(f"- {clause.label.removeprefix(doc.cited_as)}：{shown}")
            citations.append(compose.citation(clause, shown, 1.0))
        lines += ["", compose.DISCLAIMER]
        rank = {clause_id: i for i, clause_id in enumerate(ranked)}
        citations.sort(key=lambda c: rank.get(c.clause_id, len(rank)))
        return self.finish(question, lines, tuple(citations), (), None, [doc], counted=[str(len(clauses))])

    def quotes(self, clause: Clause, query: str, whole: bool = False) -> list[str]:
        """The verbatim passage to show: a short clause's whole body (or any, ``whole``), or the span of the
        body sentences that answer the question (those scoring at least a share of the best), for each
        question it asks (鲁科保覆盖哪些险种？保险公司开发产品有什么支持？)."""
        body_at = clause.body or range(len(clause.sentences))
        body = [clause.sentences[n] for n in body_at]
        if whole or body[-1].end - body[0].start <= WHOLE_BODY_CHARS or clause.heading in query:
            return [clause.text[body[0].start : body[-1].end]]
        parts = [p for p in _QUESTION_END.split(query) if len(p) >= QUESTION_PART_CHARS]
        chosen: set[int] = set()
        for part in [query] if len(parts) < 2 else parts:
            scores = self.index.sentence_scores(clause, part)
            body_scores = [scores[n] for n in body_at]
            top = max(body_scores)
            chosen |= {i for i, x in enumerate(body_scores) if x >= QUOTE_SHARE * top} if top > 0 else {0, 1}
        picked = [body[i] for i in sorted(chosen) if i < len(body)]
        return [clause.text[_lead_in(clause, picked[0].start) : picked[-1].end]]

    # -- the guard ---------------------------------------------------------------------------
    def finish(
        self,
        question: str,
        lines: list[str],
        citations: tuple[Citation, ...],
        results: tuple[CalcResult, ...],
        follow_up: str | None,
        docs: Sequence[Document],
        confidence: str = "high",
        total: Total | None = None,
        counted: Sequence[str] = (),
    ) -> Answer:
        """The answer, with every line holding a number the sources do not give dropped (``counted``: the
        counts and dates the answer itself computed, e.g. how many measures it lists)."""
        sources = [*_sources(question, citations, results, docs), *counted]
        if total is not None and total.amount is not None:
            sources.append(money.yuan(total.amount))
        text, dropped = guard.enforce("\n".join(lines), sources)
        return Answer(
            question, True, text, citations, results, follow_up, confidence, total=total, guard_dropped=tuple(dropped)
        )


def _lead_in(clause: Clause, start: int) -> int:
    """Where a quote starting at an item of a list must start: at the line leading into the list (…有下列情形
    之一的，责令停止相关业务…并处…罚款：), which says what the items are for; an item alone says nothing of
    it. Elsewhere, ``start``."""
    text = clause.text
    if not _ITEM.match(text, start):
        return start
    lead = text.rfind(_LEAD_END, 0, start)
    between = text[lead + len(_LEAD_END) : start].splitlines() if lead >= 0 else ["-"]
    if not all(_ITEM.match(line) for line in between if line):
        return start  # the line before the items is not a lead into them
    paragraph = text.rfind("\n", 0, lead) + 1
    return next((s.start for s in clause.sentences if s.start <= paragraph < s.end), paragraph)


def _first_at(text: str, words: Sequence[str]) -> int | None:
    return min((at for at in (text.find(w) for w in words) if at >= 0), default=None)


def _with_estimates(result: CalcResult, binding: Binding) -> CalcResult:
    """Derived inputs come first in the steps; the binding's notes (estimates, facts read by meaning) first."""
    if not binding.estimates and not binding.notes:
        return result
    return replace(result, steps=(*binding.estimates, *result.steps), notes=(*binding.notes, *result.notes))


def _sources(
    question: str, citations: Sequence[Citation], results: Sequence[CalcResult], docs: Sequence[Document]
) -> list[str]:
    """Where the numbers of an answer may come from: quotes, calculations, the question's dates, metadata."""
    sources = [cn_date(d) for d in numbers.dates(numbers.normalise(question))]
    sources += [c.quote for c in citations] + [c.label for c in citations] + [c.clause_id for c in citations]
    for result in results:
        sources += [*result.steps, *result.notes, *(str(v) for v in result.inputs.values())]
        sources += [compose.amount_text(result), *(c.text for c in result.conditions)]
    for doc in docs:
        sources += [doc.cited_as, doc.in_force.describe(), doc.in_force.basis, cn_date(doc.issued)]
        sources += [compose.status_text(doc, numbers.dates(numbers.normalise(question))), doc.id]
    return sources


def _not_for_the_asker(result: CalcResult, why: str) -> CalcResult:
    """Not eligible, whatever the numbers: the money goes to another kind of subject than the asker."""
    subject = ConditionResult(why, "unmet")
    return replace(result, eligible=False, amount=0, missing=(), conditions=(subject, *result.conditions))
