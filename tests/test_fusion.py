"""Reciprocal-rank fusion: one function, called by search and by the weight-tuning benchmark."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from gokg.errors import InputError
from gokg.graph import fusion, search
from gokg.graph.fusion import FusionWeights, fuse, fused_ranks

ROOT = Path(__file__).resolve().parents[1]


def _tune_fusion():
    spec = importlib.util.spec_from_file_location("tune_fusion", ROOT / "benchmarks" / "tune_fusion.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _slow_fuse(lists, weights, rrf_k):
    """The definition, spelled out: score(p) = sum over lists of weight / (rrf_k + rank of p)."""
    ids = {pid for ranked in lists.values() for pid, _ in ranked}
    score = {
        pid: sum(weights[name] / (rrf_k + [p for p, _ in ranked].index(pid) + 1)
                 for name, ranked in lists.items() if pid in [p for p, _ in ranked])
        for pid in ids
    }
    return sorted(score.items(), key=lambda item: (-item[1], item[0]))


def test_tune_fusion_and_search_call_the_same_function():
    assert _tune_fusion().fuse is fusion.fuse is search.fuse
    assert search.FusionWeights is fusion.FusionWeights


def test_search_scores_are_the_fused_scores(hash_index):
    from gokg import KnowledgeBase

    kb = KnowledgeBase.open(hash_index)
    searcher = kb.searcher
    for query in ("saga 补偿", "如何实现服务熔断降级", "sync.Pool"):
        lists = searcher.ranked_lists(query, searcher.link_concepts(query))
        weights = FusionWeights()
        request = searcher.query(query)
        scaled = searcher.query_weights(request, lists, {name: getattr(weights, name) for name in lists})
        fused = dict(searcher.fused(lists, scaled, weights.rrf_k))
        by_span = {(p.doc, p.line_start, p.line_end): p.id for p in kb.passages}
        for hit in kb.search(query).hits:
            # a hit of merged passages is ranked at its best passage
            best = hit.why.get("best_lines", [hit.line_start, hit.line_end])
            pid = by_span[(hit.doc, *best)]
            assert hit.score == round(fused[pid], 6)
            assert hit.why["ranks"] == fused_ranks(lists)[pid]


def test_tuning_scores_the_default_weights_like_search(hash_index, dev_queries):
    from gokg import KnowledgeBase
    from gokg.graph.evaluate import load_queries

    kb = KnowledgeBase.open(hash_index)
    tune = _tune_fusion()
    queries = [q for q in load_queries(dev_queries) if q.relevant]
    lists = {q.id: kb.searcher.ranked_lists(q.q, kb.searcher.link_concepts(q.q)) for q in queries}
    d = FusionWeights()
    weights = {"bm25": d.bm25, "expanded": d.expanded, "dense": d.dense, "concept": d.concept, "heading": d.heading}
    tuned = tune.mean_ndcg(kb, queries, lists, weights, d.rrf_k)
    # the grid fuses and assembles hits with the searcher's own methods: the same figure as search
    assert tuned == pytest.approx(kb.evaluate(dev_queries).ndcg, abs=1e-3)


@pytest.mark.parametrize("rrf_k", [0, 10, 60])
def test_fuse_matches_the_definition(rrf_k):
    lists = {"a": [(3, 9.0), (1, 5.0), (2, 1.0)], "b": [(2, 0.9), (3, 0.5)], "c": [(4, 1.0)]}
    weights = {"a": 1.0, "b": 0.5, "c": 0.0}
    fast, slow = fuse(lists, weights, rrf_k), _slow_fuse(lists, weights, rrf_k)
    assert [pid for pid, _ in fast] == [pid for pid, _ in slow]
    assert [score for _, score in fast] == pytest.approx([score for _, score in slow])


def test_fuse_returns_plain_python_and_checks_its_input():
    import numpy as np

    out = fuse({"a": [(np.int64(2), np.float32(1.0))]}, {"a": np.float64(1.0)}, 30)
    assert out == [(2, 1 / 31)] and type(out[0][0]) is int and type(out[0][1]) is float
    assert fuse({}, {}, 30) == []
    with pytest.raises(InputError, match="rrf_k=-1, rrf_k must be >= 0"):
        fuse({"a": [(1, 1.0)]}, {"a": 1.0}, -1)
    with pytest.raises(InputError, match="no weight for the ranked list 'b'"):
        fuse({"b": [(1, 1.0)]}, {"a": 1.0}, 30)
