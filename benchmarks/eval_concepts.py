"""Score the concept graph against hand-found concepts and relations.

    python benchmarks/eval_concepts.py --index index                               # the seeds' dev set
    python benchmarks/eval_concepts.py --index cw-index --gold ../shared/eval/cloudwego

``--gold`` is either a ``dev_concepts.json`` file ({"concepts", "relations"}) or a folder holding
``concepts.json`` and ``relations.json`` (the cloudwego layout). Prints concept recall (all, and core
where the gold marks core concepts; a concept is found when one node carries its name or an alias),
concepts split over several nodes, concepts merged into a node that also carries another gold concept,
type accuracy, and typed-relation recall with the right type and direction (either direction for the
symmetric alternative_to and integrates_with).
"""
from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from gokg import KnowledgeBase
from gokg.ingest.normalize import alias_key

SYMMETRIC = {"alternative_to", "integrates_with"}


def load_gold(path: Path) -> tuple[list[dict], list[dict]]:
    path = Path(path)
    if path.is_dir():
        return (json.loads((path / "concepts.json").read_text("utf-8")),
                json.loads((path / "relations.json").read_text("utf-8")))
    data = json.loads(path.read_text("utf-8"))
    return data["concepts"], data["relations"]


def node_keys(G) -> dict[str, set[str]]:
    keys: dict[str, set[str]] = defaultdict(set)
    for node, data in G.nodes(data=True):
        for name in [data["name"], *data.get("aliases", [])]:
            keys[alias_key(name)].add(node)
    return keys


def score(G, concepts: list[dict], relations: list[dict], verbose: bool = False) -> dict:
    keys = node_keys(G)

    def nodes_for(name: str, aliases=()) -> set[str]:
        found: set[str] = set()
        for alias in [name, *aliases]:
            found |= keys.get(alias_key(alias), set())
        return found

    found_nodes = {c["name"]: nodes_for(c["name"], c.get("aliases", ())) for c in concepts}
    owners: dict[str, set[str]] = defaultdict(set)
    for name, nodes in found_nodes.items():
        for node in nodes:
            owners[node].add(name)
    out = {"concepts": len(concepts), "found": 0, "core": 0, "core_found": 0, "split": 0, "merged": 0, "typed": 0}
    for c in concepts:
        nodes = found_nodes[c["name"]]
        out["core"] += bool(c.get("core"))
        if not nodes:
            if verbose:
                print("  missing", c["name"], c["type"])
            continue
        out["found"] += 1
        out["core_found"] += bool(c.get("core"))
        out["split"] += len(nodes) > 1
        merged = any(len(owners[n]) > 1 for n in nodes)
        out["merged"] += merged
        typed = any(G.nodes[n]["type"] == c["type"] for n in nodes)
        out["typed"] += typed
        if verbose and (len(nodes) > 1 or merged or not typed):
            print("  concept", c["name"], c["type"], "->", {n: (G.nodes[n]["type"], sorted(owners[n])) for n in nodes})
    hits = 0
    for r in relations:
        sources, targets = nodes_for(r["source"]), nodes_for(r["target"])
        ok = False
        for s in sources:
            for t in targets:
                pairs = [(s, t), (t, s)] if r["type"] in SYMMETRIC else [(s, t)]
                ok |= any(r["type"] in (G.get_edge_data(a, b) or {}) for a, b in pairs)
        hits += ok
        if verbose and not ok:
            print("  relation", r["source"], r["type"], r["target"])
    out["relations"], out["relations_found"] = len(relations), hits
    return out


DEV_GOLD = Path("../shared/eval/dev_concepts.json")


def report(G, gold: Path, verbose: bool = False) -> None:
    """Print the scores of graph ``G`` against the gold at ``gold``."""
    concepts, relations = load_gold(Path(gold))
    s = score(G, concepts, relations, verbose)
    typed_edges = sum(1 for *_, rel in G.edges(keys=True) if rel != "related_to")
    print(f"concept recall {s['found']}/{s['concepts']} = {s['found'] / s['concepts']:.3f}")
    if s["core"]:
        print(f"core recall    {s['core_found']}/{s['core']} = {s['core_found'] / s['core']:.3f}")
    print(f"split concepts {s['split']}, merged concepts {s['merged']} (both should be 0)")
    print(f"type accuracy  {s['typed']}/{s['found']} = {s['typed'] / max(s['found'], 1):.3f}")
    print(f"typed-relation recall {s['relations_found']}/{s['relations']} = {s['relations_found'] / s['relations']:.3f}")
    print(f"graph: {G.number_of_nodes()} nodes, {typed_edges} typed edges, {G.number_of_edges() - typed_edges} related_to")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", default="index")
    parser.add_argument("--gold", default=str(DEV_GOLD))
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    report(KnowledgeBase.open(args.index).graph, Path(args.gold), args.verbose)


if __name__ == "__main__":
    main()
