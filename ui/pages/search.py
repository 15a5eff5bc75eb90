"""Search: one query box and a folder/file filter (both kept in the URL), the linked concepts as chips, and a
compact list of hits (title, heading path, source to copy, the best lines), each with "more" for the whole
passage and the lines around it, and an explanation."""
import streamlit as st

from gokg.errors import GokgError
from gokg.graph.search import DESCRIBED_SCORE
from gokg.text import reading_line
from gokg.ui.state import code_block, concept_chip, escape, html_line, kb, passage_html, require_index, t

require_index()  # a damaged or missing index: the error and a rebuild button, not an exception

WEAK_SIMILARITY = 0.86  # e5 cosine below which the top hit is likely off-topic (dev-set "none" queries)
BEST_LINES = 3

st.header("gokg · " + t("search"))
query = st.text_input(t("query"), value=st.query_params.get("q", ""), placeholder=t("placeholder"), key="query")
if query != st.query_params.get("q", ""):
    st.query_params["q"] = query  # the search lives in the URL, so it can be shared and reloaded

scopes = kb().scopes()
wanted = st.query_params.get("in", "")
scope = st.selectbox(t("scope"), [""] + scopes, index=([""] + scopes).index(wanted) if wanted in scopes else 0,
                     format_func=lambda s: s or t("scope_all"), key="scope")
if scope != st.query_params.get("in", ""):
    if scope:
        st.query_params["in"] = scope
    else:
        del st.query_params["in"]

if query.strip():
    try:
        result = kb().search(query, 10, within=scope or None)
    except GokgError as exc:
        st.error(str(exc))
        st.stop()
    if result.notice:
        st.info(result.notice)  # the index is still embedding: lexical and concept signals only
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
    named = [c for c in result.concepts if c.score > DESCRIBED_SCORE]  # not only guessed from a description
    if top is not None and top < WEAK_SIMILARITY and not named:
        st.warning(t("weak"))
    for rank, hit in enumerate(result.hits, start=1):
        terms = hit.why.get("matched_terms", []) + hit.why.get("matched_concepts", [])
        path = hit.section.split(" > ") if hit.section else []
        title = path[-1] if path else hit.doc
        with st.container(border=True):
            st.markdown(html_line(f"<b>{rank}. {escape(title)}</b> <span style='opacity:0.7'>· {escape(hit.doc)} · "
                                  f"{t('lines')} {hit.line_start}–{hit.line_end}</span>"), unsafe_allow_html=True)
            if len(path) > 1:
                st.markdown(html_line(f"<span style='opacity:0.7;font-size:0.85rem'>{escape(' › '.join(path))}</span>"),
                            unsafe_allow_html=True)
            best = "\n".join(f"{number:4}  {passage_html(reading_line(line), terms)}" for number, line in hit.best_lines(BEST_LINES))
            st.markdown(code_block(best), unsafe_allow_html=True)
            st.code(hit.source, language=None)  # the copy button copies file:first-last
            with st.expander(t("more")):
                lines = kb().context(hit.doc, hit.line_start, hit.line_end)
                body = "\n".join(
                    f"{'▌' if hit.line_start <= n <= hit.line_end else ' '} {n:4} "
                    + (passage_html(text, terms) if hit.line_start <= n <= hit.line_end else escape(text))
                    for n, text in lines
                )
                st.markdown(code_block(body), unsafe_allow_html=True)
            with st.expander(t("why")):
                ranks = ", ".join(f"{name} #{rank}" for name, rank in hit.why.get("ranks", {}).items())
                st.markdown(html_line(f"{t('score')} {hit.score:.4f} — {escape(ranks)}"), unsafe_allow_html=True)
                if hit.why.get("merged"):
                    parts = " · ".join(f"{escape(part['section'].split(' > ')[-1])} ({part['lines'][0]}–{part['lines'][1]})"
                                       for part in hit.why["merged"])
                    st.markdown(html_line(t("merged").format(n=len(hit.why["merged"])) + ": " + parts),
                                unsafe_allow_html=True)
                if hit.why.get("dense_similarity") is not None:
                    st.caption(f"{t('dense')} {hit.why['dense_similarity']:.3f}")
                if hit.why.get("matched_terms"):
                    st.markdown(html_line(f"{t('terms')}: " + escape(", ".join(hit.why["matched_terms"]))),
                                unsafe_allow_html=True)
                if hit.why.get("matched_concepts"):
                    st.markdown(html_line(f"{t('concepts_word')}: " + escape(", ".join(hit.why["matched_concepts"]))),
                                unsafe_allow_html=True)
            if hit.concepts:
                st.caption(" · ".join(hit.concepts[:8]))
