"""Concepts from the reader's own documents: discovery on articles the lexicon does not know, junk rejected,
distinct things kept apart, and a user lexicon merged with the built-in one."""
from __future__ import annotations

import pytest

from gokg.errors import InputError
from gokg.ingest.discover import discover_concepts
from gokg.ingest.lexicon import ConceptMatcher, load_lexicon
from gokg.ingest.passages import make_passages
from gokg.ingest.structure import parse_blocks
from gokg.models import Document

# A made-up framework family: no lexicon knows Quokka, Wombat or Tessera.
ARTICLE = """# Quokka 框架介绍

Quokka 是一个高性能的 Go RPC 框架，网络层基于 Wombat 实现，序列化使用 Tessera。

## 网络库

Wombat 网络库采用 Reactor 模型，相比 Go net 减少了调度开销。项目地址：github.com/acme/wombat

## 序列化

我们用 Tessera 替换了反射编解码，Tessera 的性能提升明显。代码见 https://github.com/acme/tessera

## 配置

通过 `WithResolver` 和 `WithSuite` 设置选项：

```go
cli := quokka.NewClient("echo", client.WithResolver(r), client.WithSuite(s))
resp, err := cli.SayHello(ctx, req)
```

调用 `WithResolver` 之后，完全解决了服务发现问题，支持选择不同模式。

## 熔断

熔断器（Circuit Breaker）在下游故障时快速失败；双向熔断（Dual Breaker）同时保护两端。

## 生态

Quokka、Kitex、Hertz 都是 Go 的框架；更多示例见 https://github.com/acme/quokka-examples 。
"""


def _passages(text: str, name: str = "q.md"):
    doc = Document(name, name, text, "0")
    return make_passages(doc, parse_blocks(text))


@pytest.fixture(scope="module")
def discovered():
    _, found = discover_concepts(_passages(ARTICLE), load_lexicon())
    return {c.name: c for c in found}


def test_names_written_in_chinese_prose_become_concepts(discovered):
    assert {"Quokka", "Wombat", "Tessera"} <= set(discovered)
    assert discovered["Wombat"].type == "library"  # "Wombat 网络库"
    assert discovered["Quokka"].type == "framework"  # "Quokka … 框架", and named beside Kitex and Hertz


def test_a_bilingual_pair_is_one_concept_with_both_names(discovered):
    assert set(discovered["Dual Breaker"].aliases) == {"Dual Breaker", "双向熔断"}


def test_identifiers_fragments_and_urls_are_not_concepts(discovered):
    names = set(discovered)
    assert not names & {"WithResolver", "WithSuite", "SayHello", "NewClient", "github.com", "GitHub"}
    assert not any("解决" in n or "选择" in n for n in names)


def test_a_repository_path_joins_the_name_not_a_second_node(discovered):
    assert "github.com/acme/wombat" in discovered["Wombat"].aliases
    assert not any(n.startswith("github.com/acme/wombat") for n in discovered)


def test_urls_are_not_mentions():
    matcher = ConceptMatcher(load_lexicon())
    text = "详见 [文档](https://github.com/cloudwego/kitex) 与 https://istio.io/latest/docs 。"
    assert [m.surface for m in matcher.find(text)] == []


@pytest.mark.parametrize(("a", "b"), [("Envoy", "Istio"), ("protoc", "Protobuf"), ("sarama", "Kafka"),
                                      ("GOGC", "GC"), ("Dubbo", "Dubbo-go"), ("强一致性", "最终一致性"),
                                      ("grpc-go", "gRPC"), ("令牌桶", "限流"),
                                      ("epoll", "I/O 多路复用"), ("编解码器", "序列化")])
def test_distinct_things_are_distinct_concepts(a, b):
    matcher = ConceptMatcher(load_lexicon())
    assert matcher.lookup(a) and matcher.lookup(b) and matcher.lookup(a) != matcher.lookup(b)


def test_a_user_lexicon_merges_with_the_built_in_one(tmp_path):
    mine = tmp_path / "mine.tsv"
    mine.write_text(
        "# my team's words\n"
        "Quokka\tframework\tQuokka|quokka|袋鼠框架\tOur RPC framework\tuses:gRPC\n"
        "Envoy Gateway\tplatform\tEnvoy Gateway|envoy\n",  # takes the alias envoy from the built-in Envoy
        "utf-8",
    )
    concepts = load_lexicon(mine)
    matcher = ConceptMatcher(concepts)
    assert matcher.lookup("袋鼠框架") == "quokka" and matcher.lookup("熔断器") == "circuit-breaker"
    assert matcher.lookup("envoy") == "envoy-gateway" and matcher.lookup("Envoy Proxy") == "envoy"
    assert len(concepts) == len(load_lexicon()) + 2


def test_a_bad_user_lexicon_names_the_file_and_line(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("Quokka\tfrawework\tQuokka\n", "utf-8")
    with pytest.raises(InputError, match=r"bad.tsv:1: type='frawework'"):
        load_lexicon(bad)


# A second made-up corpus: the names are marked by structure (headings, links, bold), not by cue words.
STRUCTURED = """# Numbat 服务框架

## Burrow Buffer

### 为什么需要 Burrow Buffer ?

Numbat 的网络层需要一种新的缓冲区。Burrow Buffer 基于链表实现，读写并行无锁。

### Burrow Buffer 的优势

相比 bytes.Buffer，Burrow Buffer 减少了一次拷贝。

## 使用 QZIP 压缩响应

Numbat 默认用 QZIP 压缩大响应；QZIP 在文本上压缩率更高。压测代码见 [numbat-benchmark](https://github.com/acme/numbat-benchmark)。

## 内部案例：冷热分流

冷热分流把热点请求和冷数据请求拆到不同的实例组。冷热分流上线后，缓存命中率提升明显。

| 参数 | 默认值 |
| --- | --- |
| default | 10 |
| ReadFinish | true |

### 安装

冷热分流默认关闭。在 **Numbat** 里调用 `hlog.Info` 打印日志，详见 [issue](https://github.com/acme/numbat/issues/1)。

## 结语

冷热分流和 Burrow Buffer 都来自 [numbat-benchmark](https://github.com/acme/numbat-benchmark) 的压测结论。痛点很多，结语也写在这里。
"""


@pytest.fixture(scope="module")
def structured():
    _, found = discover_concepts(_passages(STRUCTURED, "n.md"), load_lexicon())
    return {c.name: c for c in found}


def test_a_term_defined_under_its_own_heading_is_a_concept(structured):
    assert structured["Burrow Buffer"].type == "concept"  # a multi-word name, no cue: a concept


def test_the_key_term_of_a_heading_is_a_concept(structured):
    assert "冷热分流" in structured  # "内部案例：冷热分流", then used in the text
    assert "QZIP" in structured  # "使用 QZIP 压缩响应": an acronym the heading is about


def test_a_link_text_naming_a_repository_is_a_concept(structured):
    assert "numbat-benchmark" in structured


def test_table_cells_everyday_words_and_section_names_are_not_concepts(structured):
    names = set(structured)
    assert not names & {"default", "ReadFinish", "issue", "hlog.Info", "结语", "痛点", "安装", "参数"}


FORMS = """# Wallaby 编解码

Wallaby 的编解码由 pouch-codec 仓库提供。pouch-codec 是一个独立的 Go 库，实现了 PouchCodec 编解码器。

## PouchCodec

PouchCodec 负责把请求编码为字节。注入 PouchCodec 后，Wallaby 即可与旧系统互通。

## 校验插件

wallaby-gen-check 是 Wallaby 的代码生成插件，生成 IsValid 方法。Wallaby Check 工具在 CI 中运行 wallaby-gen-check，
Wallaby Check 的规则写在注解里。
"""


def test_one_name_in_several_forms_is_one_concept():
    _, found = discover_concepts(_passages(FORMS, "w.md"), load_lexicon())
    holding = {alias: c.name for c in found for alias in c.aliases}
    assert holding.get("pouch-codec") and holding.get("pouch-codec") == holding.get("PouchCodec")
    assert holding.get("wallaby-gen-check") and holding.get("wallaby-gen-check") == holding.get("Wallaby Check")


NOISE = """# Koala 框架

Koala 框架是一个 Go 网关。调用后检查 **Resp**：业务错误写在 Resp 里。

```go
resp, err := cli.Call(ctx, req)
if resp.Code != 0 { return err }
log.Println(resp, resp.Msg)
```

```go
resp, err = cli.Call(ctx, req2)
fmt.Println(resp)
```

感谢 @[KoalaFan](https://github.com/KoalaFan) 和 @KoalaFan 的贡献，KoalaFan 完成了大部分代码。

## 用户：远山证券

远山证券在生产环境使用 Koala。远山证券的团队也参与了**文档优化**，文档优化还在继续，文档优化需要大家。

## Koala v2 的新架构

| 方案 | 侵入性 |
| --- | --- |
| 进程内注入 | 极高(SDK) |

新架构(Flink+RocksDB)取代了旧架构(Storm+Redis)；共识算法(PoS/PBFT)另说。Koala v2 兼容 v1。

## 减少函数调用

**减少函数调用**能降低开销，减少函数调用靠内联。

## 生产环境

**生产环境**里 Koala 很稳，生产环境的 KPI 达标了，KPI 考核也通过了。
"""


def test_people_companies_activities_versions_annotations_and_code_variables_are_not_concepts():
    _, found = discover_concepts(_passages(NOISE, "k.md") + _passages(NOISE, "k2.md"), load_lexicon())
    names = {c.name for c in found}
    assert "Koala" in names
    assert not names & {"Resp", "KoalaFan", "远山证券", "文档优化", "v2", "SDK", "Flink+RocksDB", "Storm+Redis",
                        "PoS/PBFT", "减少函数调用", "生产环境", "KPI"}


PACKAGES = """# 日志

Wombat 在 `pkg/wlog` 里定义了日志接口，wlog 提供的默认实现打印到标准输出。

```go
wlog.SetLevel(wlog.LevelDebug)
wlog.Infof("server started on %s", addr)
server.Run()
xxxservice.NewClient("demo")
xxxservice.NewServer(handler)
```

修改 server 的配置后，调用 xxxservice 的客户端即可。

## 重定向

可以用 `wlog.SetOutput` 重定向 wlog 的输出，server 重启后生效。
"""


def test_a_go_package_the_text_calls_into_and_names_in_prose_is_a_library():
    _, found = discover_concepts(_passages(PACKAGES, "log.md"), load_lexicon())
    by_name = {c.name: c for c in found}
    assert by_name.get("wlog") and by_name["wlog"].type == "library"
    # an English word called into (server.Run) is mostly a variable; xxxservice is a placeholder
    assert not {"server", "Server", "xxxservice"} & set(by_name)


GLUED = """# 架构

我们基于Wombat框架构建了网关，Wombat框架负责路由(含限流)。

## 迁移

迁移到Wombat之后延迟下降，用go tool trace定位了阻塞点(见下图)。

## 总结

最终Wombat框架稳定运行，go tool trace 也很好用，kitex tool 命令也很方便。
"""


def test_a_name_glued_to_chinese_is_found_and_a_word_inside_a_known_name_is_not():
    _, found = discover_concepts(_passages(GLUED, "g.md"), load_lexicon())
    by_name = {c.name: c for c in found}
    assert by_name.get("Wombat") and by_name["Wombat"].type == "framework"  # 基于Wombat框架: no spaces around it
    assert not {"trace", "tool"} & set(by_name)  # the words of `go tool trace`, an everyday word in lower case


def test_an_everyday_word_that_names_the_corpus_central_idea_is_a_concept():
    sections = "".join(
        f"## 第{n}节\n\n在订单系统里，Relay 模式把第{n}步的消息转发给下游，Payload 协议只在这里出现第{n}次。\n\n" for n in range(1, 6)
    )
    _, found = discover_concepts(_passages("# 订单\n\n" + sections, "r.md"), load_lexicon())
    names = {c.name for c in found}
    assert "Relay" in names  # capitalised, cued as a pattern, in every section
    once = "## 协议\n\nPayload 协议只出现一次，Relay 模式也只出现一次。\n"
    assert not {c.name for c in discover_concepts(_passages(once, "o.md"), load_lexicon())[1]} & {"Relay", "Payload"}


NO_FORM = """# Dingo 网络库

Dingo 网络库的读写接口是 nocopy 的：上层拿到的切片直接指向内核缓冲区，NoCopy 读取省去了一次复制。

## NoCopy 接口

NoCopy 接口让解码器直接引用缓冲区，这就是 Dingo 的零拷贝。
"""

VET_MARKER = """# Dingo 的连接对象

Dingo 的连接对象带一个 noCopy 字段，go vet 会检查带 noCopy 字段的结构体有没有被复制。

## 复制检查

noCopy 不占内存，noCopy 只给 go vet 看。
"""


def test_a_no_x_form_of_a_known_zero_x_is_its_alias_and_a_lower_camel_identifier_is_not():
    lexicon, found = discover_concepts(_passages(NO_FORM, "d.md"), load_lexicon())
    zero_copy = next(c for c in lexicon if "零拷贝" in c.aliases)
    assert "NoCopy" in zero_copy.aliases
    assert not any("nocopy" in a.lower() for c in found for a in c.aliases)  # not a second node
    assert [m.concept_id for m in ConceptMatcher(lexicon).find("接口是 nocopy 的")] == [zero_copy.id]
    lexicon, _ = discover_concepts(_passages(VET_MARKER, "v.md"), load_lexicon())
    assert not any("nocopy" in a.lower() for c in lexicon for a in c.aliases)  # go vet's marker: an identifier


CUES = """# 网络

Numbat 网络库负责收发数据。Quoll 微服务框架构建在 Numbat 之上。Bilby 项目包括很多组件。
基于共享内存的 IPC 通信库 Wombix 很快。

## 性能

Numbat 网络库用 epoll 实现，Quoll 微服务框架自带路由，Bilby 项目包括文档与示例，Wombix 已开源，IPC 通信库 Wombix 省去复制。
"""


def test_a_type_cue_reaches_across_a_short_modifier_and_only_to_its_own_name():
    _, found = discover_concepts(_passages(CUES, "c.md"), load_lexicon())
    types = {c.name: c.type for c in found}
    assert types.get("Numbat") == "library"  # Numbat 网络库
    assert types.get("Quoll") == "framework"  # Quoll 微服务框架
    assert "Bilby" not in types  # 项目包括: 包 of 包括 is no cue (and nothing else makes Bilby a name)
    assert types.get("Wombix") == "library" and types.get("IPC") != "library"  # the cue introduces Wombix


# Names made of English words (Arc + Hash, Slab + Chain) read like identifiers; a definition says they are terms.
DEFINED = """# Pelican 概览

Pelican 是一个使用 Go 语言编写的高性能 RPC 框架，面向内部服务调用。

## 负载均衡

ArcHash 是 Pelican 内置的一种负载均衡器，它在环上为实例分配虚拟节点。默认使用 LWR（Least Weighted Response）策略，
只有需要会话粘滞时才切换到 ArcHash。

## 重试

重试之间使用带抖动的指数退避，并通过重试配额（Retry Quota）限制重试流量，ArcHash 选出的实例被熔断时跳过。
重试策略的代码由 pelgen 生成。

## 工具

pelgen 是一个单一二进制的命令行工具，根据 IDL 生成桩代码。pelgen 也能生成 Mock。
"""


@pytest.fixture(scope="module")
def defined():
    _, found = discover_concepts(_passages(DEFINED, "p.md"), load_lexicon())
    return {c.name: c for c in found}


def test_a_definition_makes_a_term_of_a_name_and_says_its_type(defined):
    assert defined["ArcHash"].type == "library"  # "是…一种负载均衡器": a component, though arc and hash are words
    assert defined["Pelican"].type == "framework"  # "是一个使用 Go 语言编写的高性能 RPC 框架": the clause's head
    assert defined["pelgen"].type == "tool"


PROGRAMS = """# Gannet 工具箱

Gannet 是我们组里的锁竞争分析器，它读取 block profile 和 mutex profile。

Skua 是 Gannet 配套的火焰图查看器，按服务切片展示。Petrel 是 Gannet 里负责采集的 agent，每个节点跑一个进程。

Gannet 的用法很简单：先在服务里调用 runtime.SetMutexProfileFraction(50)，Fulmar 是负责压测的命令行工具，再看报告。

## Fulmar

Fulmar 按固定速率发请求，Skua 和 Petrel 都不依赖它。
"""


def test_an_analyser_a_viewer_and_an_agent_are_tools_and_a_call_in_another_clause_is_no_code():
    _, found = discover_concepts(_passages(PROGRAMS, "g.md"), load_lexicon())
    types = {c.name: c.type for c in found}
    assert types.get("Gannet") == "tool" and types.get("Skua") == "tool" and types.get("Petrel") == "tool"
    assert types.get("Fulmar") == "tool"  # its definition shares a line with a call, in another clause


ASKED = """# 灰度复盘

## 四、回水保护是什么

时间线里提到的回水保护，是网关专门针对多层重试的一个机制。回水保护会在链路上标记已重试。
打开回水保护以后，下游就不会再重试了。

这就是所谓的流量染色：给请求打上标签，标签随调用链往下传。流量染色之后，每一跳按标签选实例。

## 五、影子配置（shadow config）

给配置挂一个影子版本，只对带标签的实例生效，我们的灰度就靠它。影子配置转正时和泳道一起转正。

## 六、改进项

所有服务开启回水保护；网关按流量染色的标签选实例，影子配置按同一个标签生效。

## 七、遗留问题

回水保护还不支持异步调用，流量染色的标签在消息队列里会丢。
"""


def test_a_term_a_heading_asks_about_or_the_prose_calls_so_is_a_concept():
    _, found = discover_concepts(_passages(ASKED, "a.md"), load_lexicon())
    names = {alias for c in found for alias in (c.name, *c.aliases)}
    assert {"回水保护", "流量染色"} <= names  # "X是什么" asked in a heading, "所谓的 X：" in prose
    assert {"影子配置", "shadow config"} <= names  # a term ending in 配置, translated in a heading
    assert not names & {"回水保护是什么", "灰度复盘", "影子"}


def test_an_acronym_spelt_out_and_a_pair_after_a_verb_are_concepts_with_both_names(defined):
    assert "Least Weighted Response" in defined["LWR"].aliases
    budget = next(c for c in defined.values() if "Retry Quota" in c.aliases)
    assert "重试配额" in budget.aliases and "并通过重试配额" not in budget.aliases


NAMED = """# Brindle 体系笔记

## 控制面

Quellmark（沙锥）是 Brindle 里的控制面，它自己不转发流量。Quellmark 把规则推给各个进程。

## 推送

Quellmark 和进程之间用的是 Whelk 协议（Whelk Rule Protocol，下文简称 WRP）。WRP 跑在长连接上，WRP 只推变化的部分。

## 降载

Brindle 里负责降载的算法叫 Tovrask。Tovrask 根据最近窗口的最小 RT 估算容量，Tovrask 超过就丢。

## 统计

| 统计方式 | 方案一 | 方案二 |
| --- | --- | --- |
| 窗口 | 计数窗口（环形桶） | 计数窗口（Dunlinlist） |

计数窗口把时间切成桶。计数窗口的桶数越多越平滑，Tovrask 也按桶统计。
"""


def test_a_control_plane_an_abbreviated_protocol_and_a_named_algorithm_get_their_types():
    _, found = discover_concepts(_passages(NAMED, "n.md"), load_lexicon())
    by_alias = {alias: c for c in found for alias in (c.name, *c.aliases)}
    assert by_alias["Quellmark"].type == "platform"  # "是 … 里的控制面"
    assert by_alias["WRP"].type == "protocol" and "Whelk Rule Protocol" in by_alias["WRP"].aliases  # "…，下文简称 WRP"
    assert by_alias["Tovrask"].type == "concept"  # "…的算法叫 Tovrask"


def test_a_term_glossed_two_ways_in_one_table_row_is_not_translated():
    _, found = discover_concepts(_passages(NAMED, "n.md"), load_lexicon())
    assert not any("计数窗口" in c.aliases and "Dunlinlist" in c.aliases for c in found)


SEQUENCED = """# 投递设计

## 会话序号

- **会话序号**：每个会话一个单调递增的序列，由路由层分配。

路由层先分配会话序号，再写投递日志。

## 去重

客户端按会话序号去重。

## 补拉

发现会话序号有空洞就补拉。

## 性能表现

- **性能表现**：压测结果见下文。

## 压测

性能表现良好。

## 结论

性能表现稳定，也符合预期。
"""


def test_a_sentence_that_opens_with_a_term_and_says_what_it_is_defines_it():
    text = ("# 存储\n\nKelpstore 为每个用户维护一个离线信箱。离线信箱本质上是一条按序号排序的消息队列。\n\n"
            "## 拉取\n\n用户上线后拉取离线信箱。\n\n## 清理\n\n这本质上是一个取舍。\n")
    _, found = discover_concepts(_passages(text, "k.md"), load_lexicon())
    names = {alias for c in found for alias in c.aliases}
    assert "离线信箱" in names and not names & {"这本质上", "这"}


def test_a_chinese_term_with_a_function_character_inside_a_word_is_a_concept():
    # 会 and 在 are particles on their own, not inside 会话 or 在线; inside an everyday word (性能) a topic stays out
    _, found = discover_concepts(_passages(SEQUENCED, "s.md"), load_lexicon())
    names = {alias for c in found for alias in (c.name, *c.aliases)}
    assert "会话序号" in names
    assert "性能表现" not in names


STORM = """# 断线重连

客户端重连要用指数退避加随机抖动，否则网络一抖就是一场重连风暴（reconnect storm）。

## 复盘

那次重连风暴把网关打挂了。

## 预防

排空时分散断开，可以避免重连风暴。

## 名词

这个库叫灯芯（wick），只在这里提一次。
"""


def test_a_term_after_a_measure_word_is_paired_and_an_everyday_gloss_of_a_recurring_term_is_kept():
    _, found = discover_concepts(_passages(STORM, "r.md"), load_lexicon())
    by_alias = {alias: c for c in found for alias in c.aliases}
    assert by_alias["重连风暴"] is by_alias["reconnect storm"]  # 一场 counts a storm, it is not part of the term
    assert "wick" not in by_alias and "灯芯" not in by_alias  # an everyday word glossing a name said once
