"""Rerankers: off by default (search results stay exactly the same), selectable by name, one registry."""
from __future__ import annotations

import pytest

from gokg.errors import InputError
from gokg.graph.rerank import RERANKERS, HeadingReranker, Reranker, register_reranker


@pytest.fixture
def kb(hash_index):
    from gokg import KnowledgeBase

    return KnowledgeBase.open(hash_index)  # a fresh one per test: the reranker is the searcher's state


@pytest.fixture
def reverse_reranker():
    """A reranker registered for one test: turns the fused order upside down."""

    @register_reranker("reverse-test")
    class Reverse:
        name = "reverse-test"

        def __init__(self, searcher):
            self.searcher = searcher

        def rerank(self, query, passages, scores):
            return [float(i) for i in range(len(passages))]

    yield Reverse
    RERANKERS.unregister("reverse-test")


QUERIES = ("saga 补偿", "如何实现服务熔断降级", "circuit breaker", "Gin 自定义中间件", "sync.Pool")


def test_no_reranker_unless_selected(kb, reverse_reranker):
    assert kb.searcher.reranker is None
    default = [kb.search(q).to_dict() for q in QUERIES]
    assert all("rerank" not in hit["why"] for result in default for hit in result["hits"])
    kb.searcher.set_reranker("heading")
    assert [kb.search(q).to_dict() for q in QUERIES] != default
    kb.searcher.set_reranker(None)
    assert [kb.search(q).to_dict() for q in QUERIES] == default


def test_a_registered_reranker_is_picked_up(kb, reverse_reranker, monkeypatch):
    from gokg.graph import search

    # one passage a hit, in the reranked order: no merged sections, no file share
    monkeypatch.setattr(search, "MERGE_POOL", 0)
    monkeypatch.setattr(search, "FILE_SHARE", 1.0)
    kb.searcher.rerank_depth = 20
    fused = kb.search("saga 补偿", k=20).hits
    kb.searcher.set_reranker("reverse-test")
    assert isinstance(kb.searcher.reranker, Reranker)
    reranked = kb.search("saga 补偿", k=20).hits
    assert [(h.doc, h.line_start) for h in reranked] == [(h.doc, h.line_start) for h in fused][::-1]
    assert reranked[0].why["rerank"] == {"by": "reverse-test", "fused_rank": 20, "fused_score": fused[-1].score}
    assert [h.score for h in reranked] == [float(i) for i in range(19, -1, -1)]


def test_unknown_reranker_names_the_rerankers(kb, reverse_reranker):
    with pytest.raises(InputError) as error:
        kb.searcher.set_reranker("cross-encoder")
    assert str(error.value) == "reranker='cross-encoder': use 'heading' or 'reverse-test'"


def test_a_reranker_with_nothing_to_say_keeps_the_fused_order(kb):
    class Same:
        name = "same"

        def rerank(self, query, passages, scores):
            return list(scores)

    class Flat(Same):
        def rerank(self, query, passages, scores):
            return [0.0] * len(passages)

    default = [[(h.doc, h.line_start, h.score) for h in kb.search(q).hits] for q in QUERIES]
    kb.searcher.set_reranker(Same())
    assert [[(h.doc, h.line_start, h.score) for h in kb.search(q).hits] for q in QUERIES] == default
    kb.searcher.set_reranker(Flat())
    flat = [[(h.doc, h.line_start) for h in kb.search(q).hits] for q in QUERIES]
    assert flat == [[hit[:2] for hit in hits] for hits in default]


def test_a_reranker_must_score_every_passage(kb):
    class Short:
        name = "short"

        def rerank(self, query, passages, scores):
            return scores[:1]

    kb.searcher.set_reranker(Short())
    with pytest.raises(ValueError, match="returned 1 scores for"):
        kb.search("saga 补偿")


def test_searcher_takes_a_reranker_by_name(kb):
    from gokg.graph.search import Searcher

    s = kb.searcher
    args = (s.passages, list(s.concepts.values()), kb._mentions, s.graph, s.lexical, s.vectors, s.tokenizer,
            s.encode_query)
    assert isinstance(Searcher(*args, reranker="heading").reranker, HeadingReranker)
    assert Searcher(*args).reranker is None
    with pytest.raises(InputError, match="rerank_depth=0, rerank_depth must be >= 1"):
        Searcher(*args, rerank_depth=0)
    with pytest.raises(InputError, match="needs a name and rerank"):
        Searcher(*args, reranker=len)


def test_heading_reranker_rewards_the_query_in_the_heading_path(kb):
    from gokg.graph.signals import Query
    from gokg.models import Passage

    heading = HeadingReranker(kb.searcher, bonus=0.01)
    body = "熔断器在下游过载时快速失败。"
    passages = [
        Passage(0, "a.md", 1, 3, "部署 > 配置", body),
        Passage(1, "b.md", 1, 3, "三、熔断器 > Sentinel 配置", body),
        Passage(2, "c.md", 1, 3, "Sentinel 限流", body),
    ]

    def rerank(text):
        request = Query(text, tuple(kb.searcher.tokenizer(text)), tuple(kb.searcher.link_concepts(text)), 10)
        return heading.rerank(request, passages, [0.1, 0.1, 0.1])

    scores = rerank("sentinel 熔断器")
    assert scores[1] == pytest.approx(0.11) and scores[0] == 0.1 and 0.1 < scores[2] < scores[1]
    # an English query rewards a Chinese heading about the concept it names
    scores = rerank("circuit breaker")
    assert scores == pytest.approx([0.1, 0.11, 0.1])
    assert all(type(s) is float for s in scores)
    with pytest.raises(InputError, match="bonus=-1"):
        HeadingReranker(kb.searcher, bonus=-1)
