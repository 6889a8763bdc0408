"""The engine never crashes: generated, mutated, huge and deeply nested source give findings.

Whatever the input, `lint_source` returns findings with known codes (DUR001 when the
file cannot be read as Python) and never raises or overflows the stack.
"""

from __future__ import annotations

import textwrap

import hypothesmith
from durable_lint.codes import known_codes
from durable_lint.engine import lint_source
from durable_lint.findings import Finding
from durable_lint.options import EngineOptions
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

OPTIONS = EngineOptions()
KNOWN = set(known_codes())

SEEDS = [
    textwrap.dedent("""
        import time
        import random
        from durable import DurableContext, StepContext, durable_execution, durable_step
        from durable.config import Duration


        @durable_step
        def charge(step_ctx: StepContext, order_id: str) -> str:
            return f"{order_id}-{random.random()}"


        def stamp() -> float:
            return time.time()


        @durable_execution
        def handler(event: dict, context: DurableContext) -> dict:
            receipt = context.step(charge(event["order_id"]))
            for sku in {"a", "b"}:
                context.step(lambda _: sku, name=f"sku-{sku}")
            time.sleep(1)
            context.wait(Duration.from_seconds(5))
            try:
                context.step(lambda _: stamp(), name="stamp")
            except BaseException:
                pass
            return {"receipt": receipt, "at": stamp()}
    """),
    textwrap.dedent("""
        import asyncio
        from aws_durable_execution_sdk_python import DurableContext, durable_execution


        def child(ctx: DurableContext) -> int:
            return ctx.step(lambda _: 1, name="one")


        @durable_execution
        def handler(event, context):
            results = context.map(event["items"], lambda ctx, item, i, items: item, name="m")
            total = context.run_in_child_context(child, name="child")
            print(total)
            return results
    """),
]

TOKENS = ["(", ")", "[", "]", ":", ",", "lambda", "await ", "context.step(", "\\", "'", '"""']
TOKENS += ["\t", "    ", "\n", "é", "\x00", "yield", "async ", "def ", "@", "*", "=", "#"]

MUTATION = st.tuples(
    st.sampled_from(["insert", "delete", "duplicate-line", "swap-lines", "truncate"]),
    st.floats(min_value=0, max_value=1),
    st.floats(min_value=0, max_value=1),
    st.sampled_from(TOKENS),
)


def mutate(source: str, mutations: list[tuple[str, float, float, str]]) -> str:
    """Apply each mutation at positions given as fractions of the current text."""
    for kind, first, second, token in mutations:
        at = int(first * len(source))
        lines = source.splitlines(keepends=True)
        row, other = int(first * len(lines)), int(second * len(lines))
        if kind == "insert":
            source = source[:at] + token + source[at:]
        elif kind == "delete":
            source = source[:at] + source[at + 1 + int(second * 20) :]
        elif kind == "duplicate-line" and lines:
            row = min(row, len(lines) - 1)
            source = "".join([*lines[: row + 1], lines[row], *lines[row + 1 :]])
        elif kind == "swap-lines" and len(lines) > 1:
            row, other = min(row, len(lines) - 1), min(other, len(lines) - 1)
            lines[row], lines[other] = lines[other], lines[row]
            source = "".join(lines)
        elif kind == "truncate":
            source = source[:at]
    return source


def assert_only_findings(findings: list[Finding]) -> None:
    assert all(isinstance(finding, Finding) for finding in findings)
    assert {finding.code for finding in findings} <= KNOWN
    assert all(finding.line >= 1 and finding.column >= 1 for finding in findings)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=hypothesmith.from_grammar())
def test_generated_source_gives_only_findings(source: str) -> None:
    # hypothesmith's programs rarely mention the SDK; the prefix makes the engine parse them.
    assert_only_findings(lint_source("import durable\n" + source, "generated.py", OPTIONS))


@settings(max_examples=150, deadline=None)
@given(seed=st.sampled_from(SEEDS), mutations=st.lists(MUTATION, min_size=1, max_size=6))
def test_mutated_handlers_give_only_findings(
    seed: str, mutations: list[tuple[str, float, float, str]]
) -> None:
    assert_only_findings(lint_source(mutate(seed, mutations), "mutated.py", OPTIONS))


@settings(max_examples=60, deadline=None)
@given(seed=st.sampled_from(SEEDS), junk=st.binary(min_size=1, max_size=8), at=st.floats(0, 1))
def test_undecodable_bytes_give_only_findings(seed: str, junk: bytes, at: float) -> None:
    data = seed.encode()
    cut = int(at * len(data))
    assert_only_findings(lint_source(data[:cut] + junk + data[cut:], "bytes.py", OPTIONS))


def test_a_hundred_thousand_line_file_lints() -> None:
    handler = SEEDS[0].replace("def handler(", "def handler_{n}(").replace("stamp()", "stamp_{n}()")
    handler = handler.replace("def stamp(", "def stamp_{n}(")
    repeats = 100_000 // handler.count("\n") + 1
    body = "".join(handler.replace("{n}", str(n)) for n in range(repeats))
    assert body.count("\n") >= 100_000
    findings = lint_source(body, "huge.py", OPTIONS)
    assert_only_findings(findings)
    assert any(finding.code == "DUR108" for finding in findings)


def _handler_returning(expression: str) -> str:
    return (
        "from durable import durable_execution\n\n"
        "@durable_execution\n"
        "def handler(event, context):\n"
        f"    return {expression}\n"
    )


def test_thousands_of_nested_brackets_are_reported_not_crashed() -> None:
    findings = lint_source(_handler_returning("(" * 5000 + "1" + ")" * 5000), "deep.py", OPTIONS)
    assert [finding.code for finding in findings] == ["DUR001"]


def test_a_long_unary_chain_is_reported_not_crashed() -> None:
    findings = lint_source(_handler_returning("-" * 20_000 + "1"), "deep.py", OPTIONS)
    assert [finding.code for finding in findings] == ["DUR001"]


def test_a_long_operator_chain_across_lines_is_reported_not_stalled() -> None:
    chain = "(\n" + " +\n".join(["1"] * 5000) + "\n)"
    findings = lint_source(_handler_returning(chain), "deep.py", OPTIONS)
    assert [finding.code for finding in findings] == ["DUR001"]


def test_deeply_nested_functions_and_blocks_lint() -> None:
    lines = ["import time", "from durable import durable_execution", ""]
    lines += ["@durable_execution", "def handler(event, context):"]
    depth = 90
    for level in range(1, depth):
        lines.append("    " * level + ("if event:" if level % 2 else f"def inner_{level}():"))
    lines.append("    " * depth + "time.sleep(1)")
    assert_only_findings(lint_source("\n".join(lines) + "\n", "nested.py", OPTIONS))
