"""Grid over fusion weights on several judged query sets at once; prints the best settings by the mean of the
sets' nDCG@10 (each set counts the same, whatever its size), with each set's figure beside it.

    python benchmarks/tune_fusion.py --set index:../shared/eval/dev_queries.jsonl \
        --set cw-index:../shared/eval/cloudwego/queries.jsonl

Each query's ranked lists are computed once; per setting only the fusion and the hits are recomputed, by the
same :meth:`Searcher.fused` (:func:`gokg.graph.fusion.fuse`, pointer demotion) and :meth:`Searcher.answers`
(merged sections, file share) that search calls. The grid never looks at one query alone.
"""
from __future__ import annotations

import argparse
import itertools

from gokg import FusionWeights, KnowledgeBase
from gokg.graph.evaluate import load_queries, score_query
from gokg.graph.fusion import fuse  # noqa: F401 - the one fusion function (test_fusion checks it is shared)

SIGNALS = ("bm25", "expanded", "dense", "concept", "heading")


def mean_ndcg(kb: KnowledgeBase, queries: list, lists: dict, weights: dict[str, float], rrf_k: int) -> float:
    """Mean nDCG@10 over ``queries`` when their ranked ``lists`` are fused with these weights (each scaled
    by how much its signal knows about the query, as search does)."""
    searcher = kb.searcher
    total = 0.0
    for q in queries:
        query = searcher.query(q.q)
        fused = searcher.fused(lists[q.id], searcher.query_weights(query, lists[q.id], weights), rrf_k)
        answers = searcher.answers([pid for pid, _ in fused], dict(fused), 10)
        spans = [(kb.passages[a.passages[0]].doc, kb.passages[a.passages[0]].line_start,
                  kb.passages[a.passages[-1]].line_end) for a in answers]
        total += score_query(spans, q.relevant)[0]
    return total / len(queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", action="append", dest="sets", metavar="INDEX:QUERIES",
                        help="an index folder and its judged queries; give it once per set")
    args = parser.parse_args()
    sets = args.sets or ["index:../shared/eval/dev_queries.jsonl"]
    loaded = []
    for item in sets:
        index, _, queries_path = item.partition(":")
        kb = KnowledgeBase.open(index)
        queries = [q for q in load_queries(queries_path) if q.relevant]
        lists = {q.id: kb.searcher.ranked_lists(q.q, kb.searcher.link_concepts(q.q)) for q in queries}
        loaded.append((kb, queries, lists))
    grid = {"bm25": [1.0], "expanded": [0.5, 1.0, 1.5], "dense": [0.5, 0.75, 1.0],
            "concept": [0.5, 1.0], "heading": [0.0, 0.25, 0.5, 1.0]}
    results = []
    for values in itertools.product(*grid.values(), (30, 60)):
        weights, rrf_k = dict(zip(grid, values[:-1])), values[-1]
        per_set = [mean_ndcg(kb, queries, lists, weights, rrf_k) for kb, queries, lists in loaded]
        results.append((sum(per_set) / len(per_set), per_set, weights, rrf_k))
    results.sort(key=lambda r: -r[0])
    print(f"{'mean':>7}  {'per set':24} " + " ".join(f"{s:>8}" for s in SIGNALS) + "  rrf_k")
    d = FusionWeights()
    default = ({s: getattr(d, s) for s in SIGNALS}, d.rrf_k)
    for mean, per_set, weights, rrf_k in results[:15]:
        print(f"{mean:7.4f}  {' '.join(f'{x:.4f}' for x in per_set):24} "
              + " ".join(f"{weights[s]:8}" for s in SIGNALS) + f"  {rrf_k}")
    current = next((r for r in results if (r[2], r[3]) == default), None)
    if current is not None:
        print(f"current default: {current[0]:.4f} ({' '.join(f'{x:.4f}' for x in current[1])})")


if __name__ == "__main__":
    main()
