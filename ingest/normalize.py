"""Text normalisation that keeps character offsets: full-width to half-width, Traditional to Simplified
Chinese, lower case. Offsets matter because concept mentions point back into the original text.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["normalize", "alias_key", "camel_parts"]


@lru_cache(maxsize=1)
def _t2s():
    try:
        import opencc
    except ImportError:  # optional: without it Traditional text is still indexed, only not unified
        return None
    return opencc.OpenCC("t2s.json")


def _char(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch).lower()
    return folded if len(folded) == 1 else ch


def normalize(text: str) -> str:
    """Return ``text`` folded for matching, with exactly the same length.

    >>> normalize("ＳＹＮＣ．Ｐｏｏｌ 服務發現")
    'sync.pool 服务发现'
    """
    folded = "".join(_char(ch) for ch in text) if not text.isascii() else text.lower()
    converter = _t2s()
    if converter is not None and not folded.isascii():
        simplified = converter.convert(folded)
        if len(simplified) == len(folded):
            folded = simplified
    return folded


def alias_key(alias: str) -> str:
    """The key under which a name or alias is looked up: case, width, spaces, hyphens, dots-insensitive.

    >>> alias_key("Circuit-Breaker") == alias_key("circuit breaker") == alias_key("CircuitBreaker")
    True
    """
    return re.sub(r"[\s\-_·]+", "", normalize(alias.strip()))


def camel_parts(name: str) -> list[str]:
    """The words of a CamelCase name.

    >>> camel_parts("PayloadCodec"), camel_parts("HTTPClient"), camel_parts("ACLMiddleware")
    (['Payload', 'Codec'], ['HTTP', 'Client'], ['ACL', 'Middleware'])
    """
    return re.findall(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+", name)
