"""Reduce an HTML page to text lines that keep its structure (headings, code, lists, tables).

Headings become Markdown ``#`` lines, ``<pre>`` becomes fenced code, list items become ``•`` lines and
table rows become tab-separated cells, so :mod:`ingest.structure` reads them as it reads plain text.
Line numbers of an HTML source therefore refer to this extracted text.
"""
from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser as HTMLParser, LexborNode as Node

__all__ = ["html_to_text"]

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
    tree = HTMLParser(html)
    root = tree.body or tree.root
    if root is None:
        return ""
    out: list[str] = []
    _walk(root, out)
    text = "\n".join(out)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip() + "\n"


def _inline(node: Node) -> str:
    return " ".join((node.text(deep=True, separator="") or "").split())


def _walk(node: Node, out: list[str]) -> None:
    inline_parts: list[str] = []

    def flush() -> None:
        text = " ".join("".join(inline_parts).split())
        if text:
            out.extend([text, ""])
        inline_parts.clear()

    child = node.child
    while child is not None:
        tag = child.tag
        if tag == "-text":
            inline_parts.append(child.text_content or "")
        elif tag in _SKIP or tag == "-comment":
            pass
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            flush()
            title = _inline(child)
            if title:
                out.extend(["#" * int(tag[1]) + " " + title, ""])
        elif tag == "pre":
            flush()
            code = (child.text(deep=True, separator="") or "").strip("\n")
            out.extend(["```", *code.split("\n"), "```", ""])
        elif tag in ("ul", "ol"):
            flush()
            for item in child.css("li"):
                text = _inline(item)
                if text:
                    out.append("• " + text)
            out.append("")
        elif tag == "table":
            flush()
            for row in child.css("tr"):
                cells = [_inline(cell) for cell in row.css("th, td")]
                if any(cells):
                    out.append("\t".join(cells))
            out.append("")
        elif tag == "br":
            flush()
        elif tag in _BLOCK or tag in ("li", "ul", "ol", "dl", "html"):
            flush()
            _walk(child, out)
        else:
            inline_parts.append(child.text(deep=True, separator="") or "")
        child = child.next
    flush()
