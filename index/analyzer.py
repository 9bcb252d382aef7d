"""Chinese text analysis shared by indexing and querying: jieba with the policy lexicon,
synonym expansion, stopwords.

Importing this module prints nothing and loads no dictionary; the first ``Analyzer`` does,
keeping jieba's cache in the project's cache folder.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jieba

from index.errors import CorpusError

LEXICON_DIR = "lexicon"
_LEXICON_FILES = ("terms.txt", "synonyms.toml", "stopwords.txt")
_WORDLIKE = re.compile(r"\w")  # a token with no letter, digit or CJK character is punctuation
# jieba splits at brackets, so "首台（套）" is analysed as "首台套".
_BRACKETS = re.compile(r"[（）()]")

# A first character that negates the rest of a term (非上市, 无担保): grammar, not vocabulary.
_NEGATING = frozenset("非无未不")
_TERM_FREQ = 20000  # high enough that a lexicon term is kept whole
# jieba's main dictionary without its rarest words (frequency < 5: 61% of 349k entries) loads in a
# third of the time, and the policy terms come from our lexicon anyway. Measured: eval accuracy
# unchanged (see the retrieval issue note); cold start about 0.9 s shorter on this machine.
MAIN_DICT_MIN_FREQ = 5

SEPARATED_GAP = 3  # 贴多少息, 贴了多少息: the most characters a separated word holds between its parts
_PUNCTUATION = re.escape("，。、；：？！,.;:?!（）()“”\"'")

jieba.setLogLevel(logging.WARNING)


@dataclass(frozen=True)
class Lexicon:
    terms: tuple[str, ...]
    synonyms: dict[str, tuple[str, ...]]  # everyday word → policy words
    stopwords: frozenset[str]
    fingerprint: str = field(compare=False)
    # A word said apart (贴多少息 is 贴息): the pattern of its parts with words between, → policy words.
    separated: tuple[tuple[re.Pattern[str], str], ...] = ()


def load_lexicon(corpus_dir: Path) -> Lexicon:
    folder = corpus_dir / LEXICON_DIR
    digest = hashlib.sha256()
    for name in _LEXICON_FILES:
        path = folder / name
        if not path.is_file():
            raise CorpusError(f"{path}: lexicon file missing")
        digest.update(path.read_bytes())
    digest.update(f"main dictionary min frequency {MAIN_DICT_MIN_FREQ}".encode())
    terms = tuple(_lines(folder / "terms.txt"))
    try:
        table = tomllib.loads((folder / "synonyms.toml").read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise CorpusError(f"{folder / 'synonyms.toml'}: {err}") from None
    synonyms: dict[str, list[str]] = {}
    separated: list[tuple[re.Pattern[str], str]] = []
    for policy_word, everyday in table.items():
        if not isinstance(everyday, list) or not all(isinstance(w, str) for w in everyday):
            raise CorpusError(f"{folder / 'synonyms.toml'}: '{policy_word}' must list words")
        for word in everyday:
            if "…" in word:
                separated.append((_apart(word), policy_word))
            else:
                synonyms.setdefault(word, []).append(policy_word)
    stopwords = frozenset(_lines(folder / "stopwords.txt"))
    fingerprint = digest.hexdigest()[:16]
    return Lexicon(terms, {k: tuple(v) for k, v in synonyms.items()}, stopwords, fingerprint, tuple(separated))


def _apart(pattern: str) -> re.Pattern[str]:
    """贴…息: the parts with one to three characters between them, none a punctuation mark (the parts said
    together are the word itself, which the synonyms or the text already hold)."""
    between = rf"[^\s{_PUNCTUATION}]{{1,{SEPARATED_GAP}}}"
    return re.compile(between.join(re.escape(p) for p in pattern.split("…")))


def _main_dictionary(cache_dir: Path) -> Path:
    """jieba's dictionary less its rarest words, written once into the cache folder."""
    path = cache_dir / f"jieba-main-min{MAIN_DICT_MIN_FREQ}.txt"
    if not path.is_file():
        source = Path(jieba.__file__).with_name("dict.txt")
        kept = [
            line
            for line in source.read_text(encoding="utf-8").splitlines(keepends=True)
            if int(line.split()[1]) >= MAIN_DICT_MIN_FREQ
        ]
        tmp = path.with_suffix(f".tmp-{os.getpid()}")
        tmp.write_text("".join(kept), encoding="utf-8")
        os.replace(tmp, path)
    return path


def _lines(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise CorpusError(f"{path}: not UTF-8 text") from None
    return [line.split()[0] for line in text.splitlines() if line.strip() and not line.startswith("#")]


class Analyzer:
    """Turns text into search tokens; the same callable serves BM25 indexing and queries."""

    def __init__(self, lexicon: Lexicon, cache_dir: Path) -> None:
        self.lexicon = lexicon
        cache_dir.mkdir(parents=True, exist_ok=True)
        self._jieba = jieba.Tokenizer(dictionary=str(_main_dictionary(cache_dir)))
        self._jieba.tmp_dir = str(cache_dir)
        self._jieba.cache_file = f"jieba-min{MAIN_DICT_MIN_FREQ}.cache"
        self._jieba.initialize()
        for word in {*lexicon.terms, *lexicon.synonyms, *(w for ws in lexicon.synonyms.values() for w in ws)}:
            self._jieba.add_word(_BRACKETS.sub("", word), freq=_TERM_FREQ)
        # One question is segmented by several stages (scope, retrieval, routing): segment it once.
        self._segmented = functools.lru_cache(maxsize=4096)(self._segment)
        self._negating_terms = tuple(t for t in lexicon.terms if t[0] in _NEGATING)  # 非上市, 无担保

    @functools.cached_property
    def _tagger(self) -> Any:
        import jieba.posseg  # 0.3 s of import (its HMM tables): paid by the first question that needs it

        return jieba.posseg.POSTokenizer(self._jieba)  # reads the tags of the dictionary already loaded

    def part_of_speech(self, word: str) -> str:
        """jieba's part-of-speech flag of a dictionary word (房租 n, 省里 s, 还给 v); "" for none."""
        return next((w.flag for w in self._tagger.cut(word)), "")

    def tagged(self, text: str) -> list[tuple[str, str]]:
        """The words of ``text`` with jieba's part-of-speech flags (泰山 ns, 人才 n, 工程 n)."""
        return [(w.word, w.flag) for w in self._tagger.cut(text)]

    def is_word(self, text: str) -> bool:
        """Whether the dictionary knows ``text`` as a word (spelling correction: 报废 is a word, 路科贷 is not)."""
        return self._jieba.FREQ.get(text, 0) > 0

    def words(self, text: str) -> list[str]:
        """Segmented words, stopwords and punctuation removed, no synonym expansion."""
        return list(self._segmented(text))

    def _segment(self, text: str) -> tuple[str, ...]:
        return tuple(
            w
            for w in (t.strip().lower() for t in self._jieba.cut_for_search(_BRACKETS.sub("", text)))
            if w and _WORDLIKE.search(w) and w not in self.lexicon.stopwords
        )

    def __call__(self, text: str) -> list[str]:
        """Search tokens: the words, each followed by the policy words it stands for, then the policy words
        said apart (贴多少息)."""
        tokens: list[str] = []
        for word in self.words(text):
            tokens.append(word)
            tokens += self.lexicon.synonyms.get(word, ())
        return tokens + self._said_apart(text)

    def _said_apart(self, text: str) -> list[str]:
        return list(dict.fromkeys(word for pattern, word in self.lexicon.separated if pattern.search(text)))

    def expansions(self, text: str) -> list[str]:
        """The policy words the text's everyday words stand for (for the dense query)."""
        found: list[str] = []
        # A word negated inside a policy term stands for nothing: 非上市 is no 上市, so no 首次公开发行.
        negating = [t for t in self._negating_terms if t in text]
        for word in self.words(text):
            inside = sum(text.count(t) for t in negating if t[1:] == word)
            if inside and text.count(word) == inside:
                continue
            for policy_word in self.lexicon.synonyms.get(word, ()):
                if policy_word not in found and policy_word not in text:
                    found.append(policy_word)
        return found + [w for w in self._said_apart(text) if w not in found and w not in text]
