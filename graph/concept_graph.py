"""The concept graph: functions over a networkx ``MultiDiGraph`` G, in the manner of networkx.

Nodes are concept ids with ``name``, ``type``, ``aliases``, ``docs``, ``mentions`` (a count) and
``description``; edges are keyed by relation type and carry ``relation``, ``weight``, ``origin`` and
``evidence`` (a list of ``{"doc", "line", "text"}``).
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import asdict
from pathlib import Path

import networkx as nx

from gokg.models import Concept, Evidence, Mention, Relation

__all__ = [
    "build_graph",
    "neighbors",
    "neighborhood",
    "communities",
    "to_node_link",
    "from_node_link",
    "write_graphml",
    "write_neo4j_csv",
    "graph_report",
    "undirected_weighted",
]


def build_graph(
    concepts: list[Concept],
    mentions: list[Mention],
    relations: list[Relation],
    definitions: dict[str, Evidence] | None = None,
) -> nx.MultiDiGraph:
    """One node per mentioned concept, one edge per (source, relation, target) with its evidence."""
    definitions = definitions or {}
    counts = Counter(m.concept_id for m in mentions)
    docs: dict[str, list[str]] = defaultdict(list)
    for mention in mentions:
        if mention.doc not in docs[mention.concept_id]:
            docs[mention.concept_id].append(mention.doc)
    G = nx.MultiDiGraph()
    for concept in concepts:
        if counts[concept.id]:
            G.add_node(
                concept.id,
                name=concept.name,
                type=concept.type,
                aliases=list(concept.aliases),
                docs=sorted(docs[concept.id]),
                mentions=counts[concept.id],
                description=concept.description,
                discovered=concept.discovered,
                definition=asdict(definitions[concept.id]) if concept.id in definitions else {},
            )
    for relation in relations:
        if relation.source in G and relation.target in G and relation.source != relation.target:
            G.add_edge(
                relation.source,
                relation.target,
                key=relation.type,
                relation=relation.type,
                weight=float(relation.weight),
                origin=relation.origin,
                evidence=[asdict(e) for e in relation.evidence],
            )
    return G


def neighbors(G: nx.MultiDiGraph, node: str, depth: int = 1, relations: set[str] | None = None) -> list[dict]:
    """Concepts within ``depth`` hops of ``node`` (edges in either direction), nearest and strongest first.

    Each item: ``{"id", "relation", "direction", "weight", "evidence", "distance", "via"}``; ``direction``
    is ``out`` when the edge goes from ``via`` to the neighbour.

    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("saga", "compensating-transaction", key="uses", relation="uses", weight=2.0, evidence=[])
    >>> [(n["id"], n["relation"], n["direction"]) for n in neighbors(G, "compensating-transaction")]
    [('saga', 'uses', 'in')]
    """
    if depth < 1:
        raise ValueError(f"depth={depth}, depth must be >= 1")
    if node not in G:
        raise KeyError(node)
    view = G
    if relations:
        view = nx.subgraph_view(G, filter_edge=lambda u, v, k: G.edges[u, v, k].get("relation") in relations)
    distance = nx.single_source_shortest_path_length(view.to_undirected(as_view=True), node, cutoff=depth)
    found: list[dict] = []
    for u, v, data in view.edges(data=True):
        if u not in distance or v not in distance:
            continue
        for near, far, direction in ((u, v, "out"), (v, u, "in")):
            if distance[far] == distance[near] + 1:
                found.append(
                    {
                        "id": far,
                        "relation": data.get("relation", "related_to"),
                        "direction": direction,
                        "weight": float(data.get("weight", 1.0)),
                        "evidence": list(data.get("evidence", [])),
                        "distance": distance[far],
                        "via": near,
                    }
                )
    return sorted(
        found, key=lambda n: (n["distance"], n["relation"] == "related_to", -n["weight"], n["id"], n["relation"])
    )


def neighborhood(G: nx.MultiDiGraph, node: str, depth: int = 1) -> nx.MultiDiGraph:
    """The subgraph induced by ``node`` and everything within ``depth`` hops (ignoring direction)."""
    if node not in G:
        raise KeyError(node)
    nodes = nx.single_source_shortest_path_length(G.to_undirected(as_view=True), node, cutoff=depth)
    return G.subgraph(nodes).copy()


def undirected_weighted(G: nx.MultiDiGraph) -> nx.Graph:
    """Collapse parallel and opposite edges into one undirected edge; typed relations weigh more."""
    H = nx.Graph()
    H.add_nodes_from(G.nodes(data=True))
    for u, v, data in G.edges(data=True):
        bonus = 1.0 if data.get("relation") != "related_to" else 0.0
        weight = float(data.get("weight", 1.0)) if data.get("relation") == "related_to" else 1.0
        previous = H.get_edge_data(u, v, {}).get("weight", 0.0)
        H.add_edge(u, v, weight=previous + weight + bonus)
    return H


def communities(G: nx.MultiDiGraph, seed: int = 0, resolution: float = 1.0) -> list[list[str]]:
    """Topic clusters (Louvain on the undirected weighted graph), largest first, members by mentions."""
    H = undirected_weighted(G)
    H.remove_nodes_from([n for n in list(H) if H.degree(n) == 0])
    if H.number_of_nodes() == 0:
        return []
    groups = nx.community.louvain_communities(H, weight="weight", seed=seed, resolution=resolution)
    ordered = [sorted(group, key=lambda n: (-G.nodes[n].get("mentions", 0), n)) for group in groups]
    return sorted(ordered, key=lambda g: (-len(g), g[0]))


def to_node_link(G: nx.MultiDiGraph) -> dict:
    """networkx node-link data (``edges="edges"``), ready for ``json.dumps``."""
    return nx.node_link_data(G, edges="edges")


def from_node_link(data: dict) -> nx.MultiDiGraph:
    return nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")


def write_graphml(G: nx.MultiDiGraph, path: str | Path) -> None:
    """GraphML cannot hold lists or dicts: those attributes are written as JSON strings."""

    def flat(data: dict) -> dict:
        return {k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v for k, v in data.items()}

    H = nx.MultiDiGraph()
    for node, data in G.nodes(data=True):
        H.add_node(node, **flat(data))
    for u, v, key, data in G.edges(keys=True, data=True):
        H.add_edge(u, v, key=key, **flat(data))
    nx.write_graphml(H, str(path))


def write_neo4j_csv(G: nx.MultiDiGraph, folder: str | Path) -> list[Path]:
    """``nodes.csv`` and ``relationships.csv`` in the header format of ``neo4j-admin database import``
    (arrays separated by ``;``)::

        neo4j-admin database import full --nodes=nodes.csv --relationships=relationships.csv
    """
    import csv

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    nodes, rels = folder / "nodes.csv", folder / "relationships.csv"
    with nodes.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["id:ID", "name", "type", "aliases:string[]", "docs:string[]", "mentions:int", "discovered:boolean", ":LABEL"])
        for node, d in G.nodes(data=True):
            label = "Concept;" + d.get("type", "concept").capitalize()
            writer.writerow([node, d.get("name", node), d.get("type", ""), ";".join(d.get("aliases", [])),
                             ";".join(d.get("docs", [])), d.get("mentions", 0), str(bool(d.get("discovered"))).lower(), label])
    with rels.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow([":START_ID", ":END_ID", ":TYPE", "weight:float", "origin", "evidence"])
        for u, v, d in G.edges(data=True):
            writer.writerow([u, v, d.get("relation", "related_to").upper(), d.get("weight", 1.0), d.get("origin", ""),
                             json.dumps(d.get("evidence", []), ensure_ascii=False)])
    return [nodes, rels]


def graph_report(G: nx.MultiDiGraph, top: int = 5) -> dict:
    """Counts by type, relations by type and origin, the largest components and possible duplicates."""
    import difflib

    from gokg.ingest.normalize import alias_key

    by_type = Counter(d.get("type") for _, d in G.nodes(data=True))
    relations = Counter(d.get("relation") for _, _, d in G.edges(data=True))
    origins = Counter(f"{d.get('relation')}/{d.get('origin')}" for _, _, d in G.edges(data=True))
    components = sorted(nx.weakly_connected_components(G), key=len, reverse=True)
    keys = {n: alias_key(d.get("name", n)) for n, d in G.nodes(data=True)}
    duplicates = []
    names = sorted(keys)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            ka, kb = keys[a], keys[b]
            close = difflib.SequenceMatcher(None, ka, kb).ratio() >= 0.85
            nested = min(len(ka), len(kb)) >= 4 and (ka in kb or kb in ka)
            if close or nested:
                duplicates.append([G.nodes[a]["name"], G.nodes[b]["name"]])
    return {
        "concepts": G.number_of_nodes(),
        "relations": G.number_of_edges(),
        "discovered": sum(1 for _, d in G.nodes(data=True) if d.get("discovered")),
        "concepts_by_type": dict(by_type.most_common()),
        "relations_by_type": dict(relations.most_common()),
        "relations_by_type_and_origin": dict(origins.most_common()),
        "components": len(components),
        "largest_components": [
            {"size": len(c), "top": [G.nodes[n]["name"] for n in sorted(c, key=lambda n: -G.nodes[n].get("mentions", 0))[:top]]}
            for c in components[:top]
        ],
        "possible_duplicates": duplicates,
    }
