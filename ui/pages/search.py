"""Search: one query box, the linked concepts as chips, results with highlights and explanations."""
import streamlit as st

from gokg.errors import GokgError
from gokg.ui.state import code_block, concept_chip, escape, highlight, kb, require_index, t

require_index()  # a damaged or missing index: the error and a rebuild button, not an exception

WEAK_SIMILARITY = 0.86  # e5 cosine below which the top hit is likely off-topic (dev-set "none" queries)

st.header("gokg · " + t("search"))
query = st.text_input(t("query"), value=st.query_params.get("q", ""), placeholder=t("placeholder"), key="query")
if query != st.query_params.get("q", ""):
    st.query_params["q"] = query  # the search lives in the URL, so it can be shared and reloaded

if query.strip():
    try:
        result = kb().search(query, k=10)
    except GokgError as exc:
        st.error(str(exc))
        st.stop()
    st.subheader(t("linked"))
    if result.concepts:
        columns = st.columns(min(len(result.concepts), 6))
        for i, concept in enumerate(result.concepts[:6]):
            with columns[i]:
                concept_chip(concept.name, concept.type, key=f"chip-{concept.id}")
    else:
        st.caption(t("no_concepts"))
    if result.absent:
        st.warning(t("absent") + ", ".join(f"{c.name}" for c in result.absent))
    st.subheader(t("results"))
    if not result.hits:
        st.info(t("no_results"))
    top = result.hits[0].why.get("dense_similarity") if result.hits else None
    if top is not None and top < WEAK_SIMILARITY and not result.concepts:
        st.warning(t("weak"))
    for rank, hit in enumerate(result.hits, start=1):
        terms = hit.why.get("matched_terms", []) + hit.why.get("matched_concepts", [])
        with st.container(border=True):
            st.markdown(
                f"**{rank}. {escape(hit.doc)}** · {t('lines')} {hit.line_start}–{hit.line_end} · "
                f"<span style='opacity:0.7'>{escape(hit.section)}</span>",
                unsafe_allow_html=True,
            )
            st.markdown(code_block(highlight(hit.text, terms)), unsafe_allow_html=True)
            if hit.concepts:
                st.caption(" · ".join(hit.concepts[:8]))
            with st.expander(t("why")):
                ranks = ", ".join(f"{name} #{rank}" for name, rank in hit.why.get("ranks", {}).items())
                st.write(f"score {hit.score:.4f} — {ranks}")
                if hit.why.get("dense_similarity") is not None:
                    st.write(f"dense similarity {hit.why['dense_similarity']:.3f}")
                if hit.why.get("matched_terms"):
                    st.write("terms: " + ", ".join(hit.why["matched_terms"]))
                if hit.why.get("matched_concepts"):
                    st.write("concepts: " + ", ".join(hit.why["matched_concepts"]))
            with st.expander(t("context")):
                lines = kb().context(hit.doc, hit.line_start, hit.line_end)
                body = "\n".join(
                    f"{'▌' if hit.line_start <= n <= hit.line_end else ' '} {n:4} {escape(text)}" for n, text in lines
                )
                st.markdown(code_block(body), unsafe_allow_html=True)
