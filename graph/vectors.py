"""Dense vectors in faiss: exact inner-product search, HNSW above a size threshold."""
from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

__all__ = ["VectorIndex", "HNSW_THRESHOLD"]

HNSW_THRESHOLD = 50_000


class VectorIndex:
    """Cosine similarity over L2-normalised vectors.

    >>> v = np.eye(3, dtype=np.float32)
    >>> ids, scores = VectorIndex.build(v).search(np.array([0, 1, 0], dtype=np.float32), k=2)
    >>> ids[0], round(scores[0], 3)
    (1, 1.0)
    """

    def __init__(self, index: faiss.Index):
        self._index = index

    @property
    def size(self) -> int:
        return int(self._index.ntotal)

    @property
    def dim(self) -> int:
        return int(self._index.d)

    @property
    def kind(self) -> str:
        return "hnsw" if isinstance(self._index, faiss.IndexHNSWFlat) else "flat"

    @classmethod
    def build(cls, vectors: np.ndarray, *, hnsw_threshold: int = HNSW_THRESHOLD) -> "VectorIndex":
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        dim = vectors.shape[1]
        if len(vectors) >= hnsw_threshold:
            # HNSW: approximate, sub-linear; recall against exact search is reported by the benchmark.
            index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = 80
            index.hnsw.efSearch = 64
        else:
            index = faiss.IndexFlatIP(dim)  # exact search: the corpus is small
        if len(vectors):
            index.add(vectors)
        return cls(index)

    def search(self, query: np.ndarray, k: int) -> tuple[list[int], list[float]]:
        if self.size == 0:
            return [], []
        scores, ids = self._index.search(np.asarray(query, dtype=np.float32).reshape(1, -1), min(k, self.size))
        pairs = [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]
        return [i for i, _ in pairs], [s for _, s in pairs]

    def save(self, path: Path) -> None:
        faiss.write_index(self._index, str(path))

    @classmethod
    def load(cls, path: Path) -> "VectorIndex":
        return cls(faiss.read_index(str(path)))
