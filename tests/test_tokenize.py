"""Tokens: domain terms stay whole, identifiers split, text folded, stop words dropped."""
from __future__ import annotations

import pytest

from gokg.ingest.lexicon import load_lexicon
from gokg.ingest.tokenize import Tokenizer


@pytest.fixture(scope="module")
def tok():
    return Tokenizer([a for c in load_lexicon() for a in c.aliases])


@pytest.mark.parametrize("term", ["sync.pool", "context.withtimeout", "sentinel-go", "熔断器", "服务发现", "分布式事务"])
def test_domain_terms_stay_whole(tok, term):
    assert term in tok(f"我们在项目里使用{term}来做治理")


def test_go_tool_pprof_parts(tok):
    tokens = tok("用 go tool pprof 分析")
    assert "pprof" in tokens


def test_identifier_parts(tok):
    assert {"withtimeout", "with", "timeout"} <= set(tok("ctx, cancel := context.WithTimeout(ctx, 3*time.Second)"))


def test_stop_words_and_punctuation_dropped(tok):
    tokens = tok("如何实现服务的熔断？")
    assert "的" not in tokens and "？" not in tokens and "如何" not in tokens


def test_traditional_and_fullwidth_are_folded(tok):
    assert "服务发现" in tok("服務發現")
    assert "gin" in tok("ＧＩＮ 框架")
