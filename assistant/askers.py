"""Who is asking, and whether they ask what they may get: the subject a question says it is ("我们是创投
机构"), a self-description that asks for policy matching, a later turn that adds to the profile."""

from __future__ import annotations

import re

from assistant.facts import FactMatcher
from assistant.match import Profile
from assistant.quantities import PHRASE_END
from assistant.retrieve import Retriever
from assistant.rules import Rule
from assistant.subjects import Subjects
from assistant.understand import AMOUNT_INTENTS, SELF_WORDS, Understanding

OBJECT_BEFORE = ("给", "向", "帮", "替", "让", "为", "对", "和", "跟")  # 银行给我们放贷: 我们 is not the one acting


class Askers:
    def __init__(self, retriever: Retriever, subjects: Subjects, facts: FactMatcher) -> None:
        self.retriever = retriever
        self.vocab = retriever.vocab
        self.subjects = subjects
        self.facts = facts
        analyzer = retriever.index.analyzer
        self._subject_words = sorted({w for t in subjects.types.values() for w in t.words}, key=len, reverse=True)
        # Words naming what a question is about: the policy terms, the policy words of the synonyms and
        # everyday topic words, less those describing the subject (facts: 早期, 高企) and words of support (政策, 奖励).
        describing = {w for words in self.vocab.concepts.values() for w in words} | set(self.vocab.support_words)
        policy_words = {*retriever.terms, *(w for ws in analyzer.lexicon.synonyms.values() for w in ws)}
        self._topic_words = tuple(w for w in (*policy_words, *self.vocab.topic_words) if w not in describing)
        self._describing = describing

    def of(self, u: Understanding) -> str | None:
        """The subject the asker says it is, else the one the question names."""
        return self.stated(u) or self.subjects.named_as_asker(u.text)

    def stated(self, u: Understanding) -> str | None:
        """The subject the asker says it is ("我们是新迁入的创投，投了省内科技企业…": the 创投, not the
        enterprises it invested in)."""
        first_person = self.subjects.in_first_person(u.text)  # 以个人名义: whatever else the question describes
        described = (self.subjects.named_in(d) for d in self.facts.descriptions(u.text))
        return first_person or next((s for s in described if s), None) or self.acting_as(u)

    def for_a_client(self, u: Understanding, recipient: str, computing: bool = False) -> bool:
        """The asker (a bank, an insurer) asks what a measure gives the client it serves ("我们保险公司给一家
        科技企业承保了…能补多少"), not what it gets itself (我们能拿多少): the last phrase does not name it."""
        phrases = [p for p in PHRASE_END.split(u.text) if p.strip()]
        asked = computing or u.has(*AMOUNT_INTENTS)
        if not asked or not phrases or any(s in phrases[-1] for s in SELF_WORDS):
            return False
        named = self.subjects.named_as_object(u.text, recipient, OBJECT_BEFORE, SELF_WORDS)
        return named or self.subjects.names_client(u.text, recipient)

    def excluded(self, u: Understanding, rule: Rule, computing: bool = False) -> str | None:
        """Why the rule's money never reaches the asker, from what it says of itself: it is another kind of
        subject, or one a region's measure serves locally registered in another province. ``computing``: the
        turn continues a calculation, so it asks the amount without saying so (客户付了利息80万)."""
        recipient = rule.recipient
        if recipient is None:
            return None
        asker = self.stated(u)
        if asker is not None and not self.subjects.may_receive(asker, recipient):
            return None if self.for_a_client(u, recipient, computing) else f"本项给予{recipient}，您所述为{asker}"
        elsewhere = [p for p in u.registered_in if p != rule.region]
        if elsewhere and rule.region in self.vocab.regions and self.subjects.is_local(recipient):
            return f"本项支持{rule.region}的{recipient}，您所述在{elsewhere[0]}"
        return None

    def acting_as(self, u: Understanding) -> str | None:
        """The subject the asker calls itself right after 我们 (我们创投…), or whose act it says it does
        (我们给企业做的担保…: a guarantor); not one a longer self-description merely mentions."""
        return self.subjects.named_after(u.text, SELF_WORDS) or self.subjects.acting(u.text, SELF_WORDS, OBJECT_BEFORE)

    def profile_asked(self, u: Understanding) -> Profile | None:
        """A self-description asking what the asker may get ("我们是创投机构，在山东能拿哪些奖励？")."""
        subject = self.of(u)
        # A measure named, in the policy's words or in everyday ones (北交所上市 → 首次公开发行), is the topic.
        said = self.retriever.said(u)
        asked = u.has("match") or self.only_describes(u)  # "我们是做软件的科技型中小企业" alone asks it too
        if subject is None or not asked or any(t in said for t in self.retriever.naming_terms):
            return None
        if not self.subjects.served_anywhere(subject):  # 证券公司想在青岛设分公司: the laws' clauses answer
            return None
        named = self.retriever.documents_named(u) if self.retriever.titled(u) or u.doc_hint or u.regions else []
        if named and not any(self.subjects.covers(d.id) for d in named):
            return None  # 中小企业促进法 / 国家法律对孵化器有什么扶持: the laws' clauses, not the measures matched
        if self.stated(u) is None and self.names_topic(u):  # 科技型企业发债融资有什么支持: about 发债
            return None
        regions = set(u.regions) or {d.region for d in named}  # 155号文有哪些奖励: 山东's
        region = regions.pop() if len(regions) == 1 else None
        return Profile(subject, region, description=u.text, on=u.dates[0] if u.dates else None)

    def names_topic(self, u: Understanding) -> bool:
        """Beyond the subject, the question names what it is about: a policy word (发债, 担保 for 融资担保)
        other than the subject's own names, words describing it and words of support."""
        rest = u.text
        for word in self._subject_words:
            rest = rest.replace(word, "")
        said = [w for w in self._topic_words if w in rest]
        said += [w for w in self.retriever.index.analyzer.expansions(rest) if w not in self._describing]
        return bool(said)

    def adds_to_profile(self, u: Understanding, profile: Profile) -> bool:
        """A later turn states facts for the matched subject, without naming a measure or another subject."""
        other = self.subjects.named_in(u.text)
        if any(t in u.text for t in self.retriever.naming_terms) or (other and other != profile.subject):
            return False
        return bool(u.quantities) or any(w in u.text for ws in self.vocab.concepts.values() for w in ws)

    def only_describes(self, u: Understanding) -> bool:
        """The question is a self-description and nothing else."""
        rest = u.text
        for phrase in (*self.facts.descriptions(u.text), *self.vocab.self_markers):
            rest = rest.replace(phrase, "")
        return not re.sub(r"[\W_]", "", rest)
