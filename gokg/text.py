"""How markup reads as plain text, for every layer: a heading as a reader sees it."""
from __future__ import annotations

import re

__all__ = ["heading_title"]

_EMPHASIS = re.compile(r"\*\*|__|`")
_LINK = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])")


def heading_title(line: str) -> str:
    """A heading line without ``#``, emphasis or link syntax.

    >>> heading_title("### **熔断** 与 [Kitex][Kitex] 的 `CBSuite`")
    '熔断 与 Kitex 的 CBSuite'
    """
    return _EMPHASIS.sub("", _LINK.sub(r"\1", line.strip().lstrip("#"))).strip()
