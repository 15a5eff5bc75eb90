"""Concept page: name, type, aliases, definition, files and mentions, relations with evidence, passages."""
from collections import defaultdict

import streamlit as st

from gokg.ui.state import chosen_concept, code_block, draw_graph, escape, kb, open_concept, t

base = kb()
names, name = chosen_concept(base)
info = base.concept(name)
choice = st.selectbox(t("choose_concept"), names, index=names.index(info.name))
if choice != info.name:
    open_concept(choice)

st.header(f"{info.name}")
st.markdown(f"`{escape(info.type)}` · {len(info.mentions)} {t('mentions')} · {len(info.docs)} {t('files')}")
if info.description:
    st.markdown(escape(info.description))
st.markdown(f"**{t('aliases')}:** " + escape(", ".join(info.aliases)))

left, right = st.columns([3, 2])
with left:
    st.subheader(t("relations"))
    grouped = defaultdict(list)
    for n in info.neighbors:
        grouped[n.relation].append(n)
    for relation in sorted(grouped, key=lambda r: (r == "related_to", r)):
        with st.expander(f"{relation} ({len(grouped[relation])})", expanded=relation != "related_to"):
            for n in grouped[relation][:40]:
                arrow = "→" if n.direction == "out" else "←"
                evidence = n.evidence[0] if n.evidence else None
                quote = f" — “{escape(evidence.text[:140])}” ({escape(evidence.doc)}:{evidence.line})" if evidence else ""
                st.markdown(f"{arrow} **{escape(n.name)}** `{escape(n.type)}`{quote}", unsafe_allow_html=True)
    st.subheader(t("best_passages"))
    for hit in base.search(info.name, k=3).hits:
        st.markdown(f"**{escape(hit.doc)}** · {t('lines')} {hit.line_start}–{hit.line_end}")
        st.markdown(code_block(escape(hit.text)), unsafe_allow_html=True)
with right:
    st.subheader(t("neighbourhood"))
    clicked = draw_graph(base.subgraph(info.name, depth=1), info.id, key=f"concept-graph-{info.id}", height="420px")
    if clicked and clicked != info.name:
        open_concept(clicked)
    st.subheader(t("files"))
    by_doc = defaultdict(list)
    for m in info.mentions:
        by_doc[m["doc"]].append(m["line"])
    for doc, lines in by_doc.items():
        st.markdown(f"- {escape(doc)}: {t('lines')} " + ", ".join(map(str, lines[:30])))
