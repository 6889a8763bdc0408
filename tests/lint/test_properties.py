"""Laws of the engine, checked on generated handlers (Hypothesis)."""

from __future__ import annotations

from durable_lint.engine import lint_source
from durable_lint.options import EngineOptions
from hypothesis import given, settings
from hypothesis import strategies as st

HEADER = (
    "import os\nimport random\nimport time\nimport uuid\nfrom durable import durable_execution\n"
)
BODY_LINES = [
    "value = time.time()",
    "value = random.random()",
    "value = str(uuid.uuid4())",
    "value = os.getpid()",
    "print(value)",
    "time.sleep(1)",
    "value = context.step(lambda _: time.time())",
    "value = context.step(lambda _: 1, name='fixed')",
    "context.wait(5)",
    "value = uuid.uuid5(uuid.NAMESPACE_URL, 'x')",
    "value = sorted({1, 2})",
]
PREFIX_LINES = ["", "# a comment", "CONSTANT = 1", "def plain():\n    return time.time()"]

handler_bodies = st.lists(st.sampled_from(BODY_LINES), min_size=1, max_size=8)
prefixes = st.lists(st.sampled_from(PREFIX_LINES), max_size=5)


def handler(body: list[str]) -> str:
    lines = "".join(f"    {line}\n" for line in body)
    return f"@durable_execution\ndef handler(event, context):\n{lines}    return value\n"


def found(source: str) -> list[tuple[int, int, str]]:
    return [(f.line, f.column, f.code) for f in lint_source(source, "t.py", EngineOptions())]


@settings(max_examples=40, deadline=None)
@given(handler_bodies, prefixes)
def test_code_above_a_handler_shifts_its_findings_by_its_line_count(
    body: list[str], prefix: list[str]
) -> None:
    plain = HEADER + handler(body)
    text = "".join(line + "\n" for line in prefix)
    shifted = HEADER + text + handler(body)
    offset = text.count("\n")
    assert found(shifted) == [(line + offset, col, code) for line, col, code in found(plain)]


@settings(max_examples=40, deadline=None)
@given(handler_bodies)
def test_a_bare_noqa_on_every_line_silences_everything(body: list[str]) -> None:
    silenced = "".join(
        line + "  # noqa\n" if line.strip() else "\n"
        for line in (HEADER + handler(body)).splitlines()
    )
    assert found(silenced) == []


@settings(max_examples=40, deadline=None)
@given(handler_bodies)
def test_the_same_lines_inside_a_step_report_nothing(body: list[str]) -> None:
    inside = "".join(f"    {line}\n" for line in body if "context." not in line)
    source = (
        HEADER
        + "from durable import durable_step\n"
        + f"@durable_step\ndef work(step_context):\n    value = None\n{inside}    return value\n"
    )
    assert found(source) == []
