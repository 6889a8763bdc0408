"""Positions from regenerating only the statements that hold findings equal libcst's own."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from durable_lint.positions import _statement_starts, positions, whole_module_positions
from durable_lint.walk import iter_nodes

ROOT = Path(__file__).resolve().parents[2]
TRICKY = [
    "#!/usr/bin/env python\n# header comment\n\nimport os\n",
    "x = 1; y = 2\n\n\n# a comment\nz = x + \\\n    y\n",
    "# leading\n@decorator\n\n# between\n@other(1)\ndef f(a,\n      b):\n    return a\n",
    "class A:\n    pass\n\n\n@dataclass\nclass B(A):\n    x: int = 1\n",
    "async def f():\n    await g()\nif x:\n    pass\nelse:\n    y = 1",
    "def f():\r\n    return 1\r\n\r\nprint(f())\r\n",
    "class A:\n\n  # c\n  @staticmethod\n  def f():\n      if x:\n          g(1)\n"
    "      return h(2)\n",
    "def outer():\n    def inner():\n        return call(1)\n"
    "    x = 1; y = call(2)\n    return inner\n",
    '"""doc\nstring"""\nfor i in range(3):\n    print(i)\n',
]


def sources() -> list[str]:
    found = [*TRICKY]
    for path in sorted((ROOT / "fixtures").rglob("*.py")):
        try:
            text = path.read_text()
            compile(text, str(path), "exec")
        except (UnicodeDecodeError, SyntaxError):
            continue
        found.append(text)
    return found


@pytest.mark.parametrize("text", sources())
def test_statement_positions_equal_whole_module_positions(text: str) -> None:
    module = cst.parse_module(text)
    assert _statement_starts(module, text) is not None, "the fast path must apply"
    every = [node for statement in module.body for node in iter_nodes(statement)]
    fast = positions(module, text, every)
    full = whole_module_positions(module)
    assert {node: fast[node] for node in every} == {node: full[node] for node in every}


@pytest.mark.parametrize("text", sources())
def test_positions_of_calls_equal_whole_module_positions(text: str) -> None:
    # Only calls are wanted: inside function bodies, just their statements are regenerated.
    module = cst.parse_module(text)
    calls = [node for node in iter_nodes(module) if isinstance(node, cst.Call)]
    fast = positions(module, text, calls)
    full = whole_module_positions(module)
    assert {node: fast[node] for node in calls} == {node: full[node] for node in calls}
