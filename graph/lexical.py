"""BM25 over jieba tokens (bm25s), saved as a folder of plain files (no pickle)."""
from __future__ import annotations

from pathlib import Path

import bm25s
import numpy as np

__all__ = ["LexicalIndex"]


class LexicalIndex:
    def __init__(self, retriever: bm25s.BM25, size: int):
        self._retriever = retriever
        self.size = size

    @classmethod
    def build(cls, token_lists: list[list[str]]) -> "LexicalIndex":
        retriever = bm25s.BM25()
        # An empty token list would make bm25s drop the row: keep rows aligned with passages.
        retriever.index([tokens or ["\u2205"] for tokens in token_lists], show_progress=False)
        return cls(retriever, len(token_lists))

    def scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 score of every passage for ``tokens`` (repeated tokens weigh more)."""
        known = [t for t in tokens if t in self._retriever.vocab_dict]
        if not known or self.size == 0:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._retriever.get_scores(known), dtype=np.float32)

    def postings(self, token: str) -> np.ndarray:
        """The ids of the passages that contain ``token`` (empty for a token no passage has)."""
        column = self._retriever.vocab_dict.get(token)
        if column is None or self.size == 0:
            return np.zeros(0, dtype=np.int64)
        indptr = self._retriever.scores["indptr"]
        return np.asarray(self._retriever.scores["indices"][indptr[column] : indptr[column + 1]])

    def save(self, folder: Path) -> None:
        self._retriever.save(str(folder))

    @classmethod
    def load(cls, folder: Path, size: int) -> "LexicalIndex":
        return cls(bm25s.BM25.load(str(folder), mmap=False), size)
