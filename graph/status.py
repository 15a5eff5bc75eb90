"""Which stage an index is in: searchable, embedding (how far, how long still), complete; cheap to ask while
another process writes the index."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from gokg.errors import IndexFormatError, IndexMissingError

from . import store
from .chunks import ChunkLedger
from .lock import writer_running

__all__ = ["IndexStatus", "index_status"]


@dataclass(frozen=True)
class IndexStatus:
    index_dir: str
    stage: str  # "complete", "embedding", "missing" or "damaged"
    passages: int = 0
    embedded: int = 0  # passages with a vector
    writer_running: bool = False  # a gokg ingest holds the index's lock right now
    rate: float | None = None  # texts embedded per second so far
    seconds_left: float | None = None
    encoder: str = ""
    problem: str = ""  # why the index is missing or damaged

    @property
    def dense_on(self) -> bool:
        return self.stage == store.STAGE_COMPLETE

    def to_dict(self) -> dict:
        return {**asdict(self), "dense_on": self.dense_on}

    def summary(self) -> str:
        """One line for a person: ``embedding: 120/400 passages embedded, about 3 min left (running)``."""
        from gokg.ingest.progress import format_duration

        if self.stage in ("missing", "damaged"):
            return f"{self.stage}: {self.problem}"
        if self.stage == store.STAGE_COMPLETE:
            return f"complete: {self.passages} passages, all embedded ({self.encoder}); every signal on"
        left = f", about {format_duration(self.seconds_left)} left" if self.seconds_left is not None else ""
        how = ("an ingest is running" if self.writer_running
               else "stopped: `gokg ingest` with the same folders continues it")
        return (f"embedding: {self.embedded}/{self.passages} passages embedded{left} ({how}); "
                "lexical and concept search on, dense signal off until complete")


def index_status(index_dir: str | Path, *, verify: bool = False) -> IndexStatus:
    """The stage of the index at ``index_dir``, never raising for a missing or damaged one. ``verify``
    checks the checksum of every file, however large (opening checks those of files up to 64 MB)."""
    index_dir = Path(index_dir)
    running = writer_running(index_dir)
    try:
        manifest = store.verify(index_dir, full=verify)
    except (IndexMissingError, IndexFormatError) as exc:
        stage = "missing" if isinstance(exc, IndexMissingError) else "damaged"
        return IndexStatus(str(index_dir), stage, writer_running=running, problem=str(exc))
    passages = int(manifest["counts"]["passages"])
    encoder = manifest["encoder"]["name"]
    if manifest["stage"] == store.STAGE_COMPLETE:
        return IndexStatus(str(index_dir), store.STAGE_COMPLETE, passages, passages, running, encoder=encoder)
    ledger = ChunkLedger(index_dir)
    done = ledger.hashes()
    try:
        hashes = [row.get("hash") for row in store.read_jsonl(index_dir / "passages.jsonl")]
    except (OSError, ValueError) as exc:
        return IndexStatus(str(index_dir), "damaged", writer_running=running, problem=f"{index_dir}: passages.jsonl: {exc}")
    embedded = sum(1 for h in hashes if h in done)
    rate = ledger.rate()
    remaining_texts = len(set(hashes) - done)
    left = remaining_texts / rate if rate else None
    return IndexStatus(str(index_dir), store.STAGE_EMBEDDING, passages, embedded, running,
                       round(rate, 2) if rate else None, round(left, 1) if left is not None else None, encoder)
