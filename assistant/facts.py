"""Facts by meaning: a self-description compared with the words of fact concepts.

Where a question says none of the words of a yes/no input's concepts, but describes the asker
("我们是做房地产开发的"), the description is embedded and compared with each concept word that affirms
the input (its cues) and each that denies it (its no-cues). It decides only when one side is clearly
nearer: e5 similarities crowd together (0.90–0.99), so both a floor and a margin are required, and a
description near neither side leaves the fact to be confirmed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

from assistant.quantities import PHRASE_END
from assistant.rules import InputSpec
from assistant.vocab import Vocabulary

# Measured on tests/data/self_descriptions.toml (see tests/test_facts.py): at these values no
# description is decided the wrong way.
SIMILAR_ENOUGH = 0.95
CLEARLY_NEARER = 0.02
_MAX_PHRASE = 16

Embed = Callable[[Sequence[str]], np.ndarray]  # texts → unit row vectors


class FactMatcher:
    """Decides yes/no inputs from a self-description when no concept word is said."""

    def __init__(self, vocab: Vocabulary, embed: Embed, embed_concepts: Embed) -> None:
        """``embed_concepts`` embeds concept words (cached on disk: they are the same every run)."""
        self.vocab = vocab
        self._embed = embed
        self._embed_concepts = embed_concepts
        self._vectors: dict[str, np.ndarray] = {}

    def descriptions(self, text: str) -> list[str]:
        """The phrases after 我们是 / 我司是 …, each up to the next punctuation."""
        found = []
        for marker in self.vocab.self_markers:
            for m in re.finditer(re.escape(marker), text):
                phrase = PHRASE_END.split(text[m.end() : m.end() + _MAX_PHRASE], maxsplit=1)[0].strip()
                if len(phrase) >= 2 and phrase not in found:
                    found.append(phrase)
        return found

    def judge(self, spec: InputSpec, descriptions: Sequence[str]) -> bool | None:
        yes = self._words(spec.cues)
        no = self._words(spec.no_cues)
        if not descriptions or not yes or not no:
            return None
        phrases = self._vectors_of(descriptions, self._embed)
        near_yes = float((phrases @ self._vectors_of(yes, self._embed_concepts).T).max())
        near_no = float((phrases @ self._vectors_of(no, self._embed_concepts).T).max())
        if near_no >= SIMILAR_ENOUGH and near_no - near_yes >= CLEARLY_NEARER:
            return False
        if near_yes >= SIMILAR_ENOUGH and near_yes - near_no >= CLEARLY_NEARER:
            return True
        return None

    def _words(self, cues: Sequence[str]) -> list[str]:
        """Only concept words count: a description is compared with what a concept means."""
        return [w for c in cues if c.startswith("@") for w in self.vocab.concepts.get(c[1:], ())]

    def _vectors_of(self, texts: Sequence[str], embed: Embed) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            self._vectors.update(zip(missing, embed(missing), strict=True))
        return np.stack([self._vectors[t] for t in texts])
