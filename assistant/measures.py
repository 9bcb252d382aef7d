"""Several measures in one question: which (named, implied by numbers, one per part of a compound question,
or several provisions of one clause asked for a total), each answered, and whom the total is for.
Which measures a question names, and the total itself, are ``several``."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter

from assistant.answer import Answer
from assistant.answers import Writer
from assistant.askers import Askers
from assistant.bind import Binding, Carried, bind
from assistant.conversation import Measure, Pending
from assistant.decide import MIN_EVIDENCE, Decider
from assistant.facts import FactMatcher
from assistant.quantities import PHRASE_END
from assistant.route import breaks_a_condition, fit, pick_rule, roles_taken
from assistant.rules import Rule
from assistant.several import named_measures
from assistant.subjects import Subjects
from assistant.understand import AMOUNT_INTENTS, Reader, Understanding
from index.model import Clause
from index.search import Hit

COMPOUND_PART_CHARS = 5  # a part of a compound question shorter than this is no question of its own
COMPOUND_EVIDENCE = 3.0  # the BM25 a part without a policy term needs to count as a question
TITLE_AROUND_CHARS = 2  # 按…条例, 根据…: the words around a title in a part that only names the document
_ASKING = frozenset({"calc", "parameter", "eligibility", "conditions", "units", "validity", "match"})  # ask words
# Asked for a total ("…，还发了科创债，一共多少") or each (…，…，这两块分别), each clause of the sentence may
# name a measure.
_CLAUSE_BREAKS = ("，", ",")
# List marks that may list whole questions (…有没有奖励、…有没有补偿、…能不能跟投): 和 and 与 join things.
_QUESTION_LISTERS = ("、",)


class SeveralMeasures:
    def __init__(
        self, decider: Decider, askers: Askers, reader: Reader, writer: Writer, facts: FactMatcher, subjects: Subjects
    ) -> None:
        self.decider = decider
        self.retriever = decider.retriever
        self.index = decider.index
        self.rules = decider.rules
        self.vocab = decider.vocab
        self.askers = askers
        self.reader = reader
        self.writer = writer
        self.facts = facts
        self.subjects = subjects
        self._subject_words = frozenset(w for t in subjects.types.values() for w in (t.name, *t.words))
        words = {w for ws in self.vocab.intents.values() for w in ws if "…" not in w}
        self._asking_words = sorted(words, key=len, reverse=True)

    def asked(self, u: Understanding, hits: list[Hit]) -> list[str]:
        """The clauses of two or more measures the question asks about, else none."""
        if hits and self._items_of_one(u, hits[0].clause_id):
            return []  # 三年营业利润分别为…，三年合计多少: the total is over one measure's items
        # A part about a measure of its own (…还在北交所上市了，一共多少; 有500w贷款、买了专利险) adds it to
        # those named.
        named = self.named(u, hits)
        parts = self.compound(u)
        if len(named) >= 2:
            return named + [c for c, _ in parts if c not in named]
        # One named beside parts: in the order they are said, a measure no part finds where it is named
        # (客户经理放的科技贷款坏账了，要不要追责？: 追责 is asked, the 鲁科贷 named in everyday words is the setting).
        if not parts:
            return []  # one measure at most: where it is said need not be looked for
        asked = {c: self._said_at(u, c) for c in named if c not in dict(parts)} | dict(parts)
        return sorted(asked, key=asked.__getitem__) if len(asked) >= 2 else []

    def _said_at(self, u: Understanding, clause_id: str) -> int:
        """Where the question first names the clause's measure, in the texts' words or everyday ones."""
        everyday = self.index.analyzer.lexicon.synonyms
        words = {*self.retriever.naming_terms, *everyday}
        at = [
            u.text.find(w)
            for w in words
            if w in u.text and any(self.retriever.holds(clause_id, t) for t in (w, *everyday.get(w, ())))
        ]
        return min(at, default=-1)

    def _items_of_one(self, u: Understanding, clause_id: str) -> bool:
        """Whether a provision of the clause lists several items of one input (many), numbers of one role,
        and takes every number the question qualifies."""
        roles = [q.role for q in u.quantities if q.role]
        counts = Counter(roles)
        for rule in self.rules.for_clause(clause_id):
            listing = [s for s in rule.inputs if s.many and any(counts[r] >= 2 for r in s.roles)]
            taken = {r for s in rule.inputs for r in s.roles}
            if listing and set(roles) <= taken:
                return True
        return False

    def named(self, u: Understanding, hits: list[Hit], everyday: bool = True) -> list[str]:
        """``everyday``: a measure named in everyday words counts too."""
        role_words = {name: role.words for name, role in self.vocab.roles.items()}
        # A measure named in everyday words (科技保险 → 鲁科保) counts where the question names its region.
        anchored = {t for r in u.regions for t in self.vocab.anchors.get(r, ())} if everyday else set()
        # The asker's own kind said of itself (我们是科技型总部企业) names who asks, not a measure asked about.
        described = self._self_described(u.text)
        terms = [t for t in self.retriever.naming_terms if t not in described and not self._only_a_time(t, u.text)]
        # A term said only where the asker describes itself (专注硬科技的创投) names no measure asked when the
        # rest of the question names some (…落户、投早投小，各是什么内容).
        rest = "".join(p for p in PHRASE_END.split(u.text) if not p.strip().startswith(self.vocab.self_markers))
        if any(t in rest for t in terms):
            terms = [t for t in terms if t in rest or t not in u.text]
        spoken = [t for t in self.index.analyzer.expansions(u.text) if t in terms and t in anchored]
        return named_measures(u, hits, self.retriever.holds, self.rules, terms, self.vocab.derived, role_words, spoken)

    def _names_only_a_time(self, part: str, clause_id: str) -> bool:
        """Whether the part names the clause's measure only as a time it sets (IPO前还有一笔转化贷款: the
        part is about the loan), in the texts' words or everyday ones (IPO → 首次公开发行)."""
        everyday = self.index.analyzer.lexicon.synonyms
        said = [w for w in {*self.retriever.naming_terms, *everyday} if w in part]
        timed = [w for w in said if self._only_a_time(w, part)]
        if not timed:
            return False
        # Named otherwise too, it is asked (上市前的辅导备案阶段: 辅导备案 names the listing stages).
        rest = [w for w in said if not any(w in t for t in timed)]

        def named_by(words: list[str]) -> bool:
            return any(self.retriever.holds(clause_id, t) for w in words for t in (w, *everyday.get(w, ())))

        return named_by(timed) and not named_by(rest)

    def _only_a_time(self, term: str, text: str) -> bool:
        """Whether each time the term is said it sets a time (IPO前还有一笔贷款), naming no measure asked."""
        ends = [m.end() for m in re.finditer(re.escape(term), text)]
        return bool(ends) and all(text.startswith(self.vocab.time_around, at) for at in ends)

    def provisions_asked(self, u: Understanding, clause_id: str) -> list[Rule]:
        """Several provisions of one clause asked for a total (（六）'s 投早投小 reward for one investment
        and its loss subsidy for another: 一共多少; （三）'s 保费补贴和风险补偿一共多少): each rule taking a
        number, or named by a trigger word, that no other of them takes or has. Asked with no number at all,
        each provision named by a word of its own is asked (鲁科担…担保费率有没有上限…有没有代偿补偿)."""
        rules = self.rules.for_clause(clause_id)
        said = self.retriever.said(u)
        named = {r.id: {w for w in r.triggers if w in said} for r in rules}
        if not u.has("total"):
            if u.quantities:
                return []
            # A word naming the clause's measure (鲁科贷, 投早投小) names none of its provisions.
            words = {r.id: named[r.id] - set(self.retriever.naming_terms) for r in rules}
            own = [r for r in rules if words[r.id] - set().union(*(o.triggers for o in rules if o is not r))]
            return own if len(own) >= 2 else []
        taken = {r.id: roles_taken(r, u, self.vocab.derived) for r in rules}
        own = [
            r
            for r in rules
            if taken[r.id] - set().union(*(taken[o.id] for o in rules if o is not r))
            # named alone, it must take a number given (鲁科贷 names the clause, not its 贴息 for a loss)
            or (taken[r.id] and named[r.id] - set().union(*(o.triggers for o in rules if o is not r)))
        ]
        return own if len(own) >= 2 else []

    def compound(self, u: Understanding) -> list[tuple[str, int]]:
        """Two questions in one ("…上市奖励多少？发债有什么支持？"): the clause each part surely finds, with
        where the part starts (none unless the question has two parts or more)."""
        joiners = [*self.vocab.joiners, *(_CLAUSE_BREAKS if u.has("total", "each", "combine") else ())]
        # Things listed are asked each when the question says so (分别), or asks what policies serve them
        # (想融资、想上市，有哪些政策能用).
        each = u.has("each", "combine", "match")
        joiners += self.vocab.list_joiners if each else [j for j in _QUESTION_LISTERS if self._lists_questions(u, j)]
        pattern = "|".join(re.escape(j) for j in joiners)
        items = self._list_items(re.split(f"({pattern})", u.text), each)
        starts = {p: at for p, _, at in reversed(items)}  # where each part is said first
        # A part is a question of its own when it names a policy term or shares enough with the corpus
        # ("自治区有啥说法" does neither); a measure listed to be answered each may be short ("发债增信和…分别").
        # A part names a policy term; one of a list asked each may name it in everyday words (上市 → 首次公开发行),
        # or be one word the documents use (贷款、保险、上市分别有什么支持: 保险 asks for the insurance measure).
        named = {p: bool(self.retriever.policy_terms(p) or (each and self._known(t))) for p, t, _ in items}
        parts = [
            p
            for p, has_term in named.items()
            if (len(p) >= COMPOUND_PART_CHARS or (each and has_term))
            and (has_term or self.index.best_bm25(p) >= COMPOUND_EVIDENCE)
        ]
        if len(parts) < 2:
            return []
        # A part asked as a question of its own (…能拿贴息吗？上市又能奖多少？) is answered even when its
        # clause is not beyond doubt; a phrase cut off at a comma only when it is.
        questions = set(re.split("|".join(re.escape(j) for j in self.vocab.joiners), u.text))
        found: dict[str, int] = {}
        # Parts of one question are about one asker's situation: with no region named, the region of the
        # first part's measure places the later parts (利息36万，担保费9万: 山东's 鲁科担, not 内蒙古's).
        placed = u.regions
        # Parts of a list asked each of a document named by title are asked of it (条例对放大倍数、集中度和
        # 关联担保分别有什么限制: 集中度 is the 条例's 第十六条, not another document's).
        titled = self.retriever.titled(u)
        within = titled[0] if each and len(titled) == 1 else None
        self.retriever.prime([self.reader.read(p) for p in parts])
        for part in parts:
            if self._only_titles(part):
                continue  # "按融资担保公司监督管理条例，集中度、…": the document asked of, not a measure
            if self._asks_only(part):
                continue  # "…能拿多少贴息？有没有上限？": asked of the measure the other parts name
            read = self.reader.read(part)
            own_kind = self._self_described(part)
            if part.startswith(self.vocab.self_markers) and not read.intents and set(self._naming(part)) <= own_kind:
                continue  # "我们是科技型总部企业，…": who asks, not a measure asked about (我们明年想发科创债 is)
            # So is each measure a question lists to be answered one by one (A和B分别…).
            listed = each and named[part]
            on_its_own = (part in questions and bool(read.intents & _ASKING)) or listed
            # A part keeps what the whole asks: its region, and whether it wants amounts ("…一共多少").
            asked = read.intents | (u.intents & AMOUNT_INTENTS)
            read = dataclasses.replace(read, regions=read.regions or placed, intents=asked)
            hits = self.retriever.prefer_rules(read, self.retriever.hits(read, within=within))
            if not hits or hits[0].clause_id in found or self._names_only_a_time(part, hits[0].clause_id):
                continue
            # A part asking an amount is settled by a rule that fits it, as a whole question would be.
            said = self.retriever.said(read)
            rules = self.rules.for_clause(hits[0].clause_id)
            fits = read.has(*AMOUNT_INTENTS) and fit(rules, read, said, self.vocab.derived)
            # A part of a sum asked that asks nothing itself (准备冲科创板，…一共能奖多少; 一家科技型中小企业同时
            # 用了…), or a phrase cut off at a comma, is the setting, unless a rule takes it or it names the
            # measure itself.
            setting = not (on_its_own or fits or rules or self._names_measure(part, hits[0].clause_id))
            if setting and (u.has("total") or part not in questions):
                continue
            if fits or on_its_own or self.decider.sure(read, hits, self.retriever.clause(hits[0].clause_id)):
                found[hits[0].clause_id] = starts[part]
                placed = placed or self._region_of(hits[0].doc_id)
        return list(found.items())

    def _lists_questions(self, u: Understanding, joiner: str) -> bool:
        """Whether ``joiner`` lists questions, each asking of its own (落户有没有奖励、投早期有没有补偿、引导基金
        能不能跟投): each is a part."""
        pieces = u.text.split(joiner)
        return len(pieces) >= 2 and all(self.reader.read(p).intents & _ASKING for p in pieces)

    def _list_items(self, pieces: list[str], each: bool) -> list[tuple[str, str, int]]:
        """The parts split by joiners (``pieces``: each two parts with the joiner between them), each with the
        thing it lists and where it starts. In a list asked each, the first item ends the part before a list
        joiner (、, 和), the last starts the part after it: the part is cut to that phrase ("我们是…企业。想问问
        贷款、担保、保险、上市这几块，都能享受哪些政策": 想问问贷款 and 上市这几块, without the self-description
        and the ask around them), and the thing is the longest word the documents or the lexicon know at its
        edge (贷款, 上市); a phrase without such a word, or one between two list joiners (新三板挂牌), is the
        thing itself. Where the rest of the phrase names no region, document or policy term, the part is the
        thing alone."""
        parts, joiners = pieces[0::2], pieces[1::2]
        items, at = [], 0
        for i, part in enumerate(parts):
            start, at = at, at + len(part) + (len(joiners[i]) if i < len(joiners) else 0)
            item = part
            listed_after = each and i < len(joiners) and joiners[i] in self.vocab.list_joiners
            listed_before = each and i > 0 and joiners[i - 1] in self.vocab.list_joiners
            if listed_after:
                tail = PHRASE_END.split(part)[-1]
                start, part = start + len(part) - len(tail), tail
                if not listed_before:
                    item = next((part[k:] for k in range(len(part) - 1) if self._known(part[k:])), part)
            if listed_before:
                part = PHRASE_END.split(part)[0]
                item = part if listed_after else next(
                    (part[:k] for k in range(len(part), 1, -1) if self._known(part[:k])), part
                )
            if part != item and not self._places(part.replace(item, "", 1)):
                start, part = start + part.find(item), item  # 想了解 blurs 贷款; 国家对, 促进法对 place it
            items.append((part, item, start))
        return items

    def _asks_only(self, part: str) -> bool:
        """Whether a part is made of asking words alone (有没有上限, 能拿多少): it names nothing of its own."""
        rest = part
        for word in self._asking_words:
            rest = rest.replace(word, " ")
        return not self.index.analyzer.words(rest)

    def _only_titles(self, part: str) -> bool:
        """Whether a part says nothing but a document's title and a word or two around it (按…条例)."""
        rest = part
        for name, _ in self.retriever.doc_names:
            rest = rest.replace(name, "")
        return rest != part and len(rest.strip("《》 ")) <= TITLE_AROUND_CHARS

    def _places(self, text: str) -> bool:
        """Whether words beside a listed thing name a policy term, a region or a document it is asked of."""
        read = self.reader.read(text)
        named = read.regions or read.doc_hint or any(name in text for name, _ in self.retriever.doc_names)
        return bool(named or self.retriever.policy_terms(text))

    def _known(self, text: str) -> bool:
        """Whether ``text`` is made of words the documents or the lexicon know, one at least naming a term or a
        measure (上市, 上市奖励; not 企业咨询山东省对科技型企业上市, whose 咨询 and 对 name nothing)."""
        words = [w for w, _ in self.index.analyzer.tagged(text)]
        known = [len(w) > 1 and (w in self.retriever.terms or self._listed_measure(w)) for w in words]
        return bool(words) and all(known)

    def _listed_measure(self, part: str) -> bool:
        """An item of a list that names a measure in everyday words, or is one word the documents use."""
        analyzer = self.index.analyzer
        used = analyzer.is_word(part) and self.index.best_bm25(part) >= MIN_EVIDENCE
        return bool(analyzer.expansions(part)) or used

    def _self_described(self, text: str) -> set[str]:
        """The names of subjects a self-description phrase (我们是…, to the next punctuation) says: who asks
        (总部企业), though a measure's trigger too."""
        phrases = [p.strip() for p in PHRASE_END.split(text)]
        said = [p for p in phrases if p.startswith(self.vocab.self_markers)]
        return {w for w in self._subject_words if any(w in p for p in said)}

    def _naming(self, part: str) -> list[str]:
        """The terms naming a measure that a phrase says, in the texts' words or everyday ones (科创债)."""
        said = [*self.retriever.policy_terms(part), *self.index.analyzer.expansions(part)]
        return [t for t in said if t in self.retriever.naming_terms]

    def _names_measure(self, part: str, clause_id: str) -> bool:
        return any(self.retriever.holds(clause_id, t) for t in self._naming(part))

    def _region_of(self, doc_id: str) -> tuple[str, ...]:
        """The corpus region a document's measures serve (山东省青岛市 → 山东省); none for a national law."""
        region = self.index.corpus.document(doc_id).region
        return tuple(p for p in self.vocab.places.provinces_in(region) if p in self.vocab.regions)

    def answer(
        self,
        question: str,
        u: Understanding,
        clause_ids: list[str],
        carried: dict[str, Carried] | None = None,
        pending: Pending | None = None,
    ) -> tuple[Answer, Pending]:
        """Each measure computed (rules carried from earlier turns first), then the total."""
        said = self.retriever.said(u)
        # What each one is (鲁科贷、鲁科担分别是什么): quoted, not computed with a request for inputs.
        amounts = u.has("calc", "total", "parameter") or any(q.role for q in u.quantities)
        measures: list[tuple[Clause, Rule | None, Binding | None]] = []
        for rule_id, before in (carried or {}).items():
            rule = self.rules.get(rule_id)
            clause = self.retriever.clause(rule.clause_id)
            measures.append((clause, rule, bind(rule, u, self.vocab, before, self.facts)))
        for clause_id in clause_ids:
            if any(c.id == clause_id for c, _, _ in measures):
                continue
            clause = self.retriever.clause(clause_id)
            rules = self.rules.for_clause(clause_id)
            scores = self.index.sentence_scores(clause, u.text)
            rule = pick_rule(clause, rules, u, scores, said, self.vocab.derived) if amounts else None
            if rule is None and rules and u.has("calc", "total"):
                rule = rules[0]  # asked for an amount: the clause's first provision
            binding = bind(rule, u, self.vocab, facts=self.facts) if rule else None
            if rule is None and u.has("eligibility"):  # 餐饮企业…科技保险保费补贴，可以吗: the provision it breaks
                bound = ((r, bind(r, u, self.vocab, facts=self.facts)) for r in rules)
                rule, binding = next(((r, b) for r, b in bound if breaks_a_condition(r, b)), (None, None))
            measures.append((clause, rule, binding))
        # Unstated, the asker is whom most of the measures asked about serve ("新落户的创投机构，投了…科技企业
        # …两项加起来": both rewards go to the 创投), first counting the measures the asker's own sums feed
        # (利息付了50万，担保费付了20万: the interest was the asker's, the 鲁科担 fee subsidy's 担保金额 unsaid),
        # before any subject the question merely names; on a tie, the subject it names (科技型中小企业…鲁科贷…
        # 担保费率: not the guarantor of the 鲁科担 fee subsidy).
        fed = [r for _, r, b in measures if r is not None and b is not None and _fed_a_sum(r, b)]
        served = Counter(r.recipient for _, r, _ in measures if r is not None).most_common()
        stated = self.askers.stated(u)
        asker = (
            stated
            or (pending.asker if pending else None)
            or self._receiving_all([r.recipient for r in fed if r.recipient])
            or _most(Counter(r.recipient for r in fed).most_common())
            or _most(served)
            or self.askers.of(u)
            or (served[0][0] if served else None)
        )
        if asker is not None:  # a measure for another subject with none of its sums given goes after the asker's own
            measures.sort(key=lambda m: self._aside(m[1], m[2], asker, u.text if stated else ""))
        recipients = {r.recipient for _, r, _ in measures if r is not None and r.recipient}
        clients = frozenset(r for r in recipients if self.askers.for_a_client(u, r))
        answer, _ = self.writer.several(
            question, u, measures, asker, self.subjects, stated=stated is not None, clients=clients
        )
        computed = [(r, b) for _, r, b in measures if r is not None and b is not None]
        dates = u.dates or (pending.dates if pending else ())
        party = u.party or (pending.party if pending else None)
        return answer, Pending(tuple(Measure.of(r, b) for r, b in computed), dates, party)

    def _receiving_all(self, recipients: list[str]) -> str | None:
        """The narrowest of these subjects, when it is a kind of every other (科技型中小企业 for a 科技型中小企业's
        贴息 and a 科技型企业's 保险补贴)."""
        named = list(dict.fromkeys(recipients))
        narrowest = [r for r in named if all(o in self.subjects.kinds_of(r) for o in named)]
        return narrowest[0] if narrowest else None

    def _aside(self, rule: Rule | None, binding: Binding | None, asker: str, stated: str) -> bool:
        """Whether the measure pays another subject than the asker and the question gave it no sum (利息付了
        50万，担保费付了20万，一共能拿多少: the guarantor's 鲁科担 fee subsidy, its 担保金额 unsaid), or pays
        a party ``stated`` (the question, when the asker says what it is) names beside the asker, whatever
        sums it gave (我们是创投…社保基金给我们出资了3亿: the 长期资本方's)."""
        if rule is None or binding is None:
            return False
        other = not self.subjects.may_receive(asker, rule.recipient or asker)
        kind = self.subjects.types.get(rule.recipient or "")
        named = kind is not None and any(w in stated for w in kind.words)
        return other and (named or not _fed_a_sum(rule, binding))


def _fed_a_sum(rule: Rule, binding: Binding) -> bool:
    """Whether the question gave the rule a sum of money it takes."""
    return any(spec.unit == "元" and spec.name in binding.values for spec in rule.inputs)


def _most(counted: list[tuple[str, int]]) -> str | None:
    """The most frequent, unless tied."""
    return counted[0][0] if counted and (len(counted) == 1 or counted[0][1] > counted[1][1]) else None
