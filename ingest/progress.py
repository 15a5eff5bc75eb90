"""Progress of an ingest, for people: bars on a terminal, plain lines with counts and time left otherwise
(CI logs, ``make run``, a redirected stderr).

A progress callback is ``progress(stage, done, total)``; every stage ends with ``done == total``, so every
bar completes. :func:`progress_reporter` picks the form for a stream::

    >>> import io
    >>> out = io.StringIO()
    >>> report = progress_reporter(out)      # not a terminal: lines
    >>> report("passages", 0, 2); report("passages", 2, 2)
    >>> print(out.getvalue().replace("0.0 s", "0 s"), end="")
    passages: 0/2 files
    passages: 2/2 files, done in 0 s
"""
from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable
from typing import TextIO

__all__ = ["Progress", "progress_reporter", "LineProgress", "BarProgress", "ProgressText", "format_duration"]

Progress = Callable[[str, int, int], None]

UNITS = {"read": "files", "passages": "files", "concepts": "steps", "index": "steps", "embed": "passages"}


def progress_reporter(stream: TextIO | None = None, *, interval: float = 5.0) -> Progress:
    """Bars when ``stream`` (default stderr) is a terminal, else a line per stage start, every ``interval``
    seconds, and at the end of each stage."""
    stream = stream or sys.stderr
    is_tty = getattr(stream, "isatty", lambda: False)()
    return BarProgress(stream) if is_tty else LineProgress(stream, interval=interval)


def format_duration(seconds: float) -> str:
    """``format_duration(135)`` -> ``'2 min 15 s'``."""
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


class _Stage:
    def __init__(self, done: int):
        self.started = time.monotonic()
        self.first = done
        self.printed = 0.0
        self.finished = False

    def left(self, done: int, total: int) -> float | None:
        """Seconds left at the rate since this stage started in this process."""
        elapsed = time.monotonic() - self.started
        if done <= self.first or elapsed <= 0:
            return None
        return (total - done) * elapsed / (done - self.first)


class LineProgress:
    """One line at each stage's start, every ``interval`` seconds (counts, rate, time left), and at its end."""

    def __init__(self, stream: TextIO, *, interval: float = 5.0):
        self.stream = stream
        self.interval = interval
        self._stages: dict[str, _Stage] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        unit = UNITS.get(stage, "items")
        state = self._stages.get(stage)
        now = time.monotonic()
        if state is None or (state.finished and done < total):  # a stage starts (again)
            state = self._stages[stage] = _Stage(done)
            self._line(f"{stage}: {done}/{total} {unit}")
            state.printed = now
            state.finished = done >= total  # reported done at once: one line says it all
            return
        if done >= total:
            if not state.finished:
                self._line(f"{stage}: {done}/{total} {unit}, done in {now - state.started:.1f} s")
                state.finished = True
            return
        if now - state.printed >= self.interval:
            left = state.left(done, total)
            rate = (done - state.first) / max(now - state.started, 1e-9)
            eta = f", about {format_duration(left)} left" if left is not None else ""
            self._line(f"{stage}: {done}/{total} {unit} ({100 * done // max(total, 1)}%), {rate:.1f}/s{eta}")
            state.printed = now

    def _line(self, text: str) -> None:
        self.stream.write(text + "\n")
        self.stream.flush()


class BarProgress:
    """A tqdm bar per stage, closed when the stage completes."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self._bars: dict = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        from tqdm import tqdm

        bar = self._bars.get(stage)
        if bar is None or bar.disable:
            if done >= total and bar is not None:
                return
            # a terminal that reports no size (0 x 0) would make tqdm hide the bar: then 80 x 24
            size = shutil.get_terminal_size((80, 24))
            bar = self._bars[stage] = tqdm(total=total, initial=done, desc=stage, unit=UNITS.get(stage, "it"),
                                           file=self.stream, leave=True, ncols=size.columns or 80,
                                           nrows=size.lines or 24)
        bar.total = total
        bar.n = done
        bar.refresh()
        if done >= total:
            bar.close()


class ProgressText:
    """The latest progress as one line with the time left, for a progress bar that shows a caption (the UI).

    >>> ProgressText()("embed", 0, 400)
    'embed: 0/400 passages'
    """

    def __init__(self) -> None:
        self._stages: dict[str, _Stage] = {}

    def __call__(self, stage: str, done: int, total: int) -> str:
        state = self._stages.get(stage)
        if state is None or done < state.first:
            state = self._stages[stage] = _Stage(done)
        left = state.left(done, total) if done < total else None
        eta = f", about {format_duration(left)} left" if left is not None else ""
        return f"{stage}: {done}/{total} {UNITS.get(stage, 'items')}{eta}"
