"""gokg UI entry point: a router over the pages (streamlit run ui/app.py)."""
import streamlit as st

st.set_page_config(page_title="gokg", page_icon="🕸️", layout="wide")
st.title("gokg")
st.write("UI coming in the next change.")
