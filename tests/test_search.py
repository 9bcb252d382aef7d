"""Hybrid search: typed hits, filters, fusion, and golden queries pinned to their clause."""

from __future__ import annotations

import datetime as dt

import pytest

from index.search import Filters, SearchIndex

GOLDEN = [
    ("鲁科贷实际支付利息能贴多少", "sd-2023-155#1"),
    ("知识产权反担保的担保费补贴", "sd-2023-155#3"),
    ("首年度买科技保险省里补一半保费", "sd-2023-155#4"),
    ("创投机构迁来山东有奖励吗", "sd-2023-155#5"),
    ("社保基金保险资金出资创投有什么奖励", "sd-2023-155#7"),
    ("小微科技企业不良贷款容忍度", "nm-2025-15#14"),
    ("科技创新专板优选层挂牌奖补", "nm-2025-15#1"),
    ("天骏计划", "nm-2025-15#6"),
]


@pytest.mark.parametrize(("query", "clause_id"), GOLDEN)
def test_golden_queries_rank_their_clause_first(search_index: SearchIndex, query: str, clause_id: str) -> None:
    assert search_index.search(query, k=3, mode="hybrid")[0].clause_id == clause_id


@pytest.mark.parametrize("mode", ["bm25", "dense", "hybrid"])
def test_hits_are_typed_and_point_into_the_clause(search_index: SearchIndex, mode: str) -> None:
    hits = search_index.search("担保费补贴", k=5, mode=mode)
    assert 0 < len(hits) <= 5
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    for hit in hits:
        text = search_index.corpus.clause(hit.clause_id).text
        assert text[hit.span[0] : hit.span[1]] == hit.sentence
    assert len({h.clause_id for h in hits}) == len(hits)  # chunks collapsed to clauses


def test_region_filter(search_index: SearchIndex) -> None:
    hits = search_index.search("融资担保", k=10, filters=Filters(region="内蒙古"))
    assert hits and all(h.doc_id == "nm-2025-15" for h in hits)


def test_document_filter(search_index: SearchIndex) -> None:
    hits = search_index.search("融资担保", k=10, filters=Filters(doc_id="sd-2023-155"))
    assert hits and all(h.doc_id == "sd-2023-155" for h in hits)


def test_in_force_filter(search_index: SearchIndex) -> None:
    # Shandong's measures end on 2028-12-31; Inner Mongolia's opinion states no end.
    def found(doc_id: str, day: dt.date) -> bool:
        return bool(search_index.search("融资担保", k=5, filters=Filters(doc_id=doc_id, in_force_on=day)))

    assert found("nm-2025-15", dt.date(2029, 1, 1)) and not found("sd-2023-155", dt.date(2029, 1, 1))
    assert found("sd-2023-155", dt.date(2024, 6, 1)) and not found("nm-2025-15", dt.date(2024, 6, 1))
    assert found("sd-2023-155", dt.date(2028, 12, 31))  # the last day in force


def test_matched_words_are_in_the_sentence(search_index: SearchIndex) -> None:
    hit = search_index.search("鲁科贷贴息", k=1, mode="bm25")[0]
    assert hit.matched and all(w in hit.sentence for w in hit.matched)


def test_unknown_mode_is_a_config_error(search_index: SearchIndex) -> None:
    from index.errors import ConfigError

    with pytest.raises(ConfigError):
        search_index.search("贴息", mode="sparse")


def test_query_with_no_known_words_returns_dense_hits_only(search_index: SearchIndex) -> None:
    assert search_index.search("zzzz", k=3, mode="bm25") == []
