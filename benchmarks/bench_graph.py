"""How fast the concept graph is extracted, per 100 KB of text, on real corpora.

    python benchmarks/bench_graph.py                       # the seeds and ../shared/eval/cloudwego/docs
    python benchmarks/bench_graph.py --corpus my/docs --repeat 3

Times each stage that builds the graph (reading and passages as the reference, concept discovery, mention
finding, relation extraction, graph building) and prints seconds per 100 KB of text; no embedding.
The figure to watch is "graph" (discovery + mentions + relations + graph), aim: a few seconds per 100 KB.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = [ROOT / "seeds", ROOT.parent / "shared" / "eval" / "cloudwego" / "docs"]


def measure(corpus: Path) -> dict[str, float]:
    from gokg.graph.concept_graph import build_graph
    from gokg.ingest.discover import discover_concepts
    from gokg.ingest.extract import extract_relations, find_mentions
    from gokg.ingest.lexicon import ConceptMatcher, load_lexicon
    from gokg.ingest.passages import make_passages
    from gokg.ingest.read import read_documents
    from gokg.ingest.structure import parse_blocks

    times: dict[str, float] = {}
    t = time.perf_counter()
    documents, _ = read_documents([corpus])
    passages = []
    for doc in documents:
        passages += make_passages(doc, parse_blocks(doc.text), first_id=len(passages))
    times["read+passages"] = time.perf_counter() - t
    t = time.perf_counter()
    lexicon, discovered = discover_concepts(passages, load_lexicon())
    concepts = lexicon + discovered
    times["discovery"] = time.perf_counter() - t
    t = time.perf_counter()
    matcher = ConceptMatcher(concepts)
    mentions = find_mentions(passages, matcher)
    times["mentions"] = time.perf_counter() - t
    t = time.perf_counter()
    relations = extract_relations(passages, matcher, concepts)
    times["relations"] = time.perf_counter() - t
    t = time.perf_counter()
    build_graph(concepts, mentions, relations)
    times["graph build"] = time.perf_counter() - t
    times["graph"] = times["discovery"] + times["mentions"] + times["relations"] + times["graph build"]
    times["kb"] = sum(len(d.text.encode("utf-8")) for d in documents) / 1024
    times["nodes"] = len(concepts)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, action="append", help="a folder of articles (repeatable)")
    parser.add_argument("--repeat", type=int, default=2, help="runs per corpus; the fastest is reported")
    args = parser.parse_args()
    import jieba

    jieba.initialize()  # a one-off load, not a cost of extraction
    for corpus in args.corpus or DEFAULT:
        runs = [measure(corpus) for _ in range(max(1, args.repeat))]
        best = min(runs, key=lambda r: r["graph"])
        per = 100 / best["kb"]
        name = corpus.parent.name if corpus.name == "docs" else corpus.name
        print(f"{name}: {best['kb']:.0f} KB, {int(best['nodes'])} concepts (lexicon + discovered)")
        for stage in ("read+passages", "discovery", "mentions", "relations", "graph build", "graph"):
            print(f"  {stage:<14} {best[stage]:6.2f} s  = {best[stage] * per:5.2f} s per 100 KB")


if __name__ == "__main__":
    main()
