"""Hybrid search: typed hits, filters, fusion, and golden queries pinned to their clause."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from index.model import POLICY_TYPE, Status
from index.search import Filters, SearchIndex
from index.settings import Settings
from tests.conftest import CORPUS_DIR

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


def test_level_filter(search_index: SearchIndex) -> None:
    levels = {d.id: d.level for d in search_index.corpus.documents}
    for level in ("全国", "省", "市"):
        hits = search_index.search("科技成果转化", k=20, filters=Filters(level=level))
        assert hits and {levels[h.doc_id] for h in hits} == {level}


def test_status_filter_reads_the_status_on_the_day(search_index: SearchIndex) -> None:
    # Shandong's measures expire after 2028-12-31; Inner Mongolia's opinion starts on 2025-03-26. Every clause
    # that mentions 融资担保 (k=200): the library's guarantee law ranks dozens of articles ahead of the measures.
    def docs(status: Status, day: dt.date) -> set[str]:
        return {h.doc_id for h in search_index.search("融资担保", k=200, filters=Filters(status=status, on=day))}

    assert docs(Status.EXPIRED, dt.date(2029, 1, 1)) == {"sd-2023-155"}
    assert "sd-2023-155" not in docs(Status.IN_FORCE, dt.date(2029, 1, 1))
    assert docs(Status.NOT_YET_IN_FORCE, dt.date(2025, 3, 25)) == {"nm-2025-15"}
    assert "nm-2025-15" in docs(Status.IN_FORCE, dt.date(2025, 3, 26))
    assert docs(Status.REPLACED, dt.date(2029, 1, 1)) == set()
    assert "sd-2023-155" in docs(Status.IN_FORCE, dt.date.today())  # no day given: today
    assert search_index.search("融资担保", k=50, filters=Filters(status=Status.IN_FORCE)) == search_index.search(
        "融资担保", k=50, filters=Filters(status=Status.IN_FORCE, on=dt.date.today())
    )


def test_filters_from_typed_text() -> None:
    made = Filters.make(region="", doc_id="", level="省", status="已失效", on="2029-01-01")
    assert made == Filters(level="省", status=Status.EXPIRED, on=dt.date(2029, 1, 1))
    assert Filters.make(status="in_force").status is Status.IN_FORCE  # the value works too
    assert Filters.make(level="", status="", on="") == Filters()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({"level": "区"}, "层级“区”无效，可选：全国、省、市、县"),
        ({"status": "有效"}, "状态“有效”无效，可选：现行有效、已失效、已被替代、尚未施行"),
        ({"on": "明天"}, "日期“明天”格式不正确，请写作 2025-06-30"),
    ],
)
def test_an_unknown_filter_value_is_an_input_error_listing_the_choices(typed: dict[str, str], message: str) -> None:
    from index.errors import InputError

    with pytest.raises(InputError, match=message):
        Filters.make(**typed)


def test_the_laws_leave_the_measures_order_among_themselves_unchanged(
    search_index: SearchIndex, tmp_path: Path, built_cache: Path, make_settings: Callable[..., Settings]
) -> None:
    """Adding laws to the library shifts the normalisation of the fused scores, never which measure
    comes first: the measures rank among themselves as in a library of measures only."""
    from index.store import build_index, open_index

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR, corpus)
    policy = {d.id for d in search_index.corpus.documents if d.doc_type == POLICY_TYPE}
    for path in (corpus / "documents").iterdir():
        if path.stem not in policy:
            path.unlink()
    cache = tmp_path / "cache"
    shutil.copytree(built_cache / "embeddings", cache / "embeddings")  # no passage is embedded again
    settings = make_settings(cache_dir=cache, corpus_dir=corpus)
    build_index(settings)
    measures_only = open_index(settings)
    for query in MEASURE_QUERIES:
        alone = [h.clause_id for h in measures_only.search(query, k=10)]
        among_laws = [h.clause_id for h in search_index.search(query, k=40) if h.doc_id in policy]
        first = min(3, len(among_laws))  # measures beyond the fusion pool of the library are not ranked
        assert first >= 1 and among_laws[:first] == alone[:first], query


MEASURE_QUERIES = [
    "山东搞科技金融这一摊事，省里是哪个机构来总领导的？",
    "银行给科技企业贷款出了坏账怎么办",
    "创投机构投资早期企业有什么奖励",
    "企业上市有什么补助",
    "融资担保机构的风险补偿",
    "科技保险保费补贴",
]


def test_primed_queries_are_embedded_at_once_and_searched_without_the_model(
    search_index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    queries = ["科技成果转化贷款贴息比例", "首台套保险保费补贴", "创投机构投早投小奖励"]
    expected = [search_index.search(q, k=3, mode="dense") for q in queries]
    search_index.clear_query_cache()
    batches: list[int] = []
    embedder = search_index.embedder
    real = embedder.queries

    def counted(texts: list[str]) -> object:
        batches.append(len(texts))
        return real(texts)

    monkeypatch.setattr(embedder, "queries", counted)
    search_index.prime(queries)
    monkeypatch.setattr(embedder, "query", lambda text: pytest.fail(f"embedded one by one: {text}"))
    assert batches == [3]
    got = [search_index.search(q, k=3, mode="dense") for q in queries]
    assert [[h.clause_id for h in hits] for hits in got] == [[h.clause_id for h in hits] for hits in expected]
