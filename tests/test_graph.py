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
