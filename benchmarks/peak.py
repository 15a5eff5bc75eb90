"""Peak resident memory of a fresh Python process, for the benchmarks.

Measured from a small launcher: on Linux a process's ru_maxrss starts from the RSS of the process that
forked it (it survives exec), and a benchmark process is large by then.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

__all__ = ["run_measured"]

_LAUNCHER = (
    "import os, subprocess, sys\n"
    "p = subprocess.Popen(sys.argv[1:])\n"
    "_, status, usage = os.wait4(p.pid, 0)\n"
    "sys.stderr.write(f'\\npeak-rss-kb {usage.ru_maxrss if status == 0 else -1}\\n')\n"
    "sys.exit(1 if status else 0)\n"
)


def run_measured(args: list[str], cwd: Path) -> tuple[str, float]:
    """Run ``python ARGS`` in a fresh process; return its standard output and its peak memory in MB.
    Raises RuntimeError (with the end of its error output) when it fails."""
    out = subprocess.run([sys.executable, "-c", _LAUNCHER, sys.executable, *args], capture_output=True, text=True, cwd=cwd)
    kb = next((int(row.split()[1]) for row in reversed(out.stderr.splitlines()) if row.startswith("peak-rss-kb ")), -1)
    if out.returncode != 0 or kb < 0:
        raise RuntimeError(f"python {' '.join(args)[:200]} failed:\n{out.stderr[-2000:]}")
    return out.stdout, kb / 1024
