"""The parse guard lets ordinary code through untouched and names CPython's refusal."""

from __future__ import annotations

import textwrap

from durable_lint.parse_guard import refusal, risky


def test_ordinary_code_is_not_risky() -> None:
    source = textwrap.dedent("""
        def handler(event, context):
            return {"a": [1, 2, (3, 4)], "b": call(x, y=[z for z in w])}
    """)
    assert not risky(source)


def test_cpython_refusal_carries_its_reason() -> None:
    assert refusal("x = " + "(" * 300 + "1" + ")" * 300 + "\n") == (
        1,
        205,
        "too many nested parentheses",
    )


def test_deep_but_valid_code_is_not_refused() -> None:
    assert refusal("x = " + "(" * 60 + "1" + ")" * 60 + "\n") is None
