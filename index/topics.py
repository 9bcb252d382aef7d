"""Everyday phrases for clauses (``corpus/topics/<doc id>.toml``): document expansion for retrieval.

Users describe their problem ("借钱的利息能报销吗"), not the clause ("贴息"). Each clause may list
phrases in their words; they are indexed as an extra chunk of the clause, so a hit on them finds the
clause. They are never quoted and may hold no digits, so no figure can come from them.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path

from index.corpus import Corpus
from index.errors import CorpusError

TOPICS_DIR = "topics"
_DIGIT = re.compile(r"\d|[零一二两三四五六七八九十百千万亿]+(?:万|亿|元|%|倍)")


def load_topics(corpus_dir: Path, corpus: Corpus) -> dict[str, tuple[str, ...]]:
    """Clause id → phrases, from every topics file; all-or-nothing, a ``CorpusError`` names the file."""
    topics: dict[str, tuple[str, ...]] = {}
    for path in sorted((corpus_dir / TOPICS_DIR).glob("*.toml")):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
            raise CorpusError(f"{path}: cannot read topics ({err})") from None
        for clause_id, entry in data.items():
            topics[clause_id] = _phrases(path, clause_id, entry, corpus)
    return topics


def _phrases(path: Path, clause_id: str, entry: object, corpus: Corpus) -> tuple[str, ...]:
    if not corpus.has_clause(clause_id):
        raise CorpusError(f"{path}: no clause '{clause_id}' in the corpus")
    phrases = entry.get("phrases") if isinstance(entry, Mapping) else None
    if not isinstance(entry, Mapping) or set(entry) != {"phrases"} or not isinstance(phrases, list):
        raise CorpusError(f"{path}: '{clause_id}' must hold only a list 'phrases'")
    for phrase in phrases:
        if not isinstance(phrase, str) or not phrase.strip():
            raise CorpusError(f"{path}: '{clause_id}' has an empty or non-text phrase")
        if _DIGIT.search(phrase):
            raise CorpusError(f"{path}: '{clause_id}' phrase “{phrase}” holds a figure (figures come from the text)")
    return tuple(phrases)
