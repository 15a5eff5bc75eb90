"""Search quality where the graph knows little: each judged set searched again with only a random share of its
concepts known to the articles (the mentions and graph nodes of the others dropped, the lexicon kept), as on a
corpus the lexicon barely covers. Prints nDCG@10 (all queries, and the paraphrases) of the full fusion and of
BM25 + dense alone, the mean over seeds with the lowest and highest run.

    python benchmarks/sparse_graph.py --set index:../shared/eval/dev_queries.jsonl \
        --set cw-index:../shared/eval/cloudwego/queries.jsonl [--signals about]

A change that helps only while the graph knows the corpus (share 1.0) and costs below it will not hold on a
corpus of other documents; the full fusion should stay above BM25 + dense at every share. ``--signals`` adds
registered signals to the default ones, to compare a new one with the default set.
"""
from __future__ import annotations

import argparse
import random
import statistics

from gokg import KnowledgeBase
from gokg.graph import store
from gokg.graph.evaluate import by_kind, load_queries
from gokg.graph.signals import SIGNALS


def sparse(index: str, share: float, seed: int, encoder) -> KnowledgeBase:
    """The index with each concept known to the articles with probability ``share`` (a seeded draw)."""
    data = store.read_index(index)
    rng = random.Random(seed)
    known = {c.id for c in data.concepts if rng.random() < share}
    graph = data.graph.copy()
    graph.remove_nodes_from([node for node in list(graph.nodes) if node not in known])
    mentions = [m for m in data.mentions if m.concept_id in known]
    return KnowledgeBase(index, data.manifest, data.passages, data.concepts, mentions, graph, data.lexical,
                         data.vectors, encoder, data.embedded, data.hit_tokens)


def figures(kb: KnowledgeBase, queries: str, signals) -> tuple[float, float]:
    """nDCG@10 over all judged queries and over the paraphrases."""
    report = kb.evaluate(queries, signals=signals)
    paraphrase = by_kind(report).get("paraphrase")
    return report.ndcg, paraphrase.ndcg if paraphrase else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", action="append", dest="sets", metavar="INDEX:QUERIES",
                        help="an index folder and its judged queries; give it once per set")
    parser.add_argument("--shares", type=float, nargs="+", default=[1.0, 0.5, 0.25])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--signals", nargs="*", default=[], help="signals to add to the default ones")
    args = parser.parse_args()
    runs = {"full": SIGNALS + tuple(s for s in args.signals if s not in SIGNALS), "bm25+dense": ("bm25", "dense")}
    print(f"{'set':28} {'share':>5}  " + "  ".join(f"{name + ' all':>22} {'paraphrase':>10}" for name in runs))
    for item in args.sets or ["index:../shared/eval/dev_queries.jsonl"]:
        index, _, queries = item.partition(":")
        load_queries(queries)  # a bad file fails here, not after the first runs
        encoder = KnowledgeBase.open(index).encoder
        for share in args.shares:
            seeds = range(1 if share >= 1 else args.seeds)
            cells = []
            for signals in runs.values():
                draws = range(1) if set(signals) <= {"bm25", "dense"} else seeds  # neither reads the graph
                scores = [figures(sparse(index, share, seed, encoder), queries, signals) for seed in draws]
                every = [s[0] for s in scores]
                cells.append(f"{statistics.mean(every):.4f} ({min(every):.3f}-{max(every):.3f}) "
                             f"{statistics.mean(s[1] for s in scores):10.4f}")
            print(f"{index[-28:]:28} {share:5.2f}  " + "  ".join(cells), flush=True)


if __name__ == "__main__":
    main()
