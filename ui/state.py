"""What every page shares: the knowledge base (opened once), the language, escaping and highlighting.

Pages only draw widgets and call the library; article text is always escaped before it is shown.
"""
from __future__ import annotations

import html
import os
import re
from pathlib import Path

import streamlit as st

from gokg import KnowledgeBase
from gokg.errors import GokgError
from gokg.paths import seeds_dir

TYPE_COLOURS = {
    "framework": "#e4572e", "library": "#17bebb", "tool": "#ffc914", "pattern": "#76b041",
    "protocol": "#9b5de5", "platform": "#2e86ab", "language": "#f15bb5", "concept": "#8d99ae",
}
TEXT = {
    "search": ("Search", "搜索"),
    "concept": ("Concept", "概念"),
    "explorer": ("Explorer", "关系探索"),
    "topics": ("Topics", "主题"),
    "corpus": ("Corpus", "语料"),
    "query": ("Search the articles (Chinese or English)", "搜索文章（中文或英文）"),
    "placeholder": ("e.g. saga 补偿, 如何防止服务雪崩, sync.Pool", "例如：saga 补偿、如何防止服务雪崩、sync.Pool"),
    "linked": ("Concepts in your query", "查询涉及的概念"),
    "no_concepts": ("No known concept in the query.", "查询中没有识别到已知概念。"),
    "no_concepts_indexed": ("The indexed articles mention no known concept yet.", "已索引的文章中还没有识别到概念。"),
    "results": ("Results", "结果"),
    "no_results": ("No passage matches.", "没有匹配的段落。"),
    "weak": ("These results match weakly: the articles may not cover this question.",
             "匹配较弱：文章可能没有涉及这个问题。"),
    "why": ("Why this result", "为什么是这个结果"),
    "absent": ("Known concepts that no indexed article mentions: ", "已知概念，但已索引的文章没有提到："),
    "context": ("Surrounding lines", "上下文"),
    "lines": ("lines", "行"),
    "choose_concept": ("Concept", "概念"),
    "aliases": ("Aliases", "别名"),
    "files": ("Files", "文件"),
    "mentions": ("Mentions", "提及"),
    "relations": ("Relations", "关系"),
    "best_passages": ("Best passages", "相关段落"),
    "neighbourhood": ("Neighbourhood", "邻域"),
    "depth": ("Depth", "深度"),
    "relation_filter": ("Relations to show", "显示的关系"),
    "type_filter": ("Concept types to show", "显示的概念类型"),
    "open_concept": ("Open concept page", "打开概念页"),
    "topic_sizes": ("Concepts per topic", "每个主题的概念数"),
    "indexed_files": ("Indexed files", "已索引文件"),
    "upload": ("Add articles (.txt, .md, .html)", "添加文章（.txt、.md、.html）"),
    "reingest": ("Re-ingest", "重新索引"),
    "building": ("Building the index from seeds/ (first run) ...", "首次运行：正在从 seeds/ 构建索引……"),
    "skipped": ("Skipped files", "跳过的文件"),
    "language": ("中文界面", "中文界面"),
    "direction_out": ("→", "→"),
}
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def lang() -> int:
    return 1 if st.session_state.get("zh", False) else 0


def t(key: str) -> str:
    return TEXT[key][lang()]


def index_dir() -> Path:
    return Path(os.environ.get("GOKG_INDEX", "index")).resolve()


def corpus_dirs() -> list[Path]:
    """What the UI ingests: the bundled seeds and the user's uploads folder."""
    seeds = seeds_dir()
    return [seeds, uploads_dir()]


def uploads_dir() -> Path:
    path = Path(os.environ.get("GOKG_UPLOADS", index_dir().parent / "corpus")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def save_upload(name: str, data: bytes, folder: Path) -> Path:
    """Write an uploaded article into ``folder``; whatever its name says, it lands inside ``folder``.

    Raises InputError naming the file when it is not .txt/.md/.html or is too large.
    """
    from gokg.errors import InputError
    from gokg.ingest.read import SUFFIXES

    base = Path(name.replace("\\", "/")).name.lstrip(".")
    if not base or Path(base).suffix.lower() not in SUFFIXES:
        raise InputError(f"{name}: not a .txt, .md or .html file")
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError(f"{name}: larger than {MAX_UPLOAD_BYTES // 2**20} MB")
    target = (folder / base).resolve()
    if target.parent != folder.resolve():
        raise InputError(f"{name}: not a plain file name")
    target.write_bytes(data)
    return target


# max_entries: each re-ingest opens a new version; the old ones are let go, not kept forever.
@st.cache_resource(show_spinner=False, max_entries=2)
def _open(path: str, stamp: float) -> KnowledgeBase:
    return KnowledgeBase.open(path)


def kb() -> KnowledgeBase:
    """The knowledge base, opened once per index version (a re-ingest changes the manifest's mtime)."""
    path = index_dir()
    stamp = (path / "manifest.json").stat().st_mtime if (path / "manifest.json").exists() else 0.0
    return _open(str(path), stamp)


def ensure_index() -> bool:
    """Build the index from seeds/ with a progress bar if there is none. False when it failed."""
    if (index_dir() / "manifest.json").exists():
        return True
    bar = st.progress(0.0, text=t("building"))

    def progress(stage: str, done: int, total: int) -> None:
        bar.progress(min(done / max(total, 1), 1.0), text=f"{t('building')} {stage} {done}/{total}")

    try:
        KnowledgeBase.build(corpus_dirs(), index_dir(), encoder=os.environ.get("GOKG_ENCODER"), progress=progress)
    except GokgError as exc:
        st.error(str(exc))
        return False
    bar.empty()
    return True


def escape(text: str) -> str:
    return html.escape(text, quote=True)


def highlight(text: str, terms: list[str]) -> str:
    """Escaped ``text`` with ``terms`` wrapped in <mark> (case-insensitive)."""
    escaped = escape(text)
    words = sorted({escape(term) for term in terms if term.strip()}, key=len, reverse=True)
    if not words:
        return escaped
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    return pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped)


def code_block(html_text: str) -> str:
    """Escaped, highlighted text in a box that keeps its lines (markdown would join them)."""
    body = html_text.replace("\n", "<br>")
    return (
        "<div style='white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:0.82rem;"
        f"background:rgba(128,128,128,0.08);padding:0.6rem;border-radius:0.4rem'>{body}</div>"
    )


def chosen_concept(base: KnowledgeBase) -> tuple[list[str], str]:
    """All concept names and the one the URL names (``?name=``, any alias), else the most mentioned
    concept that is not a language; stops the page when the articles mention no concept."""
    summaries = base.concepts()
    if not summaries:
        st.info(t("no_concepts_indexed"))
        st.stop()
    names = [c.name for c in summaries]
    fallback = next((c.name for c in summaries if c.type != "language"), names[0])
    wanted = st.query_params.get("name")
    if not wanted:
        return names, fallback
    try:
        return names, base.graph.nodes[base.resolve(wanted)]["name"]
    except GokgError as exc:
        st.error(str(exc))
        return names, fallback


def open_concept(name: str) -> None:
    st.switch_page("pages/concept.py", query_params={"name": name})


def concept_chip(name: str, ctype: str, key: str) -> None:
    colour = TYPE_COLOURS.get(ctype, "#888")
    if st.button(f"{name} · {ctype}", key=key, help=t("open_concept"), type="secondary"):
        open_concept(name)
    st.markdown(f"<div style='height:3px;background:{colour};margin-top:-0.6rem;border-radius:2px'></div>",
                unsafe_allow_html=True)


def graph_options(G, centre: str | None = None) -> dict:
    """ECharts options for a concept graph: nodes coloured by type, edges labelled by relation."""
    nodes = []
    for node, data in G.nodes(data=True):
        nodes.append({
            "id": node, "name": data.get("name", node), "category": data.get("type", "concept"),
            "symbolSize": 14 + min(int(data.get("mentions", 1)), 40) * (1.6 if node == centre else 0.8),
            "itemStyle": {"color": TYPE_COLOURS.get(data.get("type"), "#888"),
                          "borderColor": "#000" if node == centre else "#fff", "borderWidth": 2 if node == centre else 1},
        })
    links = []
    for u, v, data in G.edges(data=True):
        typed = data.get("relation") != "related_to"
        links.append({
            "source": u, "target": v, "value": data.get("relation"),
            "label": {"show": typed, "formatter": data.get("relation"), "fontSize": 10},
            "lineStyle": {"type": "solid" if typed else "dashed", "opacity": 0.8 if typed else 0.35,
                          "width": 2 if typed else 1},
        })
    categories = [{"name": name, "itemStyle": {"color": colour}} for name, colour in TYPE_COLOURS.items()]
    return {
        "tooltip": {},
        "legend": [{"data": list(TYPE_COLOURS)}],
        "series": [{
            "type": "graph", "layout": "force", "roam": True, "draggable": True,
            "data": nodes, "links": links, "categories": categories,
            "label": {"show": True, "position": "right"},
            "edgeSymbol": ["none", "arrow"], "edgeSymbolSize": 7,
            "force": {"repulsion": 450, "edgeLength": [90, 180], "gravity": 0.08},
        }],
    }


def draw_graph(G, centre: str | None, key: str, height: str = "560px") -> str | None:
    """Draw G; return the name of a clicked node (None when nothing was clicked)."""
    from streamlit_echarts import st_echarts

    value = st_echarts(
        graph_options(G, centre), height=height, key=key,
        events={"click": "function(params) { return params.dataType === 'node' ? params.data.name : undefined; }"},
    )
    if not value:
        return None
    event = value.get("chart_event") if hasattr(value, "get") else getattr(value, "chart_event", None)
    return event if isinstance(event, str) else None
