"""Feed gokg bad input and count what goes wrong: tracebacks, hangs, good files not indexed, files lost.

Every case is generated here (no binary fixture is checked in): bad files next to a good article, each
ingested by the real CLI in a subprocess under a timeout (``--encoder hash``, so no model is needed), and
user mistakes on the command line (a folder where a file is expected, a binary query file, ...). A case
passes when gokg answers in time, without a traceback, indexes the good article, says what it did with
the bad file, and leaves every file it did not create as it was.

    .venv/bin/python benchmarks/probe_bad_inputs.py            # every case, one ingest each (about 2 min)
    .venv/bin/python benchmarks/probe_bad_inputs.py --only fifo,nested_div

``tests/test_bad_input.py`` uses the same generators.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = "# 熔断与限流\n\n熔断器保护下游服务，避免雪崩。Sentinel-Go 提供熔断和限流。\n\n限流使用令牌桶算法。\n"
TIMEOUT = 120  # seconds for one gokg command; a hang is a command that runs out of it


# -- the bad files: each writes into ``folder`` and returns what gokg should do with it --------------
@dataclass(frozen=True)
class BadFile:
    name: str  # the file gokg sees
    expect: str  # "skipped": reported and not indexed; "kept": indexed with a warning; "indexed": read as is
    make: Callable[[Path, Path], None]  # writes the file at the path given; the second path is outside the corpus

    @property
    def shown(self) -> str:
        """The name as gokg prints it (bytes that are not UTF-8 as U+FFFD)."""
        return os.fsencode(self.name).decode("utf-8", errors="replace")


def _write(data: bytes) -> Callable[[Path, Path], None]:
    return lambda target, outside: target.write_bytes(data)


def _link(to: Callable[[Path], Path]) -> Callable[[Path, Path], None]:
    return lambda target, outside: os.symlink(to(outside), target)


def _fifo(target: Path, outside: Path) -> None:
    os.mkfifo(target)


def _socket(target: Path, outside: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    cwd = os.getcwd()
    os.chdir(target.parent)  # a relative name: socket paths are limited to about 100 bytes
    try:
        server.bind(target.name)
    finally:
        os.chdir(cwd)
        server.close()  # the file stays: a socket gokg must not open


def _outside_file(outside: Path) -> Path:
    (outside / "private.md").write_text("私人笔记：不应被索引。\n", "utf-8")
    return outside / "private.md"


def _sparse(size: int) -> Callable[[Path, Path], None]:
    def make(target: Path, outside: Path) -> None:
        with open(target, "wb") as handle:
            handle.truncate(size)  # sparse: big on paper, no disk used
            handle.write(ARTICLE.encode("utf-8"))
    return make


def _with_stray(data: bytes, stray: bytes) -> bytes:
    cut = data.index(b"\n") + 1  # after the first line: between characters
    return data[:cut] + stray + data[cut:]


BAD_FILES = [
    BadFile("pipe.md", "skipped", _fifo),
    BadFile("sock.md", "skipped", _socket),
    BadFile("zero.md", "skipped", _link(lambda outside: Path("/dev/zero"))),
    BadFile("random.txt", "skipped", _link(lambda outside: Path("/dev/urandom"))),
    BadFile("private.md", "skipped", _link(_outside_file)),
    BadFile("dangling.md", "skipped", _link(lambda outside: outside / "missing.md")),
    BadFile("nested_div.html", "skipped", _write(b"<html><body>" + b"<div>x" * 600_000)),
    BadFile("self_closed_div.html", "skipped", _write(b"<div/>x" * 600_000)),  # HTML ignores the slash: as deep
    BadFile("one_line.txt", "skipped", _write("circuit breaker 熔断器 ".encode("utf-8") * 400_000)),  # 10 MB
    BadFile("huge.md", "skipped", _sparse(21 * 2**20)),
    BadFile("empty.md", "skipped", _write(b"")),
    BadFile("binary.txt", "skipped", _write(bytes(range(256)) * 64)),
    BadFile("noise.txt", "skipped", _write(bytes(range(128, 256)) * 16)),
    BadFile("stray_ff.md", "kept", _write(_with_stray(ARTICLE.encode("utf-8"), b"\xff"))),
    BadFile("one_nul.md", "kept", _write(_with_stray(ARTICLE.encode("utf-8"), b"\x00"))),
    BadFile("not_utf16.md", "kept", _write(b"\xff\xfe" + ARTICLE.encode("utf-8"))),
    BadFile("posted_in.md", "kept", _write(b"Posted in Go, microservices\n")),
    BadFile("copyright.md", "kept", _write("Copyright 2024 某某博客\n".encode("utf-8"))),
    BadFile("big5.txt", "indexed", _write("熔斷器保護下游服務，避免雪崩。".encode("big5"))),
    BadFile("latin1.txt", "indexed", _write("Café résumé: naïve façade".encode("latin-1"))),
    BadFile("shift_jis.txt", "indexed", _write("サーキットブレーカーはサービスを保護します。".encode("shift_jis"))),
    BadFile("gbk_stray.txt", "kept", _write(_with_stray(ARTICLE.encode("gbk"), b"\xff"))),
    BadFile("caf\udce9.md", "skipped", _write(ARTICLE.encode("utf-8"))),  # a Latin-1 byte in the name
    BadFile("deep_list.html", "indexed", _write(b"<ul><li>a" * 400 + "<p>熔断器</p>".encode())),
]
EXPECTED_TEXT = {  # what a decoded file must read as (no mojibake)
    "big5.txt": "熔斷器保護下游服務，避免雪崩。",
    "latin1.txt": "Café résumé: naïve façade",
    "shift_jis.txt": "サーキットブレーカーはサービスを保護します。",
}


def make_corpus(folder: Path, outside: Path, cases: list[BadFile]) -> list[BadFile]:
    """A good article plus the bad files; returns the cases that could be made on this system."""
    folder.mkdir(parents=True, exist_ok=True)
    outside.mkdir(parents=True, exist_ok=True)
    (folder / "good.md").write_text(ARTICLE, "utf-8")
    made = []
    for case in cases:
        try:
            case.make(folder / case.name, outside)
        except (OSError, AttributeError):  # no FIFOs or sockets here (Windows): nothing to probe
            continue
        made.append(case)
    return made


def gokgs_own(path: str) -> bool:
    """Files gokg created itself: an index it wrote and the writer's lock beside an index folder."""
    name = Path(path).name
    return "/index/" in path or (name.startswith(".") and name.endswith(".lock"))


def snapshot(*folders: Path) -> dict[str, str]:
    """Every entry under ``folders`` by path: a regular file's hash, else what it is (never opened)."""
    state = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_symlink():
                state[str(path)] = "link -> " + os.readlink(path)
            elif path.is_file():
                digest = hashlib.sha256()
                with open(path, "rb") as handle:
                    for chunk in iter(lambda: handle.read(2**20), b""):
                        digest.update(chunk)
                state[str(path)] = digest.hexdigest()
            else:
                state[str(path)] = "dir" if path.is_dir() else "special"
    return state


# -- running gokg ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Run:
    code: int | None  # None: timed out (a hang)
    stdout: str
    stderr: str
    seconds: float

    @property
    def traceback(self) -> bool:
        return "Traceback (most recent call last)" in self.stderr


def gokg(*args: str, cwd: Path | None = None, stdin: bytes | None = None, timeout: float = TIMEOUT) -> Run:
    env = {**os.environ, "GOKG_ENCODER": "hash", "HF_HUB_OFFLINE": "1", "PYTHONUTF8": "1"}
    env.pop("GOKG_INDEX", None)
    start = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-m", "gokg.cli", *args], cwd=cwd, input=stdin,
                              capture_output=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired as exc:
        return Run(None, (exc.stdout or b"").decode("utf-8", "replace"), (exc.stderr or b"").decode("utf-8", "replace"),
                   time.perf_counter() - start)
    return Run(done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace"),
               time.perf_counter() - start)


def indexed_files(index: Path) -> dict[str, str]:
    """name -> sha256 of the files the index holds (from its manifest)."""
    return json.loads((index / "manifest.json").read_text("utf-8"))["files"]


def passage_texts(index: Path) -> list[str]:
    with open(index / "passages.jsonl", encoding="utf-8") as rows:
        return [json.loads(row)["text"] for row in rows]


def check_ingest(case: BadFile, run: Run, index: Path, before: dict, after: dict) -> list[str]:
    """What went wrong with one bad file's ingest (empty when nothing did)."""
    wrong = []
    if run.code is None:
        return [f"hang (> {TIMEOUT} s)"]
    if run.traceback:
        wrong.append("traceback")
    if run.code != 0:
        wrong.append(f"exit {run.code}: {run.stderr.strip()[-200:]}")
        return wrong
    files = indexed_files(index)
    if "good.md" not in files:
        wrong.append("the good article was not indexed")
    said = [line for line in run.stdout.splitlines() if f"/{case.shown}: " in line]
    if case.expect == "skipped" and (case.name in files or not any(line.startswith("skipped") for line in said)):
        wrong.append("not skipped with a reason")
    if case.expect == "kept" and (case.name not in files or not any(line.startswith("warning") for line in said)):
        wrong.append("not indexed with a warning")
    if case.expect == "indexed" and case.name not in files:
        wrong.append("not indexed: " + " ".join(said))
    if case.name in EXPECTED_TEXT and not any(EXPECTED_TEXT[case.name] in text for text in passage_texts(index)):
        wrong.append("decoded wrongly (mojibake)")
    lost = [path for path in before if before[path] != after.get(path)]
    if lost:
        wrong.append("files lost or changed: " + ", ".join(lost))
    return wrong


# -- mistakes on the command line: each must be one line on stderr and exit 1 ----------------------
def cli_cases(work: Path, index: Path) -> list[tuple[str, list[str], bytes | None]]:
    """(name, arguments, stdin) of user mistakes, with the files they need written into ``work``."""
    work.mkdir(parents=True, exist_ok=True)
    (work / "binary.jsonl").write_bytes(bytes(range(256)) * 4)
    (work / "existing.csv").write_text("keep me\n", "utf-8")
    (work / "a_folder").mkdir(exist_ok=True)
    idx = ["--index", str(index)]
    return [
        ("export json to a folder", ["export", "json", str(work / "a_folder"), *idx], None),
        ("export graphml to a folder", ["export", "graphml", str(work / "a_folder"), *idx], None),
        ("export neo4j over a file", ["export", "neo4j", str(work / "existing.csv"), *idx], None),
        ("export into a missing folder", ["export", "json", str(work / "missing" / "g.json"), *idx], None),
        ("eval a binary file", ["eval", str(work / "binary.jsonl"), *idx], None),
        ("eval a folder", ["eval", str(work / "a_folder"), *idx], None),
        ("eval a missing file", ["eval", str(work / "nope.jsonl"), *idx], None),
        ("search --batch a folder", ["search", "--batch", str(work / "a_folder"), *idx], None),
        ("search --batch a missing file", ["search", "--batch", str(work / "nope.txt"), *idx], None),
        ("ingest a missing path", ["ingest", str(work / "nope"), "--index", str(work / "new-index")], None),
        ("ingest a device", ["ingest", "/dev/null", "--index", str(work / "new-index")], None),
        ("ingest a binary lexicon", ["ingest", str(ROOT / "seeds"), "--lexicon", str(work / "binary.jsonl"),
                                     "--index", str(work / "new-index")], None),
        ("index in a read-only place", ["ingest", str(ROOT / "seeds"), "--index", "/proc/gokg-index"], None),
        ("empty query", ["search", "", *idx], None),
        ("unknown concept", ["concept", "没有这个概念", *idx], None),
        ("unknown export format", ["export", "pdf", str(work / "g.pdf"), *idx], None),
    ]


# Progress lines (stderr not a terminal): "read: 4/4 files", "embed: 32/792 passages ...". Not error lines.
PROGRESS_LINE = re.compile(r"^(?:read|passages|concepts|index|embed): \d")


def error_lines(stderr: str) -> list[str]:
    """What a command said on stderr, without its progress lines."""
    return [line for line in stderr.splitlines() if line.strip() and not PROGRESS_LINE.match(line)]


def check_cli(run: Run) -> list[str]:
    if run.code is None:
        return [f"hang (> {TIMEOUT} s)"]
    wrong = ["traceback"] if run.traceback else []
    lines = error_lines(run.stderr)
    if run.code != 1:
        wrong.append(f"exit {run.code}")
    if len(lines) != 1 or not lines[0].startswith("gokg: "):
        wrong.append(f"{len(lines)} lines on stderr: {run.stderr.strip()[:200]!r}")
    return wrong


def batch_case(work: Path, index: Path) -> tuple[Run, list[str]]:
    """A batch file with one undecodable line between good ones: the good ones answered, the bad one said."""
    batch = work / "queries.txt"
    batch.write_bytes("saga 补偿\n".encode() + b"\xfa\xfb\xfc\xfd\n" + "熔断器".encode("gbk") + b"\n" + "限流\n".encode())
    run = gokg("search", "--batch", str(batch), "-k", "2", "--index", str(index))
    if run.code is None:
        return run, ["hang"]
    wrong = ["traceback"] if run.traceback else []
    answered = [json.loads(line)["query"] for line in run.stdout.splitlines() if line.strip()]
    if answered != ["saga 补偿", "熔断器", "限流"]:
        wrong.append(f"answered {answered}")
    said = run.stderr.strip().splitlines()
    if run.code != 1 or len(said) != 1 or f"{batch} line 2: " not in said[0]:
        wrong.append(f"exit {run.code}, stderr {run.stderr.strip()!r}")
    return run, wrong


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", help="comma-separated bad file names (or parts of names) to probe")
    args = parser.parse_args()
    wanted = [w for w in (args.only or "").split(",") if w]
    cases = [c for c in BAD_FILES if not wanted or any(w in c.name for w in wanted)]
    tried = tracebacks = hangs = lost = failures = 0
    with tempfile.TemporaryDirectory(prefix="gokg-probe-") as tmp:
        tmp = Path(tmp)
        for number, case in enumerate(cases):
            folder, outside, index = (tmp / f"case{number}" / part for part in ("corpus", "outside", "index"))
            if not make_corpus(folder, outside, [case]):
                print(f"{case.shown:18} not possible on this system")
                continue
            before = snapshot(folder, outside)
            run = gokg("ingest", str(folder), "--index", str(index))
            after = snapshot(folder, outside)
            wrong = check_ingest(case, run, index, before, after)
            tried += 1
            tracebacks += run.traceback
            hangs += run.code is None
            lost += sum(1 for path in before if before[path] != after.get(path))
            failures += bool(wrong)
            said = next((line for line in run.stdout.splitlines() if f"/{case.shown}: " in line), "(indexed, not mentioned)")
            print(f"{case.shown:18} {run.seconds:6.1f} s  {'ok ' if not wrong else 'BAD'}  {said[:110]}")
            for problem in wrong:
                print(f"{'':18}          {problem}")
        if not wanted:
            index = tmp / "cli" / "index"
            built = gokg("ingest", str(ROOT / "seeds"), "--index", str(index))
            if built.code != 0:
                sys.exit(f"could not build the index for the CLI cases: {built.stderr}")
            for name, argv, stdin in cli_cases(tmp / "cli", index):
                before = snapshot(tmp / "cli")
                run = gokg(*argv, stdin=stdin)
                wrong = check_cli(run)
                lost_here = [p for p in before if before[p] != snapshot(tmp / "cli").get(p) and not gokgs_own(p)]
                if lost_here:
                    wrong.append("files lost or changed: " + ", ".join(lost_here))
                tried += 1
                tracebacks += run.traceback
                hangs += run.code is None
                lost += len(lost_here)
                failures += bool(wrong)
                print(f"{name:30} {'ok ' if not wrong else 'BAD'}  {run.stderr.strip()[:110]}")
                for problem in wrong:
                    print(f"{'':30} {problem}")
            run, wrong = batch_case(tmp / "cli", index)
            tried += 1
            tracebacks += run.traceback
            hangs += run.code is None
            failures += bool(wrong)
            print(f"{'batch with a bad line':30} {'ok ' if not wrong else 'BAD'}  {run.stderr.strip()[:110]}")
            for problem in wrong:
                print(f"{'':30} {problem}")
    print(f"\nbad inputs tried: {tried}  tracebacks: {tracebacks}  hangs: {hangs}  files lost: {lost}  "
          f"cases with any problem: {failures}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
