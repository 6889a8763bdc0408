"""Line and column of reported nodes, generating code only where something is reported.

libcst computes positions by regenerating the code of the whole module, which costs
about as much as parsing it. The linter only needs the positions of a few nodes: it
finds the top-level statements that hold them, learns where each starts from
CPython's parser (cheap), and regenerates just those statements. Whenever the two
parsers disagree on the statement layout it falls back to the whole module.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Mapping, Sequence

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider
from libcst.metadata.position_provider import PositionProvidingCodegenState

from durable_lint.walk import iter_nodes


def positions(
    module: cst.Module, text: str, wanted: Collection[cst.CSTNode]
) -> Mapping[cst.CSTNode, CodeRange]:
    """Positions of (at least) the `wanted` nodes."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return whole_module_positions(module)
    provider = PositionProvider()
    computed = getattr(provider, "_computed", None)
    if not isinstance(computed, dict):
        return whole_module_positions(module)
    wanted_set = set(wanted)
    placer = _Placer(module, provider, wanted_set)
    if not placer.place(module.body, tree.body, []):
        return whole_module_positions(module)
    if not all(node in computed for node in wanted_set):
        return whole_module_positions(module)
    return computed


class _Placer:
    """Regenerates the smallest statements that hold wanted nodes, at their real lines."""

    def __init__(
        self, module: cst.Module, provider: PositionProvider, wanted: set[cst.CSTNode]
    ) -> None:
        self.module = module
        self.provider = provider
        self.wanted = wanted

    def place(
        self,
        statements: Sequence[cst.BaseStatement],
        trees: Sequence[ast.stmt],
        indents: list[str],
    ) -> bool:
        starts = _starts(statements, trees)
        if starts is None:
            return False
        for statement, start, tree in zip(
            statements, starts, _first_trees(statements, trees), strict=True
        ):
            nodes = [node for node in iter_nodes(statement) if node in self.wanted]
            if not nodes:
                continue
            if self._inside_body_only(statement, nodes, tree):
                assert isinstance(statement, cst.FunctionDef | cst.ClassDef)
                assert isinstance(tree, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
                block = statement.body
                assert isinstance(block, cst.IndentedBlock)
                indent = block.indent if block.indent is not None else self.module.default_indent
                if self.place(block.body, tree.body, [*indents, indent]):
                    continue
            state = PositionProvidingCodegenState(
                default_indent=self.module.default_indent,
                default_newline=self.module.default_newline,
                provider=self.provider,
            )
            state.line = start
            state.indent_tokens = list(indents)
            statement._codegen(state)
        return True

    def _inside_body_only(
        self, statement: cst.BaseStatement, nodes: list[cst.CSTNode], tree: ast.stmt
    ) -> bool:
        """Are all wanted nodes of a def or class inside the statements of its body?"""
        if not isinstance(statement, cst.FunctionDef | cst.ClassDef):
            return False
        if not isinstance(tree, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            return False
        if not isinstance(statement.body, cst.IndentedBlock):
            return False
        inner = {node for child in statement.body.body for node in iter_nodes(child)}
        return all(node in inner for node in nodes)


def whole_module_positions(module: cst.Module) -> Mapping[cst.CSTNode, CodeRange]:
    """Positions of every node, from one code generation of the whole module."""
    provider = PositionProvider()
    generate = getattr(provider, "_gen_impl", None)
    computed = getattr(provider, "_computed", None)
    if generate is None or not isinstance(computed, dict):  # a libcst without these internals
        return MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    generate(module)
    return computed


def _first_trees(
    statements: Sequence[cst.BaseStatement], trees: Sequence[ast.stmt]
) -> list[ast.stmt]:
    """The first CPython statement of each libcst statement (a line may hold several)."""
    firsts = []
    index = 0
    for statement in statements:
        firsts.append(trees[index])
        index += len(statement.body) if isinstance(statement, cst.SimpleStatementLine) else 1
    return firsts


def _starts(statements: Sequence[cst.BaseStatement], trees: Sequence[ast.stmt]) -> list[int] | None:
    """The first line (leading comments and blank lines included) of each statement."""
    starts: list[int] = []
    index = 0
    for statement in statements:
        if index >= len(trees):
            return None
        if not isinstance(statement, cst.SimpleStatementLine | cst.BaseCompoundStatement):
            return None
        first = trees[index]
        line = first.lineno
        leading = len(statement.leading_lines)
        if isinstance(statement, cst.FunctionDef | cst.ClassDef) and statement.decorators:
            decorators = getattr(first, "decorator_list", [])
            if not decorators:
                return None
            line = min(d.lineno for d in decorators)
            leading += len(statement.decorators[0].leading_lines)
        starts.append(line - leading)
        index += len(statement.body) if isinstance(statement, cst.SimpleStatementLine) else 1
    return starts if index == len(trees) else None


def _statement_starts(module: cst.Module, text: str) -> list[int] | None:
    """The first line of each top-level statement of `module` (None when unsure)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return _starts(module.body, tree.body)
