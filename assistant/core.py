"""The assistant: understand → decide scope → retrieve → choose the provision → calculate → compose → guard.

Each stage is its own module (``understand``, ``scope``, ``route``, ``bind``, ``answers``, ``guard``);
this one holds the public API and runs the stages in order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Mapping

from assistant.answer import Answer
from assistant.answers import Writer
from assistant.bind import Binding, Carried, bind
from assistant.conversation import Conversation, MatchPending, Measure, Pending
from assistant.facts import FactMatcher
from assistant.formulas import NOT_STATED
from assistant.match import MatchResult, Profile, match
from assistant.route import CALCULATE, PARAMETER, answer_mode, fit, pick_rule, roles_complete, roles_taken
from assistant.rules import Rule, RuleBook, calculate, load_rules
from assistant.scope import Verdict, judge
from assistant.several import named_measures
from assistant.subjects import Subjects, load_subjects
from assistant.understand import AMOUNT_INTENTS, MAX_QUESTION_CHARS, Reader, Understanding
from assistant.vocab import Vocabulary, load_vocabulary
from index.errors import InputError
from index.model import POLICY_TYPE, Clause, Document, Status
from index.search import MODES, Filters, Hit, SearchIndex
from index.settings import Settings
from index.store import EmbeddingCache, open_index

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Evidence that a question is about this domain at all, when it names no policy term, region or
# clause: the best BM25 score of any chunk. Questions below it share no meaningful word with the
# corpus (greetings, chit-chat); measured on the dev split (see evals/report.md).
MIN_EVIDENCE = 1.0
# A retrieval is sure when the best clause leads the second by this much (weighted fusion, 0–1),
# or the question names a term found in at most two clauses; measured on the dev split.
SURE_MARGIN = 0.12
UNCERTAIN_PICKS = 3
# A term of this many characters found in at most two clauses names a measure (鲁科贷, 投早投小); a
# clause holding it gains this much (fused scores run 0–1).
NAMING_TERM_CHARS = 3
NAMED_BOOST = 0.3
TAKER_MIN_ROLES = 2  # numbers of this many roles taken by one rule point to its clause wherever it ranks
COMPOUND_PART_CHARS = 5  # a part of a compound question shorter than this is no question of its own
COMPOUND_EVIDENCE = 3.0  # the BM25 a part without a policy term needs to count as a question
_ASKING = frozenset({"calc", "parameter", "eligibility", "conditions", "units", "validity", "match"})  # ask words
# Asked for a total ("…，还发了科创债，一共多少"), each clause of the sentence may name a measure.
_CLAUSE_BREAKS = ("，", ",")
POLICY_BOOST = 0.15  # their precedence on the fused 0–1 scale, on a close call
SELF_WORDS = ("我们", "我司", "我行", "咱们")  # "我们创投…": the subject right after one is the asker
LOCAL_BOOST = 0.3  # a named city's own documents over its province's, on the same scale
CHINA = "中华人民共和国"  # national laws are named without it
DOC_NAME_CHARS = 5  # a document title shorter than this is no name to find in a question
# The kinds of clause that answer a question (not the cover notice, preamble or closing lines).
ANSWERING_KINDS = ("item", "article", "section", "paragraph")
# How far down, and how far behind the first in fused score, a clause with an applicable rule may be
# brought forward for a question about an amount.
RULE_RERANK_DEPTH = 3
RULE_RERANK_GAP = 0.25


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
        self.vocab = vocab
        self.subjects = subjects
        self.mode = mode
        self.writer = Writer(index, rules, vocab)
        corpus = index.corpus
        self._terms = tuple(t for t in index.analyzer.lexicon.terms if len(t) > 1)
        items = [c.text for c in corpus.clauses]
        # Terms found in at most two clauses name a measure; the others (科技型企业 …) do not.
        self._specific_terms = tuple(t for t in self._terms if 0 < sum(t in text for text in items) <= 2)
        self._policy_docs = frozenset(d.id for d in self.index.corpus.documents if d.doc_type == POLICY_TYPE)
        # Words naming a measure with an amount (贴息, 保费补贴): the rules' trigger words of two or more characters.
        self._measure_words = tuple(dict.fromkeys(t for r in rules.rules for t in r.triggers if len(t) >= 2))
        spelled = {*self._terms, *index.analyzer.lexicon.synonyms, *vocab.regions}
        # How questions name a document: its title (without 中华人民共和国) or short title.
        self._doc_names = sorted(
            ((name, d) for d in corpus.documents for name in _names_of(d)), key=lambda p: -len(p[0])
        )
        # The provinces the corpus has documents for (山东省青岛市 is in 山东省).
        provinces = [r for d in corpus.documents for r in vocab.places.provinces_in(d.region)]
        function_chars = (w for w in index.analyzer.lexicon.stopwords if len(w) == 1)  # 是, 的, 在
        self.reader = Reader(vocab, spelled, index.analyzer.is_word, provinces, function_chars, self._measure_words)
        concepts = EmbeddingCache(settings.cache_dir, index.embedder)
        self.facts = FactMatcher(vocab, index.embedder.passages, lambda words: concepts.vectors(list(words)))

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
            _named_hit(c)
            for c in self.named_clauses(query, region, doc_id)
            if filters.admits(corpus.document(c.doc_id))
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

    def named_clauses(self, text: str, region: str | None = None, doc_id: str | None = None) -> list[Clause]:
        """Clauses a text names by id, or by number (第三条) narrowed by 文号, region or filters."""
        return self._clauses_named(self.reader.read(validate_question(text)), region, doc_id)

    # -- the pipeline ----------------------------------------------------------------------
    def respond(
        self, question: str, pending: Pending | MatchPending | None = None, context: str = ""
    ) -> tuple[Answer, Pending | MatchPending | None]:
        """One turn. ``context``: earlier turns of the conversation, read before this one (a follow-up
        such as "募资3亿" means nothing alone); the answer still names this turn as its question."""
        question = validate_question(question)
        u = self.reader.read(f"{context}，{question}"[-MAX_QUESTION_CHARS:] if context else question)
        if isinstance(pending, MatchPending) and self._adds_to_profile(u, pending.profile):
            profile = dataclasses.replace(pending.profile, description=f"{pending.profile.description}，{u.text}")
            return self.writer.matching(question, u, self.match(profile)), MatchPending(profile)
        if isinstance(pending, Pending):
            continued = self._continue(question, u, pending)
            if continued is not None:
                return continued
        anchored = self._anchored(u)
        verdict = judge(u, self.vocab, anchored, self._terms)
        if verdict is not None:
            return self._declined(question, u, verdict), None
        if self._about_documents(u):
            return self.writer.document_card(question, u, self._documents_named(u)), None
        if (u.has("compare") and len(u.regions) != 1) or len(u.regions) > 1:
            compared = self._compare(question, u)
            if compared is not None:
                return compared, None
        hits = self._prefer_rules(u, self._hits(u))
        named = self._named_clause(u) or self._period_clause(u, hits)
        if named is None and (not hits or not self._evidence(u, anchored)):
            if u.quantities:  # "是80万元" with nothing before it: which measure is it about?
                return self.writer.which_measure(question, u), None
            return self._declined(question, u, Verdict("unrelated", "问题与收录文件的内容无关", False)), None
        uncovered = None if named else self._topic_not_in_region(u)
        if uncovered is not None:
            return self._declined(question, u, uncovered, hits[0]), None
        profile = self._profile_asked(u)
        if named is None and profile is not None:
            return self.writer.matching(question, u, self.match(profile)), MatchPending(profile)
        measures = [] if named else self._several(u, hits) or self._compound(u)
        if len(measures) >= 2:
            return self._answer_several(question, u, measures)
        provisions = [] if named else self._provisions_asked(u, hits[0].clause_id)
        if provisions:
            return self._answer_several(question, u, [], {r.id: Carried() for r in provisions})
        clause = named or self.clause(hits[0].clause_id)
        score = 1.0 if named else hits[0].score
        scores = self.index.sentence_scores(clause, u.text)
        said = self._said(u)
        rule = pick_rule(clause, self.rules.for_clause(clause.id), u, scores, said, self.vocab.derived)
        binding = bind(rule, u, self.vocab, facts=self.facts) if rule else None
        mode = answer_mode(rule, u, binding)
        sure = (
            named is not None
            or self._sure(u, hits, clause)
            or (mode == CALCULATE and _gives_numbers(binding))
            or (mode in (CALCULATE, PARAMETER) and rule is not None and self._fits_best(u, hits, rule, said))
        )
        if not sure:
            return self._uncertain(question, u, hits), None
        if rule is not None and binding is not None and mode in (CALCULATE, PARAMETER):
            if mode == CALCULATE:
                answer, _ = self.writer.calculation(question, u, rule, binding, u.dates, u.party, score)
            else:
                answer = self.writer.parameter(question, u, rule, binding, score)
            return answer, self._pending(rule, binding, u)
        quotes = [clause.text] if named else self.writer.quotes(clause, u.text)
        return self.writer.lookup(question, u, clause, quotes, score), None

    # -- several measures ----------------------------------------------------------------------
    def _profile_asked(self, u: Understanding) -> Profile | None:
        """A self-description asking what the asker may get ("我们是创投机构，在山东能拿哪些奖励？")."""
        subject = self._asker(u)
        # A measure named, in the policy's words or in everyday ones (北交所上市 → 首次公开发行), is the topic.
        said = self._said(u)
        asked = u.has("match") or self._only_describes(u)  # "我们是做软件的科技型中小企业" alone asks it too
        if subject is None or not asked or any(t in said for t in self._naming_terms()):
            return None
        region = u.regions[0] if len(u.regions) == 1 else None
        return Profile(subject, region, description=u.text, on=u.dates[0] if u.dates else None)

    def asker_in(self, text: str) -> str | None:
        """The subject a text says is asking (a conversation's turns so far), if it says."""
        return self._asker(self.reader.read(text[-MAX_QUESTION_CHARS:]))

    def _asker(self, u: Understanding) -> str | None:
        """The subject the asker says it is, else the one the question names."""
        return self._stated_asker(u) or self.subjects.named_in(u.text)

    def _stated_asker(self, u: Understanding) -> str | None:
        """The subject the asker says it is ("我们是新迁入的创投，投了省内科技企业…": the 创投, not the
        enterprises it invested in)."""
        described = (self.subjects.named_in(d) for d in self.facts.descriptions(u.text))
        return next((s for s in described if s), None) or self.subjects.named_after(u.text, SELF_WORDS)

    def _adds_to_profile(self, u: Understanding, profile: Profile) -> bool:
        """A later turn states facts for the matched subject, without naming a measure or another subject."""
        other = self.subjects.named_in(u.text)
        if any(t in u.text for t in self._naming_terms()) or (other and other != profile.subject):
            return False
        return bool(u.quantities) or any(w in u.text for ws in self.vocab.concepts.values() for w in ws)

    def _naming_terms(self) -> tuple[str, ...]:
        return tuple(t for t in self._specific_terms if len(t) >= NAMING_TERM_CHARS)

    def _several(self, u: Understanding, hits: list[Hit]) -> list[str]:
        found = self._measures_named(u, hits)
        return found if len(found) >= 2 else []

    def _period_clause(self, u: Understanding, hits: list[Hit]) -> Clause | None:
        """Asked whether a measure applies on a day outside its document's period (2029年还能申请吗,
        2023年10月做的业务能享受吗): the clause stating the period answers, not the measure's amount."""
        if not hits or not u.dates or not u.has("eligibility", "validity"):
            return None
        doc = self.index.corpus.document(hits[0].doc_id)
        if all(doc.in_force.contains(day) for day in u.dates) or not doc.in_force.basis:
            return None
        return next((c for c in doc.all_clauses if doc.in_force.basis in c.text), None)

    def _provisions_asked(self, u: Understanding, clause_id: str) -> list[Rule]:
        """Several provisions of one clause asked for a total (（六）'s 投早投小 reward for one investment
        and its loss subsidy for another: 一共多少): each rule taking a number no other of them takes."""
        if not u.has("total"):
            return []
        rules = self.rules.for_clause(clause_id)
        taken = {r.id: roles_taken(r, u, self.vocab.derived) for r in rules}
        own = [r for r in rules if taken[r.id] - set().union(*(taken[o.id] for o in rules if o is not r))]
        return own if len(own) >= 2 else []

    def _measures_named(self, u: Understanding, hits: list[Hit]) -> list[str]:
        return named_measures(
            u, hits, lambda c: self.clause(c).text, self.rules, self._naming_terms(), self.vocab.derived
        )

    def _compound(self, u: Understanding) -> list[str]:
        """Two questions in one ("…上市奖励多少？发债有什么支持？"): the clause each part surely finds."""
        joiners = [*self.vocab.joiners, *(_CLAUSE_BREAKS if u.has("total") else ())]
        joiners += self.vocab.list_joiners if u.has("each") else ()
        pattern = "|".join(re.escape(j) for j in joiners)
        # A part is a question of its own when it names a policy term or shares enough with the corpus
        # ("自治区有啥说法" does neither); a measure listed to be answered each may be short ("发债增信和…分别").
        each = u.has("each")
        named = {p: bool(self._policy_terms(p)) for p in re.split(pattern, u.text)}
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
        found: list[str] = []
        for part in parts:
            read = self.reader.read(part)
            # So is each measure a question lists to be answered one by one (A和B分别…).
            listed = each and named[part]
            on_its_own = (part in questions and bool(read.intents & _ASKING)) or listed
            # A part keeps what the whole asks: its region, and whether it wants amounts ("…一共多少").
            asked = read.intents | (u.intents & AMOUNT_INTENTS)
            read = dataclasses.replace(read, regions=read.regions or u.regions, intents=asked)
            hits = self._prefer_rules(read, self._hits(read))
            if not hits or hits[0].clause_id in found:
                continue
            # A part asking an amount is settled by a rule that fits it, as a whole question would be.
            said = self._said(read)
            rules = self.rules.for_clause(hits[0].clause_id)
            fits = read.has(*AMOUNT_INTENTS) and fit(rules, read, said, self.vocab.derived)
            if fits or on_its_own or self._sure(read, hits, self.clause(hits[0].clause_id)):
                found.append(hits[0].clause_id)
        return found if len(found) >= 2 else []

    def _answer_several(
        self,
        question: str,
        u: Understanding,
        clause_ids: list[str],
        carried: dict[str, Carried] | None = None,
        pending: Pending | None = None,
    ) -> tuple[Answer, Pending]:
        """Each measure computed (rules carried from earlier turns first), then the total."""
        said = self._said(u)
        # What each one is (鲁科贷、鲁科担分别是什么): quoted, not computed with a request for inputs.
        amounts = u.has("calc", "total", "parameter") or any(q.role for q in u.quantities)
        measures: list[tuple[Clause, Rule | None, Binding | None]] = []
        for rule_id, before in (carried or {}).items():
            rule = self.rules.get(rule_id)
            measures.append((self.clause(rule.clause_id), rule, bind(rule, u, self.vocab, before, self.facts)))
        for clause_id in clause_ids:
            if any(c.id == clause_id for c, _, _ in measures):
                continue
            clause = self.clause(clause_id)
            rules = self.rules.for_clause(clause_id)
            scores = self.index.sentence_scores(clause, u.text)
            rule = pick_rule(clause, rules, u, scores, said, self.vocab.derived) if amounts else None
            if rule is None and rules and u.has("calc", "total"):
                rule = rules[0]  # asked for an amount: the clause's first provision
            measures.append((clause, rule, bind(rule, u, self.vocab, facts=self.facts) if rule else None))
        # Unstated, the asker is whom most of the measures asked about serve ("新落户的创投机构，投了…科技企业
        # …两项加起来": both rewards go to the 创投), before any subject the question merely names.
        served = Counter(r.recipient for _, r, _ in measures if r is not None).most_common(1)
        asker = (
            self._stated_asker(u)
            or (pending.asker if pending else None)
            or (served[0][0] if served else None)
            or self._asker(u)
        )
        answer, _ = self.writer.several(question, u, measures, asker, self.subjects)
        computed = [(r, b) for _, r, b in measures if r is not None and b is not None]
        dates = u.dates or (pending.dates if pending else ())
        party = u.party or (pending.party if pending else None)
        return answer, Pending(tuple(self._measure(r, b) for r, b in computed), dates, party)

    # -- deciding ----------------------------------------------------------------------------
    @staticmethod
    def _anchored(u: Understanding) -> bool:
        """The question names a corpus region (or a measure of one, 鲁科贷), or a clause."""
        return bool(u.regions or u.clause_id or u.doc_hint)

    def _evidence(self, u: Understanding, anchored: bool) -> bool:
        """Whether the question, its numbers set aside, shares a meaningful word with the corpus."""
        if anchored or any(t in u.text for t in self._terms):
            return True
        words = u.text
        for q in sorted(u.quantities, key=lambda q: -q.start):
            words = words[: q.start] + words[q.end :]
        return self.index.best_bm25(words) >= MIN_EVIDENCE

    def _policy_terms(self, text: str) -> list[str]:
        return [t for t in self._terms if t in text]

    def _fits_best(self, u: Understanding, hits: list[Hit], rule: Rule, said: str) -> bool:
        """An amount asked of a provision with an amount, which its words name better than any rule of the
        clauses ranked close behind does (科技企业上市给多少钱: the IPO subsidy of （十）, though （九） on
        listing ranks close behind)."""
        own = fit([rule], u, said, self.vocab.derived)
        close = [h for h in hits if h.clause_id != rule.clause_id and hits[0].score - h.score < SURE_MARGIN]
        rivals = [fit(self.rules.for_clause(h.clause_id), u, said, self.vocab.derived) for h in close]
        return rule.kind != NOT_STATED and own > 0 and all(own > r for r in rivals)

    def _sure(self, u: Understanding, hits: list[Hit], clause: Clause) -> bool:
        if any(t in u.text and t in clause.text for t in self._specific_terms):
            return True
        rivals = hits[1:]
        if hits and hits[0].doc_id in self._policy_docs and not u.has("law"):
            # A measure is weighed against the other measures: a law close behind is background, not a rival.
            rivals = [h for h in rivals if h.doc_id in self._policy_docs]
        return not rivals or hits[0].score - rivals[0].score >= SURE_MARGIN

    def _about_documents(self, u: Understanding) -> bool:
        """A question about a whole document (文号, issue date, issuers, validity), not one measure: no
        measure named, and no policy term beyond the words of a document's name."""
        if u.clause_number is not None or u.clause_id or any(t in u.text for t in self._specific_terms):
            return False
        if u.has("docmeta"):
            return True
        titles = "".join(name for name, _ in self._doc_names)  # 科技成果转化 in a title names the document
        topical = [t for t in self._policy_terms(u.text) if t not in titles]
        return u.has("validity") and not u.has("calc") and not topical  # 有没有有效期 asks for no amount

    def _documents_named(self, u: Understanding) -> list[Document]:
        """The documents a question is about: named by title or 文号; else, per region named, its policy
        measures (规范性文件) if it has any; else the policy measures of the whole corpus."""
        docs = self.index.corpus.documents
        titled = self._titled(u) or [d for d in docs if _hinted(d, u.doc_hint)]
        if titled:
            return titled
        regional = [d for d in docs if any(r in d.region for r in u.regions)] or list(docs)
        return [d for d in regional if d.doc_type == POLICY_TYPE] or regional

    def _titled(self, u: Understanding) -> list[Document]:
        """Documents the question names by title ("中小企业促进法第十七条")."""
        found: list[Document] = []
        for name, doc in self._doc_names:
            if name in u.text and doc not in found:
                found.append(doc)
        return found

    def _hits(self, u: Understanding, region: str | None = None, text: str | None = None) -> list[Hit]:
        """Ranked clauses: within the one document the question names by title, else the one region it
        names (its policy measures first), else the corpus (its policy measures first)."""
        titled = self._titled(u)
        if region is None and len(u.regions) == 1:
            region = u.regions[0]
        query = text or u.search_text
        named = [t for t in self._specific_terms if len(t) >= NAMING_TERM_CHARS and t in query]
        if len(titled) == 1:
            return self._retrieve(query, Filters(doc_id=titled[0].id), named)
        hits = self._prefer_local(u, self._prefer_policy(u, self._retrieve(query, Filters(region=region), named)))
        if not named:
            return hits
        # A clause holding a measure's own name (鲁科贷) answers a question that names it.
        boosted = [(h.score + NAMED_BOOST * any(t in self.clause(h.clause_id).text for t in named), h) for h in hits]
        return [h for _, h in sorted(boosted, key=lambda p: -p[0])]

    def _prefer_policy(self, u: Understanding, hits: list[Hit]) -> list[Hit]:
        """Policy measures (规范性文件) rank ahead of laws on a close call, unless the question is about
        law ("依法", "条例", "注册资本"): users ask the assistant about support, laws are background."""
        if u.has("law"):
            return hits
        boosted = [(h.score + POLICY_BOOST * (h.doc_id in self._policy_docs), h) for h in hits]
        return [h for _, h in sorted(boosted, key=lambda p: -p[0])]

    def _prefer_local(self, u: Understanding, hits: list[Hit]) -> list[Hit]:
        """The documents of a city the question names (青岛的担保机构…) rank ahead of the province's on a
        close call: a city's own rules are what its enterprises ask about, the province's apply too."""
        local = {
            d.id
            for d in self.index.corpus.documents
            if d.region not in u.regions and any(city in d.region for city in u.localities)
        }
        if not local:
            return hits
        boosted = [(h.score + LOCAL_BOOST * (h.doc_id in local), h) for h in hits]
        return [h for _, h in sorted(boosted, key=lambda p: -p[0])]

    def _retrieve(self, query: str, filters: Filters, named: list[str]) -> list[Hit]:
        """Clause hits (numbered items only). In hybrid mode a decisive BM25 ranking is taken as it is,
        unless its first clause lacks a measure the question names: the dense query is then not run."""
        def items(hits: list[Hit]) -> list[Hit]:
            return [h for h in hits if self.clause(h.clause_id).kind in ANSWERING_KINDS]

        if self.mode == "hybrid":
            lexical = items(self.index.search(query, k=10, mode="bm25", filters=filters))
            first = self.clause(lexical[0].clause_id).text if lexical else ""
            if self.index.bm25_decisive(lexical) and all(t in first for t in named):
                top = lexical[0].score
                return [dataclasses.replace(h, score=round(h.score / top, 4)) for h in lexical]
        return items(self.index.search(query, k=10, mode=self.mode, filters=filters))

    def _prefer_rules(self, u: Understanding, hits: list[Hit]) -> list[Hit]:
        """A question asking for an amount, or giving numbers a rule takes, goes to the clause whose rule
        fits it best (numbers taken, then trigger words) among those ranked close behind the first
        (上市…奖多少: the IPO subsidy, not the listing clause)."""
        if not hits or not (u.has("calc", "parameter") or any(q.role for q in u.quantities)):
            return hits
        hits = [*hits, *self._takers_outside(u, hits)]
        said = self._said(u)
        fits = [fit(self.rules.for_clause(h.clause_id), u, said, self.vocab.derived) for h in hits]
        taken = [fit(self.rules.for_clause(h.clause_id), u, "", self.vocab.derived) for h in hits]
        # Numbers a rule takes are strong evidence wherever the clause ranks; trigger words only nearby.
        reach = [
            i
            for i, h in enumerate(hits)
            if taken[i] or (i < RULE_RERANK_DEPTH and hits[0].score - h.score <= RULE_RERANK_GAP)
        ]
        best = max(reach, key=lambda i: (fits[i], -i))
        if fits[best] == 0 or best == 0:
            return hits
        return [hits[best], *(h for h in hits if h is not hits[best])]

    def _takers_outside(self, u: Understanding, hits: list[Hit]) -> list[Hit]:
        """Clauses retrieval missed whose rule several of the question's numbers fill (月息3‰，借了100万一年:
        principal, rate and term make an interest the 贴息 rule takes, though no word of the clause is said)."""
        ranked = {h.clause_id for h in hits}
        regions = set(u.regions)
        found: list[Hit] = []
        for rule in self.rules.rules:
            clause = self.clause(rule.clause_id)
            elsewhere = regions and self.index.corpus.document(clause.doc_id).region not in regions
            if rule.clause_id in ranked or elsewhere:
                continue
            if len(roles_complete(rule, u, self.vocab.derived)) >= TAKER_MIN_ROLES:
                ranked.add(rule.clause_id)
                start = max(clause.text.find(rule.quote), 0)
                found.append(Hit(clause.id, clause.doc_id, 0.0, rule.quote, (start, start + len(rule.quote)), ()))
        return found

    def _said(self, u: Understanding) -> str:
        """The question and the policy words its everyday words stand for (北交所上市 → 首次公开发行)."""
        return f"{u.text} {' '.join(self.index.analyzer.expansions(u.text))}"

    def _named_clause(self, u: Understanding) -> Clause | None:
        named = self._clauses_named(u)
        return named[0] if len(named) == 1 else None  # several (第三条 of both documents): retrieval decides

    def _clauses_named(self, u: Understanding, region: str | None = None, doc_id: str | None = None) -> list[Clause]:
        corpus = self.index.corpus
        if u.clause_id and corpus.has_clause(u.clause_id):
            return [corpus.clause(u.clause_id)]
        if u.clause_number is None:
            return []
        titled = self._titled(u)
        docs = [
            d
            for d in (titled or corpus.documents)
            if (doc_id is None or d.id == doc_id)
            and (region is None or region in d.region)
            and (not u.regions or any(r in d.region for r in u.regions))
            and (u.doc_hint is None or _hinted(d, u.doc_hint))
        ]
        if not titled and u.doc_hint is None and doc_id is None:  # 山东…第二十条: its policy measures first
            docs = [d for d in docs if d.doc_type == POLICY_TYPE] or docs
        return [c for d in docs for c in d.clauses if c.number == u.clause_number]

    # -- answering ---------------------------------------------------------------------------
    def _pending(self, rule: Rule, binding: Binding, u: Understanding) -> Pending:
        """Kept even when complete: a later turn may add a fact ("不过有两期逾期了")."""
        return Pending((self._measure(rule, binding),), u.dates, u.party)

    @staticmethod
    def _measure(rule: Rule, binding: Binding) -> Measure:
        asked = (*calculate(rule, binding.values).missing, *binding.wanting)
        return Measure(rule.id, rule.clause_id, Carried(dict(binding.values), dict(binding.roles), tuple(asked)))

    def _continue(self, question: str, u: Understanding, pending: Pending) -> tuple[Answer, Pending] | None:
        """The turn adds to the pending calculation(s): a missing number, a fact, a date, a party, a
        request for the total, or one more measure asked together with the total."""
        texts = [self.clause(m.clause_id).text for m in pending.measures]
        others = [t for t in self._naming_terms() if t in u.text and not any(t in text for text in texts)]
        if others and not u.has("total"):
            return None  # a term naming another measure (鲁科保 while computing 鲁科贷) starts a new topic
        sibling = None if others or u.has("total") else self._sibling_asked(question, u, pending)
        if sibling is not None:
            return sibling
        # Asked for the total, the measures of earlier turns count too (鲁科贷 computed, then 鲁科担: 总共多少).
        measures = (*pending.earlier, *pending.measures) if u.has("total") else pending.measures
        carried = {m.rule_id: m.carried for m in measures}
        bindings = {r: bind(self.rules.get(r), u, self.vocab, c, self.facts) for r, c in carried.items()}
        changed = any(
            b.unclear
            or any(carried[r].inputs.get(k) != v for k, v in b.values.items())
            or any(carried[r].roles.get(k) != v for k, v in b.roles.items())
            for r, b in bindings.items()
        )
        if not changed and not others and not (u.has("total") and len(carried) > 1):
            return None
        if len(carried) == 1 and not others:
            (rule_id, binding), = bindings.items()
            rule = self.rules.get(rule_id)
            dates, party = u.dates or pending.dates, u.party or pending.party
            answer, _ = self.writer.calculation(question, u, rule, binding, dates, party, 1.0)
            return answer, Pending((self._measure(rule, binding),), dates, party)
        added = self._measures_named(u, self._hits(u)) if others else []
        return self._answer_several(question, u, added, carried, pending)

    def _only_describes(self, u: Understanding) -> bool:
        """The question is a self-description and nothing else."""
        rest = u.text
        for phrase in (*self.facts.descriptions(u.text), *self.vocab.self_markers):
            rest = rest.replace(phrase, "")
        return not re.sub(r"[\W_]", "", rest)

    def _sibling_asked(self, question: str, u: Understanding, pending: Pending) -> tuple[Answer, Pending] | None:
        """Another provision of the clause being computed, named by its trigger words ("如果代偿了呢" after the
        鲁科担 fee subsidy): computed with what earlier turns gave, the numbers and facts it shares."""
        if len(pending.measures) != 1:
            return None
        (measure,) = pending.measures
        own = self.reader.read(question)  # this turn's words, not the earlier turns it may be read with
        said = self._said(own)
        siblings = [r for r in self.rules.for_clause(measure.clause_id) if r.id != measure.rule_id]
        named = [r for r in siblings if any(w in said for w in r.triggers)]
        current = self.rules.get(measure.rule_id)
        if len(named) != 1 or any(w in said for w in current.triggers):
            return None
        rule = named[0]
        shared = {s.name for s in rule.inputs}
        inputs = {k: v for k, v in measure.carried.inputs.items() if k in shared}
        binding = bind(rule, u, self.vocab, Carried(inputs, measure.carried.roles), self.facts)
        dates, party = u.dates or pending.dates, u.party or pending.party
        answer, _ = self.writer.calculation(question, u, rule, binding, dates, party, 1.0)
        return answer, Pending((self._measure(rule, binding),), dates, party)

    def _uncertain(self, question: str, u: Understanding, hits: list[Hit]) -> Answer:
        picks = []
        for hit in hits[:UNCERTAIN_PICKS]:
            clause = self.clause(hit.clause_id)
            picks.append((clause, "".join(self.writer.quotes(clause, u.text)), hit.score))
        return self.writer.uncertain(question, u, picks)

    def _topic_not_in_region(self, u: Understanding) -> Verdict | None:
        """A measure (贴息, 保费补贴: a trigger word of a rule) asked of a region whose documents are laws
        and regulations only and never name it (上海…贴息): say plainly that they do not cover it, and
        offer the region's nearest clause as related."""
        if not u.regions or self._titled(u):
            return None
        docs = [d for d in self.index.corpus.documents if any(r in d.region for r in u.regions)]
        said = self._said(u)
        terms = [t for t in self._measure_words if t in said]
        if not docs or any(d.doc_type == POLICY_TYPE for d in docs) or not terms:
            return None
        if any(t in d.text for t in terms for d in docs):
            return None
        where = "、".join(u.regions)
        said = "、".join(terms)
        titles = "、".join(d.cited_as for d in docs)
        return Verdict("not_covered", f"收录的{where}文件（{titles}）未涉及所问事项（{said}）", True)

    def _declined(self, question: str, u: Understanding, verdict: Verdict, nearest: Hit | None = None) -> Answer:
        related = []
        if nearest is not None:
            clause = self.clause(nearest.clause_id)
            related.append((clause, "".join(self.writer.quotes(clause, u.text)), nearest.score))
        elif verdict.related:
            topic = self._without_places(u)
            hits = self._hits(u, text=topic) if topic else []
            if hits:
                clause = self.clause(hits[0].clause_id)
                related.append((clause, "".join(self.writer.quotes(clause, topic)), hits[0].score))
        return self.writer.declined(question, verdict, related)

    def _without_places(self, u: Understanding) -> str:
        """The question less the words naming regions (山东, 内蒙古, 两地, 宜昌): filters and scope do their job."""
        text = u.text
        words = {w for r, ws in self.vocab.regions.items() for w in (r, *ws)} | set(self.vocab.both_regions)
        words |= {p.name for p in u.places}
        for word in sorted(words, key=len, reverse=True):
            text = text.replace(word, "")
        return text.strip()

    def _compare(self, question: str, u: Understanding) -> Answer | None:
        """The best clause of each region compared (两地: the regions of the policy documents)."""
        picks: list[tuple[Clause, Hit]] = []
        topic = self._without_places(u) or u.text
        for region in u.regions or self.vocab.regions:
            hits = self._hits(u, region=region, text=topic)
            # Regions are compared by their measures; laws only when the question is about law or no
            # measure of the region answers it.
            measures = [h for h in hits if h.doc_id in self._policy_docs]
            hits = hits if u.has("law") else measures or hits
            if hits:
                picks.append((self.clause(hits[0].clause_id), hits[0]))
        if len(picks) < 2:
            return None
        return self.writer.comparison(question, u, picks)


def _names_of(doc: Document) -> set[str]:
    names = {doc.title, doc.title.removeprefix(CHINA), doc.short_title}
    return {n for n in names if len(n) >= DOC_NAME_CHARS}


def _hinted(doc: Document, hint: str | None) -> bool:
    """Whether a 文号 fragment the question gives ("155号") is part of the document's 文号."""
    return bool(hint and doc.doc_number and hint in doc.doc_number)


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


def _named_hit(clause: Clause) -> Hit:
    first = clause.sentences[1] if len(clause.sentences) > 1 else clause.sentences[0]
    return Hit(clause.id, clause.doc_id, 1.0, first.text, (first.start, first.end), ())
