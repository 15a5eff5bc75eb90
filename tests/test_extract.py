"""Concept discovery beyond the lexicon, definitions, and relation rules, on small articles."""
from __future__ import annotations

from gokg.ingest.discover import discover_concepts
from gokg.ingest.extract import extract_relations, find_definitions
from gokg.ingest.lexicon import ConceptMatcher, load_lexicon
from gokg.models import Concept, Document
from gokg.ingest.passages import make_passages
from gokg.ingest.structure import parse_blocks

ARTICLE = """# Brookmill 实战

Brookmill 框架是一个用于构建事件驱动应用的 Go 库，统一了 Kafka、NATS 等消息后端。

## 幂等消费者（Idempotent Consumer）

幂等消费者（Idempotent Consumer）模式保证同一条消息被重复投递时只处理一次。

```go
import "github.com/acme-labs/brookmill"
```

## 与 Kafka 集成

在订单服务中，Brookmill 框架订阅 Kafka 主题，并由 Idempotent Consumer 去重。

## 对比

特性 Brookmill Sarama
抽象层次 高 低
"""


def _passages(text: str):
    doc = Document("w.md", "w.md", text, "0")
    return make_passages(doc, parse_blocks(text))


def _relations(text: str, concepts, matcher=None) -> set[tuple[str, str, str]]:
    """Every relation extracted from ``text`` as (source, type, target)."""
    return {(r.source, r.type, r.target) for r in extract_relations(_passages(text), matcher or ConceptMatcher(concepts), concepts)}


def test_discovers_concepts_the_lexicon_does_not_know():
    lexicon = load_lexicon()
    assert ConceptMatcher(lexicon).lookup("Brookmill") is None
    _, discovered = discover_concepts(_passages(ARTICLE), lexicon)
    by_name = {c.name: c for c in discovered}
    assert by_name["Brookmill"].type == "framework" and by_name["Brookmill"].discovered
    assert "github.com/acme-labs/brookmill" in by_name["Brookmill"].aliases  # one node, not two
    assert by_name["Idempotent Consumer"].aliases == ("Idempotent Consumer", "幂等消费者")
    assert by_name["Idempotent Consumer"].type == "pattern"


def test_ordinary_capitalised_words_are_not_concepts():
    text = "## Example\n\nThe Server sends a Request. Example output follows. The Server is fine.\n\nThe Request again.\n"
    _, discovered = discover_concepts(_passages(text), load_lexicon())
    assert discovered == []


def test_a_pair_adds_an_alias_to_a_known_concept_without_merging_two():
    text = "断路保护器（Circuit Breaker）在下游故障时快速失败。\n\n熔断器（Rate Limiting）写错也不会合并两个概念。\n"
    updated, _ = discover_concepts(_passages(text), load_lexicon())
    by_id = {c.id: c for c in updated}
    assert "断路保护器" in by_id["circuit-breaker"].aliases
    assert "熔断器" not in by_id["rate-limiting"].aliases


def test_relations_from_sentences_tables_and_lists():
    lexicon, discovered = discover_concepts(_passages(ARTICLE), load_lexicon())
    concepts = lexicon + discovered
    matcher = ConceptMatcher(concepts)
    text = ARTICLE + "\ngRPC 基于 HTTP/2 多路复用。\n\ngo-micro, Kitex 内置服务发现、熔断。\n\nGMP 模型由 G(goroutine)、M(OS 线程)、P 三者协同构成。\n"
    relations = {(r.source, r.type, r.target): r for r in extract_relations(_passages(text), matcher, concepts)}
    assert ("grpc", "uses", "http/2") in relations
    assert ("go-micro", "implements", "service-discovery") in relations
    assert ("kitex", "implements", "circuit-breaker") in relations
    assert ("goroutine", "part_of", "gmp-scheduler") in relations
    assert ("brookmill", "alternative_to", "sarama") in relations  # header "特性 Brookmill Sarama" (a Kafka client)
    evidence = relations[("grpc", "uses", "http/2")].evidence[0]
    assert evidence.text == "gRPC 基于 HTTP/2 多路复用。" and evidence.line == text.split("\n").index(evidence.text) + 1


def test_clauses_after_a_definition_keep_its_subject_until_a_new_one():
    concepts = load_lexicon()
    matcher = ConceptMatcher(concepts)
    text = (
        "Kratos 是一个 Go 微服务框架，它基于 gRPC 构建，支持 Protobuf。\n\n"
        "go-zero 是一个微服务框架，我们用 Consul 做服务发现。\n\n"
        "middleware 是一种扩展方式，大部分基于 Kitex 的插件都是基于它实现的。\n"
    )
    relations = _relations(text, concepts, matcher)
    assert ("kratos", "uses", "grpc") in relations and ("kratos", "implements", "protobuf") in relations
    assert not {r for r in relations if r[0] == "go-zero" and r[2] == "consul"}  # 我们 is the new subject
    assert not {r for r in relations if "kitex" in (r[0], r[2]) and r[1] != "related_to"}
    item = "- Kratos：Go 微服务框架，支持 gRPC。\n"
    relations = _relations(item, concepts, matcher)
    assert ("kratos", "implements", "grpc") in relations  # the term of a definition list is the topic


def test_a_name_that_opens_a_sentence_is_the_subject_of_its_clauses_without_one():
    concepts = load_lexicon()
    matcher = ConceptMatcher(concepts)
    text = (
        "Kratos 做路由决策时，直接读 Consul 里的实例列表。\n\n"
        "Etcd 拓展对实例信息进行了封装，使用 Kitex 与其它服务互通时可参考此处。\n\n"
        "Redis 不保证送达，所以 Kafka 的重试设置得比较短，作为兜底。\n\n"
        "Kratos 很轻，基于 gRPC 实现传输层。\n"
    )
    relations = _relations(text, concepts, matcher)
    assert ("kratos", "uses", "consul") in relations  # the second clause has no subject of its own
    assert not {r for r in relations if r[0] == "etcd" and r[1] != "related_to"}  # the subject is Etcd's extension
    assert not {r for r in relations if r[0] == "redis" and r[1] != "related_to"}  # 所以 opens a new statement
    assert ("kratos", "uses", "grpc") in relations
    answer = "Q：为什么不用 Gatekeeper？\n\nA：Kratos 是一个微服务框架。它内嵌了 Consul 的 SDK，在进程内直接发现实例。\n"
    relations = _relations(answer, concepts, matcher)
    assert ("kratos", "uses", "consul") in relations  # 它 is the subject of the answer's first sentence


def test_a_category_after_a_product_names_it_again_and_an_opening_condition_governs_only_its_clause():
    from gokg.models import Concept

    concepts = [*load_lexicon(), Concept("paifang", "Paifang", "platform", ("Paifang",)),
                Concept("qilou", "Qilou", "framework", ("Qilou",))]
    matcher = ConceptMatcher(concepts)
    text = (
        "Paifang 网关本身就是用 Qilou 写成的。\n\n"
        "如果业务能接受最终一致（比如下单），Saga 是 2PC 的一种替代方案。\n\n"
        "如果 Paifang 能直接对接 Consul，就省事了。\n"
    )
    relations = _relations(text, concepts, matcher)
    assert ("paifang", "uses", "qilou") in relations
    assert not {r for r in relations if r[0] == "api-gateway" and r[1] != "related_to"}  # 网关 is Paifang itself
    assert {("saga", "alternative_to", "two-phase-commit"), ("two-phase-commit", "alternative_to", "saga")} & relations
    assert not {r for r in relations if "consul" in (r[0], r[2]) and r[1] != "related_to"}  # said under the condition


def test_a_pronoun_and_a_product_own_idea_carry_the_product_as_subject():
    concepts = load_lexicon()
    matcher = ConceptMatcher(concepts)
    text = (
        "go-zero 的负载均衡用的就是 P2C，配合 EWMA 算延迟。\n\n"
        "Kratos 是 B 站开源的框架。它的 transport 层基于 gRPC 实现。\n\n"
        "Kitex 的重试模块很简单，它在每次重试之间使用指数退避。\n\n"
        "这是 Consul 的老问题。它内置了熔断器。\n\n"
        "幂等账本是什么呢？它是 Kratos 里一个可选组件。\n\n"
        "Gin 和 Redis + Kafka 的组合在能力上有不少重叠。\n\n"
        "- **驱动**：MySQL 使用 go-sql-driver/mysql。\n\n"
        "Nacos 既是注册中心又是配置中心。\n"
    )
    relations = _relations(text, concepts, matcher)
    assert ("go-zero", "uses", "p2c") in relations  # what go-zero's load balancing uses, go-zero uses
    assert ("kratos", "uses", "grpc") in relations  # 它 is the subject of the sentence before
    assert ("kitex", "uses", "exponential-backoff") not in relations  # another 重试 uses it, in another clause
    assert not {r for r in relations if r[0] == "consul" and r[1] != "related_to"}  # that sentence's subject is 这
    assert ("idempotency", "part_of", "kratos") not in relations  # 它 is 幂等账本, not the 幂等 it starts with
    assert ("redis", "integrates_with", "kafka") in relations and ("gin", "integrates_with", "kafka") not in relations
    assert ("load-balancing", "uses", "p2c") not in relations  # it is go-zero's load balancing that uses P2C
    assert ("mysql", "uses", "go-sql-driver/mysql") not in relations  # MySQL's driver is used by its clients
    assert ("nacos", "is_a", "configuration-center") in relations  # two roles of Nacos, not one kind of the other
    assert not {r for r in relations if r[0] == "service-discovery" and r[2] == "configuration-center"}


def test_a_process_diagram_gives_no_component_edges_but_an_architecture_diagram_does():
    concepts = load_lexicon()
    text = (
        "```mermaid\ngraph TD\n    A[文件监控] --> D[构造Loki Push请求]\n    D --> E[HTTP POST至Loki]\n```\n\n"
        "```mermaid\ngraph TD\n    A[HTTP Request] --> B[Gin Router]\n    B --> C[otelgin Middleware]\n```\n"
    )
    relations = {(r.source, r.type, r.target) for r in extract_relations(_passages(text), ConceptMatcher(concepts), concepts)
                 if r.type != "related_to"}
    assert not {r for r in relations if "loki" in (r[0], r[2])}  # steps of a process: nothing calls Loki's HTTP
    assert ("gin", "uses", "otelgin") in relations


def test_a_cue_reaches_the_head_a_glued_name_qualifies():
    concepts = load_lexicon()
    text = "Timeout 避免后端阻塞导致网关雪崩。\n\n超时避免了下游阻塞导致网关雪崩吗？不一定。\n"
    relations = {(r.source, r.type, r.target) for r in extract_relations(_passages(text), ConceptMatcher(concepts), concepts)
                 if r.type != "related_to"}
    assert ("timeout", "solves", "cascading-failure") in relations  # 网关 only qualifies 雪崩
    assert not {r for r in relations if "api-gateway" in (r[0], r[2])}


def test_a_resemblance_and_a_longer_name_give_no_typed_edge():
    concepts = load_lexicon()
    text = ("它的存储结构更接近 LevelDB 而不是 BadgerDB。\n\n"  # says what a third thing resembles
            "块缓存是一个分片的 LRU，每个分片一把锁。\n\n"  # the block cache is an LRU, not caching as a whole
            "我们最后选择 LevelDB 而不是 BadgerDB。\n")
    typed = {r for r in _relations(text, concepts) if r[1] != "related_to"}
    assert typed == {("leveldb", "alternative_to", "badgerdb")} or typed == {("badgerdb", "alternative_to", "leveldb")}


def test_what_ba_hands_over_is_no_party_of_the_cue_around_it():
    concepts = load_lexicon()
    typed = {r for r in _relations("Sentinel 默认把指标用 Prometheus 格式暴露在 /metrics 上。\n", concepts) if r[1] != "related_to"}
    assert ("sentinel", "integrates_with", "prometheus") in typed  # 指标 is what is exposed, between the two


def test_a_component_uses_the_algorithm_it_works_by_and_implements_the_capability():
    concepts = load_lexicon()
    text = "Sentinel 采用令牌桶算法。\n\nSentinel 实现了熔断。\n"
    typed = {r for r in _relations(text, concepts) if r[1] != "related_to"}
    assert typed == {("sentinel", "uses", "token-bucket"), ("sentinel", "implements", "circuit-breaker")}


def test_a_product_provides_an_activity_and_a_problem_is_no_alternative():
    concepts = load_lexicon()
    text = ("Nacos 是阿里开源的服务发现组件。\n\n"  # a capability it provides, not a kind it is
            "Linkerd 是一个轻量的服务网格。\n\n"  # a kind of software: is_a stays
            "对 TCP 长连接（如 MySQL）绕过 mesh。\n\n"  # MySQL's connections are long ones
            "用 goroutine + channel 替代锁竞争。\n")  # the contention is avoided, not replaced
    typed = {r for r in _relations(text, concepts) if r[1] != "related_to"}
    assert ("nacos", "implements", "service-discovery") in typed and ("linkerd", "is_a", "service-mesh") in typed
    assert not {r for r in typed if r[1] == "is_a" and r[0] == "nacos"}
    assert not {r for r in typed if {"mysql", "lock-contention"} & {r[0], r[2]}}


def test_an_ecosystem_places_a_product_and_a_store_is_read_from():
    concepts = load_lexicon() + [Concept("tarnflux", "Tarnflux", "platform", ("Tarnflux",))]
    text = ("Sentinel 是 Tarnflux 生态中负责限流的 Go 库。\n\n"  # Sentinel limits rates, not Tarnflux
            "```mermaid\ngraph LR\n  K[(Kafka)] --> G[Gin]\n  G --> R[(Redis)]\n```\n")
    typed = {r for r in _relations(text, concepts) if r[1] != "related_to"}
    assert ("sentinel", "implements", "rate-limiting") in typed
    assert not {r for r in typed if r[0] == "tarnflux" or (r[2] == "tarnflux" and r[1] != "part_of")}
    placed = {r for r in _relations("Sentinel 是 Tarnflux 里专门检测 goroutine 泄漏的库。\n", concepts) if r[1] != "related_to"}
    assert placed == {("sentinel", "part_of", "tarnflux"), ("sentinel", "measures", "goroutine-leak")}
    assert {("gin", "uses", "kafka"), ("gin", "uses", "redis")} <= typed  # the arrow from a cylinder is a read
    assert ("kafka", "uses", "gin") not in typed


def test_what_a_sentence_denies_before_er_shi_goes_and_the_rest_is_said_of_its_subject():
    concepts = load_lexicon()
    text = ("Kratos 并没有自己实现注册中心，而是直接基于 etcd 做服务发现。\n\n"
            "go-zero 没有用 Gin，而是使用 Redis 做缓存。\n")
    typed = {r for r in _relations(text, concepts) if r[1] != "related_to"}
    assert ("kratos", "uses", "etcd") in typed and ("go-zero", "uses", "redis") in typed
    assert not {r for r in typed if "gin" in (r[0], r[2])}  # what is denied gives no edge


def test_what_a_products_own_idea_does_the_product_does():
    concepts = load_lexicon() + [Concept("paifang", "Paifang", "platform", ("Paifang",))]
    text = "Paifang 的动态配置默认保存在 etcd 中。\n\n负载均衡的配置保存在 etcd 中。\n"
    typed = {r for r in _relations(text, concepts) if r[1] != "related_to"}
    assert typed == {("paifang", "uses", "etcd")}  # an idea with no owner before it stores nothing


def test_a_definition_list_item_says_what_its_term_is():
    concepts = load_lexicon() + [Concept("shoalmark", "Shoalmark", "platform", ("Shoalmark",)),
                                 Concept("quillmere", "Quillmere", "framework", ("Quillmere",))]
    text = ("- **Shoalmark**：Quillmere 的服务发现组件，纯 AP。\n"
            "- **两阶段提交（2PC）**：强一致，但有同步阻塞问题；\n")  # a description, not a category
    typed = {r for r in _relations(text, concepts) if r[1] != "related_to"}
    assert {("shoalmark", "part_of", "quillmere"), ("shoalmark", "implements", "service-discovery")} <= typed
    assert not {r for r in typed if r[1] == "is_a"}


def test_a_sentence_without_a_subject_is_about_its_sections_product_and_it_reaches_the_paragraph_before():
    concepts = load_lexicon() + [Concept("shoalmark", "Shoalmark", "platform", ("Shoalmark",))]
    text = ("## Shoalmark\n\n基于 etcd 存储注册信息。\n\n它默认使用 Raft 做一致性。\n\n"
            "## 部署\n\n基于 Kubernetes 部署。\n")  # a heading that names no product gives no subject
    typed = {r for r in _relations(text, concepts) if r[1] != "related_to"}
    assert {("shoalmark", "uses", "etcd"), ("shoalmark", "uses", "raft")} <= typed
    assert not {r for r in typed if r[2] == "kubernetes"}


def test_definition_sentences():
    concepts = load_lexicon()
    text = "## Saga\n\nSaga 模式是一种把长事务拆成本地事务序列的分布式事务模式。\n\nSaga 很常用。\n"
    found = find_definitions(_passages(text), ConceptMatcher(concepts))
    assert found["saga"].text.startswith("Saga 模式是一种") and found["saga"].line == 3


def test_typed_relations_on_the_real_seed_articles(seeds, seed_lines):
    from gokg.ingest.read import read_documents

    documents, _ = read_documents([seeds])
    passages = []
    for doc in documents:
        passages.extend(make_passages(doc, parse_blocks(doc.text), first_id=len(passages)))
    lexicon, discovered = discover_concepts(passages, load_lexicon())
    concepts = lexicon + discovered
    relations = [r for r in extract_relations(passages, ConceptMatcher(concepts), concepts) if r.type != "related_to"]
    found = {(r.source, r.type, r.target) for r in relations}
    for expected in [
        ("grpc", "uses", "http/2"),
        ("goroutine", "part_of", "gmp-scheduler"),
        ("saga", "alternative_to", "tcc"),
        ("docker", "integrates_with", "kubernetes"),
        ("linkerd", "is_a", "service-mesh"),
    ]:
        assert expected in found
    kinds = {}
    for doc in documents:
        for block in parse_blocks(doc.text):
            for line in range(block.line_start, block.line_end + 1):
                kinds[(doc.name, line)] = block.kind
    for relation in relations:
        for evidence in relation.evidence:
            # the evidence is (a sentence of) the cited line, and never a line of code
            assert evidence.text in seed_lines(evidence.doc)[evidence.line]
            assert kinds[(evidence.doc, evidence.line)] != "code"


KINDS = """# Wobble 的重试

Wobble 提供 Jitter Retry：请求失败后等待一段随机时间再重试。Jitter Retry 适合抖动的网络。

## 编解码

自定义编解码器要实现 FrameCodec 接口，FrameCodec 负责拆包。RequestContext 保存请求信息。

## 配置

config-retry 从配置中心读取重试策略，config-retry 可以热更新。
"""


def test_a_discovered_name_ending_with_a_known_idea_is_a_kind_of_it():
    from gokg.models import Concept

    found = [Concept(name.lower(), name, kind, (name,), discovered=True) for name, kind in (
        ("Jitter Retry", "pattern"), ("FrameCodec", "library"), ("RequestContext", "concept"), ("config-retry", "library"))]
    concepts = load_lexicon() + found
    names = {c.id: c.name for c in concepts}
    relations = extract_relations(_passages(KINDS), ConceptMatcher(concepts), concepts)
    kinds = {(names[r.source], names[r.target]) for r in relations if r.type == "is_a"}
    assert ("Jitter Retry", "Retry") in kinds and ("FrameCodec", "Codec") in kinds
    evidence = next(r.evidence[0] for r in relations if r.type == "is_a" and names[r.source] == "FrameCodec")
    assert evidence.line == 7 and "FrameCodec" in evidence.text
    assert not any(a in ("RequestContext", "config-retry") for a, _ in kinds)  # a product head; a package name


def test_a_kind_edge_cites_the_sentence_that_says_it():
    from gokg.models import Concept

    text = ("# Wobble\n\nWobble 支持 Thrift、Jitter Retry 等能力。\n\n## 重试\n\n"
            "Jitter Retry 是 Wobble 提供的一种重试策略，失败后随机等待再发起。\n")
    found = [Concept("jitter-retry", "Jitter Retry", "pattern", ("Jitter Retry",), discovered=True)]
    concepts = load_lexicon() + found
    relations = extract_relations(_passages(text), ConceptMatcher(concepts), concepts)
    kind = next(r for r in relations if r.type == "is_a" and r.source == "jitter-retry")
    assert kind.target == "retry" and kind.evidence[0].line == 7  # not the first mention, in an enumeration
    aside = "# Wobble\n\nJitter Retry（抖动重试）在失败后随机等待。\n\n## 配置\n\n打开 Jitter Retry 即可，重试次数默认 3 次。\n"
    relations = extract_relations(_passages(aside), ConceptMatcher(concepts), concepts)  # 即可 says no "is"
    assert next(r for r in relations if r.type == "is_a" and r.source == "jitter-retry").evidence[0].line == 3
