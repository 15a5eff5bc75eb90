"""Index integrity: what the manifest promises about each file, and the checks that hold an index to it.

The manifest records the size and sha256 of every file of the index. Opening an index checks the sizes
always and the checksums of files up to :data:`CHECKSUM_ON_OPEN_BYTES` (all of them for a corpus of a
few thousand articles; ``verify_files(..., full=True)`` checks every one), then that what was loaded lines
up: one passage row per passage id in order, with fields of the right types, as many vectors and lexical
rows as passages, vectors of the manifest's dimension, mentions pointing at passages, graph edges
between nodes. A damaged index raises :class:`IndexFormatError` saying how to rebuild it.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from gokg.errors import IndexFormatError

__all__ = [
    "CHECKSUM_ON_OPEN_BYTES", "file_record", "checksums", "verify_files", "check_manifest", "check_passage_row",
    "check_graph_data", "damaged", "rebuild_hint",
]

# Per file: sha256 runs at ~0.8 GB/s on a busy 2-core machine, so opening spends at most ~80 ms a file on it.
# Larger files (the vectors of ~40,000 passages and up) get their size and shape checked on open, and every
# checksum by `gokg status --verify`.
CHECKSUM_ON_OPEN_BYTES = 64 * 2**20


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as data:
        for block in iter(lambda: data.read(2**20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_record(path: Path) -> dict:
    return {"size": Path(path).stat().st_size, "sha256": file_sha256(path)}


def checksums(folder: Path, names: list[str]) -> dict[str, dict]:
    """``{relative path: {"size", "sha256"}}`` for ``names`` (files, or folders: every file inside)."""
    folder = Path(folder)
    out: dict[str, dict] = {}
    for name in names:
        path = folder / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            out[file.relative_to(folder).as_posix()] = file_record(file)
    return out


def rebuild_hint(index_dir: Path, manifest: dict | None = None) -> str:
    inputs = manifest.get("inputs") if isinstance(manifest, dict) else None
    sources = " ".join(_quote(p) for p in inputs) if isinstance(inputs, list) and inputs else "FOLDER"
    return f"rebuild it with `gokg ingest {sources} --index {_quote(str(index_dir))} --force`"


def _quote(text: str) -> str:
    return f"'{text}'" if any(c.isspace() for c in str(text)) else str(text)


def damaged(index_dir: Path, problem: str, manifest: dict | None = None) -> IndexFormatError:
    return IndexFormatError(f"{index_dir}: damaged index ({problem}); {rebuild_hint(index_dir, manifest)}")


def verify_files(index_dir: Path, manifest: dict, *, full: bool = False) -> None:
    """Every file the manifest lists exists with its size, and (up to the size limit, or all with ``full``)
    its checksum."""
    index_dir = Path(index_dir)
    for name, record in manifest["checksums"].items():
        path = index_dir / name
        if ".." in Path(name).parts or Path(name).is_absolute():
            raise damaged(index_dir, f"manifest lists a file outside the index: {name!r}", manifest)
        try:
            size = path.stat().st_size
        except OSError:
            raise damaged(index_dir, f"{name} is missing", manifest) from None
        if size != record["size"]:
            raise damaged(index_dir, f"{name} has {size} bytes, the manifest says {record['size']}", manifest)
        if (full or size <= CHECKSUM_ON_OPEN_BYTES) and file_sha256(path) != record["sha256"]:
            raise damaged(index_dir, f"{name} was changed after the index was written (checksum differs)", manifest)


def check_manifest(index_dir: Path, manifest) -> dict:
    """The manifest's own shape: the fields every reader relies on, with their types."""
    if not isinstance(manifest, dict):
        raise damaged(index_dir, f"manifest.json holds {type(manifest).__name__}, not an object")
    expect = {"encoder": dict, "counts": dict, "checksums": dict, "files": dict, "sources": dict, "settings": dict,
              "stage": str}
    for key, kind in expect.items():
        if not isinstance(manifest.get(key), kind):
            raise damaged(index_dir, f"manifest field {key!r} is missing or not {kind.__name__}", manifest)
    encoder = manifest["encoder"]
    if not isinstance(encoder.get("name"), str) or not _is_int(encoder.get("dim")) or encoder["dim"] < 1:
        raise damaged(index_dir, "manifest field 'encoder' needs a name and a positive dim", manifest)
    if not _is_int(manifest["counts"].get("passages")):
        raise damaged(index_dir, "manifest counts have no passage count", manifest)
    for name, record in manifest["checksums"].items():
        if not (isinstance(record, dict) and _is_int(record.get("size")) and isinstance(record.get("sha256"), str)):
            raise damaged(index_dir, f"manifest checksum of {name!r} is not {{size, sha256}}", manifest)
    return manifest


PASSAGE_FIELDS = {"id": int, "doc": str, "line_start": int, "line_end": int, "section": str, "text": str, "hash": str}


def check_passage_row(index_dir: Path, row, position: int, manifest: dict) -> None:
    """A passage row as written: an object with fields of the right types, its id its position in the file."""
    if not isinstance(row, dict):
        raise damaged(index_dir, f"passages.jsonl line {position + 1} is not an object", manifest)
    for key, kind in PASSAGE_FIELDS.items():
        value = row.get(key)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise damaged(index_dir, f"passages.jsonl line {position + 1}: {key!r} is not {kind.__name__}", manifest)
    if row["id"] != position:
        raise damaged(index_dir, f"passages.jsonl line {position + 1} holds passage {row['id']} (passages out of order)",
                      manifest)


def check_graph_data(index_dir: Path, data, manifest: dict) -> None:
    """graph.json as networkx node-link data whose nodes have a name and type and whose edges join nodes."""
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list) or not isinstance(data.get("edges"), list):
        raise damaged(index_dir, "graph.json is not node-link data with nodes and edges", manifest)
    ids = set()
    for node in data["nodes"]:
        if not isinstance(node, dict) or not isinstance(node.get("name"), str) or not isinstance(node.get("type"), str):
            raise damaged(index_dir, "graph.json has a node without a name or type", manifest)
        ids.add(node.get("id"))
    for edge in data["edges"]:
        if not isinstance(edge, dict) or edge.get("source") not in ids or edge.get("target") not in ids:
            raise damaged(index_dir, "graph.json has an edge to a missing node", manifest)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
