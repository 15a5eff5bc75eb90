"""Topics: communities of the concept graph with labels, sizes, members and a chart."""
import pandas as pd
import streamlit as st

from gokg.ui.state import escape, kb, open_concept, require_index, t

require_index()  # a damaged or missing index: the error and a rebuild button, not an exception

topics = kb().topics()
st.header(t("topics"))
if not topics:
    st.info(t("no_concepts_indexed"))
    st.stop()
st.subheader(t("topic_sizes"))
st.bar_chart(pd.DataFrame({"topic": [tp.label for tp in topics], "size": [tp.size for tp in topics]}).set_index("topic"))
for topic in topics:
    with st.expander(f"{topic.label} ({topic.size})"):
        st.markdown(escape(", ".join(topic.members)))
        pick = st.selectbox(t("open_concept"), ["—"] + topic.members, key=f"topic-{topic.id}")
        if pick != "—":
            open_concept(pick)
