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
    "skipped": ("Skipped files and warnings", "跳过的文件与警告"),
    "rebuild": ("Rebuild the index", "重建索引"),
    "rebuild_help": ("Builds a new index from seeds/ and your uploaded articles. The old one is replaced only "
                     "once the new one is complete.", "从 seeds/ 和上传的文章重新构建索引；新索引完成后才替换旧索引。"),
    "rebuilding": ("Rebuilding the index ...", "正在重建索引……"),
    "damaged": ("The index at {path} cannot be opened ({error}).", "无法打开 {path} 的索引（{error}）。"),
    "stage_embedding": ("Still embedding: {embedded}/{passages} passages have vectors{left}. Search uses the lexical "
                        "and concept signals; the dense signal joins when the vectors are complete.",
                        "仍在生成向量：{embedded}/{passages} 个段落已完成{left}。搜索暂时只用关键词和概念信号，"
                        "向量完成后加入语义信号。"),
    "stage_stopped": (" (stopped: re-ingest continues where it stopped)", "（已中断：重新索引会从中断处继续）"),
    "stage_left": (", about {left} left", "，约剩 {left}"),
    "language": ("中文界面", "中文界面"),
    "direction_out": ("→", "→"),
    "cooccurrence": ("Show co-occurrence (related_to)", "显示共现关系（related_to）"),
    "cooccurrence_help": ("Concepts named in the same passage; many, and untyped.",
                          "在同一段落中出现的概念：数量多，且没有类型。"),
    "max_nodes": ("Most concepts", "最多概念数"),
    "edge_labels": ("Relation names", "关系名称"),
    "edge_labels_help": ("Write each relation on its line. Hovering a line shows its relations and their evidence.",
                         "在连线上写出关系名称。鼠标悬停在连线上可以看到关系及其证据。"),
    "filters": ("Relations and types", "关系与类型"),
    "shown": ("{shown} of {available} concepts · {edges} relations", "显示 {shown}/{available} 个概念 · {edges} 条关系"),
    "only_cooccurrence": ("No typed relation reaches this concept; turn on co-occurrence to see what it appears with.",
                          "没有类型化关系连到这个概念；打开共现关系可以看到与它一起出现的概念。"),
    "choose_node": ("Choose a concept in the drawing (or click it)", "选择图中的概念（或直接点击）"),
    "discovered": ("Discovered in the articles (not in the curated lexicon)", "从文章中发现（不在人工词表中）"),
    "discovered_short": ("discovered", "自动发现"),
    "more": ("More: the whole passage and the lines around it", "更多：完整段落及上下文"),
    "scope": ("Folder or file", "文件夹或文件"),
    "scope_all": ("All files", "全部文件"),
    "source": ("Source (copy)", "出处（可复制）"),
    "merged": ("joins {n} passages of this section", "合并了本节的 {n} 个段落"),
    "score": ("score", "得分"),
    "terms": ("terms", "词"),
    "concepts_word": ("concepts", "概念"),
    "dense": ("vector similarity", "向量相似度"),
}
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def lang() -> int:
    return 1 if st.session_state.get("zh", False) else 0


def initial_language() -> bool:
    """Whether the interface starts in Chinese: the URL's ``?lang=zh|en`` if it has one, else the browser's
    preferred language (the sidebar toggle's initial value; the toggle decides after that)."""
    if "zh" in st.session_state:
        return bool(st.session_state["zh"])
    wanted = st.query_params.get("lang")
    if wanted in ("zh", "en"):
        return wanted == "zh"
    return prefers_chinese(st.context.locale, st.context.headers.get("Accept-Language", ""))


def keep_language_in_url() -> None:
    """The language goes into the URL, so a shared or reloaded link opens in it."""
    st.query_params["lang"] = "zh" if lang() else "en"


def prefers_chinese(locale: str | None, accept_language: str = "") -> bool:
    """Whether the browser's first language is Chinese (``zh-CN``, ``zh-TW``, ``zh``...).

    >>> prefers_chinese("zh-CN"), prefers_chinese("en-US", "zh-CN,zh;q=0.9"), prefers_chinese(None, "zh-TW,en;q=0.8")
    (True, False, True)
    """
    first = locale or accept_language.split(",")[0].split(";")[0]
    return first.strip().lower().startswith("zh")


_URL = re.compile(r"\[([^\]\n]{1,200})\]\((https?://[^)\s]+)\)|(https?://[^\s<>\"'）)\]，。；]+)", re.IGNORECASE)


def passage_html(text: str, terms: list[str]) -> str:
    """Article text as HTML: escaped, ``terms`` marked, and its http(s) links (bare or markdown) clickable,
    opening in a new tab; any other scheme (``javascript:``) stays plain text."""
    out, last = [], 0
    for match in _URL.finditer(text):
        out.append(highlight(text[last : match.start()], terms))
        label, url = (match.group(1), match.group(2)) if match.group(2) else (match.group(3), match.group(3))
        out.append(f"<a href=\"{escape(url)}\" target=\"_blank\" rel=\"noopener noreferrer nofollow\">{escape(label)}</a>")
        last = match.end()
    out.append(highlight(text[last:], terms))
    return "".join(out)


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
    if target.exists() and not target.is_file():  # a FIFO would block the write; a folder is not ours to replace
        raise InputError(f"{name}: {target} is not a regular file; not replaced")
    target.write_bytes(data)
    return target


# max_entries: each re-ingest opens a new version; the old ones are let go, not kept forever.
@st.cache_resource(show_spinner=False, max_entries=2)
def _open(path: str, stamp: float) -> KnowledgeBase:
    base = KnowledgeBase.open(path)
    # Once per index version, while the page loads, not on the first paraphrase typed: the concepts'
    # descriptions encoded (about 10 ms a concept with e5).
    base.searcher.description_vectors
    return base


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
    progress = bar_progress(bar, t("building"))

    try:
        KnowledgeBase.build(corpus_dirs(), index_dir(), encoder=os.environ.get("GOKG_ENCODER"), progress=progress)
    except (GokgError, OSError) as exc:
        bar.empty()
        st.error(_message(exc))
        rebuild_button()
        return False
    bar.empty()
    return True


def require_index() -> None:
    """Stop the page, after saying why and offering a rebuild, when there is no index that opens.

    The router checks first; each page checks too, since a page can also be run on its own (AppTest)."""
    if not (ensure_index() and index_ready()):
        st.stop()


def index_ready() -> bool:
    """Whether the index opens. If it does not (damaged, written by another version, unreadable), say why
    and offer to rebuild it: every page goes through here, so none ends in a Streamlit exception."""
    try:
        kb()
    except Exception as exc:  # noqa: BLE001 - whatever is wrong with the files, the UI must offer a way out
        error = _message(exc) if isinstance(exc, (GokgError, OSError)) else f"{exc.__class__.__name__}: {exc}"
        st.error(t("damaged").format(path=index_dir(), error=error))
        rebuild_button()
        return False
    return True


def rebuild_button() -> None:
    """A button that rebuilds the index from seeds/ and the uploads, with the encoder it was built with."""
    st.caption(t("rebuild_help"))
    if not st.button(t("rebuild"), type="primary", key="rebuild-index"):
        return
    bar = st.progress(0.0, text=t("rebuilding"))
    try:
        KnowledgeBase.build(
            corpus_dirs(), index_dir(), encoder=_built_with(), settings=built_settings(),
            progress=lambda stage, done, total: bar.progress(min(done / max(total, 1), 1.0), text=f"{t('rebuilding')} {stage}"),
        )
    except Exception as exc:  # noqa: BLE001 - a rebuild that fails leaves the old index and says why
        bar.empty()
        st.error(_message(exc) if isinstance(exc, (GokgError, OSError)) else f"{exc.__class__.__name__}: {exc}")
        return
    _open.clear()
    st.rerun()


def built_settings():
    """The settings a re-ingest keeps from the index it replaces: the user's lexicon file, if any."""
    from gokg.settings import Settings

    lexicon = _manifest_field("settings", "lexicon")  # a damaged or missing manifest: the built-in lexicon
    return Settings(lexicon=lexicon if isinstance(lexicon, str) else None)


def _built_with() -> str | None:
    """The encoder named in the index's manifest when it can still be read, else $GOKG_ENCODER / the default."""
    name = _manifest_field("encoder", "name")
    if name is _UNREADABLE:
        return os.environ.get("GOKG_ENCODER")  # a damaged manifest: fall back to the default
    return name if isinstance(name, str) else None


_UNREADABLE = object()


def _manifest_field(*keys: str):
    """A field of the index's manifest as it is on disk, read without opening the index (which may be
    damaged), or ``_UNREADABLE`` when the file or the field cannot be read."""
    import json

    try:
        value = json.loads((index_dir() / "manifest.json").read_text("utf-8"))
        for key in keys:
            value = value[key]
        return value
    except Exception:  # noqa: BLE001 - missing, damaged, or another shape
        return _UNREADABLE


def _message(exc: BaseException) -> str:
    if isinstance(exc, OSError) and not isinstance(exc, GokgError):
        return f"{exc.filename}: {exc.strerror}" if exc.filename else str(exc)
    return str(exc)


def bar_progress(bar, caption: str = ""):
    """An ingest progress callback drawing on a ``st.progress`` bar: stage, counts and time left."""
    from gokg.ingest.progress import ProgressText

    describe = ProgressText()

    def progress(stage: str, done: int, total: int) -> None:
        bar.progress(min(done / max(total, 1), 1.0), text=f"{caption} {describe(stage, done, total)}".strip())

    return progress


def show_index_stage() -> None:
    """Say when the index is still embedding (search then runs without the dense signal)."""
    from gokg.ingest.progress import format_duration

    state = KnowledgeBase.status(index_dir())
    if state.stage != "embedding":
        return
    left = t("stage_left").format(left=format_duration(state.seconds_left)) if state.seconds_left else ""
    text = t("stage_embedding").format(embedded=state.embedded, passages=state.passages, left=left)
    st.info(text + ("" if state.writer_running else t("stage_stopped")))


def escape(text: str) -> str:
    return html.escape(text, quote=True)


MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md_escape(text: str) -> str:
    """``text`` for a markdown element (a header, a label): its markdown and HTML characters backslash-escaped,
    so ``blog__news__a.md`` keeps its underscores and ``[x](y)`` stays text."""
    return MARKDOWN_PUNCTUATION.sub(r"\\\1", text)


def html_line(body: str) -> str:
    """An HTML block for st.markdown: markdown is not parsed inside it, so escaped article text stays as is."""
    return f"<div style='margin:0 0 0.45rem 0'>{body}</div>"


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


def chosen_concept(base: KnowledgeBase, fallback: str | None = None) -> tuple[list[str], str]:
    """All concept names and the one the URL names (``?name=``, any alias), else ``fallback`` (a concept
    id), else the most mentioned concept that is not a language; stops the page when the articles mention
    no concept."""
    summaries = base.concepts()
    if not summaries:
        st.info(t("no_concepts_indexed"))
        st.stop()
    names = [c.name for c in summaries]
    if fallback in base.graph:
        fallback = base.graph.nodes[fallback]["name"]
    else:
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


RELATION_COLOURS = {
    "uses": "#2e86ab", "part_of": "#76b041", "is_a": "#9b5de5", "implements": "#e4572e",
    "alternative_to": "#f15bb5", "integrates_with": "#17bebb", "solves": "#c98b00", "measures": "#6c757d",
    "related_to": "#b0b0b0",
}


def relation_key(counts) -> str:
    """``━ uses 33 · ━ implements 25``: each relation in its line colour (HTML; relation names are ours)."""
    return " · ".join(
        f"<span style='color:{RELATION_COLOURS.get(r, '#999')};font-weight:bold'>━</span> {escape(str(r))} {n}"
        for r, n in counts.most_common()
    )


LABEL_CHARS = 22  # longer names are cut in the drawing; the tooltip has them whole


def _short(name: str) -> str:
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"


def _node_tip(data: dict) -> str:
    discovered = f" · {t('discovered_short')}" if data.get("discovered") else ""
    return (f"<b>{escape(data.get('name', ''))}</b><br>{escape(data.get('type', 'concept'))} · "
            f"{int(data.get('mentions', 0))} {t('mentions')}{discovered}")


def _edge_tip(G, u: str, v: str, edges: list[dict]) -> str:
    """Both ends and every relation between them, each with its first evidence (escaped article text)."""
    rows = []
    for data in edges:
        evidence = (data.get("evidence") or [None])[0]
        where = (f"<br><span style='opacity:.7'>{escape(evidence['doc'])}:{int(evidence['line'])}</span> "
                 f"{escape(evidence['text'][:120])}") if evidence else ""
        rows.append(f"<b>{escape(data.get('relation', 'related_to'))}</b> ({escape(str(data.get('origin', '')))}){where}")
    head = f"{escape(G.nodes[u].get('name', u))} → {escape(G.nodes[v].get('name', v))}"
    return "<div style='max-width:420px;white-space:normal'>" + head + "<br>" + "<br>".join(rows) + "</div>"


def graph_options(G, centre: str | None = None, *, edge_labels: bool = True, aspect: float = 1.3,
                  label_room: int = 150) -> dict:
    """ECharts options for a concept graph: a fixed, seeded layout (the same graph looks the same every
    time), node labels that hide rather than overlap, the legend above the drawing (never on a node),
    one line per ordered pair of concepts labelled with its relations, coloured by the first.

    ``aspect`` is the drawing box's width over its height: ECharts stretches the layout to the box, so
    a layout of the same shape keeps the nodes round. ``label_room`` (pixels) is kept free on the right
    for the labels of the rightmost nodes."""
    from streamlit_echarts import JsCode

    from gokg.graph.concept_graph import spread_layout

    pos = spread_layout(G, centre, aspect=aspect)
    most = max([int(d.get("mentions", 1)) for _, d in G.nodes(data=True)] or [1]) or 1
    types = [ctype for ctype in TYPE_COLOURS if any(d.get("type") == ctype for _, d in G.nodes(data=True))]
    nodes = []
    for node, data in G.nodes(data=True):
        ctype = data.get("type", "concept")
        size = 10 + 26 * (int(data.get("mentions", 1)) / most) ** 0.5
        nodes.append({
            "id": node, "name": data.get("name", node), "short": _short(data.get("name", node)),
            "tip": _node_tip(data), "x": pos[node][0], "y": pos[node][1],
            "category": types.index(ctype) if ctype in types else 0,
            "symbolSize": round(size + (8 if node == centre else 0), 1),
            "itemStyle": {"color": TYPE_COLOURS.get(ctype, "#888"),
                          "borderColor": "#000" if node == centre else "#fff", "borderWidth": 2.5 if node == centre else 1},
            "label": {"fontWeight": "bold", "fontSize": 14} if node == centre else {},
        })
    pairs: dict[tuple[str, str], list[dict]] = {}
    for u, v, data in G.edges(data=True):
        pairs.setdefault((u, v), []).append(data)
    links = []
    for (u, v), edges in pairs.items():
        edges.sort(key=lambda d: (d.get("relation") == "related_to", d.get("relation", "")))
        relation = edges[0].get("relation", "related_to")
        typed = relation != "related_to"
        names = " / ".join(d.get("relation", "related_to") for d in edges if d.get("relation") != "related_to")
        links.append({
            "source": u, "target": v, "tip": _edge_tip(G, u, v, edges),
            "relations": [d.get("relation", "related_to") for d in edges],
            "label": {"show": edge_labels and typed, "formatter": names},
            "lineStyle": {"type": "solid" if typed else "dashed", "opacity": 0.75 if typed else 0.3,
                          "width": 1.6 if typed else 1, "color": RELATION_COLOURS.get(relation, "#999"),
                          "curveness": 0.18 if (v, u) in pairs else 0.0},
        })
    return {
        "tooltip": {"confine": True, "formatter": JsCode("function (p) { return p.data.tip; }")},
        "legend": [{"data": types, "top": 0, "left": "center", "type": "scroll", "itemGap": 10, "itemWidth": 16,
                    "textStyle": {"fontSize": 11}}],
        "series": [{
            "type": "graph", "layout": "none", "roam": True, "draggable": True,
            # A few nodes would be flung to the box's corners: draw them closer. Nodes keep their size
            # in pixels at any zoom (a ratio of 0 reads as "unset" in ECharts, hence the tiny one).
            "zoom": round(min(1.0, 0.45 + 0.55 * (G.number_of_nodes() - 1) / 10), 3), "nodeScaleRatio": 0.001,
            # The drawing's box starts below the legend and leaves room for the labels right of nodes.
            "top": 48, "bottom": 16, "left": 24, "right": label_room,
            "data": nodes, "links": links,
            "categories": [{"name": ctype, "itemStyle": {"color": TYPE_COLOURS[ctype]}} for ctype in types],
            "label": {"show": True, "position": "right", "fontSize": 12,
                      "formatter": JsCode("function (p) { return p.data.short; }")},
            "edgeLabel": {"fontSize": 10, "color": "#555"},
            "labelLayout": {"hideOverlap": True},
            "emphasis": {"focus": "adjacency", "label": {"show": True}, "edgeLabel": {"show": True}},
            "edgeSymbol": ["none", "arrow"], "edgeSymbolSize": 7,
        }],
    }


def draw_graph(G, centre: str | None, key: str, height: str = "560px", *, edge_labels: bool = True,
               aspect: float = 1.3, label_room: int = 150) -> str | None:
    """Draw G; return the name of a clicked node (None when nothing was clicked)."""
    from streamlit_echarts import st_echarts

    value = st_echarts(
        graph_options(G, centre, edge_labels=edge_labels, aspect=aspect, label_room=label_room),
        height=height, key=key,
        events={"click": "function(params) { return params.dataType === 'node' ? params.data.name : undefined; }"},
    )
    if not value:
        return None
    event = value.get("chart_event") if hasattr(value, "get") else getattr(value, "chart_event", None)
    return event if isinstance(event, str) else None
