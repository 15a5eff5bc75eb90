"""One writer per index folder: an advisory lock on a file beside the folder (the folder itself is renamed
during a commit, so the lock cannot live inside it).

The operating system releases the lock when its process ends, however it ends (SIGKILL included), so a
killed ingest never leaves an index locked. Readers take no lock: they read a committed folder.

>>> import pathlib, tempfile
>>> index = pathlib.Path(tempfile.mkdtemp()) / "index"
>>> with IndexLock(index):
...     writer_running(index)
True
>>> writer_running(index)
False
"""
from __future__ import annotations

import os
from pathlib import Path

from gokg.errors import IndexBusyError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks; one writer is then the user's care
    fcntl = None

__all__ = ["IndexLock", "lock_path", "writer_running"]


def lock_path(index_dir: Path) -> Path:
    index_dir = Path(index_dir)
    return index_dir.parent / f".{index_dir.name}.lock"


class IndexLock:
    """Hold the writer lock of ``index_dir``; :class:`IndexBusyError` (one line) if another process holds it."""

    def __init__(self, index_dir: Path):
        self.index_dir = Path(index_dir)
        self._fd: int | None = None

    def acquire(self) -> "IndexLock":
        if fcntl is None:
            return self
        path = lock_path(self.index_dir)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_pid(fd)
            os.close(fd)
            who = f" (process {holder})" if holder else ""
            raise IndexBusyError(
                f"{self.index_dir}: another gokg ingest is writing this index{who}; wait for it to finish "
                "(`gokg status` shows its progress) or stop it"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases the lock
            self._fd = None

    def __enter__(self) -> "IndexLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def writer_running(index_dir: Path) -> bool:
    """Whether a process holds the writer lock of ``index_dir`` right now."""
    path = lock_path(index_dir)
    if fcntl is None or not path.exists():
        return False
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def _read_pid(fd: int) -> str:
    try:
        return os.pread(fd, 32, 0).decode().strip()
    except (OSError, UnicodeDecodeError):
        return ""
