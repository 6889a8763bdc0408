"""Line and column of a few nodes, at the cost of one plain code generation.

libcst's `PositionProvider` builds a `CodeRange` for every node of the module,
which costs two to three parses on a file with findings. The linter needs the
positions of the handful of nodes it reports, so this walks the same code
generation, tracks line and column with plain integers, and keeps ranges only for
the nodes asked for (and their direct children, whose ranges libcst hoists into a
parent's syntactic start or end). The ranges are the ones `PositionProvider` gives.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import libcst as cst
from libcst._nodes.internal import CodegenState
from libcst.metadata import CodePosition, CodeRange

Span = tuple[int, int, int, int]


@dataclass(frozen=False)
class _LeanPositionState(CodegenState):
    spans: dict[cst.CSTNode, Span] = field(default_factory=dict)
    line: int = 1
    column: int = 0
    starts: list[tuple[int, int]] = field(default_factory=list)

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self.add_token(token)

    def add_token(self, value: str) -> None:
        self.tokens.append(value)
        if "\r" in value:
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        newlines = value.count("\n")
        if newlines:
            self.line += newlines
            self.column = len(value) - value.rfind("\n") - 1
        else:
            self.column += len(value)

    def before_codegen(self, node: cst.CSTNode) -> None:
        self.starts.append((self.line, self.column))

    def after_codegen(self, node: cst.CSTNode) -> None:
        line, column = self.starts.pop()
        if node not in self.spans:
            self.spans[node] = (line, column, self.line, self.column)

    @contextmanager
    def record_syntactic_position(
        self,
        node: cst.CSTNode,
        *,
        start_node: cst.CSTNode | None = None,
        end_node: cst.CSTNode | None = None,
    ) -> Iterator[None]:
        line, column = self.line, self.column
        try:
            yield
        finally:
            end_line, end_column = self.line, self.column
            if start_node is not None:
                line, column = self.spans[start_node][:2]
            if end_node is not None:
                end_line, end_column = self.spans[end_node][2:]
            self.spans[node] = (line, column, end_line, end_column)


def node_ranges(module: cst.Module, nodes: Iterable[cst.CSTNode]) -> dict[cst.CSTNode, CodeRange]:
    """Return the syntactic range of each of `nodes` (which must belong to `module`)."""
    state = _LeanPositionState(
        default_indent=module.default_indent, default_newline=module.default_newline
    )
    module._codegen(state)
    ranges = {}
    for node in nodes:
        span = state.spans.get(node)
        if span is not None:
            ranges[node] = CodeRange(CodePosition(*span[:2]), CodePosition(*span[2:]))
    return ranges
