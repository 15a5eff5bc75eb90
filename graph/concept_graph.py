"""The concept graph: functions over a networkx ``MultiDiGraph`` G, in the manner of networkx.

Nodes are concept ids with ``name``, ``type``, ``aliases``, ``docs``, ``mentions`` (a count) and
``description``; edges are keyed by relation type and carry ``relation``, ``weight``, ``origin`` and
``evidence`` (a list of ``{"doc", "line", "text"}``).
"""
from __future__ import annotations

import json
import random
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
    "sample_relations",
    "undirected_weighted",
    "drawable_neighborhood",
    "most_connected",
    "spread_layout",
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


def graph_report(G: nx.MultiDiGraph, top: int = 5, *, sample: int = 0, seed: int = 0) -> dict:
    """Counts by type and origin, relations by type and origin, the largest components, possible
    duplicates and, for review, ``sample`` typed relations drawn at random (``seed``) with their evidence.

    Concepts come from the curated lexicon or were discovered in the articles (node attribute
    ``discovered``); relations come from a sentence pattern, a table, a mermaid diagram, the heading
    hierarchy or co-occurrence (edge attribute ``origin``).

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("go", name="Go", type="language"); G.add_node("gin", name="Gin", type="framework", discovered=True)
    >>> _ = G.add_edge("gin", "go", key="uses", relation="uses", origin="pattern",
    ...                evidence=[{"doc": "a.md", "line": 3, "text": "Gin 使用 Go 编写。"}])
    >>> report = graph_report(G, sample=5)
    >>> report["lexicon"], report["discovered"], report["relations_by_origin"]
    (1, 1, {'pattern': 1})
    >>> [(s["source"], s["relation"], s["target"], s["evidence"][0]["line"]) for s in report["sample"]]
    [('Gin', 'uses', 'Go', 3)]
    """
    import difflib

    from gokg.ingest.normalize import alias_key

    by_type = Counter(d.get("type") for _, d in G.nodes(data=True))
    discovered_by_type = Counter(d.get("type") for _, d in G.nodes(data=True) if d.get("discovered"))
    relations = Counter(d.get("relation") for _, _, d in G.edges(data=True))
    origins = Counter(f"{d.get('relation')}/{d.get('origin')}" for _, _, d in G.edges(data=True))
    by_origin = Counter(str(d.get("origin")) for _, _, d in G.edges(data=True))
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
    discovered = sum(1 for _, d in G.nodes(data=True) if d.get("discovered"))
    return {
        "concepts": G.number_of_nodes(),
        "relations": G.number_of_edges(),
        "lexicon": G.number_of_nodes() - discovered,
        "discovered": discovered,
        "concepts_by_type": dict(by_type.most_common()),
        "discovered_by_type": dict(discovered_by_type.most_common()),
        "relations_by_type": dict(relations.most_common()),
        "relations_by_origin": dict(by_origin.most_common()),
        "relations_by_type_and_origin": dict(origins.most_common()),
        "components": len(components),
        "largest_components": [
            {"size": len(c), "top": [G.nodes[n]["name"] for n in sorted(c, key=lambda n: -G.nodes[n].get("mentions", 0))[:top]]}
            for c in components[:top]
        ],
        "possible_duplicates": duplicates,
        "seed": seed,
        "sample": sample_relations(G, sample, seed=seed),
    }


def sample_relations(G: nx.MultiDiGraph, k: int, *, seed: int = 0) -> list[dict]:
    """``k`` typed relations (not ``related_to``) drawn at random but reproducibly (``seed``), each
    with its names, origin and evidence (``{"doc", "line", "text"}``), to review by hand.

    Fewer when the graph has fewer typed relations; the same ``G`` and ``seed`` give the same sample.

    >>> G = nx.MultiDiGraph()
    >>> for n in "abcd":
    ...     _ = G.add_edge(n, "go", key="uses", relation="uses", evidence=[{"doc": "x.md", "line": 1, "text": n}])
    >>> _ = G.add_edge("a", "b", key="related_to", relation="related_to", evidence=[])
    >>> [s["source"] for s in sample_relations(G, 2, seed=1)] == [s["source"] for s in sample_relations(G, 2, seed=1)]
    True
    >>> len(sample_relations(G, 10)), {s["relation"] for s in sample_relations(G, 10)}
    (4, {'uses'})
    """
    if k < 0:
        raise ValueError(f"k={k}, k must be >= 0")
    # Sorted first: the sample must not depend on the order the edges were inserted in.
    typed = sorted(
        (u, v, key) for u, v, key, d in G.edges(keys=True, data=True) if d.get("relation", "related_to") != "related_to"
    )
    chosen = random.Random(seed).sample(typed, min(k, len(typed)))
    out = []
    for u, v, key in chosen:
        data = G.edges[u, v, key]
        out.append({
            "source": G.nodes[u].get("name", u),
            "relation": data.get("relation"),
            "target": G.nodes[v].get("name", v),
            "origin": data.get("origin"),
            "weight": float(data.get("weight", 1.0)),
            "evidence": [{"doc": e["doc"], "line": int(e["line"]), "text": e["text"]} for e in data.get("evidence", [])],
        })
    return out


# -- drawing helpers: what an explorer shows, and where --------------------------------------

def drawable_neighborhood(
    G: nx.MultiDiGraph,
    node: str,
    depth: int = 1,
    *,
    relations: set[str] | None = None,
    types: set[str] | None = None,
    limit: int | None = None,
) -> nx.MultiDiGraph:
    """The part of ``node``'s neighbourhood a drawing can hold: only edges whose relation is in
    ``relations`` (None: all), only concepts whose type is in ``types`` (``node`` always stays), and at
    most ``limit`` concepts.

    Concepts are taken most connected first (distinct neighbours within the neighbourhood, then
    mentions), always next to one already taken, so what is kept stays connected to ``node``. The
    result's nodes are in that order, starting with ``node``; ``H.graph["available"]`` counts the
    concepts there were before the cap.

    >>> G = nx.MultiDiGraph()
    >>> for u, rel, v in [("go", "uses", "grpc"), ("grpc", "uses", "http2"), ("go", "uses", "http2"),
    ...                   ("go", "uses", "gin"), ("go", "related_to", "java")]:
    ...     _ = G.add_edge(u, v, key=rel, relation=rel)
    >>> H = drawable_neighborhood(G, "go", relations={"uses"}, limit=3)
    >>> list(H), H.graph["available"], H.number_of_edges()
    (['go', 'grpc', 'http2'], 4, 3)
    """
    if depth < 1:
        raise ValueError(f"depth={depth}, depth must be >= 1")
    if limit is not None and limit < 1:
        raise ValueError(f"limit={limit}, limit must be >= 1")
    if node not in G:
        raise KeyError(node)

    def keep_node(n: str) -> bool:
        return n == node or types is None or G.nodes[n].get("type", "concept") in types

    def keep_edge(u: str, v: str, k: str) -> bool:
        return relations is None or G.edges[u, v, k].get("relation", "related_to") in relations

    view = nx.subgraph_view(G, filter_node=keep_node, filter_edge=keep_edge)
    near = nx.single_source_shortest_path_length(view.to_undirected(as_view=True), node, cutoff=depth)
    local = nx.Graph(view.subgraph(near).to_undirected(as_view=True))  # distinct neighbours, no direction
    local.remove_edges_from(nx.selfloop_edges(local))

    def rank(n: str) -> tuple:
        return (-local.degree(n), -int(G.nodes[n].get("mentions", 0)), str(G.nodes[n].get("name", n)), n)

    cap = len(near) if limit is None else min(limit, len(near))
    kept, frontier = [node], set(local[node])
    while len(kept) < cap and frontier:
        best = min(frontier, key=rank)
        kept.append(best)
        frontier.discard(best)
        frontier.update(n for n in local[best] if n not in kept)
    H = nx.MultiDiGraph(available=len(near))
    H.add_nodes_from((n, G.nodes[n]) for n in kept)
    # Edges in the order of ``kept`` and of G, not of a set: the layout (and the drawing) depends on it.
    taken = set(kept)
    H.add_edges_from(
        (u, v, k, d) for u in kept for v, keyed in view.succ[u].items() if v in taken for k, d in keyed.items()
    )
    return H


def most_connected(G: nx.MultiDiGraph, relations: set[str] | None = None) -> str | None:
    """The concept with the most distinct neighbours through ``relations`` (None: all), then the most
    mentions: a good first drawing. None when no edge qualifies.

    >>> G = nx.MultiDiGraph()
    >>> for u, rel, v in [("go", "uses", "grpc"), ("gin", "uses", "go"), ("go", "related_to", "java")]:
    ...     _ = G.add_edge(u, v, key=rel, relation=rel)
    >>> most_connected(G, {"uses"}), most_connected(G, {"is_a"})
    ('go', None)
    """
    near: dict[str, set[str]] = defaultdict(set)
    for u, v, d in G.edges(data=True):
        if u != v and (relations is None or d.get("relation", "related_to") in relations):
            near[u].add(v)
            near[v].add(u)
    if not near:
        return None
    return min(near, key=lambda n: (-len(near[n]), -int(G.nodes[n].get("mentions", 0)), n))


def spread_layout(G: nx.MultiDiGraph, centre: str | None = None, *, seed: int = 0, width: float = 1000.0,
                  aspect: float = 1.6) -> dict[str, tuple[float, float]]:
    """Positions for drawing ``G``: a seeded spring layout (the same graph is drawn the same way every
    time) with ``centre`` pinned so the others settle around it, stretched to fill ``width`` by
    ``width / aspect``.

    >>> G = nx.MultiDiGraph([("a", "b"), ("a", "c"), ("c", "d")])
    >>> pos = spread_layout(G, "a", aspect=2.0)
    >>> sorted(pos) == ["a", "b", "c", "d"], all(isinstance(x, float) for xy in pos.values() for x in xy)
    (True, True)
    >>> [min(xy[i] for xy in pos.values()) for i in (0, 1)], [max(xy[i] for xy in pos.values()) for i in (0, 1)]
    ([0.0, 0.0], [1000.0, 500.0])
    """
    if G.number_of_nodes() == 0:
        return {}
    H = nx.Graph()
    H.add_nodes_from(G)
    H.add_edges_from((u, v) for u, v in G.edges() if u != v)
    fixed = {centre: (0.0, 0.0)} if centre in H else None
    # k: the spring's rest length; longer than networkx's 1/sqrt(n) to leave room for the labels.
    k = 2.0 / max(H.number_of_nodes(), 1) ** 0.5
    pos = nx.spring_layout(H, k=k, pos=fixed, fixed=list(fixed) if fixed else None, seed=seed, iterations=200)
    xs, ys = [float(x) for x, _ in pos.values()], [float(y) for _, y in pos.values()]
    # Each axis fills its side of the box: ECharts stretches the layout to the drawing's box anyway, and
    # when the shapes match the nodes stay round. Large units on purpose: ECharts snaps line ends to half
    # units of the data's own coordinates, so a layout spanning -1..1 would draw its edges crooked.
    sx, sy = width / ((max(xs) - min(xs)) or 1.0), width / aspect / ((max(ys) - min(ys)) or 1.0)
    # Plain floats: numpy scalars break JSON and the UI.
    return {n: (round((float(x) - min(xs)) * sx, 2), round((float(y) - min(ys)) * sy, 2)) for n, (x, y) in pos.items()}
