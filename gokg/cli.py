"""The gokg command line: a thin shell over :class:`gokg.KnowledgeBase`.

Each command calls one library function, prints text or ``--json``, and turns a library error into one
line on stderr and exit status 1.
"""
from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Optional

import typer

from gokg.errors import GokgError, IndexMissingError, InputError
from gokg.paths import seeds_dir, ui_app

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False, help="gokg: knowledge graph and search over Chinese Go engineering articles.")

IndexOption = Annotated[Path, typer.Option("--index", envvar="GOKG_INDEX", help="Index folder (default ./index, or $GOKG_INDEX).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
DEFAULT_INDEX = Path("index")


def _echo_json(data) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False))


def _progress():
    """Bars on a terminal; plain lines with counts and time left otherwise (CI logs, `make run`)."""
    from gokg.ingest.progress import progress_reporter

    return progress_reporter(sys.stderr)


def _build(paths: list[Path], index: Path, encoder: str | None, lexicon: Path | None = None, *, force: bool = False):
    """Build in two stages, saying when the index answers: first everything but the vectors, then the
    vectors, chunk by chunk (Ctrl-C or a kill loses at most one chunk; the next ingest continues)."""
    from gokg import KnowledgeBase, Settings

    settings = Settings(lexicon=str(lexicon.resolve()) if lexicon else None)

    def searchable(state) -> None:
        left = state.passages - state.embedded
        which = f"the remaining {left} of {state.passages}" if state.embedded else f"{left}"
        typer.echo(f"{index} answers now (lexical and concept signals); embedding {which} passages for the dense "
                   "signal (Ctrl-C stops; the same `gokg ingest` continues)", err=True)

    try:
        return KnowledgeBase.build(paths, index, encoder=encoder, settings=settings, progress=_progress(),
                                   resume=not force, on_searchable=searchable)
    except KeyboardInterrupt:
        typer.echo(f"gokg: stopped; {KnowledgeBase.status(index).summary()}", err=True)
        raise typer.Exit(130) from None


def _open(index: Path):
    """Open the index. If the default one (``./index``) is missing, build it from the bundled seeds first,
    saying so; an index the user named (``--index``, ``$GOKG_INDEX``) that is missing is an error, as a
    mistyped path must not quietly become an index of other articles."""
    from gokg import KnowledgeBase

    try:
        return KnowledgeBase.open(index)
    except IndexMissingError:
        if index != DEFAULT_INDEX:
            from gokg.graph.store import check_replaceable

            check_replaceable(index)  # a folder of the user's own: say it is not an index, not how to build one
            raise InputError(f"no index at {index}: build one with `gokg ingest FOLDER --index {index}`") from None
        seeds = seeds_dir()
        typer.echo(f"no index at {index}: building it from {seeds} first ...", err=True)
        return _build([seeds], index, os.environ.get("GOKG_ENCODER"))


@app.command()
def ingest(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="Files or folders (.txt, .md, .html); default: the bundled seeds/.")] = None,
    index: IndexOption = DEFAULT_INDEX,
    encoder: Annotated[Optional[str], typer.Option(envvar="GOKG_ENCODER", help="e5 (default), hash, or sentence-transformers:NAME_OR_PATH.")] = None,
    lexicon: Annotated[Optional[Path], typer.Option("--lexicon", help="Your own lexicon TSV, merged with the built-in one (see README).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Rebuild even when the index is already built from these files.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Read articles and build the index (atomically: a failed ingest keeps the old index)."""
    from gokg import KnowledgeBase

    sources = paths or [seeds_dir()]
    if lexicon is not None and not lexicon.is_file():
        raise InputError(f"{lexicon}: no such lexicon file")
    user_lexicon = lexicon.resolve() if lexicon else None
    if not force and KnowledgeBase.is_current(sources, index, encoder, user_lexicon):
        if as_json:
            _echo_json({"index_dir": str(index), "current": True})
        else:
            typer.echo(f"index {index} is current (same files, encoder and lexicon): nothing to do; --force rebuilds")
        return
    kb = _build(sources, index, encoder, lexicon, force=force)
    report = kb.build_report
    if as_json:
        _echo_json(report.to_dict())
        return
    typer.echo(
        f"indexed {report.files} files: {report.passages} passages ({report.embedded} embedded), "
        f"{report.concepts} concepts, {report.relations} relations -> {report.index_dir}"
    )
    for problem in report.problems:  # kept: indexed, with a warning (bytes replaced, only boilerplate)
        typer.echo(f"{'warning' if getattr(problem, 'kept', False) else 'skipped'} {problem.path}: {problem.reason}")


@app.command()
def status(
    index: IndexOption = DEFAULT_INDEX,
    verify: Annotated[bool, typer.Option("--verify", help="Check the checksum of every file, however large.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Which stage the index is in: passages embedded, estimated time left, whether an ingest is running."""
    from gokg import KnowledgeBase

    state = KnowledgeBase.status(index, verify=verify)
    if as_json:
        _echo_json(state.to_dict())
    elif state.stage not in ("missing", "damaged"):
        typer.echo(f"{index}: {state.summary()}")
    if state.stage in ("missing", "damaged"):
        raise GokgError(state.problem)


@app.command()
def search(
    query: Annotated[Optional[str], typer.Argument(help="What to look for, in Chinese, English or both.")] = None,
    k: Annotated[int, typer.Option("-k", help="Number of hits.")] = 10,
    batch: Annotated[Optional[str], typer.Option("--batch", help="File with one query a line (- for stdin); prints a JSON line per query, with its line number.")] = None,
    index: IndexOption = DEFAULT_INDEX,
    as_json: JsonOption = False,
) -> None:
    """Search passages; show the concepts the query is about."""
    if batch is None and query is None:
        raise InputError("give a QUERY or --batch FILE")
    if batch is not None and batch != "-":
        _check_readable_file(Path(batch))
    kb = _open(index)
    if batch is not None:
        failed = 0
        for number, query, problem in batch_queries(batch):
            if problem is None:
                try:
                    _echo_json({"line": number, **_search_json(kb.search(query, k=k))})
                    continue
                except GokgError as exc:
                    problem = str(exc)
            failed += 1
            typer.echo(f"gokg: {'stdin' if batch == '-' else batch} line {number}: {problem}", err=True)
        if failed:
            raise typer.Exit(1)  # every other line was answered
        return
    result = kb.search(query or "", k=k)
    if as_json:
        _echo_json(_search_json(result))
        return
    if result.notice:
        typer.echo(f"({result.notice})")
    chips = ", ".join(f"{c.name} ({c.type})" for c in result.concepts) or "-"
    typer.echo(f"concepts: {chips}")
    if result.absent:
        typer.echo("not in the indexed articles: " + ", ".join(c.name for c in result.absent))
    typer.echo("")
    for rank, hit in enumerate(result.hits, start=1):
        typer.echo(f"{rank:2}. {hit.doc}:{hit.line_start}-{hit.line_end}  [{hit.section}]  score={hit.score:.4f}")
        snippet = " ".join(hit.text.split())[:160]
        typer.echo(f"    {snippet}")


def batch_queries(batch: str):
    """``(line number, query, problem)`` for each non-blank line of a batch file (``-``: stdin), decoded as
    articles are (UTF-8, UTF-16, GB18030, ...), line by line, so one undecodable line is reported and the
    rest are answered. ``problem`` is None for a good line."""
    from gokg.ingest.readers import collect_notes, decode

    stream = sys.stdin.buffer if batch == "-" else open(batch, "rb")
    with stream:
        head = stream.peek(4096)[:4096] if hasattr(stream, "peek") else b""
        if head.startswith((b"\xff\xfe", b"\xfe\xff")) or (b"\x00" in head):
            # UTF-16 (or binary): lines cannot be split on the byte b"\n"; decode the whole file
            try:
                text, _ = decode(stream.read(_MAX_BATCH_BYTES))
            except ValueError as exc:
                yield 1, "", str(exc)
                return
            lines = [line.encode("utf-8") for line in text.split("\n")]
        else:
            lines = stream
        for number, raw in enumerate(lines, start=1):
            raw = raw.rstrip(b"\r\n")
            if not raw.strip():
                continue
            try:
                query = raw.decode("utf-8")
            except UnicodeDecodeError:
                try:
                    with collect_notes() as notes:
                        query, _ = decode(raw)
                except ValueError as exc:
                    yield number, "", str(exc)
                    continue
                if notes:  # bytes were replaced: the query is not what was written
                    yield number, "", "not UTF-8 text (" + "; ".join(notes) + ")"
                    continue
            yield number, query.strip(), None


_MAX_BATCH_BYTES = 64 * 2**20


def _check_readable_file(path: Path) -> None:
    """One clear line for a path that is not a readable regular file."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a file")
    if not path.is_file():
        raise InputError(f"{path}: not a regular file")


def _check_utf8_file(path: Path) -> None:
    _check_readable_file(path)
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"{path}: not UTF-8 text (line {line}, byte {exc.start})") from None


def _search_json(result) -> dict:
    return result.to_dict()


@app.command()
def concept(
    name: Annotated[str, typer.Argument(help="A concept name or alias, Chinese or English.")],
    index: IndexOption = DEFAULT_INDEX,
    as_json: JsonOption = False,
) -> None:
    """Show one concept: type, aliases, files, mentions and related concepts with evidence."""
    info = _open(index).concept(name)
    if as_json:
        _echo_json(info.to_dict())
        return
    typer.echo(f"{info.name} ({info.type})  {info.description}")
    typer.echo(f"aliases: {', '.join(info.aliases)}")
    typer.echo(f"{len(info.mentions)} mentions in {', '.join(info.docs)}")
    for n in info.neighbors[:25]:
        arrow = _arrow(n)
        where = f"  ({n.evidence[0].doc}:{n.evidence[0].line})" if n.evidence else ""
        typer.echo(f"  {arrow} {n.relation:15} {n.name} [{n.type}]{where}")


@app.command()
def concepts(
    type: Annotated[Optional[str], typer.Option("--type", help="framework, library, tool, pattern, protocol, platform, language or concept.")] = None,
    discovered: Annotated[bool, typer.Option("--discovered", help="Only concepts found beyond the lexicon.")] = False,
    index: IndexOption = DEFAULT_INDEX,
    as_json: JsonOption = False,
) -> None:
    """List the concepts found in the indexed articles."""
    items = _open(index).concepts(type=type, discovered=True if discovered else None)
    if as_json:
        _echo_json([asdict(c) for c in items])
        return
    for c in items:
        typer.echo(f"{c.mentions:4}  {c.name} [{c.type}]  {', '.join(c.aliases[:4])}")


def _arrow(neighbor) -> str:
    """How a neighbour's edge reads: ``--`` for co-occurrence (no direction), else ``->`` out of the concept."""
    return "--" if neighbor.relation == "related_to" else "->" if neighbor.direction == "out" else "<-"


@app.command()
def neighbors(
    name: Annotated[str, typer.Argument(help="A concept name or alias.")],
    depth: Annotated[int, typer.Option(help="Hops (1-3).")] = 1,
    index: IndexOption = DEFAULT_INDEX,
    as_json: JsonOption = False,
) -> None:
    """Concepts related to NAME, by relation, with evidence; beyond one hop each line starts at the concept
    the path goes through."""
    if not 1 <= depth <= 3:
        raise InputError(f"--depth {depth}: must be 1, 2 or 3")
    items = _open(index).neighbors(name, depth=depth)
    if as_json:
        _echo_json([n.to_dict() for n in items])
        return
    for n in items:
        arrow = _arrow(n)
        start = f"{n.via} " if n.distance > 1 else ""
        where = f"  ({n.evidence[0].doc}:{n.evidence[0].line})" if n.evidence else ""
        typer.echo(f"{'  ' * (n.distance - 1)}{start}{arrow} {n.relation:15} {n.name} [{n.type}] weight={n.weight}{where}")


@app.command()
def topics(index: IndexOption = DEFAULT_INDEX, as_json: JsonOption = False) -> None:
    """Topic clusters of the concept graph."""
    items = _open(index).topics()
    if as_json:
        _echo_json([t.to_dict() for t in items])
        return
    for t in items:
        typer.echo(f"[{t.id}] {t.label} ({t.size}): {', '.join(t.members[:12])}")


ABLATION = {  # name: the signals it uses
    "bm25 alone": ("bm25",), "dense alone": ("dense",), "concept alone": ("concept",),
    "expanded alone": ("expanded",), "heading alone": ("heading",), "bm25+dense (RRF)": ("bm25", "dense"),
    "full without dense": ("bm25", "expanded", "concept", "heading"),
}


@app.command("eval")
def eval_(
    queries: Annotated[list[Path], typer.Argument(help="Queries with judgements (JSON lines); several files: one table each.")],
    ablation: Annotated[bool, typer.Option(help="Also score each signal alone.")] = False,
    index: Annotated[Optional[list[Path]], typer.Option(
        "--index", envvar="GOKG_INDEX",
        help="Index folder (default ./index, or $GOKG_INDEX); give one per query file, or one for all.")] = None,
    as_json: JsonOption = False,
) -> None:
    """nDCG@10, Recall@10 and MRR over judged query sets: per query, per kind and (--ablation) per signal."""
    indexes = index or [DEFAULT_INDEX]
    if len(indexes) not in (1, len(queries)):
        raise InputError(f"{len(indexes)} --index folders for {len(queries)} query files: give one, or one per file")
    for path in queries:
        _check_utf8_file(path)
    sets = []
    for number, path in enumerate(queries):
        folder = indexes[number] if len(indexes) > 1 else indexes[0]
        sets.append((path, folder, _eval_runs(_open(folder), path, ablation)))
    if as_json:
        data = [{"queries": str(p), "index": str(f), "runs": {n: asdict(r) for n, r in runs.items()}} for p, f, runs in sets]
        _echo_json({n: r for n, r in data[0]["runs"].items()} if len(sets) == 1 else {"sets": data})
        return
    for number, (path, folder, runs) in enumerate(sets):
        if len(sets) > 1:
            typer.echo(("\n" if number else "") + f"== {path} (index {folder}) ==")
        _print_eval(runs)


def _eval_runs(kb, path: Path, ablation: bool) -> dict:
    from gokg import FusionWeights

    runs = {"full": kb.evaluate(path)}
    if ablation:
        for name, signals in ABLATION.items():
            runs[name] = kb.evaluate(path, signals=signals)
        tuned = kb.searcher.weights
        kb.set_weights(FusionWeights(bm25=1, expanded=1, dense=1, concept=1, heading=1, rrf_k=60))
        runs["all signals, equal-weight RRF"] = kb.evaluate(path)
        kb.set_weights(tuned)
    return runs


def _print_eval(runs: dict) -> None:
    from gokg.graph.evaluate import by_kind

    full = runs["full"]
    typer.echo(f"{'query':6} {'kind':10} {'nDCG@10':>8} {'R@10':>6} {'MRR':>6}  q")
    for s in full.per_query:
        typer.echo(f"{s.id:6} {s.kind:10} {s.ndcg:8.4f} {s.recall:6.4f} {s.mrr:6.4f}  {s.q}")
    for s in full.no_answer:
        typer.echo(f"{s.id:6} {s.kind:10} {'(no judged passage) top dense similarity':>22} {s.top_score:.4f}  {s.q}")
    typer.echo("")
    kinds = list(by_kind(full))
    typer.echo(f"{'nDCG@10 by kind':30} {'all':>7} " + " ".join(f"{k[:10]:>10}" for k in kinds))
    for name, report in runs.items():
        split = by_kind(report)
        typer.echo(f"{name:30} {report.ndcg:7.4f} " + " ".join(f"{split[k].ndcg:10.4f}" if k in split else f"{'-':>10}" for k in kinds))
    typer.echo("")
    for name, report in runs.items():
        typer.echo(f"{name:30} nDCG@10={report.ndcg:.4f}  Recall@10={report.recall:.4f}  MRR={report.mrr:.4f}  ({report.queries} queries)")


@app.command()
def export(
    format: Annotated[str, typer.Argument(help="graphml, json (networkx node-link data) or neo4j (CSV for neo4j-admin import).")],
    out: Annotated[Path, typer.Argument(help="Output file (a folder for neo4j).")],
    index: IndexOption = DEFAULT_INDEX,
) -> None:
    """Export the concept graph."""
    _check_export_target(format, out)
    path = _open(index).export(format, out)
    typer.echo(f"wrote {path}")


def _check_export_target(format: str, out: Path) -> None:
    if format == "neo4j" and out.exists() and not out.is_dir():
        raise InputError(f"{out}: is a file; neo4j export writes a folder of CSV files (give a folder name)")
    if format in ("json", "graphml") and out.is_dir():
        raise InputError(f"{out}: is a folder; give a file name, e.g. {out / ('graph.' + format)}")


@app.command()
def report(
    sample: Annotated[int, typer.Option("--sample", min=0, help="Typed relations to draw at random, with their evidence, for review.")] = 20,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the sample: the same seed draws the same relations.")] = 0,
    index: IndexOption = DEFAULT_INDEX,
    as_json: JsonOption = False,
) -> None:
    """Review the graph: concepts from the lexicon and discovered, relations by type and origin, components,
    possible duplicates, and a seeded random sample of typed relations with their evidence."""
    data = _open(index).report(sample=sample, seed=seed)
    if as_json:
        _echo_json(data)
        return
    typer.echo(f"{data['concepts']} concepts ({data['lexicon']} from the lexicon, {data['discovered']} discovered), "
               f"{data['relations']} relations, {data['components']} components")
    discovered = data["discovered_by_type"]
    typer.echo("concepts by type:    " + ", ".join(
        f"{k} {v}" + (f" ({discovered[k]} discovered)" if discovered.get(k) else "") for k, v in data["concepts_by_type"].items()))
    typer.echo("relations by origin: " + ", ".join(f"{k} {v}" for k, v in data["relations_by_origin"].items()))
    typer.echo("relations by type and origin:")
    by_origin: dict[str, list[str]] = {}
    for key, count in data["relations_by_type_and_origin"].items():
        relation, _, origin = key.partition("/")
        by_origin.setdefault(relation, []).append(f"{origin} {count}")
    for relation, count in data["relations_by_type"].items():
        typer.echo(f"  {relation:16} {count:6}  {', '.join(by_origin.get(relation, []))}")
    for component in data["largest_components"]:
        typer.echo(f"component of {component['size']}: {', '.join(component['top'])}")
    duplicates = data["possible_duplicates"]
    for a, b in duplicates[:DUPLICATES_SHOWN]:
        typer.echo(f"possible duplicate: {a} / {b}")
    if len(duplicates) > DUPLICATES_SHOWN:
        typer.echo(f"... and {len(duplicates) - DUPLICATES_SHOWN} more possible duplicates (--json lists them all)")
    typer.echo("")
    typer.echo(f"{len(data['sample'])} typed relations drawn at random (--seed {seed}) to review:")
    for number, item in enumerate(data["sample"], start=1):
        typer.echo(f"{number:3}. {item['source']} -{item['relation']}-> {item['target']}  [{item['origin']}]")
        for evidence in item["evidence"][:1]:
            more = f"  (+{len(item['evidence']) - 1} more)" if len(item["evidence"]) > 1 else ""
            typer.echo(f"     {evidence['doc']}:{evidence['line']}  {' '.join(evidence['text'].split())[:160]}{more}")


DUPLICATES_SHOWN = 20  # a real corpus has hundreds; the text report stays readable, --json has them all


@app.command()
def ui(
    index: IndexOption = DEFAULT_INDEX,
    port: Annotated[int, typer.Option(help="Port.")] = 8501,
    host: Annotated[str, typer.Option(
        help="Address to listen on. The default, 127.0.0.1, is this machine only; 0.0.0.0 lets anyone on the "
             "network search, upload articles and re-ingest, with no login.")] = "127.0.0.1",
) -> None:
    """Start the Streamlit app on http://127.0.0.1:PORT (this machine only unless --host says otherwise)."""
    import subprocess

    app_file = ui_app()
    env = {**os.environ, "GOKG_INDEX": str(index.resolve())}
    typer.echo(f"gokg UI on http://{'localhost' if host == '127.0.0.1' else host}:{port}")
    if host not in ("127.0.0.1", "localhost", "::1"):
        typer.echo(f"warning: listening on {host}: anyone who can reach it can search, upload and re-ingest "
                   "(no login)", err=True)
    raise typer.Exit(
        subprocess.call(
            [sys.executable, "-m", "streamlit", "run", str(app_file), "--server.port", str(port),
             "--server.address", host, "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            env=env,
        )
    )


def main() -> None:
    try:
        app()  # standalone: usage errors print a short message and exit 2
    except GokgError as exc:
        typer.echo(f"gokg: {exc}", err=True)
        sys.exit(1)
    except OSError as exc:  # disk full, read-only folder, no permission: the user's environment, one line
        where = f"{exc.filename}: " if exc.filename else ""
        typer.echo(f"gokg: {where}{exc.strerror or exc}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
