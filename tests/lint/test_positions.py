"""The lean position pass gives exactly the ranges of libcst's PositionProvider."""

from __future__ import annotations

import textwrap
from pathlib import Path

import libcst as cst
import pytest
from durable_lint.parse_guard import refusal, risky
from durable_lint.positions import node_ranges
from libcst.metadata import MetadataWrapper, PositionProvider

REPO = Path(__file__).resolve().parents[2]
SAMPLES = sorted((REPO / "fixtures").rglob("*.py")) + sorted(
    (REPO / "lint_rules" / "durable_lint").glob("*.py")
)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: path.name)
def test_every_node_range_matches_the_position_provider(path: Path) -> None:
    try:
        module = cst.parse_module(path.read_bytes())
    except (cst.ParserSyntaxError, UnicodeDecodeError):
        return  # fixtures for DUR001 are unparsable on purpose
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    assert node_ranges(module, list(expected)) == dict(expected)


def test_crlf_line_endings_count_as_one_line() -> None:
    module = cst.parse_module("x = 1\r\nif x:\r\n    y = 2\r\n")
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    assert node_ranges(module, list(expected)) == dict(expected)


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
