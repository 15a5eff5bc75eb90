"""Group blocks into passages: coherent units of at most ``max_lines`` original lines under one heading.

A heading starts a new passage and is joined to what follows it; a block is never cut unless it alone is
longer than ``max_lines``; boilerplate stays out, and a front-matter title heads every section path of its
document. A passage's text is exactly the original lines it names.
"""
from __future__ import annotations

from gokg.models import Block, Document, Passage
from gokg.text import front_matter_title, heading_title

__all__ = ["make_passages"]


def make_passages(
    doc: Document, blocks: list[Block], *, first_id: int = 0, max_lines: int = 40, target_chars: int = 600
) -> list[Passage]:
    """Build the passages of one document.

    ``target_chars`` is a soft size: a passage is closed before a block that would take it past that size
    (so a passage fits the 512-token window of the encoder), ``max_lines`` a hard one.
    """
    if max_lines < 1:
        raise ValueError(f"max_lines={max_lines}, max_lines must be >= 1")
    lines = doc.lines
    passages: list[Passage] = []
    headings: dict[int, str] = {}
    group: list[Block] = []
    group_section = ""
    headed = False  # a heading of the article itself seen (the front-matter title is not one)

    def flush() -> None:
        nonlocal group
        if group:
            start, end = group[0].line_start, group[-1].line_end
            passages.append(
                Passage(
                    id=first_id + len(passages),
                    doc=doc.name,
                    line_start=start,
                    line_end=end,
                    section=group_section,
                    text="\n".join(lines[start - 1 : end]),
                    kinds=tuple(dict.fromkeys(b.kind for b in group)),
                )
            )
        group = []

    for block in blocks:
        if block.kind == "title":  # the front matter's title: the top of every section path, no passage of its own
            headings[0] = front_matter_title(block.text)
            continue
        if block.kind == "boilerplate":
            flush()
            continue
        if block.kind == "heading":
            level = block.level or 4
            # A chapter heading directly followed by a deeper one is joined to it, not left alone.
            if not (group and all(b.kind == "heading" and b.level < level for b in group)):
                flush()
            for deeper in [lvl for lvl in headings if lvl >= level]:
                del headings[deeper]
            title = heading_title(block.text)
            if headed or title != headings.get(0):  # an article's first heading that repeats its title: once
                headings[level] = title
            headed = True
            group_section = " > ".join(headings[lvl] for lvl in sorted(headings))
            group.append(block)
            continue
        room = max_lines
        if group and all(b.kind == "heading" for b in group):
            # headings stay with the start of what they head, not alone in a passage of their own
            room = max(max_lines - (block.line_start - group[0].line_start), 1)
        for piece in _split_long(block, max_lines, first=room):
            if group:
                span = piece.line_end - group[0].line_start + 1
                size = sum(len(b.text) for b in group) + len(piece.text)
                only_heading = all(b.kind == "heading" for b in group)
                if span > max_lines or (size > target_chars and not only_heading):
                    flush()
            if not group:
                group_section = " > ".join(headings[lvl] for lvl in sorted(headings))
            group.append(piece)
    flush()
    return passages


def _split_long(block: Block, max_lines: int, first: int | None = None) -> list[Block]:
    """Cut a block longer than ``max_lines`` into pieces, preferring blank lines as cut points; the first
    piece at most ``first`` lines (what is left of a passage its headings opened)."""
    span = block.line_end - block.line_start + 1
    first = max_lines if first is None else min(first, max_lines)
    if span <= first:
        return [block]
    lines = block.text.split("\n")
    pieces: list[Block] = []
    start = 0
    while start < len(lines):
        limit = first if not pieces else max_lines
        end = min(start + limit, len(lines))
        if end < len(lines):
            blanks = [i for i in range(start + limit // 2, end) if not lines[i].strip()]
            if blanks:
                end = blanks[-1]
        while end > start + 1 and not lines[end - 1].strip():
            end -= 1
        pieces.append(
            Block(block.kind, block.line_start + start, block.line_start + end - 1, "\n".join(lines[start:end]))
        )
        start = end
        while start < len(lines) and not lines[start].strip():
            start += 1
    return pieces
