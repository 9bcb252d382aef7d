"""Questions typed in pinyin, the input method off ("lukedai jiekuan 1000wan tiexi duoshao").

A run of Latin letters is read as Chinese only when it spells, syllable for syllable and toneless, a
sequence of words the assistant knows (its terms and the words of its vocabularies), each of two
characters or more: "lukedai" → 鲁科贷, "nianlilv" → 年利率. A run that does not divide wholly into such
words (IPO, VC, LPR, an English word) is left as typed. A figure followed by a spelt unit ("1000wan")
takes the unit's character. Only a question mostly in Latin letters is read this way: a Chinese question
quoting "IPO" keeps it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from pypinyin import lazy_pinyin

from assistant.spelling import Correction

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LETTERS = re.compile(r"[A-Za-z]+")
_FIGURE_UNIT = re.compile(r"(\d+(?:\.\d+)?)([A-Za-z]+)\b")
LATIN_SHARE = 0.5  # a question is pinyin-typed when at least this share of its letters are Latin


class PinyinReader:
    """Reads pinyin-typed questions with the words the assistant knows; ``units`` spell figures' units
    (wan → 万)."""

    def __init__(self, words: Iterable[str], units: Mapping[str, str]) -> None:
        self._words: dict[str, str] = {}  # toneless pinyin, joined → the word (the longest first)
        for word in sorted(set(words), key=len, reverse=True):
            if len(word) >= 2 and all(_CJK.match(c) for c in word):
                self._words.setdefault("".join(lazy_pinyin(word)), word)
        self._units = dict(units)
        self._longest = max((len(k) for k in self._words), default=0)

    def read(self, text: str) -> tuple[str, tuple[Correction, ...]]:
        letters = [c for c in text if c.isalpha()]
        latin = sum(c.isascii() for c in letters)
        if not letters or latin < LATIN_SHARE * len(letters):
            return text, ()
        corrections: list[Correction] = []

        def figure(m: re.Match[str]) -> str:
            unit = self._units.get(m.group(2).lower())
            return m.group(1) + unit if unit else m.group(0)

        def run(m: re.Match[str]) -> str:
            words = self._divide(m.group().lower())
            if words is None:
                return m.group()
            corrections.append(Correction(m.group(), "".join(words)))
            return "".join(words)

        read = _LETTERS.sub(run, _FIGURE_UNIT.sub(figure, text))
        # Words typed apart ("lukedai tiexi") are one phrase in Chinese.
        read = re.sub(r"(?<=[\u4e00-\u9fff\d%])\s+(?=[\u4e00-\u9fff\d])", "", read)
        return read, tuple(corrections)

    def _divide(self, run: str) -> list[str] | None:
        """The run as the fewest known words, or None when it is not wholly made of them."""
        best: list[list[str] | None] = [[]] + [None] * len(run)
        for end in range(1, len(run) + 1):
            for start in range(max(0, end - self._longest), end):
                before, word = best[start], self._words.get(run[start:end])
                if before is not None and word is not None:
                    candidate = [*before, word]
                    if best[end] is None or len(candidate) < len(best[end] or ()):
                        best[end] = candidate
        return best[len(run)]
