"""Neighbourhood explorer: a concept's neighbours at depth 1-2, filtered by relation and type."""
import networkx as nx
import streamlit as st

from gokg.errors import GokgError
from gokg.models import CONCEPT_TYPES, RELATION_TYPES
from gokg.ui.state import chosen_concept, draw_graph, kb, open_concept, t

base = kb()
names, start = chosen_concept(base)
st.header(t("explorer"))
c1, c2 = st.columns([2, 1])
name = c1.selectbox(t("choose_concept"), names, index=names.index(start))
depth = c2.slider(t("depth"), 1, 2, 1)
relations = st.multiselect(t("relation_filter"), RELATION_TYPES, default=list(RELATION_TYPES))
types = st.multiselect(t("type_filter"), CONCEPT_TYPES, default=list(CONCEPT_TYPES))
try:
    G = base.subgraph(name, depth=depth)
except GokgError as exc:
    st.error(str(exc))
    st.stop()
centre = base.resolve(name)
keep_edges = [(u, v, k) for u, v, k, d in G.edges(keys=True, data=True) if d.get("relation") in relations]
H = nx.MultiDiGraph(G.edge_subgraph(keep_edges)) if keep_edges else nx.MultiDiGraph()
H.add_node(centre, **G.nodes[centre])
H.remove_nodes_from([n for n, d in list(H.nodes(data=True)) if d.get("type") not in types and n != centre])
st.caption(f"{H.number_of_nodes()} concepts · {H.number_of_edges()} relations")
clicked = draw_graph(H, centre, key=f"explorer-{centre}-{depth}")
if clicked:
    open_concept(clicked)
