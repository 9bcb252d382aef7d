from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from index.analyzer import Analyzer, load_lexicon
from index.settings import PROJECT_ROOT


def _analyzer(tmp_path: Path) -> Analyzer:
    return Analyzer(load_lexicon(PROJECT_ROOT / "corpus"), tmp_path)


def test_import_prints_nothing() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import index.analyzer, index.store"],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        check=True,
    )
    assert (done.stdout, done.stderr) == ("", "")


def test_jieba_cache_lives_in_the_project_cache(tmp_path: Path) -> None:
    _analyzer(tmp_path)
    assert list(tmp_path.glob("jieba-min*.cache")) and list(tmp_path.glob("jieba-main-min*.txt"))


def test_policy_terms_stay_whole(tmp_path: Path) -> None:
    tokens = _analyzer(tmp_path)("鲁科贷和拨投结合、先投后股，还有不良贷款容忍度、首台（套）")
    for term in ("鲁科贷", "拨投结合", "先投后股", "不良贷款容忍度", "首台套"):
        assert term in tokens


def test_synonyms_add_the_policy_word(tmp_path: Path) -> None:
    analyzer = _analyzer(tmp_path)
    assert "贴息" in analyzer("有没有利息补贴")
    assert "损失" in analyzer("贷款亏了怎么办")
    assert "首次公开发行" in analyzer("公司准备上市")
    assert "股权激励" in analyzer("员工期权")
    assert analyzer.expansions("员工期权") == ["股权激励"]


def test_a_policy_word_said_apart_stands_for_itself(tmp_path: Path) -> None:
    analyzer = _analyzer(tmp_path)
    assert analyzer.expansions("这笔能贴多少息") == ["贴息"] and "贴息" in analyzer("贴了多少息")
    assert "贴息" not in analyzer.expansions("补贴，息差")  # not across a punctuation mark


def test_a_word_negated_inside_a_term_stands_for_nothing(tmp_path: Path) -> None:
    analyzer = _analyzer(tmp_path)
    assert "首次公开发行" not in analyzer.expansions("投了三家非上市科技企业")  # 非上市 is no listing
    assert "首次公开发行" in analyzer.expansions("投的非上市企业后来上市了")  # 上市 said on its own too


def test_stopwords_and_punctuation_dropped(tmp_path: Path) -> None:
    tokens = _analyzer(tmp_path)("请问，我们的鲁科保吗？")
    assert tokens == ["鲁科保"]


def test_same_analysis_at_index_and_query_time(tmp_path: Path) -> None:
    analyzer = _analyzer(tmp_path)
    clause_sentence = "省财政最高按照保费的50%给予补贴"
    assert set(analyzer("保险费补贴")) & set(analyzer(clause_sentence)) >= {"保费", "补贴"}
