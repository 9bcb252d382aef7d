"""Read noisy typing: spaced-out characters, homophones and pinyin-input slips of policy terms.

A run of three or more characters is read as a lexicon term (路科贷 → 鲁科贷, 天俊计划 → 天骏计划) when
its pinyin equals the term's, toneless and with the usual fuzzy-pinyin pairs folded (zh/z, ch/c, sh/s,
ang/an, eng/en, ing/in, n/l), or, for terms of four or more characters, is one slip from it in a final
with every initial kept (苏科贷 and 蒙科技 stay as typed); a three-character run must not cut a word
(the 行设立 of 银行设立 is no 新设立).
A two-character run must sound exactly like the term and stand as a word of its own (贴膝 → 贴息; not
the 行设 of 银行设立, nor 上是 of 金融上是怎么: a function character such as 是 is a word by itself).
No run that is itself a dictionary word (报废 is not 保费), or a function character beside a word (在|贷款 is
not 再贷款), or that shares too few characters with the term, is changed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pypinyin import lazy_pinyin
from rapidfuzz.distance import Levenshtein

_CJK = re.compile(r"[\u4e00-\u9fff]")
_CJK_SPACE = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
_FUZZY = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("ang", "an"), ("eng", "en"), ("ing", "in"))
_INITIALS = ("zh", "ch", "sh", *"bpmfdtnlgkhjqxrzcsyw")
SLIP_CHARS = 4  # shorter terms must sound exactly alike: one slip in three syllables is another word
WORD_REACH = 3  # a word running across a run's edge is looked for up to this many characters past it
# Spaced-out typing ("鲁 科 贷 8 0 万"): most characters stand alone between spaces.
_SPACED_SHARE = 0.3


@dataclass(frozen=True)
class Correction:
    typed: str
    term: str


class Speller:
    """Corrects runs of a question to lexicon terms by sound; ``is_word`` says what is a real word."""

    def __init__(
        self,
        terms: Iterable[str],
        is_word: Callable[[str], bool],
        function_chars: Iterable[str] = (),
        strict: Iterable[str] = (),
    ) -> None:
        """``strict``: more words, read only where a run sounds exactly like them (资询电话 → 咨询电话): everyday
        phrases (会不会变, 利率多少) are one fuzzy slip from many a question's words (会不会帮, 里拿多少)."""
        own = set(terms)
        self._strict = frozenset(t for t in strict if t not in own)
        self._is_word = is_word
        self._function_chars = frozenset(function_chars)
        self._sound: dict[str, str] = {}  # fuzzy-folded pinyin
        self._exact: dict[str, str] = {}  # plain toneless pinyin
        # (length, position, character) → terms: a run is compared only with terms it shares characters with.
        self._by_char: dict[tuple[int, int, str], list[str]] = {}
        for term in sorted({t for t in (*own, *self._strict) if len(t) >= 2 and all(_CJK.match(c) for c in t)}):
            self._exact[term] = " ".join(lazy_pinyin(term))
            self._sound[term] = " ".join(_fuzzy(p) for p in lazy_pinyin(term))
            for at, char in enumerate(term):
                self._by_char.setdefault((len(term), at, char), []).append(term)
        self._lengths = sorted({len(t) for t in self._sound}, reverse=True)

    def correct(self, text: str) -> tuple[str, tuple[Correction, ...]]:
        plain = [_pinyin(c) if _CJK.match(c) else "" for c in text]
        sounds = [_fuzzy(p) if p else "" for p in plain]
        corrections: list[Correction] = []
        out, i = [], 0
        while i < len(text):
            found = self._term_at(text, plain, sounds, i)
            overlap = None
            if found is not None and found == text[i : i + len(found)]:
                overlap = self._misspelt_tail(text, plain, sounds, i, found)
            if overlap is not None:  # 担保|费补帖: the misspelt 保费补贴 over the tail of 担保
                out.append(text[i:overlap])
                i = overlap
                continue
            if found and found != text[i : i + len(found)]:
                corrections.append(Correction(text[i : i + len(found)], found))
            out.append(found or text[i])
            i += len(found) if found else 1
        return "".join(out), tuple(dict.fromkeys(corrections))

    def _term_at(self, text: str, plain: list[str], sounds: list[str], i: int) -> str | None:
        for length in self._lengths:  # the longest term first
            typed = text[i : i + length]
            if len(typed) < length or not all(sounds[i : i + length]):
                continue
            if typed in self._sound:
                return typed
            shared: dict[str, int] = {}
            for at, char in enumerate(typed):
                for term in self._by_char.get((length, at, char), ()):
                    shared[term] = shared.get(term, 0) + 1
            if length == 2:
                exact = " ".join(plain[i : i + 2])
                near = [t for t in shared if self._exact[t] == exact]
                if (
                    near
                    and not self._is_word(typed)
                    and not self._changes_function_char(typed, near[0])
                    and not self._crosses_word(text, i, length)
                ):
                    return near[0]
                continue
            sound = " ".join(sounds[i : i + length])
            exact = " ".join(plain[i : i + length])
            near = [t for t, n in shared.items() if n * 2 >= length and self._sounds_like(sound, t)]
            near = [t for t in near if t not in self._strict or self._exact[t] == exact]
            short = length < SLIP_CHARS  # a three-character run may be the tail of a word: 银|行设立 is no 新设立
            if (
                len(near) == 1
                and not self._is_word(typed)
                and not (short and self._crosses_word(text, i, length))
                and not self._function_char_beside_word(typed, near[0])
            ):
                return near[0]
        return None

    def _misspelt_tail(self, text: str, plain: list[str], sounds: list[str], i: int, found: str) -> int | None:
        """Where a misspelt term starts inside the term ``found`` spelt right at ``i`` and runs past its end."""
        end = i + len(found)
        for j in range(i + 1, end):
            other = self._term_at(text, plain, sounds, j)
            if other and other != text[j : j + len(other)] and j + len(other) > end:
                return j
        return None

    def _sounds_like(self, sound: str, term: str) -> bool:
        """Equal folded pinyin, or, for a term of four or more characters, one slip in a final with every
        initial kept (苏科贷 is not 鲁科贷; 蒙科技 is not 蒙科聚)."""
        if sound == self._sound[term]:
            return True
        if len(term) < SLIP_CHARS:
            return False
        typed, wanted = sound.split(), self._sound[term].split()
        if any(_initial(a) != _initial(b) for a, b in zip(typed, wanted, strict=True)):
            return False
        return Levenshtein.distance(sound, self._sound[term], score_cutoff=1) <= 1

    def _changes_function_char(self, typed: str, term: str) -> bool:
        """Whether a character to change is a function character (在保 is "at 保", not 再保); one kept is
        no slip (上事 → 上市 keeps 上)."""
        return any(a != b and a in self._function_chars for a, b in zip(typed, term, strict=True))

    def _function_char_beside_word(self, typed: str, term: str) -> bool:
        """Whether the one character to change is a function character standing before or after a word:
        在|贷款 is "at the loan", not 再贷款."""
        changed = [at for at, (a, b) in enumerate(zip(typed, term, strict=True)) if a != b]
        if len(changed) != 1 or typed[changed[0]] not in self._function_chars:
            return False
        rest = typed[1:] if changed[0] == 0 else typed[:-1] if changed[0] == len(typed) - 1 else ""
        return bool(rest) and self._is_word(rest)

    def _crosses_word(self, text: str, i: int, length: int) -> bool:
        """Whether a dictionary word runs across either edge of ``text[i : i + length]`` (银|行设, 有|小规模)."""
        end = i + length
        left = any(self._is_word(text[j : i + 1]) for j in range(max(0, i - WORD_REACH), i))
        right = any(self._is_word(text[end - 1 : k]) for k in range(end + 1, min(len(text), end + WORD_REACH) + 1))
        return left or right


def unspace(text: str) -> str:
    """Drop the spaces a user typed between characters (鲁 科 贷 → 鲁科贷)."""
    compact = text.split()
    if len(compact) > 2 and sum(len(w) == 1 for w in compact) > _SPACED_SHARE * len(compact) * 2:
        return "".join(compact)
    return _CJK_SPACE.sub("", text)


@functools.lru_cache(maxsize=8192)
def _pinyin(char: str) -> str:
    return lazy_pinyin(char)[0]


def _initial(syllable: str) -> str:
    return next((syllable[: len(i)] for i in _INITIALS if syllable.startswith(i)), "")


def _fuzzy(syllable: str) -> str:
    for a, b in _FUZZY:
        syllable = syllable.replace(a, b)
    return syllable.replace("n", "l") if syllable.startswith("n") else syllable
