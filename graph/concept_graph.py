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

from ingest.models import Concept, Mention, Relation

__all__ = [
    "build_graph",
    "neighbors",
    "neighborhood",
    "communities",
    "to_node_link",
    "from_node_link",
    "write_graphml",
    "undirected_weighted",
]


def build_graph(concepts: list[Concept], mentions: list[Mention], relations: list[Relation]) -> nx.MultiDiGraph:
    """One node per mentioned concept, one edge per (source, relation, target) with its evidence."""
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
    """GraphML cannot hold lists: list attributes are written as JSON strings."""
    H = nx.MultiDiGraph()
    for node, data in G.nodes(data=True):
        H.add_node(node, **{k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v for k, v in data.items()})
    for u, v, key, data in G.edges(keys=True, data=True):
        H.add_edge(u, v, key=key, **{k: json.dumps(x, ensure_ascii=False) if isinstance(x, list) else x for k, x in data.items()})
    nx.write_graphml(H, str(path))
