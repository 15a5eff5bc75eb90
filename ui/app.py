"""gokg UI entry point (``gokg ui`` or ``streamlit run ui/app.py``): a router over the pages."""
import streamlit as st

from gokg.ui import state

st.set_page_config(page_title="gokg", page_icon=":material/hub:", layout="wide")
# Chinese when the browser prefers it or the URL says ?lang=zh; the toggle decides after that, and the URL keeps it.
st.sidebar.toggle(state.TEXT["language"][0], value=state.initial_language(), key="zh")
state.keep_language_in_url()

if state.ensure_index() and state.index_ready():
    pages = [
        st.Page("pages/search.py", title=state.t("search"), icon=":material/search:", default=True),
        st.Page("pages/concept.py", title=state.t("concept"), icon=":material/label:"),
        st.Page("pages/explorer.py", title=state.t("explorer"), icon=":material/hub:"),
        st.Page("pages/topics.py", title=state.t("topics"), icon=":material/category:"),
        st.Page("pages/corpus.py", title=state.t("corpus"), icon=":material/library_books:"),
    ]
    st.navigation(pages).run()
