"""Score the concept graph against hand-found concepts and relations (../shared/eval/dev_concepts.json).

    python benchmarks/eval_concepts.py --index index [--gold ../shared/eval/dev_concepts.json]

Prints concept recall (a concept is found when one node carries its name or an alias), how many concepts
are split over several nodes, type accuracy, and relation recall with the right type and direction
(either direction for the symmetric alternative_to and integrates_with).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from gokg import KnowledgeBase
from ingest.normalize import alias_key

SYMMETRIC = {"alternative_to", "integrates_with"}


def node_keys(G) -> dict[str, set[str]]:
    keys: dict[str, set[str]] = {}
    for node, data in G.nodes(data=True):
        for name in [data["name"], *data.get("aliases", [])]:
            keys.setdefault(alias_key(name), set()).add(node)
    return keys


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", default="index")
    parser.add_argument("--gold", default="../shared/eval/dev_concepts.json")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    G = KnowledgeBase.open(args.index).graph
    gold = json.loads(Path(args.gold).read_text("utf-8"))
    keys = node_keys(G)

    def nodes_for(name: str, aliases=()) -> set[str]:
        found: set[str] = set()
        for alias in [name, *aliases]:
            found |= keys.get(alias_key(alias), set())
        return found

    found = split = typed = 0
    for concept in gold["concepts"]:
        nodes = nodes_for(concept["name"], concept["aliases"])
        if nodes:
            found += 1
            split += len(nodes) > 1
            typed += any(G.nodes[n]["type"] == concept["type"] for n in nodes)
        if args.verbose and (not nodes or len(nodes) > 1 or not any(G.nodes[n]["type"] == concept["type"] for n in nodes)):
            print("  concept", concept["name"], concept["type"], "->", {n: G.nodes[n]["type"] for n in nodes})
    hits = 0
    for relation in gold["relations"]:
        sources, targets = nodes_for(relation["source"]), nodes_for(relation["target"])
        ok = False
        for s in sources:
            for t in targets:
                pairs = [(s, t), (t, s)] if relation["type"] in SYMMETRIC else [(s, t)]
                ok |= any(relation["type"] in (G.get_edge_data(a, b) or {}) for a, b in pairs)
        hits += ok
        if args.verbose and not ok:
            print("  relation", relation["source"], relation["type"], relation["target"], "nodes:", sources, targets)
    total, rels = len(gold["concepts"]), len(gold["relations"])
    print(f"concept recall {found}/{total} = {found / total:.3f}")
    print(f"split concepts {split} (should be 0)")
    print(f"type accuracy  {typed}/{found} = {typed / max(found, 1):.3f}")
    print(f"relation recall (right type) {hits}/{rels} = {hits / rels:.3f}")


if __name__ == "__main__":
    main()
