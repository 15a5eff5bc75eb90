"""Readers by file type: each turns a file's bytes into ``(text, encoding)``, registered per suffix.

The built-in readers decode text, detecting the encoding instead of assuming it (``.txt``, ``.md``,
``.markdown``), and reduce HTML to structured text (``.html``, ``.htm``). Another format is one module,
``ingest/reader_<format>.py``, that registers its reader::

    from gokg.ingest.readers import register_reader

    @register_reader(".pdf")
    def read_pdf(data: bytes) -> tuple[str, str]:
        import pypdf  # imported when a PDF is read, not when gokg is

        ...
        return text, "pdf"

A reader returns text with ``\\n`` line ends (line numbers cite it) and raises ``ValueError`` with a
short reason when the file cannot be read; :func:`gokg.ingest.read.read_file` reports the reason
against the file and goes on with the next one. What a reader kept but should say (``3 undecodable
bytes replaced``) it passes to :func:`note`; the warning is reported against the file, which is indexed.
"""
from __future__ import annotations

import codecs
import contextvars
import os
from collections.abc import Callable
from contextlib import contextmanager
from functools import lru_cache

from gokg.errors import InputError

from .registry import Registry

__all__ = ["Reader", "READERS", "register_reader", "reader_for", "suffixes", "read_text", "read_html", "decode",
           "note", "collect_notes"]

Reader = Callable[[bytes], tuple[str, str]]

READERS: Registry[Reader] = Registry("suffix", error=InputError, plugins=("gokg.ingest", "reader_"))

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def register_reader(*suffixes: str, replace: bool = False) -> Callable[[Reader], Reader]:
    """Decorator: read files with these suffixes (``".pdf"``, any case) with the decorated function."""
    if not suffixes:
        raise ValueError("register_reader needs at least one suffix, e.g. register_reader('.pdf')")
    for suffix in suffixes:
        if not isinstance(suffix, str) or not suffix.startswith(".") or len(suffix) < 2:
            raise ValueError(f"suffix={suffix!r}, a suffix starts with a dot: '.pdf'")

    def add(reader: Reader) -> Reader:
        for suffix in suffixes:
            READERS.register(suffix.lower(), reader, replace=replace)
        return reader

    return add


def reader_for(suffix: str) -> Reader:
    """The reader for ``suffix`` (any case); ``InputError`` naming the supported suffixes otherwise.

    >>> reader_for(".MD") is read_text
    True
    """
    return READERS.get(suffix.lower() if isinstance(suffix, str) else suffix)


def suffixes() -> tuple[str, ...]:
    """The suffixes that have a reader, in registration order.

    >>> suffixes()[:5]
    ('.txt', '.md', '.markdown', '.html', '.htm')
    """
    return READERS.names()


@register_reader(".txt", ".md", ".markdown")
def read_text(data: bytes) -> tuple[str, str]:
    """Decode plain text (see :func:`decode`) with ``\\n`` line ends.

    >>> read_text("熔断\\r\\n降级".encode("gbk"))
    ('熔断\\n降级', 'gb18030')
    """
    text, encoding = decode(data)
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding


@register_reader(".html", ".htm")
def read_html(data: bytes) -> tuple[str, str]:
    """Decode an HTML page and reduce it to text that keeps its structure (see :mod:`gokg.ingest.html`)."""
    text, encoding = read_text(data)
    from .html import html_to_text  # selectolax is imported when a page is read, not when gokg is

    try:
        return html_to_text(text), encoding
    except ValueError:
        raise  # the reason, e.g. nested too deep
    except Exception as exc:  # noqa: BLE001 - a parser failure is the file's problem, reported as one line
        raise ValueError(f"broken HTML ({exc.__class__.__name__}: {exc})") from exc


# -- notes: what a reader kept but should say ---------------------------------------------------------
_NOTES: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("gokg_reader_notes", default=None)


def note(message: str) -> None:
    """Report something a reader kept but the user should know (the file is still indexed)."""
    notes = _NOTES.get()
    if notes is not None:
        notes.append(message)


@contextmanager
def collect_notes():
    """Collect the :func:`note` calls of the readers run inside the block (per thread and task)."""
    notes: list[str] = []
    token = _NOTES.set(notes)
    try:
        yield notes
    finally:
        _NOTES.reset(token)


# -- decoding -----------------------------------------------------------------------------------------
# Legacy encodings an article in this corpus may come in, tried strictly and scored by how the result reads.
# GB18030 is a superset of GBK/GB2312; cp1252 and Latin-1 are the Western ones.
_CANDIDATES = ("gb18030", "big5", "cp932", "cp1252", "latin-1")
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f\v\x1b")
_CONFIDENT = 0.9  # share of characters that read as article text for an encoding to be used
_MARGIN = 0.05  # how much better than the runner-up (with another text) it must read
_FEW_BAD_BYTES = 1 / 200  # at most one replaced byte in 200 (and at least 8 allowed): a stray byte, not another encoding


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes to text, returning ``(text, encoding)``; raise ``ValueError`` with the reason.

    Strict UTF-8 first; then the legacy encodings, used only when the text they give reads clearly better
    than any other (short Big5 is not read as GB18030, Latin-1 not as Cyrillic); then UTF-8 or GB18030 with
    a few bad bytes replaced (said with a count through :func:`note`). A NUL byte or two are removed and
    said; a file with many is binary.

    >>> decode("服务发现".encode("gb18030"))[0]
    '服务发现'
    >>> decode("熔斷器保護下游服務，避免雪崩。".encode("big5"))
    ('熔斷器保護下游服務，避免雪崩。', 'big5')
    """
    for bom, encoding in _BOMS:
        if not data.startswith(bom):
            continue
        text, bad = _decode_replacing(data, encoding)
        if encoding == "utf-8-sig":
            if not bad:
                return _reject_control(text), encoding
        elif _few(bad, data) and _unassigned_share(text) <= 0.02:
            if bad:  # e.g. a file cut in the middle of a character
                note(f"{bad} undecodable byte{'s' if bad > 1 else ''} replaced with U+FFFD (decoded as {encoding})")
            return _reject_control(text), encoding
        # else UTF-8 bytes behind a UTF-16 BOM read as a quarter private-use and unassigned characters
        break  # decode the file as if it had no BOM
    if b"\x00" in data[:4096] and _looks_like_utf16(data):
        # UTF-16 without a BOM (or a truncated one): NULs in the high bytes of ASCII tell the byte order.
        encoding = "utf-16-le" if data[1:4096:2].count(0) > data[0:4096:2].count(0) else "utf-16-be"
        text, bad = _decode_replacing(data, encoding)
        if not _few(bad, data) or _readability(text) < _CONFIDENT:
            raise ValueError("binary file (NUL bytes)")  # "abc\0def\0" read as UTF-16 is rare Han: not text
        text = _reject_control(text.removeprefix("\ufeff"))
        if bad:
            note(f"{bad} undecodable byte{'s' if bad > 1 else ''} replaced with U+FFFD (decoded as {encoding})")
        return text, encoding
    control = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if control > max(len(data) // 50, 2):  # below 0x20 no legacy encoding has a multibyte part: real controls
        raise ValueError(f"binary file ({control} control bytes)")
    nuls = data.count(0)
    if nuls:
        if nuls > max(len(data) // 1000, 2):
            raise ValueError(f"binary file ({nuls} NUL bytes)")
        data = data.replace(b"\x00", b"")
        note(f"{nuls} NUL byte{'s' if nuls > 1 else ''} removed")
    try:
        return _reject_control(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    chosen = _best_candidate(data)
    if chosen is not None:
        return chosen
    for encoding in ("utf-8", "gb18030"):
        text, bad = _decode_replacing(data, encoding)
        if _few(bad, data) and _readability(text) >= _CONFIDENT:
            note(f"{bad} undecodable byte{'s' if bad > 1 else ''} replaced with U+FFFD (decoded as {encoding})")
            return _reject_control(text.removeprefix("\ufeff")), encoding
    return _detected(data)


def _best_candidate(data: bytes) -> tuple[str, str] | None:
    """The legacy encoding whose strict decoding reads best, when it is clearly the best; else None.

    Raises ``ValueError`` when two encodings read equally well with different texts (short texts)."""
    scored: list[tuple[float, str, str]] = []
    for encoding in _CANDIDATES:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        scored.append((_readability(text), encoding, text))
        if scored[-1][0] >= 0.995 and encoding == "gb18030" and len(data) > 200:
            break  # a long text that reads perfectly as GB18030: the common case, no need to compare
    scored.sort(key=lambda s: -s[0])
    if not scored or scored[0][0] < _CONFIDENT:
        return None
    score, encoding, text = scored[0]
    rivals = [e for s, e, other in scored[1:] if s > score - _MARGIN and other != text]
    if rivals:
        raise ValueError(f"cannot tell the encoding ({encoding} or {rivals[0]} read equally well): save it as UTF-8")
    return _reject_control(text), encoding


def _detected(data: bytes) -> tuple[str, str]:
    """charset-normalizer's guess, used only when it is confident; ValueError naming the file's problem otherwise."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is not None and best.chaos <= 0.05 and best.coherence >= 0.3:
        try:
            return _reject_control(data.decode(best.encoding)), best.encoding
        except (UnicodeDecodeError, LookupError):
            pass
    raise ValueError("undecodable bytes: not UTF-8, UTF-16, GB18030, Big5 or another encoding gokg can tell; "
                     "save it as UTF-8")


def _most_bad_bytes(data: bytes) -> int:
    return max(8, int(len(data) * _FEW_BAD_BYTES))


def _few(bad: int, data: bytes) -> bool:
    """Whether ``bad`` replaced bytes are a stray few in ``data``, not the sign of another encoding."""
    return bad <= _most_bad_bytes(data)


def _decode_replacing(data: bytes, encoding: str) -> tuple[str, int]:
    """``data`` decoded with undecodable bytes replaced by U+FFFD, and how many bytes were replaced.

    Gives up (``"", bad``) past more bad bytes than a stray few: noise is not decoded to the end."""
    counter = [0, _most_bad_bytes(data)]
    token = _BAD_BYTES.set(counter)
    try:
        return data.decode(encoding, errors=_COUNTING), counter[0]
    except _TooManyBadBytes:
        return "", counter[0]
    finally:
        _BAD_BYTES.reset(token)


class _TooManyBadBytes(UnicodeError):
    pass


_BAD_BYTES: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("gokg_bad_bytes", default=None)


def _count_and_replace(error: UnicodeDecodeError) -> tuple[str, int]:
    counter = _BAD_BYTES.get()
    if counter is not None:
        counter[0] += error.end - error.start
        if counter[0] > counter[1]:
            raise _TooManyBadBytes("more undecodable bytes than a stray few")
    return "\ufffd", error.end


# One name per copy of this module: the handler must count into this copy's variable.
_COUNTING = f"gokg.count.{id(_BAD_BYTES)}"
codecs.register_error(_COUNTING, _count_and_replace)


@lru_cache(maxsize=1)
def _common_han() -> frozenset[str]:
    """The 5,000 most frequent Chinese characters (by jieba's dictionary word frequencies)."""
    import jieba

    counts: dict[str, int] = {}
    with open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf-8") as lines:
        for line in lines:
            word, freq, *_ = line.split(" ")
            for ch in word:
                counts[ch] = counts.get(ch, 0) + int(freq)
    return frozenset(sorted(counts, key=counts.get, reverse=True)[:5000])


def _readability(text: str) -> float:
    """Share of characters that read as article text: ASCII, common Chinese characters (Traditional ones
    folded to Simplified), CJK and general punctuation, kana, and Latin accents where they are the exception.

    Mojibake (Big5 read as GB18030, GBK read as cp1252) is made of rare characters and scores low.
    """
    sample = text[:20_000].replace("\ufffd", "").replace("\ufeff", "")  # replaced bytes are counted apart
    if not sample:
        return 0.0
    from .normalize import _t2s

    converter = _t2s()
    han = "".join(ch for ch in sample if "\u4e00" <= ch <= "\u9fff")
    if han and converter is not None:
        han = converter.convert(han)
    common = _common_han() if han else frozenset()
    good = sum(1 for ch in han if ch in common)
    latin = sum(1 for ch in sample if "\u00c0" <= ch <= "\u00ff" and ch not in "×÷")
    letters = sum(1 for ch in sample if ch.isascii() and ch.isalpha()) + latin
    if latin * 3 <= letters:  # accents among mostly plain letters: Western text, not bytes of another script
        good += latin
    for ch in sample:
        if ch.isascii():
            good += ch >= " " or ch in "\t\n\r\f"
        elif ("\u3000" <= ch <= "\u30ff" or "\uff00" <= ch <= "\uff60" or "\u2000" <= ch <= "\u206f"
              or ch in "\u00a0·"):
            good += 1  # CJK punctuation, kana, full-width forms, general punctuation (not half-width katakana)
    return good / len(sample)


def _unassigned_share(text: str) -> float:
    """Share of private-use, unassigned and surrogate characters: about 0 in real text of any language."""
    import unicodedata

    sample = text[:20000]
    odd = sum(1 for ch in sample if unicodedata.category(ch) in ("Co", "Cn", "Cs"))
    return odd / max(len(sample), 1)


def _reject_control(text: str) -> str:
    """Text full of control characters is a binary file that happens to decode."""
    sample = text[:20000]
    control = sum(1 for ch in sample if ch < " " and ch not in "\t\n\r\f\v")
    if control > max(len(sample) // 50, 2):
        raise ValueError("binary file (control characters)")
    return text


def _looks_like_utf16(data: bytes) -> bool:
    head = data[:4096]
    even_nuls = head[0::2].count(0)
    odd_nuls = head[1::2].count(0)
    # ASCII characters put NULs on one side only (Chinese ones rarely have a zero byte at all).
    return max(even_nuls, odd_nuls) > len(head) / 8 and min(even_nuls, odd_nuls) * 4 <= max(even_nuls, odd_nuls)
