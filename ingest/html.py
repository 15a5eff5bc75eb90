"""Reduce an HTML page to text lines that keep its structure (headings, code, lists, tables).

Headings become Markdown ``#`` lines, ``<pre>`` becomes fenced code, list items become ``•`` lines and
table rows become tab-separated cells, so :mod:`ingest.structure` reads them as it reads plain text.
Each block of the text stands on the line of the page where its text starts (:func:`_at_source_lines`),
so the line numbers that search and relations cite are those of the page as stored.
"""
from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser as HTMLParser, LexborNode as Node

__all__ = ["html_to_text", "nesting_depth", "MAX_DEPTH"]

MAX_DEPTH = 1_000  # real pages nest a few dozen elements deep
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^<>]*?(/?)>")
# Elements that never hold others, or that the parser closes by itself when the next one opens.
_NOT_NESTING = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
    "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody", "tfoot", "colgroup", "rp", "rt",
}
# HTML elements ignore a self-closing slash (<div/> opens a div); SVG and MathML elements (<path/>) honour it.
_HTML_ELEMENTS = {
    "a", "abbr", "article", "aside", "b", "big", "blockquote", "body", "button", "canvas", "caption", "center", "cite",
    "code", "del", "details", "dfn", "div", "dl", "em", "fieldset", "figcaption", "figure", "font", "footer", "form",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "html", "i", "iframe", "ins", "kbd", "label", "legend", "main",
    "mark", "nav", "noscript", "object", "ol", "pre", "q", "s", "samp", "section", "select", "small", "span", "strike",
    "strong", "sub", "summary", "sup", "table", "textarea", "tt", "u", "ul", "var", "video", "audio",
}

_SKIP = {"script", "style", "noscript", "nav", "footer", "header", "form", "aside", "svg", "button", "iframe"}
_BLOCK = {"p", "div", "section", "article", "main", "blockquote", "figure", "figcaption", "dd", "dt", "body"}


def html_to_text(html: str) -> str:
    """Return the page's text, one structural unit per paragraph.

    >>> print(html_to_text("<h2>熔断</h2><p>Sentinel 实现<b>熔断</b></p><pre>go run .</pre>"), end="")
    ## 熔断
    <BLANKLINE>
    Sentinel 实现熔断
    <BLANKLINE>
    ```
    go run .
    ```
    """
    depth = nesting_depth(html)
    if depth > MAX_DEPTH:
        # lexbor's parser slows down with the square of the nesting (100,000 nested <div> take minutes)
        raise ValueError(f"HTML nested {depth:,} elements deep (more than {MAX_DEPTH:,}): not a readable page")
    tree = HTMLParser(html)
    root = tree.body or tree.root
    if root is None:
        return ""
    for item in root.css("li, td, th"):
        item.insert_before(" ")  # a list or table nested in an item is read as part of its text, words kept apart
    out: list[str] = []
    _walk(root, out)
    return "\n".join(_at_source_lines(out, html)).rstrip() + "\n"


_SOURCE_TAG = re.compile(r"<[^<>]*>")
_MARKER = re.compile(r"^(?:#{1,6} |• |```)")


def _at_source_lines(lines: list[str], html: str) -> list[str]:
    """The extracted ``lines`` with each block (the lines between blank lines) moved down to the line of the
    page where its text starts, so that a cited ``page.html:40`` is line 40 of the page as stored. Blocks stay
    in order and one blank line apart at least; a block whose text is not found follows the one before.

    >>> _at_source_lines(["## 熔断", "", "Sentinel 实现熔断", ""], "<html>\\n<h2>熔断</h2>\\n\\n<p>Sentinel 实现<b>熔断</b></p>")
    ['', '## 熔断', '', 'Sentinel 实现熔断']
    """
    import bisect
    from html import unescape
    from itertools import accumulate, groupby

    source = [" ".join(unescape(_SOURCE_TAG.sub("", line)).split()) for line in html.split("\n")]
    joined = "\n".join(source)
    starts = [0, *accumulate(len(line) + 1 for line in source[:-1])]  # where each line of ``source`` starts in ``joined``
    blocks = [list(group) for text, group in groupby(lines, key=lambda line: bool(line.strip())) if text]
    placed: list[str] = []
    body = re.search(r"<body\b", html, re.I)  # not the <title> in the head, which repeats the first heading
    position = starts[html.count("\n", 0, body.start())] if body else 0  # where the search for the next block starts
    for block in blocks:
        fence = block[0].startswith("```")
        first = (block[1] if len(block) > 1 else "") if fence else _MARKER.sub("", block[0])
        key = " ".join(first.split())[:12]
        found = joined.find(key, position) if key else -1
        target = bisect.bisect_right(starts, found) - 1 if found >= 0 else -1
        if found >= 0:
            position = found + len(key)
        if fence and target > 0:
            target -= 1  # the fence opens the line before the code, and needs no blank line before it
        # A blank line parts two blocks, unless the page puts this one right below a heading or it is a fence
        # (each a line of its own already); a block the page places no lower than where the text is gets it.
        joined_on = fence or not placed or placed[-1].startswith("#")
        at = target if target >= len(placed) + (0 if joined_on else 1) else len(placed) + (1 if placed else 0)
        placed.extend([""] * (at - len(placed)))
        placed.extend(block)
    return placed


def _inline(node: Node) -> str:
    return " ".join((node.text(deep=True, separator="") or "").split())


def nesting_depth(html: str) -> int:
    """How deep the page's elements nest (an estimate from its tags, in linear time).

    >>> nesting_depth("<div><div><p>a<p>b<br></div></div>"), nesting_depth("<div>" * 5), nesting_depth("<div/>" * 5)
    (2, 5, 5)
    >>> nesting_depth("<svg>" + "<path d='M0 0'/>" * 5 + "</svg>")
    1
    """
    depth = deepest = 0
    for closing, tag, self_closing in _TAG.findall(html):
        tag = tag.lower()
        if tag in _NOT_NESTING or (self_closing and tag not in _HTML_ELEMENTS):
            continue
        if closing:
            depth = max(depth - 1, 0)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def _walk(root: Node, out: list[str]) -> None:
    """Append the lines of ``root``'s children to ``out``.

    Iterative, with a stack of open block elements: a page of 100,000 nested ``<div>`` is read in linear
    time and cannot exhaust Python's recursion limit. Lists and tables read their own rows only (a nested
    list is part of its item's text), so deep nesting is never read twice.
    """
    frames: list[tuple[list[Node | None], list[str]]] = [([root.child], [])]
    while frames:
        cursor, inline_parts = frames[-1]
        child = cursor[0]
        if child is None:
            _flush(inline_parts, out)
            frames.pop()
            continue
        cursor[0] = child.next
        tag = child.tag
        if tag == "-text":
            inline_parts.append(child.text_content or "")
        elif tag in _SKIP or tag == "-comment":
            pass
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            _flush(inline_parts, out)
            title = _inline(child)
            if title:
                out.extend(["#" * int(tag[1]) + " " + title, ""])
        elif tag == "pre":
            _flush(inline_parts, out)
            code = (child.text(deep=True, separator="") or "").strip("\n")
            out.extend(["```", *code.split("\n"), "```", ""])
        elif tag in ("ul", "ol"):
            _flush(inline_parts, out)
            for item in _children(child, ("li",)):
                text = _inline(item)
                if text:
                    out.append("• " + text)
            out.append("")
        elif tag == "table":
            _flush(inline_parts, out)
            for row in _rows(child):
                cells = [_inline(cell) for cell in _children(row, ("th", "td"))]
                if any(cells):
                    out.append("\t".join(cells))
            out.append("")
        elif tag == "br":
            _flush(inline_parts, out)
        elif tag in _BLOCK or tag in ("li", "dl", "html"):
            _flush(inline_parts, out)
            frames.append(([child.child], []))
        else:
            inline_parts.append(child.text(deep=True, separator="") or "")


def _flush(inline_parts: list[str], out: list[str]) -> None:
    text = " ".join("".join(inline_parts).split())
    if text:
        out.extend([text, ""])
    inline_parts.clear()


def _children(node: Node, tags: tuple[str, ...]):
    child = node.child
    while child is not None:
        if child.tag in tags:
            yield child
        child = child.next


def _rows(table: Node):
    """The table's own rows (directly or in thead/tbody/tfoot), not those of tables nested in its cells."""
    for child in _children(table, ("tr", "thead", "tbody", "tfoot")):
        if child.tag == "tr":
            yield child
        else:
            yield from _children(child, ("tr",))
