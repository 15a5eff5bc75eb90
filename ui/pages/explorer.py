"""Neighbourhood explorer: a concept's neighbours at depth 1-2, typed relations first, the most
connected concepts up to a cap; co-occurrence (``related_to``) only on request."""
from collections import Counter

import streamlit as st

from gokg.graph.concept_graph import drawable_neighborhood, most_connected
from gokg.models import CONCEPT_TYPES, RELATION_TYPES
from gokg.ui.state import chosen_concept, draw_graph, kb, open_concept, relation_key, require_index, t

require_index()  # a damaged or missing index: the error and a rebuild button, not an exception

TYPED = [r for r in RELATION_TYPES if r != "related_to"]
MAX_NODES = 25  # more than this and a depth-1 drawing of a real corpus is a hairball

base = kb()
names, start = chosen_concept(base, fallback=most_connected(base.graph, set(TYPED)))  # without ?name=
st.header(t("explorer"))
c1, c2, c3 = st.columns([3, 1, 1])
name = c1.selectbox(t("choose_concept"), names, index=names.index(start))
# Keys: a widget keeps its value when the language (and so its label) changes.
depth = c2.slider(t("depth"), 1, 2, 1, key="explorer-depth")
limit = c3.slider(t("max_nodes"), 5, 80, MAX_NODES, step=5, key="explorer-limit")
c4, c5, c6 = st.columns([2, 1, 2])
cooccurrence = c4.toggle(t("cooccurrence"), value=False, help=t("cooccurrence_help"), key="explorer-cooccurrence")
edge_labels = c5.toggle(t("edge_labels"), value=False, help=t("edge_labels_help"), key="explorer-labels")
with c6.expander(t("filters")):
    relations = st.multiselect(t("relation_filter"), TYPED, default=TYPED, key="explorer-relations")
    types = st.multiselect(t("type_filter"), CONCEPT_TYPES, default=list(CONCEPT_TYPES), key="explorer-types")
if name != start:
    st.query_params["name"] = name  # the URL names what is shown, so it can be shared

centre = base.resolve(name)
wanted = set(relations) | ({"related_to"} if cooccurrence else set())
H = drawable_neighborhood(base.graph, centre, depth, relations=wanted, types=set(types), limit=limit)
counts = t("shown").format(shown=H.number_of_nodes(), available=H.graph["available"], edges=H.number_of_edges())
by_relation = Counter(d.get("relation") for _, _, d in H.edges(data=True))
st.caption(counts + " — " + relation_key(by_relation) if by_relation else counts, unsafe_allow_html=True)
if H.number_of_nodes() == 1 and not cooccurrence:
    st.info(t("only_cooccurrence"))
clicked = draw_graph(H, centre, key=f"explorer-{centre}", height="620px", edge_labels=edge_labels)
if clicked:
    open_concept(clicked)
shown = [H.nodes[n]["name"] for n in H if n != centre]
chosen = st.selectbox(t("choose_node"), shown, index=None, placeholder=t("open_concept"), key="explorer-open")
if chosen:
    open_concept(chosen)
