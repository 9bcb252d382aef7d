"""Questions typed in Latin letters: pinyin with the input method off ("lukedai jiekuan 1000wan tiexi
duoshao"), or English words (loan, interest subsidy: corpus/lexicon/intents.toml [english]).

A run of Latin letters is read as Chinese only when it spells, syllable for syllable and toneless, a
sequence of words the assistant knows (its terms and the words of its vocabularies), each of two
characters or more: "lukedai" → 鲁科贷, "nianlilv" → 年利率, and syllables typed apart ("lu ke dan bu tie")
are joined where they make such words. A word that does not divide into them (IPO, VC, LPR, an English
word, a lone syllable such as "ma") is left as typed. A figure followed by a spelt unit ("1000wan")
takes the unit's character. Only a question mostly in Latin letters is read this way: a Chinese question
quoting "IPO" keeps it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from pypinyin import lazy_pinyin

from assistant.spelling import Correction

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LETTERS = re.compile(r"[A-Za-z]+(?: +[A-Za-z]+)*")  # words of letters, typed apart or not
_SYLLABLE_AFTER = re.compile(r"([\u4e00-\u9fff])([A-Za-z]{1,6})(?![A-Za-z])")  # 天qi: a character, then letters
_FIGURE_UNIT = re.compile(r"(\d+(?:\.\d+)?) ?([A-Za-z]+)\b")
LATIN_SHARE = 0.5  # a question is pinyin-typed when at least this share of its letters are Latin


class PinyinReader:
    """Reads pinyin-typed questions with the words the assistant knows; ``units`` spell figures' units
    (wan → 万)."""

    def __init__(self, words: Iterable[str], units: Mapping[str, str], english: Mapping[str, str]) -> None:
        self._words: dict[str, str] = {}  # toneless pinyin, joined → the word (the longest first)
        for word in sorted(set(words), key=len, reverse=True):
            if len(word) >= 2 and all(_CJK.match(c) for c in word):
                self._words.setdefault("".join(lazy_pinyin(word)), word)
        self._units = dict(units)
        # English words, longest first; "at #" is "at" before a figure.
        self._english = [(_english_word(k), v) for k, v in sorted(english.items(), key=lambda kv: -len(kv[0]))]
        self._longest = max((len(k) for k in self._words), default=0)

    def read(self, text: str) -> tuple[str, tuple[Correction, ...]]:
        # English words are read wherever they stand (一支 size 10亿 的子基金, guidance fund 最多出资多少);
        # pinyin only in a mostly Latin question, where a run of letters is not a word of another language.
        corrections: list[Correction] = []
        for pattern, chinese in self._english:
            corrections += [Correction(m.group(), chinese) for m in pattern.finditer(text) if m.group() != chinese]
            text = pattern.sub(chinese, text)
        letters = [c for c in text if c.isalpha()]
        latin = sum(c.isascii() for c in letters)
        if not letters or latin < LATIN_SHARE * len(letters):
            text, slips = self._slipped(text)
            corrections += slips
            return (_joined(text) if corrections else text), tuple(corrections)

        def figure(m: re.Match[str]) -> str:
            unit = self._units.get(m.group(2).lower())
            return m.group(1) + unit if unit else m.group(0)

        def run(m: re.Match[str]) -> str:
            pieces = self._read_words(m.group().split())
            corrections.extend(Correction(typed, read) for typed, read in pieces if read is not None)
            out = ""
            for n, (typed, read) in enumerate(pieces):
                apart = n > 0 and (read is None or pieces[n - 1][1] is None)  # a word kept stays a word
                out += (" " if apart else "") + (typed if read is None else read)
            return out

        return _joined(_LETTERS.sub(run, _FIGURE_UNIT.sub(figure, text))), tuple(corrections)

    def _slipped(self, text: str) -> tuple[str, list[Correction]]:
        """A Chinese question with a word typed with the input method off ("申报 jie zhi 时间", "天qi"): a run
        of letters spelling known words is read as them, and a lone syllable right after a character as
        the known two-character word the two spell (天 + qi → 天气). Other letters (IPO, VC, risk) stay."""
        corrections: list[Correction] = []

        def run(m: re.Match[str]) -> str:
            typed = m.group()
            words = self._divide(typed.replace(" ", "").lower())
            if words is not None:
                corrections.append(Correction(typed, "".join(words)))
                return "".join(words)
            return typed

        text = _LETTERS.sub(run, text)

        def syllable(m: re.Match[str]) -> str:
            before, typed = m.group(1), m.group(2)
            word = self._words.get(lazy_pinyin(before)[0] + typed.lower())
            if word is None or len(word) != 2 or word[0] != before:
                return m.group()
            corrections.append(Correction(m.group(), word))
            return word

        return _SYLLABLE_AFTER.sub(syllable, text), corrections

    def _read_words(self, typed: list[str]) -> list[tuple[str, str | None]]:
        """Words typed apart, as (typed, read) pieces: consecutive words joined where together they spell
        known words, a word kept as typed (read None) where it spells none; the fewest kept, then pieces."""
        best: list[tuple[int, list[tuple[str, str | None]]] | None] = [(0, [])] + [None] * len(typed)
        for start in range(len(typed)):
            done = best[start]
            if done is None:
                continue
            for end in range(start + 1, len(typed) + 1):
                words = self._divide("".join(typed[start:end]).lower())
                if words is None and end > start + 1:
                    continue
                kept = done[0] + (words is None)
                piece = (" ".join(typed[start:end]), "".join(words) if words is not None else None)
                candidate = (kept, [*done[1], piece])
                current = best[end]
                if current is None or (candidate[0], len(candidate[1])) < (current[0], len(current[1])):
                    best[end] = candidate
        final = best[len(typed)]
        return final[1] if final is not None else [(t, None) for t in typed]

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


def _english_word(key: str) -> re.Pattern[str]:
    """A word between non-letters (a Chinese character beside it ends it too: guidance fund的)."""
    word = re.escape(key.removesuffix(" #"))
    return re.compile(rf"(?<![A-Za-z]){word}(?![A-Za-z])" + (r"(?=\s*\d)" if key.endswith(" #") else ""), re.IGNORECASE)


def _joined(text: str) -> str:
    """Words typed apart ("lukedai tiexi", "规模 10亿") are one phrase in Chinese."""
    return re.sub(r"(?<=[\u4e00-\u9fff\d%])\s+(?=[\u4e00-\u9fff\d])", "", text)
