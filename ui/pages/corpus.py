"""Corpus: the indexed files; add articles and re-ingest, keeping the old index if anything fails."""
import pandas as pd
import streamlit as st

from gokg import KnowledgeBase
from gokg.errors import GokgError
from gokg.ingest.read import SUFFIXES
from gokg.ui.state import (
    bar_progress, built_settings, corpus_dirs, index_dir, kb, require_index, save_upload, show_index_stage, t, uploads_dir,
)

require_index()  # a damaged or missing index: the error and a rebuild button, not an exception

st.header(t("corpus"))
show_index_stage()
st.subheader(t("indexed_files"))
st.dataframe(pd.DataFrame(kb().files()), hide_index=True, width="stretch")
problems = kb().manifest.get("problems", [])
if problems:
    st.subheader(t("skipped"))
    st.dataframe(pd.DataFrame(problems), hide_index=True)

uploads = st.file_uploader(t("upload"), type=[s.lstrip(".") for s in SUFFIXES], accept_multiple_files=True)
if st.button(t("reingest"), type="primary"):
    # Kept in the session: the rerun after a successful ingest must not wipe why an upload was refused.
    st.session_state["upload_errors"] = errors = []
    for upload in uploads or []:
        try:
            save_upload(upload.name, upload.getvalue(), uploads_dir())
        except (GokgError, OSError) as exc:
            errors.append(str(exc))
    bar = st.progress(0.0)
    try:
        report = KnowledgeBase.build(
            corpus_dirs(), index_dir(), encoder=kb().manifest["encoder"]["name"], settings=built_settings(),
            progress=bar_progress(bar),
        ).build_report
    except (GokgError, OSError) as exc:
        st.error(f"{exc} — the previous index is still in use")
    else:
        st.session_state["last_ingest"] = report.to_dict()
        st.rerun()
for error in st.session_state.get("upload_errors", []):
    st.error(error)
last = st.session_state.get("last_ingest")
if last:
    st.success(f"{last['files']} files, {last['passages']} passages ({last['embedded']} embedded)")
    for problem in last["problems"]:
        st.warning(f"{problem['path']}: {problem['reason']}")
