"""Typed-relation recall against an independent annotation: every relation a reader listed in some articles.

    python benchmarks/relations_recall.py --index index benchmarks/annotations/seeds-001-003-relations.json [--misses]

The annotation (``benchmarks/annotations/``) was written by a reviewer session that read two seed articles
(001 and 003) in full and saw neither the code nor the graph: 211 relations, each a (source, type, target)
with its line. Names are the reader's own, so each end is looked up among the graph's node names and aliases
(case, width, spaces and hyphens ignored; a parenthesised part tried on its own). Prints how many relations
have both ends as nodes and how many of those the graph holds with the same type and direction (either
direction for the symmetric types). A far larger and looser set than the 15 dev relations: tables,
syllabus rows and diagrams count, so it says how much of what a reader sees the rules reach.
"""
from __future__ import annotations

import argparse
import json
from collections import Counter

from gokg import KnowledgeBase
from gokg.ingest.normalize import alias_key
from gokg.ingest.relation_rules import SYMMETRIC


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("annotation", help="a JSON list of {source, type, target, doc, line, text}")
    parser.add_argument("--index", default="index")
    parser.add_argument("--misses", action="store_true", help="list the relations the graph does not hold")
    args = parser.parse_args()
    graph = KnowledgeBase.open(args.index).graph
    nodes: dict[str, str] = {}
    for node, data in graph.nodes(data=True):
        for name in (data.get("name", node), *data.get("aliases", ())):
            nodes.setdefault(alias_key(name), node)

    def node_of(name: str) -> str | None:
        parts = [name, *(p.strip(" )）") for p in name.replace("（", "(").split("(")[1:])]
        return next((nodes[alias_key(p)] for p in parts if alias_key(p) in nodes), None)

    typed = {(s, d["relation"], t) for s, t, d in graph.edges(data=True) if d["relation"] != "related_to"}
    annotated = json.load(open(args.annotation, encoding="utf-8"))
    counts: Counter[str] = Counter()
    for item in annotated:
        source, target = node_of(item["source"]), node_of(item["target"])
        if not source or not target:
            continue
        counts["both ends are nodes"] += 1
        kind = item["type"]
        held = (source, kind, target) in typed or (kind in SYMMETRIC and (target, kind, source) in typed)
        counts["held"] += held
        if args.misses and not held:
            print(f"  {item['source']} {kind} {item['target']}  ({item['doc']}:{item['line']})")
    both, held = counts["both ends are nodes"], counts["held"]
    print(f"annotated relations: {len(annotated)}; both ends are nodes: {both}; held by the graph: {held} "
          f"({held / max(len(annotated), 1):.3f} of all, {held / max(both, 1):.3f} of those with both ends)")


if __name__ == "__main__":
    main()
