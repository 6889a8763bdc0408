"""flake8 adapter: hands each file to the durable-lint engine."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Any

from durable_lint import __version__


class DurableLintPlugin:
    """flake8 extension registered under the `DUR` prefix."""

    name = "durable-lint"
    version = __version__

    def __init__(self, tree: ast.AST, filename: str = "stdin", lines: list[str] | None = None):
        self.tree = tree
        self.filename = filename
        self.lines = lines or []

    def run(self) -> Iterator[tuple[int, int, str, type[Any]]]:
        """Yield `(line, column, message, type)` for each finding."""
        yield from ()
