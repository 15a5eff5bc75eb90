"""Tokens for lexical search: jieba with a Go-domain dictionary, plus the parts of code identifiers.

Terms such as ``sync.Pool``, ``context.WithTimeout``, 熔断器 and 服务发现 stay whole (they come from the
lexicon), identifiers are also split into their parts (``WithTimeout`` -> ``with``, ``timeout``), text is
folded (case, width, Traditional Chinese) and stop words are dropped.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterable

import jieba

from .normalize import normalize

__all__ = ["Tokenizer", "STOP_WORDS"]

jieba.setLogLevel(logging.WARNING)

STOP_WORDS = frozenset(
    """的 了 和 与 及 或 是 在 中 对 为 以 将 把 被 从 到 由 于 而 并 等 也 都 就 这 那 其 之 个 一 一个 可 可以
    能 会 要 需 需要 如 如何 怎么 怎样 什么 哪些 哪 吗 呢 吧 啊 着 过 给 让 使 用 使用 通过 进行 实现 支持 我们 你
    他 它 们 上 下 时 后 前 内 外 每 各 该 此 所 若 则 如果 因为 所以 但 但是 还 还是 又 更 最 很 非常 已 已经 没有
    不 无 有 得 地 之间 以及 其中 即 且 又 a an the of to in on for and or is are be was were by as at from
    that this it its into how what why when which do does can i you we""".split()
)
_SPLIT_IDENT = re.compile(r"[./_\-:]+")
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
_USEFUL = re.compile(r"[\w\u4e00-\u9fff]", re.UNICODE)


class Tokenizer:
    """Callable tokenizer; ``user_words`` (the lexicon's aliases) join jieba's dictionary.

    >>> tok = Tokenizer(["熔断器", "sync.Pool"])
    >>> tok("使用熔断器和 sync.Pool 的 WithTimeout")
    ['熔断', '熔断器', 'sync.pool', 'sync', 'pool', 'withtimeout', 'with', 'timeout']
    """

    def __init__(self, user_words: Iterable[str] = ()):
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        for word in user_words:
            word = normalize(word.strip())
            if word and " " not in word and len(word) > 1:
                self._jieba.add_word(word, freq=20000, tag="nz")

    def __call__(self, text: str) -> list[str]:
        tokens: list[str] = []
        original = {}
        for match in re.finditer(r"[A-Za-z][A-Za-z0-9]*(?:[._/\-][A-Za-z0-9]+)*", text):
            original[match.group().lower()] = match.group()
        for token in self._jieba.cut_for_search(normalize(text)):
            token = token.strip()
            if not token or token in STOP_WORDS or not _USEFUL.search(token):
                continue
            tokens.append(token)
            if token.isascii() and len(token) > 3:
                parts = self._parts(original.get(token, token))
                tokens.extend(p for p in parts if p != token and p not in STOP_WORDS)
        return tokens

    @staticmethod
    def _parts(identifier: str) -> list[str]:
        parts: list[str] = []
        for piece in _SPLIT_IDENT.split(identifier):
            if not piece:
                continue
            camel = _CAMEL.findall(piece)
            if len(camel) > 1 or piece.lower() != identifier.lower():
                parts.append(piece.lower())
            if len(camel) > 1:
                parts.extend(c.lower() for c in camel)
        return list(dict.fromkeys(parts))
