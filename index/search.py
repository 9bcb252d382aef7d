"""Hybrid clause search over BM25 (jieba tokens) and dense (a vector store: FAISS or Milvus) chunk indexes.

Chunk scores collapse to clause scores (a clause scores as its best chunk); the two rankings
fuse by reciprocal rank (default) or by a weighted sum of min-max normalised scores.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import bm25s
import numpy as np
from cachetools import LRUCache

from index.analyzer import Analyzer
from index.chunks import Chunk
from index.corpus import Corpus
from index.embed import Embedder
from index.errors import ConfigError, InputError
from index.model import LEVELS, Clause, Document, Sentence, Status, parse_date
from index.settings import Settings
from index.vectors import KeyPositions, VectorStore, chunk_keys

MODES = ("bm25", "dense", "hybrid")
# BM25 alone decides a hybrid search when its best clause scores at least this many times the second:
# the dense query (~15 ms, most of a search) would not change the first clause. Measured on the dev
# split: 121 of 241 questions cleared it, and hybrid ranked the same clause first for every one.
DECISIVE_RATIO = 1.7
FUSION_POOL = 30  # clauses of each ranking the weighted fusion normalises over (more when more are asked for)
# Chunks the dense query scores: a library of this size is scored whole, so a clause the fusion weighs is
# never "not retrieved" only because other documents crowd it out (an exact flat search of 1,000 is cheap).
DENSE_DEPTH = 1024
QUERY_VECTORS_CACHED = 4096


@dataclass(frozen=True)
class Hit:
    clause_id: str
    doc_id: str
    score: float
    sentence: str  # the clause sentence that best matches the query
    span: tuple[int, int]  # of that sentence in the clause text
    matched: tuple[str, ...]  # query words found in the sentence (for highlighting)


@dataclass(frozen=True)
class Filters:
    """Which documents a search (or a listing) keeps; a field left None keeps every document."""

    region: str | None = None  # part of a region name: "山东" matches "山东省"
    doc_id: str | None = None
    in_force_on: dt.date | None = None  # within the period its dates state (a replacement aside)
    level: str | None = None  # one of LEVELS
    status: Status | None = None  # the document's status (a replacement counted) on ``on``
    on: dt.date | None = None  # the day ``status`` is read on; None: today

    def __post_init__(self) -> None:
        if self.level is not None and self.level not in LEVELS:
            raise InputError(f"层级“{self.level}”无效，可选：{'、'.join(LEVELS)}")

    @classmethod
    def make(
        cls,
        region: str | None = None,
        doc_id: str | None = None,
        level: str | None = None,
        status: Status | str | None = None,
        on: dt.date | str | None = None,
        in_force_on: dt.date | None = None,
    ) -> Filters:
        """Filters from what a person typed (CLI, page): "" is no filter, a status by its label (现行有效) or
        value, a day as ``YYYY-MM-DD``; anything else is an ``InputError`` listing the choices."""
        day = parse_date(on) if isinstance(on, str) and on.strip() else on if isinstance(on, dt.date) else None
        named = Status.named(status) if status else None  # a Status is a str too
        return cls(region or None, doc_id or None, in_force_on, level or None, named, day)

    def admits(self, doc: Document) -> bool:
        return (
            (self.region is None or self.region in doc.region)
            and (self.doc_id is None or doc.id == self.doc_id)
            and (self.in_force_on is None or doc.in_force.contains(self.in_force_on))
            and (self.level is None or doc.level == self.level)
            and (self.status is None or doc.status(self.on or dt.date.today()).status is self.status)
        )


class SearchIndex:
    def __init__(
        self,
        corpus: Corpus,
        analyzer: Analyzer,
        embedder: Embedder,
        chunks: list[Chunk],
        bm25: bm25s.BM25,
        vectors: VectorStore,
        settings: Settings,
        policy: tuple[bm25s.BM25, np.ndarray] | None = None,
    ) -> None:
        self.corpus = corpus
        self.analyzer = analyzer
        self.embedder = embedder
        self.chunks = chunks
        self._bm25 = bm25
        # The policy measures' own BM25 and their chunks' positions: it orders the measures among
        # themselves as if no law were in the library (laws shift the word statistics).
        self._policy = policy
        self._vectors = vectors
        self._positions = KeyPositions(chunk_keys(chunks))
        self._settings = settings
        # Repeated questions (examples, follow-ups, retries) skip the model. An ask and a search of one
        # question embed different texts: at 1,024 entries the bench's 893 questions, each asked and
        # searched, evicted one another and half of the "repeated" searches missed (6 MB at 4,096).
        self._query_vectors: LRUCache[str, np.ndarray] = LRUCache(maxsize=QUERY_VECTORS_CACHED)
        self._clauses = [c for d in corpus.documents for c in d.all_clauses]
        position = {c.id: i for i, c in enumerate(self._clauses)}
        self._chunk_clause = np.array([position[c.clause_id] for c in chunks], dtype=np.int64)
        # The clauses of the policy measures, when laws share the library with them (see _fuse).
        measures = np.zeros(len(self._clauses), dtype=bool)
        if policy is not None:
            measures[np.unique(self._chunk_clause[policy[1]])] = True
        self._measures = measures
        self._idf = _idf([set(analyzer(c.text)) for c in chunks])
        # Sentence tokens are needed per hit; analyse them once here, not per request.
        self._sentence_words = {c.id: [set(analyzer(s.text)) for s in c.sentences] for c in self._clauses}

    def search(self, query: str, k: int = 5, mode: str = "hybrid", filters: Filters | None = None) -> list[Hit]:
        if mode not in MODES:
            raise ConfigError(f"search mode {mode!r}: use one of {', '.join(MODES)}")
        allowed = self._allowed(filters or Filters())
        tokens = self.analyzer(query)
        rankings: list[np.ndarray] = []
        if mode in ("bm25", "hybrid"):
            rankings.append(self._clause_scores(self._bm25_scores(tokens), allowed))
        if mode in ("dense", "hybrid"):
            rankings.append(self._clause_scores(self._dense_scores(query), allowed))
        scores = rankings[0] if len(rankings) == 1 else self._fuse(rankings, allowed, max(FUSION_POOL, k))
        order = [i for i in np.argsort(-scores, kind="stable") if allowed[i] and scores[i] > 0][:k]
        return [self._hit(self._clauses[i], float(scores[i]), tokens) for i in order]

    def bm25_decisive(self, hits: list[Hit]) -> bool:
        """Whether a BM25 ranking leaves the first clause beyond doubt: it scores at least DECISIVE_RATIO
        times the second, so the dense query would not change it."""
        if not hits:
            return False
        return len(hits) == 1 or hits[0].score >= DECISIVE_RATIO * hits[1].score

    def clear_query_cache(self) -> None:
        """Forget cached query vectors (for latency measurements)."""
        self._query_vectors.clear()

    def prime(self, queries: Sequence[str]) -> None:
        """Embed in one pass the queries about to be searched (the parts of a compound question): a batch
        costs little more than its longest text, one by one they cost the sum."""
        texts = [t for t in dict.fromkeys(map(self._dense_text, queries)) if t not in self._query_vectors]
        if len(texts) > 1:
            self._query_vectors.update(zip(texts, self.embedder.queries(texts), strict=True))

    def best_bm25(self, query: str) -> float:
        """The best chunk's BM25 score: how well the query's words are covered (the scope gate)."""
        return float(self._bm25_scores(self.analyzer(query)).max(initial=0.0))

    # -- scoring -------------------------------------------------------------------------
    def _bm25_scores(self, tokens: list[str]) -> np.ndarray:
        known = [t for t in tokens if t in self._bm25.vocab_dict]
        if not known:
            return np.zeros(len(self.chunks), dtype=np.float32)
        scores = np.asarray(self._bm25.get_scores(known), dtype=np.float32)
        if self._policy is not None:
            # The measures' order from their own BM25, on the library's scale (its best measure keeps
            # its score), so that measures and laws still compete as before.
            own, members = self._policy
            theirs = [t for t in known if t in own.vocab_dict]
            mine = np.asarray(own.get_scores(theirs), dtype=np.float32) if theirs else np.zeros(len(members))
            top = float(mine.max(initial=0.0))
            if top > 0:
                scores[members] = mine * (float(scores[members].max(initial=0.0)) / top)
        return scores

    def _dense_text(self, query: str) -> str:
        """What the dense model embeds for a query: it, and the policy words its everyday words stand for."""
        expansions = self.analyzer.expansions(query)
        return query if not expansions else f"{query}（{'、'.join(expansions)}）"

    def _query_vector(self, text: str) -> np.ndarray:
        vector = self._query_vectors.get(text)
        if vector is None:
            vector = self._query_vectors[text] = self.embedder.query(text)
        return vector

    def _dense_scores(self, query: str) -> np.ndarray:
        vector = self._query_vector(self._dense_text(query))
        n = len(self.chunks)
        similarities, keys = self._vectors.search(vector, min(n, DENSE_DEPTH))
        positions, found = self._positions(keys)
        scores = np.zeros(n, dtype=np.float32)
        # Cosine similarity can be negative; shift so that "not retrieved" (0) ranks last.
        scores[positions] = similarities[found] + 1.0
        return scores

    def _clause_scores(self, chunk_scores: np.ndarray, allowed: np.ndarray) -> np.ndarray:
        clause_scores = np.zeros(len(self._clauses), dtype=np.float32)
        np.maximum.at(clause_scores, self._chunk_clause, chunk_scores)
        return np.where(allowed, clause_scores, 0.0)

    def _fuse(self, rankings: list[np.ndarray], allowed: np.ndarray, depth: int) -> np.ndarray:
        bm25, dense = rankings
        if self._settings.fusion == "weighted":
            # Normalised over the clauses either ranking puts near the top: over the whole library, the
            # many unrelated clauses would crowd the ones that compete into a sliver of the scale.
            fused = self._weighted(bm25, dense, allowed, depth)
            return self._measures_in_own_order(fused, bm25, dense, allowed, depth)
        fused = np.zeros_like(bm25)
        for scores in (bm25, dense):
            ranks = np.empty(len(scores), dtype=np.float32)
            ranks[np.argsort(-scores, kind="stable")] = np.arange(1, len(scores) + 1)
            fused += np.where(scores > 0, 1.0 / (self._settings.rrf_k + ranks), 0.0)
        return fused * (self._settings.rrf_k + 1) / 2  # 1.0 when first in both rankings

    def _weighted(self, bm25: np.ndarray, dense: np.ndarray, allowed: np.ndarray, depth: int) -> np.ndarray:
        pool = allowed & _candidates((bm25, dense), allowed, depth)
        w = self._settings.dense_weight
        return (1 - w) * _min_max(bm25, pool) * pool + w * _min_max(dense, pool) * pool

    def _measures_in_own_order(
        self, fused: np.ndarray, bm25: np.ndarray, dense: np.ndarray, allowed: np.ndarray, depth: int
    ) -> np.ndarray:
        """The policy measures keep the order they have among themselves without the laws: fused over a pool
        of measures only, as if the library held nothing else (the laws only shift the normalisation). The
        measures' scores are dealt out again in that order, so measures and laws still interleave as before."""
        mine = allowed & self._measures
        if not mine.any() or mine.sum() == allowed.sum():
            return fused
        own = self._weighted(bm25, dense, mine, depth)
        ranked = np.flatnonzero(mine & ((fused > 0) | (own > 0)))
        result = fused.copy()
        result[ranked[np.argsort(-own[ranked], kind="stable")]] = np.sort(fused[ranked])[::-1]
        return result

    def _allowed(self, filters: Filters) -> np.ndarray:
        docs = {d.id for d in self.corpus.documents if filters.admits(d)}
        return np.array([c.doc_id in docs for c in self._clauses])

    # -- presentation ----------------------------------------------------------------------
    def best_sentences(self, clause: Clause, query: str, n: int = 2) -> list[Sentence]:
        """The ``n`` body sentences sharing the rarest words with the query, in text order.

        The heading sentence and the units in parentheses are left out where the clause has more.
        """
        tokens = set(self.analyzer(query))
        pairs = list(zip(clause.sentences, self._sentence_words[clause.id], strict=True))
        body = [pairs[i] for i in clause.body] or pairs
        ranked = sorted(body, key=lambda p: -self._overlap(tokens, p[1]))
        return sorted((s for s, _ in ranked[:n]), key=lambda s: s.start)

    def sentence_scores(self, clause: Clause, query: str) -> list[float]:
        """For each sentence of ``clause``, how much of the query it holds (rare words counting more)."""
        tokens = set(self.analyzer(query))
        return [self._overlap(tokens, words) for words in self._sentence_words[clause.id]]

    def _overlap(self, tokens: set[str], sentence_words: set[str]) -> float:
        """How much of the query a sentence holds, rare words counting more."""
        return sum(self._idf.get(t, 0.0) for t in tokens & sentence_words)

    def _hit(self, clause: Clause, score: float, tokens: list[str]) -> Hit:
        wanted = set(tokens)
        pairs = zip(clause.sentences, self._sentence_words[clause.id], strict=True)
        best, words = max(pairs, key=lambda p: self._overlap(wanted, p[1]))  # first of equals, as before
        matched = tuple(w for w in dict.fromkeys(tokens) if w in words)
        return Hit(clause.id, clause.doc_id, round(score, 4), best.text, (best.start, best.end), matched)


def _idf(chunk_tokens: list[set[str]]) -> dict[str, float]:
    df = Counter(t for tokens in chunk_tokens for t in tokens)
    n = len(chunk_tokens)
    return {t: math.log(1 + n / c) for t, c in df.items()}


def _candidates(rankings: tuple[np.ndarray, ...], allowed: np.ndarray, depth: int) -> np.ndarray:
    """The clauses among the first ``depth`` of any ranking (within ``allowed``)."""
    pool = np.zeros(len(allowed), dtype=bool)
    for scores in rankings:
        pool[np.argsort(-np.where(allowed, scores, -np.inf), kind="stable")[:depth]] = True
    return pool


def _min_max(scores: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    if not allowed.any():
        return scores
    lo, hi = scores[allowed].min(), scores[allowed].max()
    return (scores - lo) / (hi - lo) if hi > lo else np.zeros_like(scores)
