"""How markup reads as plain text, for every layer: a heading as a reader sees it."""
from __future__ import annotations

import re

__all__ = ["LINK", "link_text", "heading_title", "front_matter_title", "reading_line"]

_EMPHASIS = re.compile(r"\*\*|__|`")
# A Markdown link or image, inline ``[text](url)`` or by reference ``[text][ref]``.
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\[[^\]]*\]")
_REFERENCE_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
# The title line of a Markdown file's front matter (Hugo, Jekyll, Docusaurus, VuePress): ``title: "熔断"``.
# Unindented (a nested ``seo:\n  title:`` is not the document's), one line: a block scalar (``title: >-``)
# or an empty value gives no title, and a comment after the value (``# …``) is not part of it.
_FRONT_MATTER_TITLE = re.compile(
    r"""^title:[ \t]*(?:"(?P<double>[^"]+)"|'(?P<single>[^']+)'|(?P<plain>[^"'>|#\s][^#]*?))[ \t]*(?:#.*)?$""")


def link_text(text: str) -> str:
    """``text`` with each Markdown link replaced by its text.

    >>> link_text("见 [Kitex](https://x.io) 与 [Hertz][1]，![图](a.png)")
    '见 Kitex 与 Hertz，图'
    """
    return LINK.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), text)


def heading_title(line: str) -> str:
    """A heading line without ``#``, emphasis or link syntax.

    >>> heading_title("### **熔断** 与 [Kitex][Kitex] 的 `CBSuite`")
    '熔断 与 Kitex 的 CBSuite'
    """
    return _EMPHASIS.sub("", link_text(line.strip().lstrip("#"))).strip()


def front_matter_title(line: str) -> str:
    """The title a front-matter line gives its document ("" for any other line); `` > `` inside it, the
    separator of section paths, reads `` / ``.

    >>> front_matter_title('title: "熔断"'), front_matter_title("title: Kitex 概览"), front_matter_title("date: 2023")
    ('熔断', 'Kitex 概览', '')
    >>> front_matter_title("title: '熔断' # cb"), front_matter_title("title: >-"), front_matter_title("  title: SEO 标题")
    ('熔断', '', '')
    >>> front_matter_title("title: 概览 > 熔断")
    '概览 / 熔断'
    """
    match = _FRONT_MATTER_TITLE.match(line.rstrip())
    if not match:
        return ""
    title = next(group for group in match.group("double", "single", "plain") if group is not None)
    return heading_title(title).replace(" > ", " / ")


def reading_line(line: str) -> str:
    """A line of an article as a reader sees it in a short excerpt: no bold or reference-link syntax
    (an inline link ``[text](url)`` stays, so that it can be made a link).

    >>> reading_line("[Kitex][Kitex] 的 **熔断器** 见 [文档](https://x.io)")
    'Kitex 的 熔断器 见 [文档](https://x.io)'
    """
    return _REFERENCE_LINK.sub(r"\1", line).replace("**", "").replace("__", "")
