"""Grid over fusion weights on a judged query set; prints the best settings (for the set as a whole).

    python benchmarks/tune_fusion.py --index index --queries ../shared/eval/dev_queries.jsonl

Each query's ranked lists are computed once; only the fusion is recomputed per setting, by the same
:func:`gokg.graph.fusion.fuse` that search calls.
"""
from __future__ import annotations

import argparse
import itertools

from gokg import FusionWeights, KnowledgeBase
from gokg.graph.evaluate import load_queries, score_query
from gokg.graph.fusion import fuse


def mean_ndcg(kb: KnowledgeBase, queries: list, lists: dict, weights: dict[str, float], rrf_k: int) -> float:
    """Mean nDCG@10 over ``queries`` when their ranked ``lists`` are fused with these weights."""
    total = 0.0
    for q in queries:
        order = [pid for pid, _ in fuse(lists[q.id], weights, rrf_k)[:10]]
        spans = [(kb.passages[p].doc, kb.passages[p].line_start, kb.passages[p].line_end) for p in order]
        total += score_query(spans, q.relevant)[0]
    return total / len(queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", default="index")
    parser.add_argument("--queries", default="../shared/eval/dev_queries.jsonl")
    args = parser.parse_args()
    kb = KnowledgeBase.open(args.index)
    searcher = kb.searcher
    queries = [q for q in load_queries(args.queries) if q.relevant]
    lists = {}
    for q in queries:
        lists[q.id] = searcher.ranked_lists(q.q, searcher.link_concepts(q.q))
    grid = [0.0, 0.25, 0.5, 1.0, 1.5]
    results = []
    for bm25, expanded, dense, concept, rrf_k in itertools.product(grid, grid, grid, grid, (10, 30, 60)):
        if bm25 == expanded == dense == concept == 0:
            continue
        weights = {"bm25": bm25, "expanded": expanded, "dense": dense, "concept": concept}
        results.append((mean_ndcg(kb, queries, lists, weights, rrf_k), bm25, expanded, dense, concept, rrf_k))
    results.sort(reverse=True)
    print(f"{'nDCG@10':>8}  bm25 expanded dense concept rrf_k")
    for row in results[:15]:
        print(f"{row[0]:8.4f}  {row[1]:4} {row[2]:8} {row[3]:5} {row[4]:7} {row[5]:5}")
    d = FusionWeights()
    current = next(r for r in results if r[1:] == (d.bm25, d.expanded, d.dense, d.concept, d.rrf_k))
    print(f"current default: {current[0]:.4f}")


if __name__ == "__main__":
    main()
