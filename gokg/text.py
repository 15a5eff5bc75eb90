"""How markup reads as plain text, for every layer: a heading as a reader sees it."""
from __future__ import annotations

import re

__all__ = ["heading_title", "reading_line"]

_EMPHASIS = re.compile(r"\*\*|__|`")
_LINK = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])")
_REFERENCE_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")


def heading_title(line: str) -> str:
    """A heading line without ``#``, emphasis or link syntax.

    >>> heading_title("### **熔断** 与 [Kitex][Kitex] 的 `CBSuite`")
    '熔断 与 Kitex 的 CBSuite'
    """
    return _EMPHASIS.sub("", _LINK.sub(r"\1", line.strip().lstrip("#"))).strip()


def reading_line(line: str) -> str:
    """A line of an article as a reader sees it in a short excerpt: no bold or reference-link syntax
    (an inline link ``[text](url)`` stays, so that it can be made a link).

    >>> reading_line("[Kitex][Kitex] 的 **熔断器** 见 [文档](https://x.io)")
    'Kitex 的 熔断器 见 [文档](https://x.io)'
    """
    return _REFERENCE_LINK.sub(r"\1", line).replace("**", "").replace("__", "")
