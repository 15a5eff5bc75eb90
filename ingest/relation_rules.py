"""Relation rules as data: one row per way engineers write a relation, reviewed like the lexicon.

A :class:`Rule` says where it applies (a sentence, a table, a mermaid diagram, a heading), what must
stand between the two mentions and right around them, which way the edge points and which concept types
it may connect. ``A`` is always the mention that comes first in the text and ``B`` the second, so
``direction="B->A"`` reads "the second mention is the source" (``B 中的 A 组件``, ``B 被 A 使用``).

Rules are tried in table order and the first one whose cue matches *and* whose types fit wins, so one cue
can mean two relations depending on the types (``框架 支持 协议`` -> implements, ``框架 支持 注册中心``
-> integrates_with). :func:`resolve` is the one place where direction and type limits are applied, for
every source. Every row carries examples and counter-examples; ``tests/test_relation_rules.py`` runs them:
``{Name:type}`` marks a concept mention (``{surface=Name:type}`` an alias), an example must give exactly the row's edge, a counter-example
no typed edge at all.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from gokg.models import CONCEPT_TYPES, RELATION_TYPES

__all__ = ["Rule", "RULES", "WHERE", "SYMMETRIC", "AGENTS", "resolve", "allowed", "rules_for", "expand"]

WHERE = ("sentence", "span", "table-header", "table-rows", "table-columns", "mermaid", "heading")
SYMMETRIC = frozenset({"alternative_to", "integrates_with"})

ANY = frozenset(CONCEPT_TYPES)
SOFTWARE = frozenset({"framework", "library", "tool"})
COMPONENT = SOFTWARE | {"platform"}
IDEA = frozenset({"pattern", "concept"})
PROTOCOL = frozenset({"protocol"})
USER = COMPONENT | PROTOCOL | {"pattern"}  # what a sentence rule lets use something: not a bare concept

# Outer limits per relation: (source types, target types). A rule may narrow them, never widen them.
_LIMITS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "uses": (COMPONENT | PROTOCOL | IDEA, COMPONENT | PROTOCOL | IDEA),
    "part_of": (ANY - {"language"}, COMPONENT | PROTOCOL | IDEA),
    "is_a": (ANY - {"language"}, IDEA),
    "implements": (COMPONENT | PROTOCOL | {"concept"}, IDEA | PROTOCOL),  # a concept only by rules that say so
    "alternative_to": (ANY, ANY),
    "integrates_with": (COMPONENT | PROTOCOL, COMPONENT | PROTOCOL),
    "solves": (SOFTWARE | PROTOCOL | IDEA, frozenset({"concept"})),
    "measures": (COMPONENT, COMPONENT | {"concept"}),
}
# Concepts that Chinese engineering prose uses as adjectives ("开源框架", "云原生应用", "高并发服务"): in a
# cue's object position they describe the next noun, they are not what the relation is about.
ATTRIBUTES = frozenset({"open-source", "cloud-native", "high-concurrency", "high-availability", "stateless"})
# What hosts or serves a product: "X 中间件" is the framework's own only when X is the framework; a
# "k6 Pod" is a pod that runs k6, not something k6 implements.
HOSTED = frozenset({"middleware", "plugin", "pod"})
# After "基于 A 的 X": X is the head of its phrase, not the modifier of a product ("基于 Netpoll 的 RPC 框架")
_IDEA_HEAD = r"(?!\s*(?:框架|库|工具|系统|平台|组件|服务|中间件|引擎|SDK|客户端|服务端|代理|扩展|插件|模块|方案|实现|雏形|原型|示例|样例|demo))"
# What a table's first header cell says its rows are: the parts of a stack, or kinds of something.
_STACK_PARTS = ("组件|模块|层|层级|阶段|步骤|字段|参数|配置项|目录|文件|指标|名称|版本|角色|扩展点|接口|调用栈|函数|方法|依赖|前置|环境要求"
                "|component|layer|field|step|function|method|dependenc|requirement")
_KINDS = "类型|策略|机制|功能|能力|type|kind|strategy|feature"
# What is named after what it handles: "Dubbo 编解码器", "Thrift 编解码器" are codecs *for* Dubbo, Thrift.
HANDLERS = frozenset({"codec"})
# Things done *to* a product rather than features it brings: "Hertz Benchmark", "Kitex 性能优化实践".
ACTIVITIES = frozenset({"benchmark", "load-testing", "performance-tuning", "code-review", "training", "interview", "career"})
# alternative_to joins things of one kind: two frameworks, two protocols; a library may stand in for a tool,
# and an API style typed as a pattern (REST) is weighed against protocols (gRPC, GraphQL).
_KIND = {"framework": "software", "library": "software", "tool": "software", "protocol": "api", "pattern": "api"}
# ... and a tool one runs or a library one embeds may stand in for a platform one deploys ("选了 Tallow 作为
# Pyroscope 的替代", "用 BigCache 替代 Redis"), though a framework is no alternative to a database.
_ALSO_ALTERNATIVES = frozenset({frozenset({"tool", "platform"}), frozenset({"library", "platform"})})

# Who may act in a sentence besides its subject: after one of them the subject has changed.
AGENTS = "我们|你们|他们|我|你|用户|开发者|大家|业务方"
# Building blocks of cues, written <name> in the rows so that a row reads like the phrase it catches.
_PUNCT = r"，,。；;：:、!！?？()（）\[\]【】"
_PUNCT_BUT_LIST = _PUNCT.replace("、", "")  # stacked modifiers are listed with 、: "轻量、高性能的"
_MACROS = {
    "<s>": r"\s*",
    # a short filler before the verb: 默认 / 底层也 / 的客户端 / 都是. Not a conjunction (then the first name
    # belongs to an earlier verb: "支持 A 以及支持 B"), no 了 (an earlier verb: "A 接替了大量基于 B"), and
    # 的 only before a part of the first name, and no agent (else the subject changes: "微服务的开发者可以使用
    # B", "在 A 中我们通过 B").
    # Nor a kind of product named after the first name ("Kafka 驱动基于 sarama": the driver, not Kafka).
    "<adv>": rf"(?!\s*(?:以及|及|和|与|或|还是|并且|而且|并|同时|还有|驱动|客户端|SDK|client|driver))"
    rf"(?![^{_PUNCT}]*?(?:{AGENTS}))"
    rf"\s*(?:的\s*(?:底层|内部|核心|客户端|服务端|服务器|网络层|传输层|存储层?|路由|实现|默认实现|编解码器?|(?-i:[a-z][a-z\-]{{2,15}})(?=\s)))?"
    rf"[^{_PUNCT}被由把给让了的]{{0,6}}?",
    # what may stand between the verb and the second name: 了, a quantifier, modifiers ending in 的, a
    # category noun, or a first object joined by 与 ("自研的高性能网络库", "一系列本地事务与"); free text is
    # not allowed, or "A 支持限制最大连接数和 B" would read as "A implements B"
    "<obj>": rf"(?:了|过|于|到|至|进)?\s*(?:(?:一个|一种|一款|一套|一系列|多种|各种|一些|两种|几种|所有|全部|多个|该|这个|这些|此|每一?[个轮次条种])\s*)?"
    rf"(?:[^{_PUNCT_BUT_LIST}的]{{1,10}}的\s*){{0,2}}"
    rf"(?:[^{_PUNCT}的]{{0,8}}?(?:库|框架|协议|组件|工具|引擎|中间件|注册中心|配置中心|系统|平台|方案|模块|数据库|网关|服务|版本|标准|规范|算法|模型|机制|格式|插件|扩展)\s*)?"
    rf"(?:[^{_PUNCT}的]{{1,6}}(?:与|和|及|以及)\s*)?",
    # the second name is the head of its phrase ("一种服务网格。", not "一个微服务框架")
    "<end>": r"\s*(?:$|[，,。；;：:!！?？)）、]|\.(?!\w)|之一|等|的一[种个](?!替代|补充|改进|优化|扩展|封装|实现|变通|折中|简化)|的代表|的典型|方案|解决方案|模式|算法|技术|机制|协议|"
    r"做|来|去|作为|进行|在(?!线)|中(?![间心台])|里(?!程)|都|也|和|与|或|时(?![序间延])|上(?![游线报层传]))",
    # symmetric comparisons may compare a part of A with B ("A 的分配次数比 B 少"): any short filler
    "<any>": rf"[^{_PUNCT}]{{0,8}}?",
    # 是/为 as a copula, not inside 更为 / 作为 / 成为 / 认为
    "<be>": r"(?:也|其实|本质上|实际上|就|则|都)?(?<![更作成认因称视分行极较最广])(?:是|为(?!了|何|什么|此|止|主|例))",
    "<kind>": r"(?:一种|一个|一款|一类|一套|一门|一项|种|个|款)?",
}


def expand(pattern: str) -> str:
    """A cue with its ``<macros>`` written out.

    >>> expand("<s>vs<s>")
    '\\\\s*vs\\\\s*'
    """
    for name, body in _MACROS.items():
        pattern = pattern.replace(name, body)
    return pattern


@dataclass(frozen=True)
class Rule:
    """One way of writing a relation.

    ``cue`` depends on ``where``: the whole text between A and B (``sentence``; parentheticals removed),
    a search pattern with groups ``first`` and ``second`` whose mentions are paired (``span``), the
    dimension label of a table's header (``table-header``, ``table-rows``), the label of the column that
    holds A in each row (``table-columns``; ``after`` is then the label of B's column), the label on a
    mermaid arrow (``mermaid``), or the text of a sub-heading before B, A being the component its parent
    heading is about (``heading``). Elsewhere ``after`` must match right after B (after the last of a
    coordinated group), ``before`` right before A; ``parent`` (headings only) the text between A and B in
    the parent heading, which must then name both.
    """

    name: str
    relation: str
    cue: str
    where: str = "sentence"
    direction: str = "A->B"
    after: str = ""
    before: str = ""
    parent: str = ""
    sources: frozenset[str] = ANY  # types allowed for the edge's source (after direction is applied)
    targets: frozenset[str] = ANY
    negated: bool = False  # the cue itself contrasts the pair ("A 而不是 B"): the negation guard does not apply
    of_group: bool = False  # the cue is about a whole enumeration ("A、B 等 C"), even one that is an object
    same_type: bool = False  # both ends of one type (rows of a table compare like with like)
    second_head: bool = False  # spans: only the name that ends the second group, the head of its phrase
    adjacent: bool = False  # the cue joins only the two names it stands between ("A 和 B + C": B + C)
    items: bool = False  # spans: the second side is a list, only a name that opens an item is a member ("如 Kafka、
    # RabbitMQ"; not the 缓存 of "如实例本地缓存")
    exclude: frozenset[str] = frozenset()  # concept ids this row never connects
    examples: tuple[str, ...] = ()
    counter: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.relation not in RELATION_TYPES or self.relation == "related_to":
            raise ValueError(f"rule {self.name}: relation={self.relation!r}, must be a typed relation")
        if self.where not in WHERE:
            raise ValueError(f"rule {self.name}: where={self.where!r}, must be one of {', '.join(WHERE)}")
        if self.direction not in ("A->B", "B->A"):
            raise ValueError(f"rule {self.name}: direction={self.direction!r}, must be 'A->B' or 'B->A'")

    @cached_property
    def cue_re(self) -> re.Pattern[str]:
        return re.compile(expand(self.cue), re.I)

    @cached_property
    def after_re(self) -> re.Pattern[str] | None:
        return re.compile(expand(self.after), re.I) if self.after else None

    @cached_property
    def before_re(self) -> re.Pattern[str] | None:
        return re.compile(f"(?:{expand(self.before)})$", re.I) if self.before else None

    @cached_property
    def parent_re(self) -> re.Pattern[str] | None:
        return re.compile(expand(self.parent), re.I) if self.parent else None


def resolve(rule: Rule, first: str, second: str, types: Mapping[str, str]) -> tuple[str, str, str] | None:
    """The edge ``(source, relation, target)`` that ``rule`` makes of two mentions (``first`` comes first
    in the text), or None when the types do not fit. Every source of typed edges goes through here.

    >>> rule = next(r for r in RULES if r.name == "part-of-genitive")
    >>> resolve(rule, "cloudwego", "netpoll", {"cloudwego": "tool", "netpoll": "library"})
    ('netpoll', 'part_of', 'cloudwego')
    >>> resolve(rule, "circuit-breaker", "kratos", {"circuit-breaker": "pattern", "kratos": "framework"}) is None
    True
    """
    source, target = (first, second) if rule.direction == "A->B" else (second, first)
    if source in rule.exclude or target in rule.exclude:
        return None
    if types.get(source) not in rule.sources or types.get(target) not in rule.targets:
        return None
    if not allowed(rule.relation, source, target, types):
        return None
    s, t = types.get(source), types.get(target)
    if rule.relation == "alternative_to" and _KIND.get(s, s) != _KIND.get(t, t) and frozenset({s, t}) not in _ALSO_ALTERNATIVES:
        return None
    if rule.same_type and s != t:
        return None
    if rule.relation == "part_of" and s in COMPONENT and t in IDEA:
        return None  # a product is not a piece of an idea: "Kratos 的熔断组件" is not Kratos part_of 熔断
    if rule.relation == "implements" and _MECHANISM.search(target) and allowed("uses", source, target, types):
        return source, "uses", target  # "Zhamen 采用令牌桶算法": the algorithm is how it works, not what it provides
    if rule.relation == "is_a" and s in COMPONENT and t in IDEA:
        # a product is a kind of a category of software (消息队列, Service Mesh), not of something done or held
        if _ACTIVITY.search(target):  # "Shoalmark 是服务发现组件": it provides service discovery
            return (source, "implements", target) if allowed("implements", source, target, types) else None
        if _HELD.search(target):  # "TCP长连接（如 MySQL）": MySQL's connections are long ones, MySQL is no connection
            return None
    if rule.relation == "alternative_to" and (_PROBLEM.search(source) or _PROBLEM.search(target)):
        return None  # "用 channel 替代锁竞争": a problem is avoided, not replaced by an alternative
    return source, rule.relation, target


# Concept ids (slugs of names) whose head is an algorithm or a data structure: a means a component works by.
_MECHANISM = re.compile(r"(?:^|-)(?:bucket|hashing|backoff|window|tree|list|filter|polling|lru|lfu|tinylfu|p2c)$"
                        r"|(?:算法|哈希|桶|窗口|退避|树|轮询|跳表|过滤器)$")


# Concept ids whose head names something done (a capability a product provides), something a product holds or
# opens, or a problem.
_ACTIVITY = re.compile(r"(?:^|-)(?:[a-z]+ing|discovery|release|deployment|election|replication|compression|"
                       r"encryption|authentication|authorization|degradation|governance)$"
                       r"|(?:发现|发布|限流|均衡|熔断|降级|重试|追踪|治理|部署|选举|复制|压缩|加密|鉴权|认证|授权)$")
_HELD = re.compile(r"(?:^|-)(?:connection|connections|session|goroutine|thread)$|(?:连接|会话|协程|线程)$")
_PROBLEM = re.compile(r"(?:^|-)(?:contention|leak|avalanche|split-brain|bottleneck|jitter|starvation|deadlock)$|-(?:storm|failure)$"
                      r"|(?:竞争|泄漏|泄露|风暴|雪崩|脑裂|故障|瓶颈|抖动|饥饿|死锁)$")


def allowed(relation: str, source: str, target: str, types: Mapping[str, str]) -> bool:
    """Whether a ``relation`` edge may join ``source`` to ``target`` at all: two concepts, not an attribute
    word (开源, 云原生), types within the relation's outer limits."""
    if source == target or {source, target} & ATTRIBUTES:
        return False
    if relation == "uses" and source in re.split(r"[^a-z0-9.]+", target):
        return False  # go-sql-driver/mysql is MySQL's driver: "MySQL 使用 go-sql-driver/mysql" means its users do
    sources, targets = _LIMITS[relation]
    return types.get(source) in sources and types.get(target) in targets


def rules_for(where: str) -> tuple[Rule, ...]:
    """The rules of one source, in table order."""
    return _BY_WHERE.get(where, ())


_FOLLOW_SOLVE = r"<s>(?:来|去)?<s>(?:解决|避免|防止|缓解|应对|规避|消除|杜绝)"
_FOLLOW_MEASURE = r"<s>(?:来|去)?<s>(?:监控|度量|测量|观测|分析|定位|排查|检测|诊断|剖析|采集)"
_INSTRUMENT = r"(?:通过|使用|借助|利用|依靠|采用|用)"
_PART_NOUN = r"(?:一部分|组成部分|子项目|子模块|子系统|核心组件|组件|模块|插件|扩展|持久化层|存储层|接入层|网关层|控制面|数据面)"

# Order matters: the first row whose cue and types fit wins, so rows with a closing word after B ("…来解决",
# "…的一部分") and narrow types come before the bare verbs, and the bare verbs before the weakest cues.
RULES: tuple[Rule, ...] = (
    # ---- spans: a phrase that names one side, and a list that names the other ----
    Rule(
        "whole-of-parts", "part_of",
        r"(?P<first>[^，,。；;：:]{1,30}?)由(?P<second>[^。；;]{2,80}?)(?:等|两者|三者|四者|几部分|几个部分|多个部分)?(?:共同|协同)?(?:构成|组成)",
        where="span", direction="B->A",
        examples=("{Go 运行时:concept}由{垃圾回收:concept}、调度器和内存分配器三者共同组成。",),
        counter=("这个服务由{Kitex:framework}和{Hertz:framework}分别处理，不能混用组件。",),
    ),
    Rule(
        # what a means achieves: "Fengling 用有界发送队列实现背压", "tracer-otel 基于 OpenTelemetry 实现链路追踪"
        "achieves-through", "implements",
        r"^[\s\-*•]*(?P<first>[^，,。；;：:]{1,30}?)\s*(?:从\s*[^，,。；;：:\s]{1,10}\s*(?:版本)?开始)?\s*(?:主要|默认|也|则|就|会|可以|直接)?\s*(?:通过|借助|利用|基于|依靠|用|使用)"
        r"[^，,。；;：:]{1,30}?(?:[，,]\s*(?:从而|进而|以|并)?)?(?:来|去)?实现了?\s*(?:[^，,。；;：:的]{1,10}的\s*)?(?P<second>[^，,。；;：:（(]{1,20}?)\s*(?:[（(][^）)]{1,40}[）)])?\s*(?:$|[，,。；;：:])",
        where="span", sources=SOFTWARE | PROTOCOL, targets=IDEA, second_head=True,
        examples=("{Fengling:library} 用有界发送队列实现{背压=Backpressure:pattern}。",
                  "{tracer-otel:library} 基于 OpenTelemetry 实现{链路追踪=Distributed Tracing:concept}（Distributed Tracing），它会创建 span。",
                  "{SlabChain:library} 通过引用计数在解码器和业务代码之间共享内存，实现了读路径上的{零拷贝=Zero-Copy:concept}。",
                  "{Mistlark:library} 从 v0.9 开始用令牌桶实现了{背压=Backpressure:pattern}。"),
        counter=("{Fengling:library} 不用有界发送队列实现{背压=Backpressure:pattern}。",
                 "在 {Istio:platform} 中我们通过 Envoy 实现{流量路由:concept}。",
                 "{Fengling:library} 用有界发送队列实现{背压=Backpressure:pattern}的监控。"),
    ),
    Rule(
        "solves-is", "solves", r"<s>(?:要|所|想要|主要|最终)?<s>(?:解决|应对|避免|防止|缓解)的(?:正|就|正好|恰恰|其实)?是<s>",
        examples=("{熔断:pattern}要解决的正是{雪崩效应:concept}。",),
        counter=("{熔断:pattern}要解决的并不是{雪崩效应:concept}。",),
    ),
    Rule(
        # a tool defined by what it analyses: "Knotwise 是课上用的锁竞争分析器"
        "analyser-of", "measures",
        r"^[\s\-*•]*(?P<first>[^，,。；;：:]{1,30}?)\s*<be>\s*(?:一个|一种|一款)?[^，,。；;：:]{0,16}?(?:的|用来|用于|专门)?\s*"
        r"(?P<second>[^，,。；;：:的]{1,16}?)\s*(?:分析器|检测器|探测器|监控器|追踪器|剖析器|分析工具|检测工具|监控工具|诊断工具)\s*(?:$|[，,。；;])",
        where="span", sources=SOFTWARE, targets=frozenset({"concept"}), second_head=True,
        examples=("{Knotwise:tool} 是课上用的{锁竞争=Lock Contention:concept}分析器。",),
        counter=("{Knotwise:tool} 不是{锁竞争=Lock Contention:concept}分析器。",),
    ),
    Rule(
        "protects-against", "solves",
        r"^\s*(?:如果说)?(?P<first>[^，,。；;是]{1,12}?)(?:是|可以|能够|通过)[^。；;]{0,30}?[，,]\s*(?:以|从而|进而|来)"
        r"(?:防止|避免|缓解|应对|解决)(?P<second>[^，,。；;]{1,12})",
        where="span",
        examples=("{熔断:pattern}是从客户端出发保护调用链，以防止系统{雪崩:concept}。",),
        counter=("{熔断:pattern}是从客户端出发保护调用链，以防止系统过载，{雪崩:concept}另说。",),
    ),
    Rule(
        "architecture-parts", "part_of",
        r"(?P<first>[^，,。；;：:]{1,30}?)的?(?:整体|核心|总体)?(?:架构|组成|结构|组件|模块|子项目)(?:主要|大致|大体|一共|共)?"
        r"(?:包括|包含|分为|划分为|由)[^：:。；;]{0,10}[：:](?P<second>[^。；;]{2,120})",
        where="span", direction="B->A",
        examples=("{Kitex:framework} 的架构主要包括四个部分：{Kitex Tool:tool}、Second Party Pkg。",),
        counter=("{Kitex:framework} 的架构和 {Hertz:framework} 相似：都分层。",),
    ),
    Rule(
        "implementation-head", "implements",
        # the implementation, module or component of an idea, whoever provides it ("Netwick 提供的连接池实现")
        r"^[\s\-*•]*(?P<first>[^，,。；;：:]{1,30}?)\s*(?:[：:]|是|为)\s*(?:一个|一种|一款)?\s*(?:[^，,。；;：:的]{1,24}的\s*)?"
        r"(?P<second>[^，,。；;：:的（(]{1,24}?)\s*(?:[（(][^）)]{1,40}[）)])?\s*的?\s*(?:(?:纯|原生|官方|高性能)\s*)?"
        r"(?:Go\s*语言|Golang|Go|Rust|Java)?\s*(?:实现|模块|组件)\s*(?:$|[，,。；;])",
        where="span", sources=COMPONENT | PROTOCOL, targets=IDEA | PROTOCOL, second_head=True,
        examples=("{kafka-go:library}：基于 net 包的 {Kafka 协议:protocol}实现",
                  "- {quic-go:library} 是一个基于 UDP 的 {QUIC:protocol} 纯 Go 实现。",
                  "{MuxPool:library} 是 Netwick 提供的{连接池=Connection Pool:pattern}实现，它维护长连接。",
                  "{Wardex:library} 是 Corvex 的自适应{过载保护=Overload Protection:pattern}模块，它借鉴了拥塞控制的思路。",
                  "{MuxPool:library} 是 Netwick 提供的{连接池=Connection Pool:pattern}（Connection Pool）实现，它维护长连接。"),
        counter=("{kafka-go:library}：{Kafka 协议:protocol}实现细节",
                 "{kafka-go:library} 为 {Kafka 协议:protocol}实现了新的分区策略。",
                 "{Kitex:framework} 是{熔断=Circuit Breaker:pattern}模块的使用方。"),
    ),
    Rule(
        "definition-head", "is_a",
        r"^[\s\-*•]*(?P<first>[^，,。；;：:]{1,30}?)\s*<be>\s*"
        r"(?:(?:一个|一种|一款|一类|一套)[^，,。；;：:]{0,40}?|[^，,。；;：:]{0,40}?的[^，,。；;：:的]{0,12}?)"  # a noun phrase
        r"(?P<second>[^，,。；;：:的]{1,16}?)\s*(?:$|[，,。；;])",
        where="span", targets=IDEA, second_head=True,
        examples=("{Sonic:library} 是一个基于 JIT 和 SIMD 的高性能 {JSON 解析器:concept}。",
                  "{Linkerd:platform} 是 CNCF 毕业的轻量{服务网格:pattern}，资源占用低。"),
        counter=("{Sonic:library} 不是一个基于 JIT 的 {JSON 解析器:concept}。",
                 "{Sonic:library} 是一个比 {JSON 解析器:concept} 更快的库。",
                 "{熔断:pattern}是从客户端出发保护{调用链:concept}，防止雪崩。"),
    ),
    Rule(
        # "将 Etcd 注册中心集成到 Kitex", "Consul注册中心": a product named with the category of system it serves
        # as provides what that category does (not "Kitex 注册中心扩展", the framework's extension for one)
        "category-apposition", "implements",
        r"(?P<first>[A-Za-z][\w.\-]*)[^\S\n]?(?P<second>注册中心|配置中心|服务网格|消息队列)(?!扩展|插件|适配|组件|接口|模块|客户端|SDK|地址|选型)",
        where="span", sources=frozenset({"platform", "tool", "library"}), targets=IDEA,
        examples=("- [registry-etcd](https://github.com/kitex-contrib/registry-etcd) ：将 {Etcd:platform} {注册中心:concept}集成到 Kitex",
                  "采用go-micro v4框架与{Consul:platform}{注册中心:concept}。"),
        counter=("{Kitex:framework} {注册中心:concept}扩展见下文。",
                 "{Etcd:platform} {注册中心:concept}扩展的用法。"),
    ),
    Rule(
        "such-as-software", "implements",
        r"(?P<first>[^，,。；;：:（(]{1,30}?)\s*[（(]\s*(?:如(?![何果下此今])|比如|例如|譬如|像|包括|e\.g\.,?|such as)\s*(?P<second>[^）)]{1,60})",
        where="span", direction="B->A", sources=SOFTWARE, targets=frozenset({"concept"}),
        examples=("日志采集端可以用现成的{结构化日志:concept}库（如 {Zap:library}）。",),
        counter=("我们没有使用{结构化日志:concept}库（如 {Zap:library}），而是自己写了一个。",),
    ),
    Rule(
        "such-as", "is_a",
        r"(?P<first>[^，,。；;：:（(]{1,30}?)\s*[（(]\s*(?:如(?![何果下此今])|比如|例如|譬如|像|包括|e\.g\.,?|such as)\s*(?P<second>[^）)]{1,60})",
        where="span", direction="B->A", targets=IDEA, items=True,
        examples=("订单事件先写入{消息队列:concept}（如 {Kafka:platform}），再异步落库。",),
        counter=("{消息队列:concept}的选择很多（社区里对 {Kafka:platform} 的讨论最多）。",
                 "一致性哈希适用于对{上下文=RequestContext:concept}（如实例本地{缓存=Caching:pattern}）依赖高的场景。"),
    ),
    Rule(
        "such-as-list", "is_a",
        r"(?:多种|各种|一些|常见的?|主流的?|多个|不同的?|常用的?|流行的?|其他|其它|第三方)(?P<first>[^，,。；;：:（(]{1,16}?)[，,]\s*(?:如(?![何果下此今])|比如|例如|譬如|诸如|像是?)\s*(?P<second>[^，,。；;）)]{1,60})",
        where="span", direction="B->A", targets=IDEA, items=True,
        examples=("框架可以对接多种{注册中心:concept}，例如 {etcd:platform}。",),
        counter=(
            "能力拆成基础库独立{开源=Open Source:concept}，如 {Thriftgo:library}。",
            "框架可以对接多种{注册中心:concept}，例如 {etcd:platform} 目前还不支持。",
        ),
    ),
    Rule(
        "kinds-of", "is_a",
        r"(?P<first>[^，,。；;：:]{1,20}?)(?:主要)?(?:分为|分成|包括|包含|有)(?P<second>[^，,。；;：:]{1,40}?)(?:等)?(?:两|三|四|五|几|多)(?:种|类)",
        where="span", direction="B->A", targets=IDEA,
        examples=("{负载均衡:pattern}策略分为{一致性哈希:concept}和加权轮询两种。",),
        counter=("{负载均衡:pattern}策略不分为{一致性哈希:concept}和加权轮询两种。",),
    ),
    Rule(
        "kinds-listed", "is_a",
        r"(?:两|三|四|五|几|多)(?:种|类)(?P<first>[^，,。；;：:]{1,16}?)[：:](?P<second>[^。；;]{1,60})",
        where="span", direction="B->A", targets=IDEA,
        examples=("框架默认提供了两种{负载均衡:pattern}算法：{一致性哈希:concept}和加权轮询。",),
        counter=("框架默认提供了两种{负载均衡:pattern}算法：我们都没有用过 {一致性哈希:concept}。",
                 "框架提供三类{重试:pattern}：{超时:concept}重试和建连失败重试。"),  # 超时重试 is a retry
    ),
    Rule(
        # an idea and what it takes in: "服务治理技术包括服务注册与发现、可观测性" -> each part_of 服务治理
        "idea-includes", "part_of",
        r"(?P<first>[^，,。；;：:]{1,20}?)(?:主要|通常|一般|大致|狭义上|广义上)?(?:包括|包含|涵盖)了?"
        r"(?P<second>[^。；;：:]{1,80}?)(?:等(?:方面|内容|部分)?)?\s*(?:$|[。；;])",
        where="span", direction="B->A", sources=IDEA, targets=IDEA,
        examples=("狭义上，{服务治理:concept}技术包括服务注册与发现、{可观测性:concept}、流量管理。",),
        counter=("{服务治理:concept}的文档包括{可观测性:concept}一章。",
                 "{服务治理:concept}不包括{可观测性:concept}。"),
    ),
    Rule(
        # "Kitex 提供了可动态配置的服务治理能力，包括客户端的超时、重试、熔断" -> Kitex implements each
        "provides-including", "implements",
        r"(?P<first>[^，,。；;：:]{1,30}?)(?:提供了?|内置了?|具备|拥有)[^，,。；;]{0,20}?(?:能力|功能|特性|机制)[，,]\s*"
        r"(?:包括|包含|如|比如|例如)(?P<second>[^。；;]{1,80})",
        where="span", sources=COMPONENT | PROTOCOL, targets=IDEA,
        examples=("{Kitex:framework} 提供了可动态配置的治理能力，包括客户端的超时、重试，以及服务端的{限流:pattern}。",),
        counter=("{Kitex:framework} 没有提供治理能力，包括{超时:pattern}。",
                 "{Kitex:framework} 的文档提供了治理能力的说明，包括{超时:pattern}。"),
    ),
    Rule(
        # "TTHeader 可以和 Thrift、Kitex Protobuf 结合使用": one thing and the list it combines with
        "combined-with-list", "integrates_with",
        r"(?P<first>[^，,。；;：:]{1,20}?)(?:可以|可|能够|能|也|都)*(?:和|与|同|跟)(?P<second>[^，,。；;：:]{1,40}?)"
        r"(?:结合|配合|搭配|组合|一起|同时)使用",
        where="span", sources=COMPONENT | PROTOCOL, targets=COMPONENT | PROTOCOL,
        examples=("{TTHeader:protocol} 可以和 Thrift、{Kitex Protobuf:protocol} 结合使用；",),
        counter=("{TTHeader:protocol} 不能和 {Kitex Protobuf:protocol} 结合使用。",
                 "{TTHeader:protocol} 的文档和 {Kitex Protobuf:protocol} 结合使用的说明见下文。"),
    ),
    Rule(
        # a choice among solutions of an idea: "持续剖析方案选型：Tallow、Pyroscope、Parca 横评" (each provides it)
        "choice-among-solutions", "implements",
        r"(?P<first>[^，,。；;：:]{1,20}?)\s*(?:方案|工具|实现|产品)的?(?:取舍|选型|之争)\s*[:：](?P<second>[^。；;]{2,60})",
        where="span", direction="B->A", sources=COMPONENT, targets=IDEA,
        examples=("{持续剖析=Continuous Profiling:concept}方案选型：{Pyroscope:tool}、Parca 横评",),
        counter=("{持续剖析=Continuous Profiling:concept}方案：{Pyroscope:tool} 的存储很重",),
    ),
    Rule(
        "choice-among", "is_a",
        r"(?P<first>[^，,。；;：:]{1,20}?)的?(?:取舍|选型|之争)\s*[:：](?P<second>[^。；;]{2,60})",
        where="span", direction="B->A", targets=IDEA,
        examples=("{服务网格:pattern}选型：{Istio:platform} vs 自研数据面",),
        counter=("{服务网格:pattern}：{Istio:platform} 的控制面很重",),
    ),
    # ---- backward rules with a closing verb come first: "B 可以通过 A 解决" ----
    Rule(
        "solved-by", "solves", rf"<adv>{_INSTRUMENT}<s>", after=_FOLLOW_SOLVE, direction="B->A",
        examples=(
            "{缓存击穿:concept}问题可以通过{singleflight:library}来解决。",
            "{雪崩:concept}一般可以通过{熔断:pattern}来避免。",
        ),
        counter=(
            "上述需求在{Saga:pattern}中无法解决，但是可以通过{TCC:pattern}来解决。",
            "{缓存击穿:concept}问题不能通过{singleflight:library}来解决。",
        ),
    ),
    Rule(
        "measured-by", "measures", rf"<adv>{_INSTRUMENT}<s>", after=_FOLLOW_MEASURE, direction="B->A",
        examples=("线上的{协程泄漏:concept}可以借助 {pprof:tool} 来定位。",),
        counter=("线上的{协程泄漏:concept}没法借助 {pprof:tool} 来定位。",),
    ),
    # ---- a coordinated pair and what follows it: "A 与 B 集成", "A 和 B 的区别" ----
    Rule(
        "mutually-exclusive", "alternative_to", r"<s>(?:和|与|及)<s>",
        after=r"[^，,。；;]{0,10}?(?:不能|无法|不可|不可以)(?:同时)(?:启用|使用|开启|配置|生效)", negated=True,
        examples=("{异常重试:pattern} 和 {备用请求:pattern} 在一个方法上不能同时启用。",),
        counter=("{异常重试:pattern} 和 {备用请求:pattern} 可以同时启用。",),
    ),
    Rule(
        # "测试模式下 Strayhound 和 goleak 可以互相替代"
        "replace-each-other", "alternative_to", r"<s>(?:与|和|同|跟)<s>",
        after=r"<s>(?:之间)?<s>(?:[^，,。；;]{0,4}?|[^，,。；;]{1,10}[，,]\s*(?:两者|二者|基本上?|其实|完全)*\s*)(?:可以|能够|能|可)?<s>(?:互相|相互|彼此)(?:替代|替换|取代)",
        examples=("测试模式下 {Strayhound:library} 和 {goleak:library} 可以互相替代。",
                  "{Flux:tool} 跟 {Argo CD:tool} 定位差不多，基本可以互相替代。"),
        counter=("{Strayhound:library} 和 {goleak:library} 不能互相替代。",),
    ),
    Rule(
        # "Thrumgun 跟 vegeta 定位其实很接近": two products placed alike are alternatives
        "placed-alike", "alternative_to", r"<s>(?:与|和|同|跟)<s>",
        after=r"<s>(?:的)?<s>(?:定位|用途|功能定位)<s>(?:其实|基本|基本上|大致)?<s>(?:很|非常|比较|十分)?(?:接近|相近|类似|相似|一样|相同|重合)",
        sources=COMPONENT, targets=COMPONENT, same_type=True,
        examples=("顺便说一句，{Thrumgun:tool} 跟 {vegeta:tool} 定位其实很接近，都是开环压测工具。",),
        counter=("{Thrumgun:tool} 跟 {vegeta:tool} 定位不太一样。",
                 "{Thrumgun:tool} 跟 {Kafka:platform} 定位很接近。"),
    ),
    Rule(
        "integrate-with", "integrates_with",
        r"<s>(?:<adv>(?:支持|可以|能够|可|能|需要)<s>)?(?:与|和|同|跟)<s>",
        after=r"<s>(?:之间)?(?:的)?<s>(?:可以|能够|进行|做)?<s>(?:无缝)?(?:集成|对接|整合|打通|互通|互操作|结合使用|配合使用|搭配使用|协同工作|联动|配合得?(?:最好|很好|不错))",
        sources=COMPONENT, targets=COMPONENT,
        examples=(
            "这块是 {Ebbgate:tool} 和 {Fennmoor:platform} 配合得最好的地方。",
            "{Kitex:framework} 与 {Dubbo:framework} 互通之后，两边的服务可以直接调用。",
            "{Hertz:framework} 支持与 {Sentry:platform} 集成，用来上报异常。",
        ),
        counter=(
            "{Kitex:framework} 目前还不能与 {Dubbo:framework} 互通。",
            "{Kitex:framework}、{Hertz:framework} 与 {Nacos:platform} 集成的示例放在同一个仓库。",
            "社区计划让 {Kitex:framework} 与 {Eureka:platform} 对接。",
        ),
    ),
    Rule(
        "compared-pair", "alternative_to", r"<s>(?:与|和|同|跟)<s>",
        after=rf"<s>(?:的|之间的)?<s>(?:[^{_PUNCT}的]{{0,8}}?(?:对比|比较|之争|区别|差异|异同|选型|取舍)|相比|怎么选|如何选择|是两[种个类款](?![^，,。；;]{{0,6}}?(?:独立|不同|阶段|层|步骤|部分|环节|概念))|二选一)",
        examples=(
            "{gRPC:protocol} 和 {Thrift:protocol} 的对比见下表。",
            "{Gin:framework}与{Echo:framework}相比，路由性能接近。",
            "{GitLab CI:tool} 与 {GitHub Actions:tool} 双平台流水线配置对比",
        ),
        counter=(
            "{Gin:framework} 与 {Redis:platform} 的对比没有意义。",
            "{Gin:framework}、{Echo:framework} 与 {Fiber:framework} 的对比见下表。",
            "在 Menshen 中，{认证:concept}和{鉴权:concept}是两个独立的中间件，可以只用其中一个。",
        ),
    ),
    # ---- "A 是 B 的…" ----
    Rule(
        "implementation-of", "implements", r"<adv><be><s>",
        after=r"<s>(?:协议|模式|规范|标准|算法|服务端|客户端|服务器)?<s>(?:的|在)<s>[^，,。；;]{0,8}?实现",
        sources=COMPONENT | PROTOCOL, targets=IDEA | PROTOCOL,
        examples=("{sarama:library} 是 {Kafka 协议:protocol}的纯 Go 实现。",
                  "{Berthgate:library} 是 {TFP:protocol} 服务端的参考实现。"),
        counter=("{sarama:library} 不是 {Kafka 协议:protocol}的官方实现。",),
    ),
    Rule(
        # a named idea of a product: "影子配置是 Fennmoor 里我觉得最有意思的设计", "回水保护，是 Tarnwick 专门针对多层重试
        # 的一个机制", "分层挂载是 Qilou 在 2.0 中引入的中间件组织方式"
        "idea-of", "part_of", r"<s>[，,]?<s>(?:也|其实|就|则)?<be><s>",
        after=r"<s>(?:里|中|内)?[^，,。；;]{0,16}?的\s*(?:一个|一种|一项)?[^，,。；;的]{0,8}?(?:设计|机制|特性|概念|方式|能力)(?:之一)?<s>(?:$|[，,。；;：:])",
        sources=IDEA, targets=COMPONENT,
        examples=("{影子配置=Shadow Config:concept}是 {Fennmoor:platform} 里我觉得最有意思的设计，也是最大的区别。",
                  "{回水保护:concept}，是 {Tarnwick:library} 专门针对多层重试的一个机制。",
                  "{分层挂载=Layered Mounting:pattern}是 {Qilou:framework} 在 2.0 中引入的中间件组织方式。",
                  "{事务消息=Transactional Message:concept}是 {RocketMQ:platform} 提供的特性：生产者先发送半消息。"),
        counter=("{影子配置=Shadow Config:concept}不是 {Fennmoor:platform} 里的设计。",
                 "{回水保护:concept}是 {Tarnwick:library} 的用户最关心的问题。"),
    ),
    Rule(
        # a feature that a product brings; a piece of its structure ("核心模块", "子模块", "一个模块") is part_of
        "feature-of", "implements", r"<adv><be><s>",
        after=rf"<s>(?:的|中的|里的|内置的)?<s>(?![^，,。；;]{{0,6}}?(?:核心|子|一个|一部分|组成部分))[^，,。；;]{{0,6}}?{_PART_NOUN}",
        direction="B->A", sources=SOFTWARE, targets=IDEA,
        examples=("{熔断:pattern}是 {Kratos:framework} 的内置模块。",),
        counter=("{熔断:pattern}并不是 {Kratos:framework} 的内置模块。",),
    ),
    Rule(
        "project-of", "part_of", r"<adv><be><s>",
        after=r"<s>(?:开源的|推出的|旗下的|下的|生态中的|生态的|生态里的|家族的|体系中的|体系下的|社区的|孵化的)<s>[^，,。；;]{0,12}?(?:框架|库|项目|组件|工具|子项目|网络库|引擎)",
        sources=COMPONENT, targets=COMPONENT,
        examples=("{Netpoll:library} 是 {CloudWeGo:tool} 开源的高性能网络库。",),
        counter=("{Hertz:framework} 是 {Gin:framework} 的上层框架。",),
    ),
    Rule(
        "open-sourced-under", "part_of", r"[，,]?<s>(?:已经|已|也)?<s>(?:正式)?<s>(?:在|于|加入)<s>",
        after=r"<s>(?:社区)?<s>(?:正式|全面)?<s>(?:开源|发布|孵化)(?!之|以|后|前)", sources=COMPONENT, targets=COMPONENT,
        examples=("高性能 HTTP 框架 {Hertz:framework}，已在 {CloudWeGo:framework} 正式开源啦！",),
        counter=("{Hertz:framework} 在 {Kubernetes:platform} 上部署。",
                 "{Hertz:framework} 在 {Gin:framework} 开源之后才出现。"),
    ),
    Rule(
        "project-of-genitive", "part_of", r"<s>(?:开源的|推出的|旗下的|下的|生态中的|生态里的|家族的|体系中的|孵化的)<s>",
        direction="B->A", sources=COMPONENT, targets=COMPONENT,
        examples=("{CloudWeGo:tool} 旗下的 {Hertz:framework} 已经在生产环境大规模使用。",),
        counter=("{CloudWeGo:tool} 旗下的 {Hertz:framework} 还没有发布正式版吗？",),
    ),
    Rule(
        "plugin-of", "integrates_with", r"<adv>(?:<be>|作为)<s>",
        after=r"<s>(?:的|中的)<s>(?:一个|一款|一种|官方)?<s>[^，,。；;]{0,6}?(?:插件|扩展|适配器|中间件)(?!的|机制|系统|体系|框架)",
        sources=COMPONENT, targets=COMPONENT,
        examples=("{protoc-gen-validate:tool} 是 {protoc:tool} 的一个代码生成插件。",
                  "{otelgin:library} 是 {Gin:framework} 的官方中间件。"),
        counter=("{protoc-gen-validate:tool} 不是 {protoc:tool} 的插件。",
                 "{Hertz:framework} 是 {Go:language} 的插件框架。"),
    ),
    Rule(
        "part-of", "part_of", r"<adv>(?:<be>|属于|作为)<s>",
        after=rf"<s>(?:的|中的|里的|内部的)?<s>(?:[^，,。；;]{{0,8}}?(?:{_PART_NOUN}|数据结构)|(?:在[^，,。；;]{{1,12}}?)?的配套(?:机制|组件|模块|设施))",
        examples=(
            "{Netpoll:library} 是 {CloudWeGo:tool} 的一个子项目。",
            "{goroutine:concept}是 {GMP:concept} 模型的组成部分。",
            "{SlabChain:library} 是 {Netwick:library} 的核心数据结构，它是一条链表。",
            "其中 {registry-etcd:library} 是 {corvex-contrib:library} 中使用最广泛的插件。",
            "{Saga 编排器=Saga Orchestrator:concept}是 {Knotwell:framework} 服务端的核心模块。",
            "{死信处理器=DLQ Handler:concept}是 {Mistlark:library} 的一个子模块。",
            "{Kelpstore:library} 作为 {Tidewire:framework} 的持久化层，负责保存消息。",
            "{写屏障:concept}（write barrier）是 {GC:concept} 在并发标记阶段的配套机制。",
        ),
        counter=(
            "{Kratos:framework} 是 {熔断:pattern}的组件之一。",
            "{Netpoll:library} 不是 {CloudWeGo:tool} 的组件。",
        ),
    ),
    Rule(
        "library-for", "implements", r"<adv>(?:<be>|作为)<s><kind><s>(?:[^，,。；;：:\s]{1,8}?的)?<s>",
        after=r"<s>[^\s，,。；;的]{0,4}?(?:库|框架|工具|组件|中间件|引擎|插件|SDK|sdk)",
        sources=SOFTWARE, targets=IDEA | PROTOCOL,
        examples=(
            "{zerolog:library} 是一个零分配的{结构化日志:concept}库。",
            "{Hertz:framework} 作为企业级的 {HTTP:protocol} 框架，默认开启连接复用。",
        ),
        counter=("{zerolog:library} 不是一个{结构化日志:concept}库。",),
    ),
    Rule(
        # one of a family's members: "Tallow 是 Wickline 里负责采集的 agent", "Thrumgun 也是 Wickline 家族的一员"
        "member-of", "part_of", r"<adv><be><s>(?:整个|整套)?<s>",
        after=r"<s>(?:生态|家族|体系|工具链|套件|项目|全家桶)?<s>(?:(?:里|中|内|之中|当中)(?:的|负责|专门|用来|用于|做|最|唯一)|的一员|配套的|家的|自带的|内置的)",
        sources=COMPONENT, targets=COMPONENT,
        examples=("{Tallow:tool} 是 {Wickline:framework} 里负责采集的 agent。",
                  "{Thrumgun:tool} 也是 {Wickline:framework} 家族的一员，是个压测工具。",
                  "{Embervane:tool} 是 {Wickline:framework} 配套的火焰图查看器。",
                  "{Shoalmark:platform} 是 {Quillmere:framework} 全家桶里的注册中心。",
                  "{brackctl:tool} 是 {Brackwater:framework} 自带的命令行工具，负责脚手架生成。",
                  "{Berthgate:library} 是 {Tidewire:framework} 中唯一直接面对客户端的组件。",
                  "{Lanternstore:platform} 是整个 {Wickline:framework} 里最重的组件。"),
        counter=("{Tallow:tool} 不是 {Wickline:framework} 里的组件。",),
    ),
    Rule(
        # a part named after what it does: "Tarnwick 里负责降载的算法叫 Gillnet", "Ebbgate 的核心概念叫泳道"
        "named-part", "part_of",
        rf"<s>(?:(?:里|中|内)(?:负责|专门|用来|用于)?[^{_PUNCT}]{{0,16}}?的[^{_PUNCT}的]{{0,6}}?|的(?:核心|主要)?(?:概念|组件|模块|算法|机制))"
        r"(?:叫做?|名为|称为|就是)<s>[“\"「]?<s>",
        direction="B->A", targets=COMPONENT,
        examples=("{Tarnwick:library} 里负责降载的算法叫 {Gillnet:concept}。",
                  "{Ebbgate:tool} 的核心概念叫“{泳道=Swimlane:concept}”（swimlane）。"),
        counter=("{Tarnwick:library} 里负责降载的算法不叫 {Gillnet:concept}。",),
    ),
    Rule(
        "is-a", "is_a", r"<adv>(?:<be>|属于|作为)<s><kind><s>(?:[^，,。；;：:\s]{1,8}?的)?<s>",
        # "X 是 Y 里的 Z", "X 是 Y 在标记阶段的配套机制": a member or a part of Y, not a kind of it
        after=r"(?!\s*(?:里|中|内)(?:的|负责|专门|用来|用于|做|最)|\s*在[^，,。；;]{1,16}?的)<end>",
        targets=IDEA,
        examples=(
            "{Linkerd:platform} 是一种轻量级的{服务网格:pattern}。",
            "{Saga:pattern}（长事务拆分）是一种{分布式事务:concept}解决方案。",
        ),
        counter=(
            "{Kitex:framework} 是{微服务:pattern}架构里的一环。",
            "{Linkerd:platform} 并不是{服务网格:pattern}的唯一选择。",
            "{Saga:pattern} 是 {2PC=Two-Phase Commit:pattern} 的一种补充方案。",
            "{Hertz:framework} 是一个{开源=Open Source:concept}项目。",
            "{Tallow:tool} 是 {Wickline:pattern} 里负责采集的 agent。",
            "{写屏障:concept}是 {GC:concept} 在并发标记阶段的一种机制。",
        ),
    ),
    Rule(
        "category-of-list", "is_a", r"<s>等<s>(?:[^，,。；;：:\s]{1,6}?的)?<s>", after="<end>", targets=IDEA,
        of_group=True,
        examples=("项目里用 {RabbitMQ:platform} 等{消息队列:concept}做削峰。",),
        counter=("项目里用 {RabbitMQ:platform} 等{消息队列:concept}中间件做削峰。",),
    ),
    Rule(
        "is-a-en", "is_a", r"\s*(?:is|are)\s+(?:a|an|the)?\s*(?:[\w-]+\s+){0,2}?", after="<end>", targets=IDEA,
        examples=("{Linkerd:platform} is a lightweight {service mesh:pattern}.",),
        counter=("{Linkerd:platform} is not a {service mesh:pattern}.",),
    ),
    Rule(
        "part-of-en", "part_of", r"\s*(?:is|are)\s+(?:a\s+|an\s+)?(?:part|component|module|subproject|sub-project)\s+of\s+(?:the\s+)?",
        examples=("{Netpoll:library} is part of {CloudWeGo:tool}.",),
        counter=("{Netpoll:library} is no longer part of {CloudWeGo:tool}.",),
    ),
    # ---- "B 中的 A 组件", "B 包括 A 等组件" ----
    Rule(
        "extension-genitive", "integrates_with", r"<s>(?:中的|的)<s>", after=r"<s>(?:扩展|拓展|插件|适配器|适配|集成)",
        sources=COMPONENT, targets=frozenset({"platform", "tool"}),
        examples=("{Hertz:framework} 的 {Sentry:platform} 扩展负责上报异常。",),
        counter=("{Hertz:framework} 的 {Sentry:platform} 账号需要单独申请。",),
    ),
    Rule(
        "feature-genitive", "implements", r"<s>(?:中的|里的|内置的|自带的|的)<s>", after=rf"<s>{_PART_NOUN}",
        sources=SOFTWARE, targets=IDEA,
        examples=("{Kitex:framework} 中的{熔断:pattern}组件默认关闭。",),
        counter=("{Kitex:framework} 中的{熔断:pattern}配置项很多。",),
    ),
    Rule(
        "part-of-genitive", "part_of", r"<s>(?:中的|里的|内置的|自带的|的)<s>", after=rf"<s>{_PART_NOUN}", direction="B->A",
        examples=("{CloudWeGo:tool} 的 {Netpoll:library} 组件负责网络层。",),
        counter=("{Kratos:framework} 的 {Consul:platform} 配置要单独写。",),
    ),
    Rule(
        # a plugin works with what it plugs into, it is not a piece of it (as plugin-of)
        "plugin-named-after-genitive", "integrates_with",
        r"<s>(?:中的|里的|的)<s>(?:一个|一款|一套|另一个)?<s>[^，,。；;：:、()（）的\s]{0,8}?(?:插件|扩展)<s>",
        direction="B->A", sources=SOFTWARE, targets=COMPONENT,
        examples=("社区也开源了 {protoc:tool} 的校验插件 {protoc-gen-validate:tool}。",),
        counter=("社区也开源了 {protoc:tool} 的校验插件，{protoc-gen-validate:tool} 另说。",),
    ),
    Rule(
        "part-named-after-genitive", "part_of",
        r"<s>(?:中的|里的|内置的|自带的|提供的|的)<s>(?:一个|一款|一套)?<s>[^，,。；;：:、()（）的\s]{0,8}?(?:工具|组件|模块|脚手架|子项目|网络库)<s>",
        direction="B->A", sources=SOFTWARE, targets=COMPONENT,
        examples=("左侧是 {Hertz:framework} 的代码生成工具 {Hz:tool}，它可以生成项目骨架。",
                  "{Kratos:framework} 自带的命令行工具 {kratos-cli:tool} 用于创建项目。"),
        counter=("{Kratos:framework} 的组件和 {Consul:platform} 的配置要分开写。",
                 "{Hertz:framework} 的工具和 {Kitex:framework} 一样好用。"),
    ),
    Rule(
        "has-property", "implements", r"<adv>(?:具有|具备|拥有|有着)<obj>",
        after=r"<s>(?:的)?<s>(?:特点|特性|能力|优势|功能|机制)", sources=COMPONENT | PROTOCOL, targets=IDEA,
        examples=("{Shmipc:library} 具有{零拷贝:concept}的特点。",),
        counter=("{Shmipc:library} 不具有{零拷贝:concept}的特点。", "{Shmipc:library} 具有{零拷贝:concept}无法比拟的速度。"),
    ),
    Rule(
        "core-is", "implements", r"<s>(?:的)?(?:核心|内核|本质)(?:上)?<be><s>(?:一个|一种)?<s>",
        sources=COMPONENT | PROTOCOL, targets=IDEA | PROTOCOL,
        examples=("{Netpoll:library} 核心是 {Reactor:pattern} 事件监听调度器。",),
        counter=("{Netpoll:library} 的核心不是 {Reactor:pattern}。",),
    ),
    Rule(
        "core-is-component", "uses", r"<s>(?:的)?(?:核心|内核|底座)(?:组件|模块)?<be><s>(?:一个|一种)?<s>",
        sources=COMPONENT, targets=COMPONENT,
        examples=("{Kitex:framework} 的核心是 {Netpoll:library}。",),
        counter=("{Kitex:framework} 的核心不是 {Netpoll:library}。",),
    ),
    Rule(
        "launches", "part_of",
        r"<s>(?:正式)?(?:官宣|推出|发布|开源)(?:了)?<s>(?:新一代|全新的?|自研的?)?<s>[^，,。；;：:、]{0,12}?(?:框架|库|项目|组件|工具|网络库)<s>",
        direction="B->A", sources=COMPONENT, targets=COMPONENT,
        examples=("{CloudWeGo:framework} 正式开源了新一代 RPC 框架 {Volo:framework}。",),
        counter=("{Kitex:framework} 发布了新版本，{Frugal:library} 默认开启。",
                 "{Kitex:framework} 未来会推出新的框架 {Volo:framework}。"),
    ),
    Rule(
        "supported-are", "implements", r"<s>(?:支持|提供)的<s>[^，,。；;：:的]{0,8}?(?:有|包括|包含|是)<s>",
        sources=COMPONENT, targets=IDEA | PROTOCOL,
        examples=("{Kitex:framework} 支持的传输协议有 {TTHeader:protocol}、HTTP2。",),
        counter=("{Kitex:framework} 不支持的传输协议有 {TTHeader:protocol}。",),
    ),
    Rule(
        "includes-features", "implements", r"<adv>(?:包括|包含|提供了?|内置了?)<s>",
        after=r"<s>(?:等)?<s>(?:在内的)?<s>(?:多个|几个|多种)?<s>(?:组件|模块|功能|能力|特性|机制)",
        sources=SOFTWARE, targets=IDEA,
        examples=("{Kratos:framework} 包括{限流:pattern}等模块。",),
        counter=("{Kratos:framework} 未来会包括{限流:pattern}等模块。",),
    ),
    Rule(
        "includes-parts", "part_of", r"<adv>(?:包括|包含)<s>",
        after=r"<s>(?:等)?<s>(?:在内的)?<s>(?:多个|几个)?<s>(?:组件|模块|子项目|项目|部分)",
        direction="B->A",
        examples=("{CloudWeGo:tool} 包括 {Netpoll:library} 等子项目。",),
        counter=("{CloudWeGo:tool} 的文档包括 {Netpoll:library} 等项目的链接吗？",),
    ),
    # ---- solves / measures ----
    Rule(
        # the outcome prevented is the problem: "超时避免后端阻塞导致网关雪崩" -> Timeout solves 雪崩
        "prevents-outcome", "solves",
        r"<adv>(?:防止|避免|防范|杜绝|规避)了?[^，,。；;]{1,12}?(?:导致|引发|造成|引起|演变为|演变成)(?:的)?[^，,。；;的]{0,4}?",
        examples=("{熔断:pattern}防止下游故障引发整条链路{雪崩:concept}。",),
        counter=("{熔断:pattern}无法防止下游故障引发{雪崩:concept}。",),
    ),
    Rule(
        # what a mechanism is there for: "回水保护专门就是为了治重试风暴的"
        "meant-to-solve", "solves", r"<adv>(?:就|正|都)?(?:是)?(?:为了|用来|专门)(?:治|对付|专治|根治|解决|防止|避免|应对)<s>",
        after=r"<s>(?:问题)?<s>(?:的|而)", sources=SOFTWARE | PROTOCOL | IDEA,
        examples=("{回水保护:concept}专门就是为了治{重试风暴:concept}的。",
                  "{Gillnet:concept} 就是为了应对{过载:concept}而设计的。"),
        counter=("{回水保护:concept}不是为了治{重试风暴:concept}的。",),
    ),
    Rule(
        "solves", "solves",
        r"<adv>(?:解决|防止|避免|应对|缓解|防范|杜绝|规避|消除|抵御)了?<obj>",
        examples=(
            "{熔断:pattern}可以有效防止{雪崩:concept}。",
            "{singleflight:library} 用来解决{缓存击穿:concept}问题。",
        ),
        counter=(
            "{熔断:pattern}无法解决{死锁:concept}。",
            "{MongoDB:platform} 避免了{幂等:concept}问题。",
            "{Saga:pattern}中无法解决的问题，{TCC:pattern}可以解决。",
        ),
    ),
    Rule(
        "solves-en", "solves", r"\s*(?:solves|prevents|avoids|mitigates|eliminates)\s+(?:the\s+)?",
        examples=("{Circuit Breaker:pattern} prevents {cascading failure:concept}.",),
        counter=("{Circuit Breaker:pattern} cannot prevent {deadlock:concept}.",),
    ),
    Rule(
        "measures", "measures",
        # not "检测到 B 出现空洞": what is noticed happening to B, an event, not a measure of B
        r"<adv>(?:监控|度量|测量|观测|分析|定位|排查|检测|诊断|剖析|采集|统计|压测|评测|追踪和比较|比较|测出(?:来)?的|衡量)了?(?!到)<obj>",
        examples=(
            "{pprof:tool} 可以快速定位{goroutine 泄漏:concept}。",
            "{Prometheus:tool} 负责采集服务的{延迟分位数:concept}。",
            "换句话说，{Thrumgun:tool} 测出来的{尾延迟:concept}包含了排队时间。",
            "{Liaowang:library} 用这个直方图衡量{尾延迟:concept}。",
        ),
        counter=("{pprof:tool} 不能直接定位{死锁:concept}。",
                 "当 {seqkeeper:library} 检测到{会话序号:concept}出现空洞时，投递暂停。"),
    ),
    Rule(
        "measures-en", "measures", r"\s*(?:measures|monitors|profiles|detects|tracks)\s+(?:the\s+)?",
        examples=("{Prometheus:tool} monitors {tail latency:concept} of every route.",),
        targets=COMPONENT | {"concept"},
        counter=("{Prometheus:tool} never monitors {tail latency:concept} by itself.",),
    ),
    # ---- implements ----
    Rule(
        "implements", "implements", r"<adv>(?:实现了|实现)<obj>",
        sources=SOFTWARE | PROTOCOL, targets=IDEA | PROTOCOL,
        examples=(
            "{Kitex:framework} 实现了{泛化调用:concept}。",
            "{go-zero:framework} 内部实现了{自适应限流:pattern}。",
            "{Lanternstore:library} 的 ingester 实现了 {SootWire:protocol} 协议的服务端。",  # a part named in English
        ),
        counter=(
            "{Kitex:framework} 还没有实现{泛化调用:concept}。",
            "我们用 {MongoDB:platform} 实现{幂等:concept}。",
            "在 {Istio:platform} 中我们通过 {Envoy:platform} 实现{流量路由:concept}。",
            "{Lanternstore:library} 的 ingester 还没有实现 {SootWire:protocol} 协议。",
        ),
    ),
    Rule(
        # a named piece of a product that carries out a pattern: "Saga 编排器实现了 Saga 模式"
        "part-implements", "implements", r"<adv>实现了<obj>", before=r"^[\sA-Za-z0-9\-]{0,12}",  # the part opens its clause ("TCC 参与者管理器")
        sources=frozenset({"concept"}), targets=IDEA | PROTOCOL,
        examples=("{自适应采样器=Adaptive Sampler:concept}实现了{尾部采样=Tail-based Sampling:pattern}。",),
        counter=("{自适应采样器=Adaptive Sampler:concept}没有实现{尾部采样=Tail-based Sampling:pattern}。",
                 "Netwick 直接基于 Linux 的 {epoll:concept} 实现了 {Reactor:pattern} 模型。"),
    ),
    Rule(
        # metrics or data exposed in another product's format: "Allocarta 可以直接以 Prometheus 指标的形式暴露出来"
        "exposes-as", "integrates_with", r"<adv>(?:会|可以|能|默认|直接|也)*<s>(?:把[^，,。；;]{1,8}?)?(?:以|用|按)<s>",
        after=r"<s>(?:的)?<s>(?:文本|二进制)?(?:指标|格式|协议)?(?:的)?(?:形式|格式)?<s>(?:在\s*\S{1,16}?\s*)?(?:暴露|导出|上报|输出|推送|写入)",
        sources=COMPONENT, targets=COMPONENT,
        examples=("{Allocarta:tool} 可以直接以 {Prometheus:platform} 指标的形式暴露出来。",
                  "{Tarnwick:library} 默认把指标用 {Prometheus:platform} 格式暴露在 /metrics 上。",
                  "指标方面，{Liaowang:library} 默认以 {Prometheus:platform} 文本格式在 /metrics 暴露。"),
        counter=("{Tarnwick:library} 不会以 {Prometheus:platform} 格式暴露指标。",),
    ),
    Rule(
        # hands its data to another product: "Tarnwick 会把限流、熔断这些事件作为 span event 写进 OpenTelemetry 的 trace 里"
        "writes-into", "integrates_with", rf"<adv>(?:会|可以|能|默认|直接|也|自动)*<s>(?:把|将)[^。；;!！?？]{{1,30}}?(?:写进|写入|上报到|上报给|推送到|推给|导出到|发送到|发到)<s>",
        sources=COMPONENT, targets=COMPONENT,
        examples=("{Tarnwick:library} 会把限流事件写进 {OpenTelemetry:library} 的 trace 里。",),
        counter=("{Tarnwick:library} 不会把这些事件写进 {OpenTelemetry:library} 的 trace 里。",),
    ),
    Rule(
        # an adapter, middleware or plugin for another product: "knotwell-go 提供了 GORM 适配层"
        "provides-adapter", "integrates_with", r"<adv>(?:提供了?|内置了?|自带了?)<s>",
        after=r"<s>(?:适配层|适配器|适配|中间件|插件|扩展|插桩|集成)", sources=COMPONENT, targets=COMPONENT,
        examples=("{knotwell-go:library} 提供了 {GORM:library} 适配层。",
                  "{knotwell-go:library} 内置了 {Weftline:library} 插桩，每个分支调用自动生成一个 Span。"),
        counter=("{knotwell-go:library} 没有提供 {GORM:library} 适配层。",),
    ),
    Rule(
        "provides", "implements", r"<adv>(?:提供了?|内置了?|自带了?|集成了?)<obj>",
        after=r"(?:<s>(?:的)?<s>(?:能力|功能|支持|机制|特性))?", sources=COMPONENT | PROTOCOL, targets=IDEA | PROTOCOL,
        examples=(
            "{etcd:platform} 提供了{服务发现:concept}能力。",
            "{Hertz:framework} 内置了{优雅退出:pattern}。",
        ),
        counter=("{etcd:platform} 不提供{服务发现:concept}能力。",),
    ),
    Rule(
        "ensures", "implements", r"<adv>(?:确保|保证|保障|实现了?|提供了?)<obj>", before=r"(?:通过|借助|利用|依靠|使用|用)\s*",
        sources=SOFTWARE | PROTOCOL, targets=IDEA,
        examples=("退出时通过 {sync.WaitGroup:library} 确保{优雅退出:pattern}。",
                  "Brackwater 通过 {Wickgate:library} 子模块提供{准入 Webhook:concept}支持。"),
        counter=("退出时通过 {sync.WaitGroup:library} 无法确保{优雅退出:pattern}。",),
    ),
    Rule(
        "generates", "implements", r"<adv>(?:生成|产出|输出)了?<obj>", sources=SOFTWARE, targets=frozenset({"concept"}),
        examples=("{Syft:tool} 扫描镜像后生成 {SBOM:concept}。",),
        counter=("{Syft:tool} 不会生成 {SBOM:concept}。",),
    ),
    Rule(
        "used-for", "implements", r"<adv>(?<![应适])(?:用于|用来|负责|专注于|专门做|只管|只做|只负责)(?:实现)?<obj>",
        sources=COMPONENT, targets=IDEA,
        after=r"(?!\s*(?:场景|领域|业务|方向|行业))",  # "专注于 RPC 场景": where it is used, not what it implements
        examples=("{Sentinel:library} 主要用于{限流:pattern}。",
                  "{Shoalmark:platform} 只管{服务发现:concept}这一件事（注册 + 发现），纯 AP。"),
        counter=("{Sentinel:library} 不用于{限流:pattern}。", "{Shmipc:library} 应用于{服务网格:pattern}场景。",
                 "{Netpoll:library} 是高性能网络库，专注于 {RPC:concept} 场景。"),
    ),
    Rule(
        "implements-en", "implements", r"\s*(?:also\s+|natively\s+|fully\s+)?(?:implements|provides|offers|ships with|comes with|has built-in)\s+(?:the\s+|a\s+|an\s+)?(?:built-in\s+)?",
        sources=SOFTWARE | PROTOCOL, targets=IDEA | PROTOCOL,
        examples=("{Kitex:framework} implements {generic call:concept} for gateways.",),
        counter=("{Kitex:framework} no longer implements {generic call:concept}.",),
    ),
    # ---- "A 对 B 的支持", "A 支持的注册中心有 B、C" ----
    Rule(
        "support-for-component", "integrates_with", r"<adv>对<s>",
        after=r"<s>(?:[^，,。；;：:、的]{0,8}?的)?<s>(?:支持|适配|扩展|拓展|集成|对接|封装)", sources=COMPONENT, targets=COMPONENT,
        examples=("下面是 {Hertz:framework} 对 {Consul:platform} 的适配。",),
        counter=("下面是 {Hertz:framework} 对 {Consul:platform} 的吐槽。",),
    ),
    Rule(
        "support-for", "implements", r"<adv>对<s>",
        after=r"<s>(?:[^，,。；;：:、的]{0,8}?的)?<s>(?:支持|实现|兼容)", sources=COMPONENT | PROTOCOL, targets=IDEA | PROTOCOL,
        examples=("{Kitex:framework} 对 {Thrift:protocol} 的支持最完整。",),
        counter=("{Kitex:framework} 对 {Thrift:protocol} 的支持还没有完成。",),
    ),
    Rule(
        "supported-list-component", "integrates_with",
        rf"<adv>(?:支持|提供|内置|集成|兼容)的<s>[^{_PUNCT}]{{0,8}}?(?:有|包括|包含|是)<s>:?<s>", sources=COMPONENT, targets=COMPONENT,
        examples=("{Kitex:framework} 支持的注册中心有 {ZooKeeper:platform}。",),
        counter=("{Kitex:framework} 支持的注册中心没有 {ZooKeeper:platform}。",),
    ),
    Rule(
        "supported-list", "implements",
        rf"<adv>(?:支持|提供|内置|兼容)的<s>[^{_PUNCT}]{{0,8}}?(?:有|包括|包含|是)<s>:?<s>",
        sources=COMPONENT | PROTOCOL, targets=IDEA | PROTOCOL,
        examples=("{Hertz:framework} 支持的协议包括 {HTTP/2:protocol}。",),
        counter=("{Hertz:framework} 支持的协议是否包括 {HTTP/3:protocol}？",),
    ),
    # ---- integrates_with ----
    Rule(
        "integrates", "integrates_with",
        r"<adv>(?:集成|对接|接入|适配|整合|打通|兼容(?!的))了?<obj>", sources=COMPONENT, targets=COMPONENT,
        examples=(
            "{Kitex:framework} 已经对接了 {Nacos:platform}。",
            "{Hertz:framework} 兼容 {net/http:library} 的 Handler。",
        ),
        counter=(
            "{Kitex:framework} 还没有对接 {Nacos:platform}。",
            "后续版本 {Kitex:framework} 将接入 {Nacos:platform}。",
        ),
    ),
    Rule(
        "works-with", "integrates_with", r"<adv>(?:配合|搭配|结合|联合)(?:使用)?<obj>", sources=COMPONENT, targets=COMPONENT,
        examples=("{Prometheus:tool} 一般配合 {Grafana:tool} 做可视化。",),
        counter=("{Prometheus:tool} 不一定要配合 {Grafana:tool} 使用。",),
    ),
    Rule(
        # "Wickgate 默认和 cert-manager 配合": the partner named before the verb
        "works-with-partner", "integrates_with", r"<adv>(?:默认|可以|能|一般|通常|会)*<s>(?:和|与|跟|同)<s>",
        after=r"<s>(?:一起|一同)?<s>(?:配合|搭配|协同|联动)(?!不)", sources=COMPONENT, targets=COMPONENT,
        examples=("{Wickgate:library} 默认和 {cert-manager:tool} 配合：cert-manager 负责签发和轮换。",),
        counter=("{Wickgate:library} 不和 {cert-manager:tool} 配合。",),
    ),
    Rule(
        # an IDL is read, not implemented: "hz 支持 Thrift 和 Protobuf 两种 IDL" -> hz uses Thrift
        "supports-idl", "uses", r"<adv>(?:支持|支援)了?<obj>",
        after=r"<s>(?:等)?<s>(?:这|那)?(?:两|多|几|三)?种?<s>(?:的)?<s>(?:IDL|接口定义语言|接口描述语言)",
        sources=SOFTWARE, targets=PROTOCOL,
        examples=("{Hz:tool} 支持 {Protobuf:protocol} 这种 IDL 的定义。",),
        counter=("{Hz:tool} 还不支持 {Protobuf:protocol} IDL。",),
    ),
    Rule(
        "supports-component", "integrates_with", r"<adv>(?:支持|支援)了?<obj>", sources=COMPONENT, targets=COMPONENT,
        examples=("{Kitex:framework} 支持 {Consul:platform} 作为注册中心。",),
        counter=("{Kitex:framework} 不支持 {Consul:platform}。",),
    ),
    Rule(
        "supports", "implements", r"<adv>(?:支持|支援|兼容(?!的))了?<obj>", sources=COMPONENT | PROTOCOL, targets=IDEA | PROTOCOL,
        examples=(
            "{Hertz:framework} 原生支持 {HTTP/2:protocol}。",
            "{Kitex:framework} 兼容 {gRPC:protocol} 协议。",
        ),
        counter=(
            "{Hertz:framework} 暂不支持 {HTTP/3:protocol}。",
            "{Hertz:framework} 是否支持 {HTTP/3:protocol}？",
            "{Thrift:protocol} 协议兼容的{序列化:concept}实现",
            "{Kitex:framework} 支持限制最大连接数和最大 {QPS:concept}。",
        ),
    ),
    Rule(
        # "配合 Kitex 使用的高性能网络库 Netpoll": made to be used together with A
        "used-together-with", "integrates_with", rf"<s>(?:一起|一同|共同)?使用的[^{_PUNCT}的]{{0,10}}?<s>",
        before=r"(?:配合|搭配|结合|和|与)\s*", after=r"(?!\s*的)", direction="B->A", sources=COMPONENT, targets=COMPONENT,
        examples=("推出配合 {Kitex:framework} 使用的高性能网络库 {Netpoll:library}。",),
        counter=("没有配合 {Kitex:framework} 使用的网络库 {Netpoll:library}。",
                 "配合 {Kitex:framework} 使用的 {Netpoll:library} 的配置见下文。"),
    ),
    Rule(
        # products joined by "+" work together (a stack: "Flink+RocksDB+MinIO"); a "+" chain that also names a
        # topic in Chinese is a syllabus ("Gin+Kratos+微服务实训"), not products that integrate
        "plus", "integrates_with", r"\s*[+＋]\s*", sources=COMPONENT, targets=COMPONENT, adjacent=True,
        before=r"(?<![\u4e00-\u9fff][+＋])(?<![\u4e00-\u9fff]\s[+＋])\s*$", after=r"(?!\s*[+＋]\s*[\u4e00-\u9fff])",
        examples=("基于 {Docker:tool}+{Kubernetes:platform} 的发布流水线",
                  "新架构({Flink:platform}+{RocksDB:platform}+MinIO)"),
        counter=("{gRPC:protocol} + {Protobuf:protocol} 的组合",
                 "仅3家通过{Gin:framework}+{Kratos:framework}+微服务生产级实训认证"),
    ),
    Rule(
        "supports-en", "integrates_with", r"\s*(?:also\s+|natively\s+)?(?:supports|integrates\s+with|works\s+with|interoperates\s+with)\s+(?:the\s+)?",
        sources=COMPONENT, targets=COMPONENT,
        examples=("{Kitex:framework} integrates with {Nacos:platform} out of the box.",),
        counter=("{Kitex:framework} does not support {Nacos:platform}.",),
    ),
    Rule(
        "supports-en-feature", "implements", r"\s*(?:also\s+|natively\s+)?supports\s+(?:the\s+)?",
        sources=COMPONENT | PROTOCOL, targets=IDEA | PROTOCOL,
        examples=("{Hertz:framework} supports {HTTP/2:protocol} natively.",),
        counter=("{Hertz:framework} will support {HTTP/3:protocol} next year.",),
    ),
    # ---- alternative_to ----
    Rule(
        "versus", "alternative_to", r"\s*(?:vs\.?|versus|对比|对阵|PK)\s*",
        examples=("压测结果：{Hertz:framework} vs {Gin:framework}",),
        counter=("{Hertz:framework} vs {Redis:platform}",),
    ),
    Rule(
        "compared-to", "alternative_to", r"<any>(?:相比|相较|对比|比起|相对于|不同于|区别于)(?:于)?<s>",
        examples=("{Hertz:framework} 相比 {Gin:framework} 在高并发下 CPU 更低。",),
        counter=(
            "{Kitex:framework} 相比 {Redis:platform} 没有可比性。",
            "{Saga:pattern}、{TCC:pattern}、{XA:pattern} 相比有各自的适用场景吗？",
        ),
    ),
    Rule(
        "compared-on", "alternative_to",
        r"<s>[，,]<s>(?:在)?(?:性能|吞吐量?|延迟|时延|内存占用|CPU\s*占用|资源占用|效率)(?:上|方面)?<s>(?:相比|相较|比起|相对于)(?:于)?<s>",
        examples=("我们选择了 {Hertz:framework}，性能相较 {Gin:framework} 有明显提升。",),
        counter=("我们选择了 {Hertz:framework}，性能相较 {Redis:platform} 有明显提升。",),
    ),
    Rule(
        "times-of", "alternative_to", r"<any>(?:是|为)<s>",
        after=r"<s>的<s>(?:约|大约|近)?<s>(?:[\d.]+(?:\s*[-~～到至]\s*[\d.]+)?|[一二两三四五六七八九十几数]+)<s>倍",
        examples=("{Hertz:framework} 的吞吐大约是 {Gin:framework} 的 2-3 倍。",),
        counter=("{Hertz:framework} 的吞吐大约是 {Gin:framework} 的一半。",
                 "{Hertz:framework} 的吞吐是 {Redis:platform} 的 3 倍。"),
    ),
    Rule(
        "better-than", "alternative_to", r"<any>(?:比|优于|胜过|强于|快于|不如)<s>",
        before=r"(?:^|(?<![的\s]))\s*",  # "长连接的水平扩展能力不如 B": A only qualifies what is compared
        after=r"(?:<s>(?:更|还|要|快|慢|好|差|高|低|轻|重|少|多|稳|简单|复杂|[\d.]+))?", negated=True,
        examples=(
            "{sonic:library} 比 {easyjson:library} 快了将近一倍。",
            "{zerolog:library} 的分配次数比 {zap:library} 少。",
        ),
        counter=("{sonic:library} 比 {JSON:protocol} 快。",),
    ),
    Rule(
        "alternative-of", "alternative_to", r"<adv>(?:<be>|作为|看作|看成|视为|视作|当作|当成|算是)<s>",
        after=r"<s>的?<s>(?:一种|一个|一款)?<s>[^，,。；;]{0,10}?(?:替代|替换|备选|平替)(?:方案|品|选择|选项|实现)?",
        examples=("{Saga:pattern} 是 {2PC=Two-Phase Commit:pattern} 的一种替代方案。",
                  "{Netwick:library} 是 {Netpoll:library} 的替代品。",
                  "{SSE:protocol}（Server-Sent Events）是 {WebSocket:protocol} 的一个更轻量的替代方案。",
                  "{Fengling:library} 可以作为 {gorilla/websocket:library} 的直接替代。",
                  "{Weirline:platform} 可以看作 {Istio:platform} 控制面的一个替代方案。",
                  "{Shoalmark:platform} 就是 {Consul:platform} 服务发现部分的替代品。"),
        counter=("{Saga:pattern} 不是 {2PC=Two-Phase Commit:pattern} 的替代方案。",
                 "{Saga:pattern} 是 {2PC=Two-Phase Commit:pattern} 的补充。"),
    ),
    Rule(
        "replaces", "alternative_to",
        r"<adv>(?:可以|能够|可|能|逐步|完全|已经|正在|直接|拿来|用来){0,3}<s>(?:替代|取代|代替|替换|替换掉|平替|替换为|换成|迁移到|迁移至|切换到|切换至|转向|转到|升级到|升级为)了?<s>",
        examples=(
            "团队用 {Hertz:framework} 逐步替换掉了 {Gin:framework}。",
            "去年我们从 {Consul:platform} 迁移到 {Nacos:platform}。",
            "{Fennmoor:platform} 基本上可以拿来替换 {Nacos:platform} 的配置管理部分。",
        ),
        counter=(
            "{Hertz:framework} 不能完全替代 {Gin:framework}。",
            "明年计划从 {Consul:platform} 迁移到 {Nacos:platform}。",
        ),
    ),
    Rule(
        "instead-of", "alternative_to", r"<s>(?:而不是|而非|而不用|而不选择|rather than|instead of)<s>", negated=True,
        # "更接近 A 而不是 B" says what a third thing resembles, not that A and B replace each other
        before=r"(?<!接近)(?<!接近 )(?<!像)(?<!像 )(?<!类似)(?<!类似 )(?<!类似于)(?<!类似于 )",
        examples=("这里选择 {Nacos:platform} 而不是 {Eureka:platform}。",),
        counter=("这里选择 {Nacos:platform} 而不是 {gRPC:protocol}。",
                 "它的存储布局更接近 {LevelDB:library} 而不是 {BadgerDB:library}。"),
    ),
    Rule(
        "versus-en", "alternative_to", r"\s*(?:compared\s+(?:to|with)|is\s+an\s+alternative\s+to|replaces|instead\s+of)\s+(?:the\s+)?",
        examples=("{Hertz:framework} compared to {Gin:framework} uses less memory.",),
        counter=("{Hertz:framework} compared to {Redis:platform} is a different thing.",),
    ),
    # ---- uses ----
    Rule(
        "adopts-pattern", "implements", r"<adv>(?:采用|基于|遵循|借鉴)了?<obj>", sources=SOFTWARE, targets=frozenset({"pattern"}),
        examples=("{Netpoll:library} 采用 {Reactor:pattern} 模型处理连接。",),
        counter=("{Netpoll:library} 没有采用 {Reactor:pattern} 模型。",),
    ),
    Rule(
        # a framework's feature: "基于 Kitex 的服务治理" -> Kitex implements it
        "idea-based-on", "implements", rf"<s>(?:开发|构建|实现|打造|封装)?的(?:[^{_PUNCT}的]{{0,6}}?的?)?<s>",
        before=r"(?:基于|构建于|建立在|建立于)\s*", sources=frozenset({"framework"}), targets=IDEA,
        # the idea is the head of its phrase, not the modifier of a product ("基于 Netpoll 的 RPC 框架")
        after=_IDEA_HEAD,
        examples=("这里讲的是基于 {Kitex:framework} 的{服务治理:concept}。",),
        counter=("这里讲的是基于 {Kitex:framework} 的{服务治理:concept}吗？",
                 "基于 {Kitex:framework} 的{可观测性:concept}扩展。",
                 "基于{go-micro:framework}或Kratos的轻量级{服务网格:pattern}雏形"),
    ),
    Rule(
        # an idea built on a library, tool or platform uses it: "基于 DynamicGo 的泛化调用", "基于 Redis 的分布式锁"
        "idea-built-on", "uses", rf"<s>(?:开发|构建|实现|打造|封装)?的(?:[^{_PUNCT}的]{{0,6}}?的?)?<s>",
        before=r"(?:基于|构建于|建立在|建立于)\s*", direction="B->A", sources=IDEA,
        targets=frozenset({"library", "tool", "platform"}), after=_IDEA_HEAD,
        examples=("这里用的是基于 {Redis:platform} 的{分布式锁:pattern}。",
                  "#### 基于 {DynamicGo:library} 的{泛化调用:concept}"),
        counter=("这里用的是基于 {Redis:platform} 的{分布式锁:pattern}吗？",
                 "基于 {OpenTelemetry:tool} 的{可观测性:concept}扩展。"),
    ),
    Rule(
        # "泛化调用是通过扩展 PayloadCodec 实现的": a feature realised through a component is built on it
        "idea-realised-through", "uses", r"<adv>(?:也|都|就)?(?:是)?(?:通过|借助|依靠|利用)(?:扩展|使用|调用|封装)?<s>",
        after=r"<s>(?:来|去)?<s>(?:实现|完成|支持)", sources=IDEA, targets=COMPONENT | PROTOCOL,
        examples=("特别地，Kitex 的{泛化调用:concept}也是通过扩展 {PayloadCodec:library} 实现：",
                  "{熔断:pattern}通过 {middleware:library} 来实现。"),
        counter=("{泛化调用:concept}不是通过 {PayloadCodec:library} 实现的。",
                 "{泛化调用:concept}可以通过 {Kitex:framework} 发起请求。"),
    ),
    Rule(
        # "为了能支持连接多路复用、感知连接状态，自研了网络库 Netpoll": what was built to support B provides it
        "built-for", "implements",
        r"(?:[、][^，,。；;]{0,8}?)?[，,]\s*(?:我们|团队)?(?:又|便|就)?(?:自研|自主研发|研发|开发|推出|打造|设计)了?[^，,。；;]{0,8}?",
        before=r"为了[^。；;]{0,24}?(?:支持|实现|提供)\s*", direction="B->A", sources=SOFTWARE, targets=IDEA,
        examples=("同时为了在网络通信上有更好的性能并能支持{连接多路复用:pattern}、感知连接状态，自研了网络库 {Netpoll:library}。",
                  "为了支持{服务发现:concept}，我们开发了 {Foo:library}。"),
        counter=("为了支持{连接多路复用:pattern}，我们没有自研 {Netpoll:library}。",
                 "{连接多路复用:pattern}很重要，自研了 {Netpoll:library}。"),
    ),
    Rule(
        "used-by", "uses", r"<adv>被<adv>", after=r"<s>(?:[^\s，,。；;]{0,4}?)(?:使用|依赖|调用|采用|引用|集成)", direction="B->A",
        sources=COMPONENT | PROTOCOL | {"pattern"}, targets=COMPONENT | PROTOCOL | {"pattern"},
        examples=("{Netpoll:library} 被 {Kitex:framework} 广泛使用。",),
        counter=("{Netpoll:library} 没有被 {Kitex:framework} 使用。",),
    ),
    Rule(
        "serves", "uses", r"<adv>(?:为|给)<s>", after=r"<s>(?:提供|带来)", direction="B->A",
        sources=COMPONENT | PROTOCOL | {"pattern"}, targets=COMPONENT | PROTOCOL | {"pattern"},
        examples=("{Netpoll:library} 为 {Kitex:framework} 提供了高性能的网络层。",),
        counter=("{Netpoll:library} 不再为 {Kitex:framework} 提供网络层。",),
    ),
    Rule(
        "based-on-the", "uses", rf"<s>(?:开发|构建|实现|打造|编写|封装)?的(?:[^{_PUNCT}的]{{0,6}}?的?)?<s>", before=r"(?:基于|构建于|建立在|建立于)\s*",
        direction="B->A", sources=USER, targets=COMPONENT | PROTOCOL | IDEA,
        # "基于 Netpoll 的 HTTP/2 实现": an implementation of B, not B; "JSON 解码器": a decoder for B; "服务网格雏形":
        # a prototype of B
        after=r"(?!\s*(?:实现|扩展|插件|版本|适配|解码器|编码器|编解码器|解析器|序列化器|雏形|原型|示例|样例|demo))",
        examples=(
            "基于 {Netpoll:library} 的 {Kitex:framework} 在长连接场景下表现很好。",
            "团队内部用的是基于 {Kratos:framework} 封装的 {kratos-layout:tool} 脚手架。",
        ),
        counter=(
            "基于 {Netpoll:library} 的 {RPC:concept} 框架很多。",
            "使用 {DynamicGo:library} 的 {Thrift:protocol} 接口可以提速。",
            "关键优化包括基于{sync.Pool:library}的{JSON:protocol}解码器缓存。",
        ),
    ),
    Rule(
        # "基于自研网络库 Netpoll 开发内部框架 Hertz": what is developed on A uses A
        "developed-on", "uses", rf"<s>(?:开发|研发|构建|打造)(?:了|出)?[^{_PUNCT}的]{{0,8}}?<s>",
        before=rf"(?:基于|基於)[^{_PUNCT}基的]{{0,8}}?\s*",
        direction="B->A", sources=COMPONENT, targets=COMPONENT | PROTOCOL,
        after=r"(?!\s*的?\s*(?:插件|扩展|中间件|示例|样例|demo|Demo))",
        examples=("开始基于自研网络库 {Netpoll:library} 开发内部框架 {Hertz:framework}，",),
        counter=("我们基于 {Kitex:framework} 开发了 {Sentinel:library} 的插件。",
                 "不要基于 {Netpoll:library} 开发 {Hertz:framework}。"),
    ),
    Rule(
        "based-on", "uses", r"<adv>(?:基于|基於|构建于|建立在|建立于|构建在|采用|选用)(?![^，,。；;]*?(?:在|做|来))<obj>",
        after=r"(?:<s>(?:之上|为基础|为底座|实现|构建|开发|封装|打造))?",
        sources=USER, examples=(
            "{Kratos:framework} 的传输层基于 {gRPC:protocol} 实现。",
            "{Kratos:framework} 采用 {Consul:platform} 做服务发现。",
        ),
        counter=(
            "Mistlark 的 {Kafka:platform} 驱动基于 {sarama:library}，支持消费组。",
            "{Kratos:framework} 不是基于 {gRPC:protocol} 实现的。",
            "{gRPC:protocol} 可采用流控在传输层面做{流量限制:pattern}。",
            "未来 {Kratos:framework} 将基于 {QUIC:protocol} 实现传输层。",
            "{Kratos:framework}、{gRPC:protocol}、{Consul:platform} 是本文用到的组件。",
        ),
    ),
    Rule(
        "extension-based-on", "integrates_with", r"<adv>(?:提供|实现|内置|开发)了?<s>(?:一个|一套|多个)?<s>基于<s>",
        after=rf"<s>(?:和|与|及)?[^{_PUNCT}]{{0,20}}?的<s>[^{_PUNCT}]{{0,8}}?(?:扩展|拓展|插件|适配|集成|支持|实现)",
        sources=COMPONENT, targets=COMPONENT,
        examples=("{Kitex:framework} 提供了基于 {Prometheus:tool} 的监控扩展。",),
        counter=("{Kitex:framework} 暂未提供基于 {Prometheus:tool} 的监控扩展。",),
    ),
    Rule(
        "wraps", "uses", r"<adv>(?:可以理解为)?<be>?<s>(?:对于?)<s>(?:[^，,。；;：:的]{1,12}?(?:与|和|及|以及|、)<s>)?",
        after=r"<s>(?:[^，,。；;：:、的]{0,8}?)?的<s>(?:[^，,。；;：:、的]{0,4}?)(?:封装|包装|组合|二次开发)",
        sources=COMPONENT,  # not "HTTP 框架是对 Gin 的封装": there HTTP only qualifies the framework
        examples=("{go-redis:library} 是对 {Redis 协议:protocol}的封装。",
                  "{CBSuite:library} 可以理解为是对于 Option 和 {Middleware:pattern} 的组合和封装。"),
        counter=("{go-redis:library} 不是对 {Redis 协议:protocol}的封装。",),
    ),
    Rule(
        "underneath", "uses", r"<s>(?:的)?(?:底层|网络层|传输层|存储层|序列化层|内核|引擎|数据面|数据平面|后端|存储后端)(?:用的|使用的|采用的)?(?:是|为)<s>",
        sources=COMPONENT | PROTOCOL, targets=COMPONENT | PROTOCOL | {"pattern"},
        examples=("{Hertz:framework} 的网络层是 {Netpoll:library}。",
                  "{Istio:platform} 的数据面是 {Envoy:platform}，控制面是 istiod。"),
        counter=("{Hertz:framework} 的网络层不是 {Netpoll:library}。",),
    ),
    Rule(
        # "Zhamen 以插件形式内置在 Paifang 中": built into a product, so a part of it
        "built-into", "part_of", r"<adv>(?:以[^，,。；;]{0,6}?(?:形式|方式))?<s>(?:内置|嵌入|打包|集成)(?:在|于|到|进)<s>",
        after=r"<s>(?:的)?[^，,。；;]{0,6}?(?:中|里|内|之中)", sources=COMPONENT | IDEA, targets=COMPONENT,
        examples=("{Zhamen:library}（闸门）以插件形式内置在 {Paifang:platform} 中。",),
        counter=("{Zhamen:library} 没有内置在 {Paifang:platform} 中。",),
    ),
    Rule(
        # "Zhamen 就是 Paifang 对边缘限流的实现": the implementation of an idea, whoever it is for
        "implementation-for", "implements", r"<adv><be><s>[^，,。；;]{0,12}?(?:对|针对)<s>",
        after=r"<s>(?:的)?<s>(?:实现|落地)", sources=SOFTWARE, targets=IDEA,
        examples=("{Zhamen:library} 就是 Paifang 对{边缘限流=Edge Rate Limiting:pattern}的实现。",),
        counter=("{Zhamen:library} 不是 Paifang 对{边缘限流=Edge Rate Limiting:pattern}的实现。",),
    ),
    Rule(
        # "把 RBAC 策略的求值委托给 Casbin", "交给 Chimewheel 做延迟重试": hands work to another product
        "delegates-to", "uses", rf"<adv>(?:会|可以|则)?<s>(?:把|将)?[^{_PUNCT}]{{0,16}}?(?:委托给|交给|交由|转交给)<s>",
        sources=COMPONENT, targets=COMPONENT,
        examples=("{Menshen:library} 把 RBAC 策略的求值委托给 {Casbin:library}。",
                  "{Ebbwatch:tool} 把它们交给 {Chimewheel:tool} 做延迟重试。"),
        counter=("{Menshen:library} 没有把策略求值委托给 {Casbin:library}。",),
    ),
    Rule(
        # reads from, queries or subscribes to another product: "Tanlu 会定期查询 Prometheus 中的错误率"
        "reads-from", "uses", r"<adv>(?:会|可以|能|也能|直接|定期|实时)*<s>(?:读取|查询|订阅|拉取|监听|轮询|消费|去查)了?<obj>",
        after=r"(?!\s*(?:的|协议|格式))", sources=COMPONENT, targets=COMPONENT,
        examples=("{Tanlu:tool} 会定期查询 {Prometheus:tool} 中新旧两个版本的错误率。",
                  "观察期里 {Ripplestep:library} 会去查 {Prometheus:platform}，拿用户配置的 PromQL 表达式判断。",
                  "{Ebbwatch:tool} 直接订阅 {MySQL:platform} binlog，而不是轮询 outbox 表。"),
        counter=("{Tanlu:tool} 不会查询 {Prometheus:tool}。",),
    ),
    Rule(
        # reads what another product holds: "Ebbgate 做路由决策时，直接读 Shoalmark 里的实例元数据"
        "reads-in", "uses", r"<adv>(?:会|可以|能|也能|直接|定期|实时)*<s>(?:读|查|问)<s>", after=r"<s>(?:里|中|上)(?:的|存的)",
        sources=COMPONENT, targets=COMPONENT,
        examples=("{Ebbgate:tool} 做路由决策时，直接读 {Shoalmark:platform} 里的实例元数据。",),
        counter=("{Ebbgate:tool} 不读 {Shoalmark:platform} 里的实例元数据。",),
    ),
    Rule(
        # "从 Consul 拉取实例列表", "从 etcd 读取配置"
        "fetches-from", "uses", r"<adv>(?:会|可以|能|也能|也|还|直接|定期)*<s>从<s>",
        after=r"<s>(?:中|里|上)?<s>[^，,。；;]{0,10}?(?:拉取|读取|获取|订阅|加载|同步|下载|拿|读)",
        sources=COMPONENT, targets=COMPONENT,
        examples=("{Paifang:platform} 也能从 {Consul:platform} 拉取实例列表并订阅其变更。",
                  "{Weirline:platform} 会从 {Shoalmark:platform} 拿实例列表。"),
        counter=("{Paifang:platform} 不能从 {Consul:platform} 拉取实例列表。",),
    ),
    Rule(
        # "Ebbwatch 的位点存储在 Shalestore 中"
        "stored-in", "uses", rf"<adv>(?:的)?[^{_PUNCT}]{{0,8}}?(?:存储|保存|存放|持久化|落盘|缓存|写入)(?:在|到|于|进)<s>",
        after=r"<s>(?:中|里|内|上|之中)?", sources=COMPONENT, targets=COMPONENT,
        examples=("{Ebbwatch:tool} 的位点存储在 {Shalestore:library} 中，而不是 MySQL 或 etcd。",),
        counter=("{Ebbwatch:tool} 的位点没有存储在 {Shalestore:library} 中。",),
    ),
    Rule(
        # "这就是 Sluiceway 实现的至少一次投递": what a product implements, named after it
        "implemented-idea", "implements", r"<adv>(?:所)?实现的<s>",
        after=r"(?!\s*(?:客户端|服务端|库|框架|插件|扩展|版本|代码|接口|方法|函数))", sources=SOFTWARE, targets=IDEA | PROTOCOL,
        examples=("这就是 {Sluiceway:library} 实现的{至少一次投递=At-least-once:concept}：消息可能重复。",),
        counter=("这不是 {Sluiceway:library} 实现的{至少一次投递=At-least-once:concept}。",
                 "{Kitex:framework} 实现的 {gRPC:protocol} 客户端性能更好。"),
    ),
    Rule(
        # a part of a product is built on another: "TFP 的负载统一采用 Protobuf 编码", "Kelpstore 的底层存储引擎是
        # Pebble" (not "A 的吞吐是 B 的 2 倍", "A 的替代品是 B")
        "part-uses", "uses",
        rf"<s>的<s>(?![^{_PUNCT}]{{0,6}}?(?:替代|竞品|对手|前身|继任|上游|下游|用户|客户|作者|团队|缺点|优点|区别|差异|对比|兼容|替换|选型|名字|名称|版本))"
        rf"[^{_PUNCT}的被把给让了是由]{{1,8}}?<s>(?:之间)?<s>(?:都|均|统一|全部|默认|也|直接|底层)*<s>(?:是|采用|使用|用的(?:也|就|都)?是|依赖|基于|通过|走)<s>",
        after=r"(?!\s*的)", sources=COMPONENT | PROTOCOL, targets=COMPONENT | PROTOCOL,
        examples=("{TFP:protocol} 的负载统一采用 {Protobuf:protocol} 编码，新旧客户端可以互相兼容。",
                  "{Kelpstore:library} 的底层存储引擎是 {Pebble:library}，这是一个 LSM-tree 键值存储。",
                  "{Tidewire:framework} 的组件之间统一通过 {gRPC:protocol} 调用。",
                  "{Knotwell:framework} 的二阶段消息模式底层依赖 {Ebbwatch:library}。",
                  "{Cairnsync:library} 的 controller 用的也是 {Shoalcache:library}。"),
        counter=("{Redis:platform} 的替代品是 {KeyDB:platform}。",
                 "{TFP:protocol} 的负载没有采用 {Protobuf:protocol} 编码。",
                 "{Hertz:framework} 的吞吐大约是 {Gin:framework} 的一半。"),
    ),
    Rule(
        # "Sluiceway 的会话序号由 seqkeeper 分配": a part of a product is made by another
        "part-made-by", "uses",
        rf"<s>的<s>[^{_PUNCT}的被把给让了是由]{{1,8}}?<s>(?:都|均|统一|全部|默认|也)*<s>由<s>",
        after=r"<s>(?:负责)?<s>(?:分配|生成|维护|完成|提供|处理|计算|管理|存储|保存|持久化|签发)",
        sources=COMPONENT | PROTOCOL, targets=COMPONENT | PROTOCOL,
        examples=("{Sluiceway:library} 的会话序号由 {seqkeeper:library} 分配。",),
        counter=("{Sluiceway:library} 的会话序号不由 {seqkeeper:library} 分配。",
                 "{Sluiceway:library} 的会话序号由 {seqkeeper:library}。"),
    ),
    Rule(
        # "Shoalcache 是对 client-go Informer 的编排", "在 controller-runtime 的基础上改出来的": built over another
        "built-over", "uses", r"<adv>(?:<be>)?<s>(?:对|在)<s>",
        after=r"<s>的<s>(?:(?:二次)?封装|编排|包装|抽象|增强|改造|基础上)",
        sources=COMPONENT | PROTOCOL, targets=COMPONENT | PROTOCOL,
        examples=("{Shoalcache:library} 没有发明新的机制，它是对 {Informer:library} 的编排。",
                  "{Wickgate:library} 最早就是在 {controller-runtime:library} 的基础上改出来的。"),
        counter=("{Shoalcache:library} 不是对 {Informer:library} 的编排。",
                 "{Shoalcache:library} 对 {Informer:library} 的依赖很少。"),
    ),
    Rule(
        # "Wherry SDK 会按指数退避重连": the mechanism a product acts by
        "acts-by", "uses", r"<adv>(?:会|都|默认|总是|则|也|就)*<s>(?:按|按照|依照|依据)<s>",
        after=r"<s>(?:的?(?:方式|策略|算法|规则))?<s>(?:来|去)?<s>(?:重连|重试|重投|退避|淘汰|分片|路由|选主|限流|调度|分配|扩容|采样|刷新|回收|合并|压缩|同步|等待)",
        sources=COMPONENT, targets=IDEA,
        examples=("断线后 {Wherry SDK:library} 会按{指数退避=Exponential Backoff:pattern}重连。",),
        counter=("断线后 {Wherry SDK:library} 不会按{指数退避=Exponential Backoff:pattern}重连。",
                 "{Wherry SDK:library} 按{会话:concept}展示消息。"),
    ),
    Rule(
        # "用 berthbench 对 Berthgate 做一次容量评估", "用 pprof 抓了 Berthgate 的 CPU profile"
        "measured-with", "measures", r"<s>(?:对|给|抓了?|采了?)<s>", before=r"(?:用|使用|借助|通过)\s*",
        after=r"<s>(?:(?:做|进行)了?<s>[^，,。；;]{0,8}?(?:评估|压测|测试|分析|剖析|诊断|测量|基准测试|profiling|benchmark)|的?[^，,。；;]{0,12}?(?:profile|火焰图|trace|堆栈|快照))",
        sources=frozenset({"tool", "library"}), targets=COMPONENT,
        examples=("上线前请用 {berthbench:tool} 对 {Berthgate:library} 做一次容量评估。",
                  "事后我们用 {pprof:tool} 抓了 {Berthgate:library} 在事故时段的 CPU profile。"),
        counter=("上线前不用 {berthbench:tool} 对 {Berthgate:library} 做容量评估。",
                 "我们用 {Helm:tool} 对 {Berthgate:library} 做部署。"),
    ),
    Rule(
        # "背压机制正是为慢消费者问题准备的": what an idea was made for
        "made-for", "solves", r"<s>(?:机制|模式|算法|策略)?<s>(?:正是|就是|专门|正)?<s>为(?:了)?<s>",
        after=r"<s>(?:问题|场景)?<s>(?:而)?(?:准备|设计|而生)",
        sources=IDEA | COMPONENT, targets=IDEA,
        examples=("{背压=Backpressure:concept}机制正是为{慢消费者=Slow Consumer:concept}问题准备的。",),
        counter=("{背压=Backpressure:concept}机制不是为{慢消费者=Slow Consumer:concept}问题准备的。",),
    ),
    Rule(
        # "Tidewire 的所有组件都暴露 Prometheus 指标": metrics in another product's format
        "exposes-metrics", "integrates_with",
        rf"<adv>(?:的[^{_PUNCT}的]{{1,6}}?)?(?:都|会|均|默认|也)*<s>(?:暴露|导出|上报|输出)了?<s>",
        after=r"<s>(?:格式的?)?<s>(?:指标|metrics)", sources=COMPONENT, targets=COMPONENT,
        examples=("{Tidewire:framework} 的所有组件都暴露 {Prometheus:tool} 指标。",),
        counter=("{Tidewire:framework} 的组件不暴露 {Prometheus:tool} 指标。",),
    ),
    Rule(
        # "Kong 的数据面运行在 Nginx 之上", "Paifang 运行在 Kubernetes 上"
        "runs-on", "uses", r"<adv>(?:的[^，,。；;的]{1,6})?<s>(?:运行|部署|跑|托管|构建|建立)(?:在|于)<obj>",
        after=rf"<s>(?:之上|上面|上|中|里|内|[^{_PUNCT}的]{{1,4}}?(?:之上|上面|上))", sources=COMPONENT | PROTOCOL, targets=COMPONENT | PROTOCOL,
        examples=("{Kong:platform} 的数据面运行在 {Nginx:platform} 之上，插件传统上用 Lua 编写。",
                  "{RCP:protocol} 其实就是跑在 {gRPC:protocol} 双向流上的一套增量推送协议。",
                  "{Qilou:framework} 直接构建在标准库 {net/http:library} 之上。"),
        counter=("{Kong:platform} 的数据面不运行在 {Nginx:platform} 之上。",
                 "服务作为普通的 {HTTP/2:protocol} 服务运行在 {Istio:platform} 网格中，由 Envoy 代理流量。"),
    ),
    Rule(
        "foundation", "uses", r"<adv>以<s>", after=rf"<s>(?:为|作为)[^{_PUNCT}]{{0,6}}?(?:基础|底座|核心|基石)",
        sources=USER, examples=(
            "{Kratos:framework} 以 {gRPC:protocol} 为基础构建传输层。",
            "{Kratos:framework} 以 {Protobuf:protocol} 为接口定义的核心。",
        ),
        counter=("{Kratos:framework} 以 {gRPC:protocol} 的方式暴露接口。",),
    ),
    Rule(
        # "Cairnsync 按照 GitOps 的思路工作": works the way an idea says
        "follows-idea", "implements", r"<adv>(?:按照|遵循|沿用|践行)<s>", after=r"<s>的?<s>(?:思路|方式|理念|原则|模式|范式)",
        sources=SOFTWARE | {"platform"}, targets=IDEA,
        examples=("{Cairnsync:library} 是多集群配置同步组件，它按照 {GitOps:pattern} 的思路工作。",),
        counter=("{Cairnsync:library} 没有按照 {GitOps:pattern} 的思路工作。",),
    ),
    Rule(
        # a product's own component, command-line tool or language: "Rego 是 OPA 的策略语言", "调和循环是 Operator
        # 模式的核心" (not its library or engine: "Netpoll 是 Kitex 的网络库" names a product Kitex uses)
        "owned-part", "part_of", r"<adv><be><s>",
        after=r"<s>的<s>(?:[^，,。；;的]{0,6}?(?:组件|子模块|模块|命令行工具|命令行|CLI|控制台|语言|子系统|子项目|调度器|控制器)|核心)(?:之一)?<end>",
        sources=ANY - {"language"}, targets=COMPONENT | IDEA,
        examples=("{调和循环:concept}（reconcile loop）是 {Operator 模式:pattern}的核心：控制器不断比较期望状态。",
                  "{Regolith:concept} 是 {OPA:tool} 的策略语言，本质上是一门声明式语言。"),
        counter=("{Netpoll:library} 是 {Kitex:framework} 的网络库。",
                 "{调和循环:concept}不是 {Operator 模式:pattern}的核心。"),
    ),
    Rule(
        # "Thrumgun 用 HdrHistogram 记录延迟": the instrument of a verb that says what it is used for
        "uses-to", "uses", r"<adv>(?:会|都|也|还|则|就|直接|默认|主要|一般|通常)*<s>用<s>",
        after=r"<s>(?:来|去)?<s>(?:实现|完成|记录|存储|保存|存放|管理|处理|解析|计算|统计|传输|通信|序列化|编码|解码|生成|构建|调度|采集|上报|缓存|加锁|压测|打包|编排|校验|签名|扫描)",
        sources=USER, targets=COMPONENT | PROTOCOL | {"pattern"},
        examples=("至于延迟数据本身，{Thrumgun:tool} 用 {HdrHistogram:library} 记录，高精度且内存占用固定。",
                  "{Paifang:platform} 用{一致性哈希:pattern}实现这一点。"),
        counter=("{Thrumgun:tool} 不用 {HdrHistogram:library} 记录延迟。",
                 "{Thrumgun:tool} 用法跟 {vegeta:tool} 差不多。"),
    ),
    Rule(
        # "Lanternstore 也可以注册成 Grafana 的数据源": plugged into another product as its source or backend
        "registers-as", "integrates_with", r"<adv>(?:可以|能|也能|也可以|支持)?<s>(?:注册成|注册为|配置成|配置为|接入为|接成)<s>",
        after=r"<s>的<s>(?:数据源|后端|存储后端|插件|数据后端|exporter)", sources=COMPONENT, targets=COMPONENT,
        examples=("{Lanternstore:platform} 也可以注册成 {Grafana:tool} 的数据源。",),
        counter=("{Lanternstore:platform} 还不能注册成 {Grafana:tool} 的数据源。",),
    ),
    Rule(
        # built with another product: "Paifang 网关本身就是用 Qilou 写成的"
        "written-with", "uses", r"<adv>(?:是)?(?:用|使用|基于)<s>",
        after=r"<s>(?:框架|库)?<s>(?:写成|编写|开发|构建|写)的?", sources=COMPONENT, targets=SOFTWARE,
        examples=("{Paifang:platform} 网关本身就是用 {Qilou:framework} 写成的。",),
        counter=("{Paifang:platform} 不是用 {Qilou:framework} 写成的。",
                 "{Paifang:platform} 的插件是用 {Lua:language} 编写的。"),
    ),
    Rule(
        "uses", "uses",
        r"<adv>(?:(?:通过|借助)?(?:使用了?|利用|调用|引入了?|内嵌了?)|用到了?|依赖于?|借助于?|通过|依靠|(?:使用|采用|用|依赖|靠)的(?:就|正|也|其实|都)?是"
        r"|(?<=直接)用的|(?:默认|都|统一|一律)走|走的(?:就|也|都)?是)<obj>",
        sources=USER, targets=COMPONENT | PROTOCOL | {"pattern"},
        examples=(
            "{Hertz:framework} 默认使用自研的高性能网络库 {Netpoll:library}。",
            "{Saga:pattern}通过一系列本地事务与{补偿:pattern}操作保证一致性。",
            "{Hertz:framework} 默认使用的是 {Netpoll:library}。",
            "{go-zero:framework} 用的就是 {P2C:pattern}，配合 EWMA 算延迟。",
            "{Hertz:framework} 通过使用 {cors:library} 中间件，为客户端提供了跨源访问的能力。",
            "{Fennmoor:platform} 默认走{长轮询:pattern}，超时 30s。",
            "{Fennmoor:platform} 的存储直接用的 {etcd:platform}，没有自己造轮子。",
            "{熔断器:pattern}统计错误率靠的是{滑动窗口:pattern}。",
            "{Nettlecheck:library} 内嵌了 {Open Policy Agent:tool} 的 Go SDK，在进程内直接求值。",
        ),
        counter=(
            "{Hertz:framework} 在这种场景下不使用 {Netpoll:library}，而是使用标准库。",
            "{Hertz:framework} 使用 {Go:language} 编写。",
            "支持 {两阶段提交:pattern}、{TCC:pattern} 等模式，使用 {gRPC:protocol} 通信。",
            "{Kitex:framework} 使用的配置见 https://example.com/{Nacos:platform}/docs 。",
            "{Fennmoor:platform} 默认不走{长轮询:pattern}。",
            "后续 {Kitex Tool:tool} 将默认内嵌 {Thriftgo:library} SDK，就不再需要单独安装。",
        ),
    ),
    Rule(
        # a product that uses a technique or a data structure: "Shalestore 使用 WAL 保证崩溃后不丢数据"
        "uses-technique", "uses", r"<adv>(?:(?:通过|借助)?(?:使用了?|利用|引入了?)|用到了?|依赖于|(?:使用|采用|用|依赖)的是)<obj>",
        after=r"(?!\s*的)", sources=SOFTWARE, targets=frozenset({"concept"}),  # "使用高性能的网络库": 高性能 qualifies
        examples=("{Shalestore:library} 使用 {WAL:concept} 保证崩溃后不丢位点。",),
        counter=("{Shalestore:library} 没有使用 {WAL:concept}。",
                 "{Kitex:framework} 使用{高性能=High Performance:concept}的网络库。",
                 "{Go Modules:tool} 依赖治理与{语义化版本=Semantic Versioning:concept}控制"),
    ),
    Rule(
        "uses-en", "uses",
        r"\s*(?:is\s+|are\s+)?(?:uses|use|relies\s+on|depends\s+on|leverages|(?:built|based|implemented|running)\s+(?:on(?:\s+top\s+of)?|upon)|powered\s+by)\s+(?:the\s+)?",
        sources=USER, targets=COMPONENT | PROTOCOL | {"pattern"},
        examples=("{Kratos:framework} is built on top of {gRPC:protocol}.",),
        counter=("{Kratos:framework} is not built on {gRPC:protocol}.",),
    ),
    # ---- a tool named right before the use it is put to: "通过 zap 结构化日志" (in a heading or a bare
    # "Volo 开源" / "Hertz Benchmark" the second word is something done *to* the product, so not there) ----
    Rule(
        "tool-for", "implements", r"\s?", before=r"(?:通过|使用|借助|基于|采用|引入|集成|用)\s*",
        after=r"\s*(?:$|[，,。；;：:!！?？)）]|与|和|、)", sources=SOFTWARE, targets=IDEA,
        examples=("服务日志统一通过 {zap:library} {结构化日志:concept}，每行都带 trace_id。",),
        counter=(
            "新一代框架 {Volo:framework} {开源=Open Source:concept}了！",
            "#### {Hertz:framework} {Benchmark:concept}",
        ),
    ),
    Rule(
        "product-feature", "implements", r"\s?",
        # the feature is the head of the phrase: it ends the heading or clause, joins a list, or is followed by
        # what is done with it ("Prometheus 指标暴露", "Loki日志聚合"), not by another noun ("性能测试报告")
        after=r"\s*(?:$|[，,。；;：:!！?？)）(（]|与|和|及|、|实践|实战|实操|详解|解析|原理|机制|配置|集成|接入|暴露|采集|聚合|上报|能力|功能|支持)",
        sources=COMPONENT, targets=IDEA, exclude=ACTIVITIES | HOSTED | HANDLERS | {"interface"},
        examples=(
            "## {Kratos:framework}{熔断:pattern}与弹性策略实操",
            "### {Prometheus:tool} {指标:concept}暴露",
        ),
        counter=(
            "#### {Hertz:framework} {Benchmark:concept}",
            "推荐阅读：{Kitex:framework} {性能优化=Performance Tuning:concept}实践",
            "新一代框架 {Volo:framework} {开源=Open Source:concept}了！",
            "{Kitex:framework} {代码生成:concept}速度提升了一倍。",
            "A[{k6:tool} {Pod:concept}] -->|HTTP POST| B[Order Service]",
        ),
    ),
    Rule(
        # "Hertz 中间件" is Hertz's middleware; "CORS 中间件", "Context 中间件" are middlewares *for* CORS, context
        "framework-feature", "implements", r"\s?", after=r"\s*(?:$|[，,。；;：:!！?？)）(（]|与|和|及|、)",
        sources=frozenset({"framework"}), targets=IDEA, exclude=ACTIVITIES | HANDLERS,
        examples=("## {Hertz:framework} {中间件=Middleware:pattern}",),
        counter=("#### {Context=context:library} {中间件=Middleware:pattern}",
                 "### {Dubbo:framework} {编解码器=Codec:concept}"),
    ),
    # ---- tables: the header names the things a comparison table compares ----
    Rule(
        # not a mapping ("| 错误 | HTTP | gRPC |": how one error reads in each protocol)
        "table-compared", "alternative_to", r"(?!.*(?:组件|模块|层级|步骤|字段|参数|配置项|目录|文件|错误|错误码|状态码|映射|对应)).*", where="table-header",
        # products, protocols and patterns are compared in a table; plain concepts in a header are its metrics
        sources=ANY - {"concept"}, targets=ANY - {"concept"},
        examples=("| 维度 | {Gin:framework} | {Echo:framework} |\n| --- | --- | --- |\n| 路由 | 基数树 | 基数树 |\n",),
        counter=(
            "| 维度 | {Gin:framework} | {Redis:platform} |\n| --- | --- | --- |\n| 用途 | 路由 | 缓存 |\n",
            "| 版本 | {吞吐量:concept} | {P99:concept} |\n| --- | --- | --- |\n| v1 | 1200 | 35ms |\n",
            "| 错误 | {HTTP:protocol} | {gRPC:protocol} |\n| --- | --- | --- |\n| 未认证 | 401 | UNAUTHENTICATED |\n",
        ),
    ),
    Rule(
        # rows that are the parts of a stack are not weighed against each other
        "table-rows-compared", "alternative_to",
        rf"(?!.*(?:{_STACK_PARTS})).*", where="table-rows", same_type=True,
        sources=COMPONENT | PROTOCOL | {"language"}, targets=COMPONENT | PROTOCOL | {"language"},
        examples=("| 方案 | 注入方式 | 粒度 |\n| --- | --- | --- |\n| {chaos-mesh:tool} | CRD | Pod |\n| {litmus:tool} | CRD | Pod |\n",
                  "| 插件类型 | 触发源 |\n| --- | --- | --- |\n| {Drone:tool} | .drone.yml | YAML |\n| {Argo CD:tool} | CRD | Webhook |\n"),
        counter=("| 组件 | 版本 | 用途 |\n| --- | --- | --- |\n| {Gin:framework} | 1.9 | 路由 |\n| {Echo:framework} | 4.11 | 网关 |\n",
                 "| 依赖 | 版本 | 说明 |\n| --- | --- | --- |\n| {Redis:platform} | 7.0 及以上 | 存放在线租约 |\n| {etcd:platform} | 3.5 | 服务发现 |\n",
                 "| 调用栈（截取） | 前一天 | 出事时 | 变化 |\n|---|---|---|---|\n| {encoding/json:library}.Marshal | 5.2 GB | 6.9 GB | +33% |\n"
                 "| {gRPC:protocol}.(*Server).handleStream | 2.1 GB | 2.3 GB | +9% |\n",
                 "| 热点 | 前一天 | 出事时 | 变化 |\n|---|---|---|---|\n| {encoding/json:library}.Marshal | 5.2 GB | 6.9 GB | +33% |\n"
                 "| {zap:library}.(*Logger).Info | 2.1 GB | 2.3 GB | +9% |\n"),
    ),
    Rule(
        # ideas in rows under a label of kinds are a catalogue of mechanisms that work together (策略类型:
        # 熔断, 限流, 重试 combine), not choices; products in such rows still are (插件类型: Drone, Argo CD)
        "table-rows-compared-ideas", "alternative_to",
        rf"(?!.*(?:{_STACK_PARTS}|{_KINDS})).*", where="table-rows", same_type=True, sources=IDEA, targets=IDEA,
        examples=("| 模式 | 一致性 | 复杂度 |\n| --- | --- | --- |\n| {Saga:pattern} | 最终一致 | 中 |\n| {TCC:pattern} | 最终一致 | 高 |\n",),
        counter=("| 策略类型 | 触发条件 | 恢复行为 |\n| --- | --- | --- |\n| {熔断=Circuit Breaker:pattern} | 连续失败 | 半开探测 |\n"
                 "| {限流=Rate Limiting:pattern} | QPS 超限 | 拒绝请求 |\n",
                 "| 扩展点 | 接口 | 所在包 |\n| --- | --- | --- |\n| {服务注册:concept} | `Registry` | `pkg/registry` |\n"
                 "| {链路追踪:concept} | `Tracer` | `pkg/trace` |\n"),
    ),
    Rule(
        # a selection table: a column of capabilities beside a column of the tools that provide them
        # (| 组件 | 工具 | … | / | 日志 | zerolog | … |); cue: the capability column's label, after: the tool column's
        "table-capability-tool", "implements", r"(?:组件|功能|能力|用途|场景|需求|领域|环节|类别|模块)",
        after=r"(?:推荐|常用|代表|主流|开源)?(?:工具|库|框架|实现|方案|选型|项目)(?:选型)?",
        where="table-columns", direction="B->A", sources=COMPONENT, targets=IDEA,
        examples=("| 组件 | 工具 | 关键命令 |\n|---|---|---|\n| {链路追踪:concept} | {OpenTelemetry:library} | otelhttp.NewHandler() |\n"
                  "| 配置 | viper | viper.ReadInConfig() |\n",),
        counter=("| 组件 | 版本 | 用途 |\n|---|---|---|\n| {链路追踪:concept} | {OpenTelemetry:library} | 1.2 |\n",
                 "| 工具 | 组件 | 说明 |\n|---|---|---|\n| {链路追踪:concept} | {OpenTelemetry:library} | 见下文 |\n"),
    ),
    # ---- mermaid: an arrow between two components is a call; a label is read as a sentence ----
    Rule(
        "mermaid-call", "uses", r"(?!.*(?:不|无|没有|not|no\b)).*", where="mermaid",
        # a request node ("HTTP Request --> Gin Router") flows into a component, it does not use it
        sources=COMPONENT, targets=COMPONENT | PROTOCOL,
        examples=("```mermaid\ngraph LR\n  A[{otelgin:library}] --> B[{OTLP:protocol}]\n```\n",),
        counter=(
            "```mermaid\ngraph LR\n  A[{otelgin:library}] --> B[{链路追踪:concept}]\n```\n",
            "```mermaid\ngraph LR\n  A[{HTTP:protocol} 请求] --> B[{Gin:framework} 路由]\n```\n",
            "```mermaid\ngraph LR\n  A[代码提交] --> B[{Trivy:tool} 扫描]\n  B --> C[{Cosign:tool} 签名]\n  C --> D[发布]\n```\n",
            "```mermaid\ngraph LR\n  A[{Git:tool} Push] --> B{{OPA:tool} Gatekeeper 校验}\n```\n",
        ),
    ),
    # ---- headings: a sub-heading under a chapter about one component ----
    Rule(
        "heading-integrates", "integrates_with", r"(?:如何|怎么)?<s>(?:集成|对接|接入|适配|整合|支持|使用)<s>", where="heading",
        sources=COMPONENT, targets=COMPONENT,
        examples=("# {Kitex:framework} 扩展\n\n## 接入 {Nacos:platform}\n\n在配置文件里写上地址。\n",),
        counter=("# {Kitex:framework} 扩展\n\n## 为什么不接入 {Nacos:platform}\n\n原因见下文。\n",),
    ),
    Rule(
        "heading-integrates-after", "integrates_with", r"<s>", where="heading", after=r"<s>(?:集成|对接|接入|适配|扩展|插件)",
        sources=COMPONENT, targets=COMPONENT,
        examples=("# {Hertz:framework} 第三方扩展\n\n## {Sentry:platform} 集成\n\n按下面的步骤配置。\n",),
        counter=("# {Hertz:framework} 第三方扩展\n\n## {Sentry:platform} 简介\n\n按下面的步骤配置。\n",),
    ),
    Rule(
        "heading-implements", "implements", r"(?:如何|怎么)?<s>(?:支持|实现|内置|使用)<s>", where="heading",
        sources=SOFTWARE, targets=IDEA | PROTOCOL,
        examples=("# {Kitex:framework} 进阶\n\n## 支持 {gRPC:protocol}\n\n开启方式如下。\n",),
        counter=("# {Kitex:framework} 进阶\n\n## 计划支持 {QUIC:protocol}\n\n开启方式如下。\n",),
    ),
    Rule(
        # "3.1 Kratos 分层设计与 Protobuf 契约" > "Protobuf 契约即文档": a section about A together with B,
        # and a sub-section opening with B
        "heading-section-pair", "uses", r"<s>", where="heading", parent=rf"[^{_PUNCT}]{{0,12}}?(?:与|和|及|\+|＋)<s>",
        sources=COMPONENT, targets=SOFTWARE | PROTOCOL | {"platform"},
        examples=("## {Kitex:framework} 服务与 {Thrift:protocol} 编解码\n\n### {Thrift:protocol} IDL 规范\n\n先写 IDL。\n",),
        counter=("## {Kitex:framework} 服务治理\n\n### {Thrift:protocol} IDL 规范\n\n先写 IDL。\n",),
    ),
    Rule(
        "heading-uses", "uses", r"(?:如何|怎么)?<s>(?:基于|采用)<s>", where="heading",
        sources=COMPONENT, targets=COMPONENT | PROTOCOL | {"pattern"},
        examples=("# {Kratos:framework} 实践\n\n## 基于 {Protobuf:protocol} 定义接口\n\n先写 proto。\n",),
        counter=("# {Kratos:framework} 实践\n\n## {Protobuf:protocol} 定义接口\n\n先写 proto。\n",),
    ),
)

_BY_WHERE: dict[str, tuple[Rule, ...]] = {w: tuple(r for r in RULES if r.where == w) for w in WHERE}
