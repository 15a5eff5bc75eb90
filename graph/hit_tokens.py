"""Each passage's set of tokens (its full heading path and its text), computed at build time and saved.

Search compares a hit with the better hits before it (a near-duplicate, a section copied between
articles, is left out) and says which query terms a hit holds; both need the hit's tokens. Tokenizing a
hit at query time costs about 2 ms a passage, 40 passages a query, whatever the corpus size; read from
the index it costs microseconds. Saved as a folder of plain files (no pickle)::

    hit_tokens/vocab.json    the distinct tokens, a JSON list
    hit_tokens/ids.npy       int32: each passage's token ids, sorted, one passage after another
    hit_tokens/offsets.npy   int64: where each passage's ids start (one more than there are passages)
"""
from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np

from gokg.models import Passage

__all__ = ["HitTokens", "hit_text", "FOLDER"]

FOLDER = "hit_tokens"


def hit_text(passage: Passage) -> str:
    """The text whose tokens are a passage's tokens: its heading path, then its text."""
    return passage.section + "\n" + passage.text


class HitTokens:
    """The token set of every passage, by passage id."""

    def __init__(self, vocab: list[str], ids: np.ndarray, offsets: np.ndarray):
        if offsets.ndim != 1 or offsets.size < 1 or ids.ndim != 1 or int(offsets[-1]) != ids.size:
            raise ValueError(f"hit tokens: {ids.size} ids, offsets end at {int(offsets[-1]) if offsets.size else None}")
        self._vocab = vocab
        self._ids = ids
        self._offsets = offsets

    def __len__(self) -> int:
        return self._offsets.size - 1

    def __call__(self, passage_id: int) -> frozenset[str]:
        start, end = self._offsets[passage_id], self._offsets[passage_id + 1]
        vocab = self._vocab
        return frozenset(vocab[i] for i in self._ids[start:end].tolist())

    @classmethod
    def build(cls, passages: Sequence[Passage], tokenizer: Callable[[str], list[str]],
              known: Mapping[str, list[str]] | None = None) -> "HitTokens":
        """Tokenize every passage's :func:`hit_text`; ``known`` maps texts already tokenized (by the same
        tokenizer) to their tokens, and each distinct text is tokenized once."""
        known = dict(known or {})
        vocab: dict[str, int] = {}
        rows: list[np.ndarray] = []
        for passage in passages:
            text = hit_text(passage)
            # "\n" + text tokenizes as text does: a line end separates tokens and is none itself.
            tokens = known.get(text) if passage.section else known.get(passage.text, known.get(text))
            if tokens is None:
                tokens = known[text] = tokenizer(text)
            rows.append(np.unique(np.fromiter((vocab.setdefault(t, len(vocab)) for t in tokens), dtype=np.int32)))
        offsets = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum([row.size for row in rows], out=offsets[1:])
        ids = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int32)
        return cls(list(vocab), ids.astype(np.int32, copy=False), offsets)

    def save(self, folder: Path) -> None:
        folder = Path(folder)
        folder.mkdir(exist_ok=True)
        (folder / "vocab.json").write_text(json.dumps(self._vocab, ensure_ascii=False), "utf-8")
        np.save(folder / "ids.npy", self._ids, allow_pickle=False)
        np.save(folder / "offsets.npy", self._offsets, allow_pickle=False)

    @classmethod
    def load(cls, folder: Path) -> "HitTokens":
        folder = Path(folder)
        vocab = json.loads((folder / "vocab.json").read_text("utf-8"))
        # Memory-mapped: a search reads the few passages it ranks, not all of them.
        ids = np.load(folder / "ids.npy", mmap_mode="r", allow_pickle=False)
        offsets = np.load(folder / "offsets.npy", allow_pickle=False)
        if not isinstance(vocab, list):
            raise ValueError("hit tokens: the vocabulary is not a list")
        return cls(vocab, ids, offsets)
