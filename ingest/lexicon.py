"""The curated Go-domain lexicon (``data/lexicon.tsv``) and a fast alias matcher over it.

The lexicon is data, reviewed like code: one concept a line with its type and its Chinese and English
aliases. :class:`ConceptMatcher` finds every alias in a text with one Aho-Corasick pass.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

import ahocorasick

from gokg.errors import InputError
from gokg.models import CONCEPT_TYPES, RELATION_TYPES, Concept
from .normalize import alias_key, normalize

__all__ = ["URL", "load_lexicon", "parse_lexicon", "lexicon_hash", "concept_id", "ConceptMatcher", "Match", "DEFAULT_LEXICON"]

DEFAULT_LEXICON = "lexicon.tsv"
_WORD = re.compile(r"[A-Za-z0-9_]")
# URLs name hosts and paths, not the concepts an article is about ("github.com/…"); extraction masks
# them with the same pattern.
URL = re.compile(r"(?:https?|ftp)://[^\s)）\]>\"'，。]+|www\.[^\s)）\]>\"'，。]+")
_NOT_MENTIONS = re.compile(URL.pattern + r"|\]\([^)\s]+\)")  # and Markdown link targets


def _builtin_text() -> str:
    return resources.files("gokg.ingest").joinpath("data", DEFAULT_LEXICON).read_text("utf-8")


def _user_text(path: str | Path) -> str:
    try:
        return Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the lexicon ({getattr(exc, 'strerror', None) or exc})") from None


def lexicon_hash(path: str | Path | None = None) -> str:
    """Content hash of the lexicon in use (the built-in one plus the user's file), recorded in the manifest."""
    text = _builtin_text() + ("\0" + _user_text(path) if path else "")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def concept_id(name: str) -> str:
    """A stable id for a concept name.

    >>> concept_id("Circuit Breaker"), concept_id("sync.Pool")
    ('circuit-breaker', 'sync.pool')
    """
    return re.sub(r"\s+", "-", normalize(name.strip()))


def load_lexicon(path: str | Path | None = None) -> list[Concept]:
    """The built-in lexicon, merged with the user's lexicon file at ``path`` (same TSV format).

    A user line whose name is a built-in concept replaces it; an alias the user gives to a concept is
    taken from whichever built-in concept had it. A malformed line is an error naming the file and line.
    """
    builtin = parse_lexicon(_builtin_text(), DEFAULT_LEXICON)
    if path is None:
        return builtin
    user = parse_lexicon(_user_text(path), str(path), frozenset(c.id for c in builtin))
    names = {c.id for c in user}
    claimed = {alias_key(a) for c in user for a in c.aliases}
    merged = []
    for concept in builtin:
        if concept.id in names:
            continue
        aliases = tuple(a for a in concept.aliases if alias_key(a) not in claimed)
        merged.append(replace(concept, aliases=aliases or (concept.name,)))
    return merged + user


def parse_lexicon(text: str, origin: str, known: frozenset[str] = frozenset()) -> list[Concept]:
    r"""Parse lexicon TSV text; a malformed line or an alias claimed by two concepts is an error naming the line.

    >>> [(c.name, c.type, c.aliases) for c in parse_lexicon("Frugal\tlibrary\tFrugal|frugal\n", "my.tsv")]
    [('Frugal', 'library', ('Frugal', 'frugal'))]
    >>> parse_lexicon("Frugal\tlib\tFrugal\n", "my.tsv")
    Traceback (most recent call last):
    ...
    gokg.errors.InputError: my.tsv:1: type='lib', must be one of framework, library, tool, pattern, protocol, platform, language, concept
    """
    concepts: list[Concept] = []
    owners: dict[str, str] = {}
    pending: list[tuple[str, int]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) < 3:
            raise InputError(f"{origin}:{number}: expected name, type, aliases separated by tabs")
        name, ctype, aliases = cells[0].strip(), cells[1].strip(), cells[2]
        if ctype not in CONCEPT_TYPES:
            raise InputError(f"{origin}:{number}: type={ctype!r}, must be one of {', '.join(CONCEPT_TYPES)}")
        written = [a.strip() for a in aliases.split("|") if a.strip()]
        bare = tuple(a[1:] for a in written if a.startswith("~"))  # "~调度器": a name only standing alone
        names = tuple(dict.fromkeys([name, *[a.lstrip("~") for a in written]]))
        for alias in names:
            key = _case_key(alias)
            if owners.get(key, name) != name:
                raise InputError(f"{origin}:{number}: alias {alias!r} of {name} already belongs to {owners[key]}")
            owners[key] = name
        description = cells[3].strip() if len(cells) > 3 else ""
        hints = []
        for hint in filter(None, (cells[4].strip() if len(cells) > 4 else "").split(";")):
            relation, _, target = hint.partition(":")
            if relation not in RELATION_TYPES or not target:
                raise InputError(f"{origin}:{number}: hint {hint!r} must be relation:Target, relation one of {', '.join(RELATION_TYPES)}")
            hints.append((relation, concept_id(target), number))
        concepts.append(Concept(id=concept_id(name), name=name, type=ctype, aliases=names, description=description,
                                hints=tuple((r, t) for r, t, _ in hints), bare=bare))
        for _, target, line in hints:
            pending.append((target, line))
    ids = {c.id for c in concepts} | known  # a user's hints may name built-in concepts
    for target, line in pending:
        if target not in ids:
            raise InputError(f"{origin}:{line}: hint names {target!r}, which is not a concept of the lexicon")
    return concepts


def _case_sensitive(alias: str) -> bool:
    # Short ASCII aliases (Go, GC, TCC, k6) would match inside ordinary words if case were ignored.
    return alias.isascii() and len(alias) <= 3


def _case_key(alias: str) -> str:
    return alias if _case_sensitive(alias) else normalize(alias)


# Characters that may stand before a bare alias without making it the head of a longer name.
_FUNCTION_CHARS = set("的是了和与跟及或在把被由从对就即里中个种这那其该各每用给向让为也都还再又而并且之")


def modified(text: str, start: int) -> bool:
    """Whether a modifier is glued to the name starting at ``start``: "任务调度器", "Weirgate 调度器" name other things.

    >>> [modified(t, t.index("调度器")) for t in ("延迟任务调度器", "Weirgate 调度器", "GC、调度器", "靠的就是调度器", "调度器")]
    [True, True, False, False, False]
    """
    before = text[max(0, start - 2) : start]
    if before[-1:].isascii() and before[-1:].isalpha():
        return True
    if before[-1:] == " " and before[:1].isascii() and before[:1].isalpha():
        return True
    return bool(before) and "\u4e00" <= before[-1] <= "\u9fff" and before[-1] not in _FUNCTION_CHARS


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    concept_id: str
    surface: str


class ConceptMatcher:
    """Find concept aliases in text: leftmost-longest, whole words for ASCII, case rules per alias.

    >>> from gokg.models import Concept
    >>> m = ConceptMatcher([Concept("saga", "Saga", "pattern", ("Saga", "Saga模式")), Concept("go", "Go", "language", ("Go",))])
    >>> [(x.concept_id, x.surface) for x in m.find("用Saga模式实现, Google 不是 Go")]
    [('saga', 'Saga模式'), ('go', 'Go')]
    """

    def __init__(self, concepts: list[Concept]):
        self._automaton = ahocorasick.Automaton()
        self._by_key: dict[str, str] = {}
        entries: dict[str, list[tuple[str, str]]] = {}
        for concept in concepts:
            for alias in concept.aliases or (concept.name,):
                self._by_key.setdefault(alias_key(alias), concept.id)
                for variant in {alias, re.sub(r"(?<=[A-Za-z0-9])\s+(?=[\u4e00-\u9fff])", "", alias)}:
                    entries.setdefault(normalize(variant), []).append((concept.id, variant, alias in concept.bare))
        for key, owners in entries.items():
            self._automaton.add_word(key, (len(key), owners))
        if entries:
            self._automaton.make_automaton()
        self._empty = not entries

    def lookup(self, name: str) -> str | None:
        """The concept id for a name or alias, ignoring case, width, spaces and hyphens."""
        return self._by_key.get(alias_key(name))

    def find(self, text: str) -> list[Match]:
        if self._empty or not text:
            return []
        folded = normalize(text)
        candidates: list[Match] = []
        for end_index, (length, owners) in self._automaton.iter(folded):
            start, end = end_index - length + 1, end_index + 1
            surface = text[start:end]
            if _WORD.match(surface[0]) and start > 0 and _WORD.match(text[start - 1]):
                continue
            if _WORD.match(surface[-1]) and end < len(text) and _WORD.match(text[end]):
                continue
            for cid, alias, bare in owners:
                if (not _case_sensitive(alias) or surface == alias) and not (bare and modified(text, start)):
                    candidates.append(Match(start, end, cid, surface))
                    break
        urls = [m.span() for m in _NOT_MENTIONS.finditer(text)] if "://" in text or "](" in text or "www." in folded else []
        if urls:
            candidates = [m for m in candidates if not any(a <= m.start < b for a, b in urls)]
        # "标准库 net/http": a name cut short at a "/" that a longer name spans is not a mention of its own
        if "/" in text:
            candidates = [m for m in candidates if not (text[m.end : m.end + 1] == "/" and any(
                m.start < c.start <= m.end and c.end > m.end + 1 for c in candidates))]
        candidates.sort(key=lambda m: (m.start, -(m.end - m.start)))
        chosen: list[Match] = []
        last_end = -1
        for match in candidates:
            if match.start >= last_end:
                chosen.append(match)
                last_end = match.end
        return chosen
