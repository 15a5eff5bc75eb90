"""Concept page: name, type, aliases, definition, files and mentions, relations with evidence, passages.

Every concept in the graph has one, discovered concepts included. Article text (names, aliases, evidence,
file names) goes out as escaped HTML, where markdown is not parsed.
"""
from collections import defaultdict

import streamlit as st

from gokg.graph.concept_graph import drawable_neighborhood
from gokg.models import RELATION_TYPES
from gokg.ui.state import (
    chosen_concept, code_block, draw_graph, escape, html_line, kb, md_escape, open_concept, require_index, t,
)

require_index()  # a damaged or missing index: the error and a rebuild button, not an exception

TYPED = {r for r in RELATION_TYPES if r != "related_to"}

base = kb()
names, name = chosen_concept(base)
info = base.concept(name)
choice = st.selectbox(t("choose_concept"), names, index=names.index(info.name))
if choice != info.name:
    open_concept(choice)

st.header(md_escape(info.name))
st.markdown(html_line(f"<code>{escape(info.type)}</code> · {len(info.mentions)} {t('mentions')} · {len(info.docs)} {t('files')}"),
            unsafe_allow_html=True)
if info.discovered:
    st.caption(t("discovered"))
if info.description:
    st.markdown(html_line(escape(info.description)), unsafe_allow_html=True)
st.markdown(html_line(f"<b>{t('aliases')}:</b> " + escape(", ".join(info.aliases))), unsafe_allow_html=True)

left, right = st.columns([3, 2])
with left:
    st.subheader(t("relations"))
    grouped = defaultdict(list)
    for n in info.neighbors:
        grouped[n.relation].append(n)
    for relation in sorted(grouped, key=lambda r: (r == "related_to", r)):
        with st.expander(f"{relation} ({len(grouped[relation])})", expanded=relation != "related_to"):
            for n in grouped[relation][:40]:
                arrow = "↔" if relation == "related_to" else "→" if n.direction == "out" else "←"
                evidence = n.evidence[0] if n.evidence else None
                quote = f" — “{escape(evidence.text[:140])}” ({escape(evidence.doc)}:{evidence.line})" if evidence else ""
                st.markdown(html_line(f"{arrow} <b>{escape(n.name)}</b> <code>{escape(n.type)}</code>{quote}"),
                            unsafe_allow_html=True)
    st.subheader(t("best_passages"))
    for hit in base.search(info.name, k=3).hits:
        st.markdown(html_line(f"<b>{escape(hit.doc)}</b> · {t('lines')} {hit.line_start}–{hit.line_end}"),
                    unsafe_allow_html=True)
        st.markdown(code_block(escape(hit.text)), unsafe_allow_html=True)
with right:
    st.subheader(t("neighbourhood"))
    # Typed relations, the most connected first; co-occurrence only when there is nothing else to draw.
    near = drawable_neighborhood(base.graph, info.id, relations=TYPED, limit=15)
    if near.number_of_nodes() == 1:
        near = drawable_neighborhood(base.graph, info.id, limit=15)
    st.caption(t("shown").format(shown=near.number_of_nodes(), available=near.graph["available"], edges=near.number_of_edges()))
    clicked = draw_graph(near, info.id, key=f"concept-graph-{info.id}", height="420px", edge_labels=False,
                         aspect=0.7, label_room=110)  # a narrow column
    if clicked and clicked != info.name:
        open_concept(clicked)
    st.subheader(t("files"))
    by_doc = defaultdict(list)
    for m in info.mentions:
        by_doc[m["doc"]].append(m["line"])
    for doc, lines in by_doc.items():
        st.markdown(html_line(f"• {escape(doc)}: {t('lines')} " + ", ".join(map(str, lines[:30]))), unsafe_allow_html=True)
