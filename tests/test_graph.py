"""The concept graph on the real seeds: one node per concept, typed relations with evidence, exports."""
from __future__ import annotations

import json

import networkx as nx
import pytest

from gokg.graph import concept_graph


def test_one_node_per_concept_across_languages(kb):
    assert kb.concept("熔断器").id == kb.concept("circuit breaker").id == "circuit-breaker"
    assert kb.concept("服务发现").id == kb.concept("Service Discovery").id


def test_concept_mentions_point_at_real_lines(kb, seed_lines):
    info = kb.concept("Saga")
    assert info.type == "pattern"
    assert set(info.docs) >= {"000_ec0da037d95f2b7d.txt", "002_b063d93aa04c4af9.txt", "004_66048ea16c2f6692.txt"}
    for mention in info.mentions:
        assert "saga" in seed_lines(mention["doc"])[mention["line"]].lower()


def test_relation_with_evidence_line(kb, seed_lines):
    neighbours = {(n.relation, n.name): n for n in kb.concept("Saga").neighbors}
    tcc = neighbours[("alternative_to", "TCC")]
    evidence = tcc.evidence[0]
    assert (evidence.doc, evidence.line) == ("000_ec0da037d95f2b7d.txt", 403)
    assert seed_lines(evidence.doc)[evidence.line].strip() == evidence.text


def test_grpc_uses_http2_from_a_sentence(kb):
    uses = [n for n in kb.concept("gRPC").neighbors if n.relation == "uses" and n.direction == "out"]
    assert "HTTP/2" in {n.name for n in uses}


def test_neighbors_depth_two_reaches_further(kb):
    near = {n.name for n in kb.neighbors("Saga", depth=1)}
    far = {n.name for n in kb.neighbors("Saga", depth=2)}
    assert near < far


def test_bad_depth_is_refused(kb):
    from gokg.errors import InputError

    with pytest.raises(InputError, match="depth=0"):
        kb.neighbors("Saga", depth=0)


def test_topics_partition_the_connected_concepts(kb):
    topics = kb.topics()
    members = [m for t in topics for m in t.members]
    assert len(topics) >= 3 and len(members) == len(set(members))
    assert all(t.label for t in topics)


def test_exports_reload_in_networkx(kb, tmp_path):
    kb.export("json", tmp_path / "g.json")
    G = nx.node_link_graph(json.loads((tmp_path / "g.json").read_text("utf-8")), edges="edges")
    assert G.number_of_nodes() == kb.graph.number_of_nodes()
    node = G.nodes["saga"]
    assert {"name", "type", "aliases", "docs"} <= set(node)
    _, _, data = next(iter(G.edges(data=True)))
    assert {"relation", "weight", "evidence"} <= set(data)
    kb.export("graphml", tmp_path / "g.graphml")
    H = nx.read_graphml(tmp_path / "g.graphml")
    assert H.number_of_edges() == kb.graph.number_of_edges()
    assert json.loads(H.nodes["saga"]["aliases"])[0] == "Saga"


def test_subgraph_keeps_attributes(kb):
    sub = kb.subgraph("Saga", depth=1)
    assert "saga" in sub and sub.nodes["saga"]["type"] == "pattern"
    assert all("relation" in d for _, _, d in sub.edges(data=True))


def test_neighbors_function_on_a_small_graph():
    G = nx.MultiDiGraph()
    G.add_node("a"), G.add_node("b"), G.add_node("c")
    G.add_edge("a", "b", key="uses", relation="uses", weight=1.0, evidence=[])
    G.add_edge("c", "b", key="related_to", relation="related_to", weight=0.5, evidence=[])
    assert [(n["id"], n["distance"]) for n in concept_graph.neighbors(G, "a", depth=2)] == [("b", 1), ("c", 2)]
    assert concept_graph.neighbors(G, "a", relations={"related_to"}) == []


def test_relation_from_the_heading_hierarchy(kb):
    uses = {n.name: n for n in kb.concept("Kratos").neighbors if n.relation == "uses" and n.direction == "out"}
    assert "Protobuf" in uses  # 第三章:Kratos框架… > … Protobuf 契约即文档
    assert all(e.doc == "000_ec0da037d95f2b7d.txt" for e in uses["Protobuf"].evidence)


def _small_graph() -> nx.MultiDiGraph:
    """go is the centre; grpc and http2 know each other, gin and echo only know go, java only co-occurs."""
    G = nx.MultiDiGraph()
    for node, ctype, mentions in [("go", "language", 9), ("grpc", "framework", 3), ("http2", "protocol", 2),
                                  ("gin", "framework", 5), ("echo", "framework", 1), ("java", "language", 4)]:
        G.add_node(node, name=node.upper(), type=ctype, mentions=mentions)
    for u, rel, v in [("go", "uses", "grpc"), ("grpc", "uses", "http2"), ("go", "uses", "http2"),
                      ("gin", "uses", "go"), ("echo", "uses", "go"), ("go", "related_to", "java"),
                      ("grpc", "related_to", "java")]:
        G.add_edge(u, v, key=rel, relation=rel, evidence=[])
    return G


def test_drawable_neighborhood_keeps_the_most_connected_up_to_the_cap():
    G = _small_graph()
    typed = {"uses"}
    H = concept_graph.drawable_neighborhood(G, "go", relations=typed, limit=3)
    assert list(H) == ["go", "grpc", "http2"]  # two neighbours each, before gin (more mentions, one neighbour)
    assert H.graph["available"] == 5 and {d["relation"] for _, _, d in H.edges(data=True)} == typed
    H = concept_graph.drawable_neighborhood(G, "go", relations=typed)
    assert list(H) == ["go", "grpc", "http2", "gin", "echo"]  # then by mentions
    assert "java" in concept_graph.drawable_neighborhood(G, "go")


def test_drawable_neighborhood_filters_types_but_keeps_the_centre():
    G = _small_graph()
    H = concept_graph.drawable_neighborhood(G, "go", types={"framework"})
    assert set(H) == {"go", "grpc", "gin", "echo"}  # http2 (protocol) and java (language) go
    with pytest.raises(ValueError, match="limit=0"):
        concept_graph.drawable_neighborhood(G, "go", limit=0)


def test_drawable_neighborhood_grows_connected_at_depth_two():
    G = _small_graph()
    G.add_edge("java", "spring", key="uses", relation="uses", evidence=[])
    G.nodes["spring"].update(name="Spring", type="framework", mentions=50)
    assert set(concept_graph.drawable_neighborhood(G, "java", depth=2)) == set(G)
    for limit in range(1, len(G) + 1):
        H = concept_graph.drawable_neighborhood(G, "java", depth=2, limit=limit)
        assert len(H) == limit and nx.is_weakly_connected(H), list(H)
    assert list(concept_graph.drawable_neighborhood(G, "java", depth=2, relations={"uses"})) == ["java", "spring"]


def test_explorer_default_on_the_seeds_has_no_cooccurrence(kb):
    from gokg.models import RELATION_TYPES

    typed = set(RELATION_TYPES) - {"related_to"}
    G = kb.graph
    hub = max(G, key=lambda n: (sum(1 for *_, d in G.in_edges(n, data=True) if d["relation"] in typed)
                                + sum(1 for *_, d in G.out_edges(n, data=True) if d["relation"] in typed), n))
    H = concept_graph.drawable_neighborhood(G, hub, depth=2, relations=typed, limit=5)
    assert H.number_of_nodes() == 5 < H.graph["available"]
    assert {d["relation"] for _, _, d in H.edges(data=True)} <= typed
    assert nx.is_weakly_connected(H)


LAYOUT_SCRIPT = """
from gokg import KnowledgeBase
from gokg.graph.concept_graph import drawable_neighborhood, spread_layout
kb = KnowledgeBase.open({index!r})
H = drawable_neighborhood(kb.graph, "saga", depth=2, relations={{"uses", "implements", "part_of", "alternative_to"}}, limit=12)
print(list(H), spread_layout(H, "saga"))
"""


def test_the_same_graph_is_drawn_the_same_way_in_every_process(hash_index):
    """Set order changes from one Python process to the next; the drawing must not."""
    import os
    import subprocess
    import sys

    outputs = {
        subprocess.run([sys.executable, "-c", LAYOUT_SCRIPT.format(index=str(hash_index))], capture_output=True, text=True,
                       env={**os.environ, "PYTHONHASHSEED": str(seed)}, check=True).stdout
        for seed in (1, 2, 3)
    }
    assert len(outputs) == 1, outputs


def test_report_samples_typed_relations_with_their_evidence(kb, seed_lines):
    report = concept_graph.graph_report(kb.graph, sample=15, seed=7)
    assert report["lexicon"] + report["discovered"] == report["concepts"]
    assert sum(report["relations_by_origin"].values()) == report["relations"]
    sample = report["sample"]
    assert len(sample) == 15 and report["seed"] == 7
    for item in sample:
        assert item["relation"] != "related_to" and item["origin"] and item["evidence"]
        for evidence in item["evidence"]:
            assert evidence["text"] in seed_lines(evidence["doc"])[evidence["line"]]  # the sentence, on its line
    assert concept_graph.sample_relations(kb.graph, 15, seed=7) == sample  # seeded: the same draw again
    assert concept_graph.sample_relations(kb.graph, 15, seed=8) != sample  # another seed, another draw
    typed = sum(1 for _, _, d in kb.graph.edges(data=True) if d["relation"] != "related_to")
    assert len(concept_graph.sample_relations(kb.graph, 10**6)) == typed
    with pytest.raises(ValueError, match="k=-1"):
        concept_graph.sample_relations(kb.graph, -1)
