"""Line and column of reported nodes, generating code only where something is reported.

libcst computes positions by regenerating the code of the whole module, which costs
about as much as parsing it. The linter only needs the positions of a few nodes: it
finds the top-level statements that hold them, learns where each starts from
CPython's parser (cheap), and regenerates just those statements. Whenever the two
parsers disagree on the statement layout it falls back to the whole module.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Mapping

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider
from libcst.metadata.position_provider import PositionProvidingCodegenState

from durable_lint.walk import iter_nodes


def positions(
    module: cst.Module, text: str, wanted: Collection[cst.CSTNode]
) -> Mapping[cst.CSTNode, CodeRange]:
    """Positions of (at least) the `wanted` nodes."""
    starts = _statement_starts(module, text)
    if starts is None:
        return whole_module_positions(module)
    wanted_set = set(wanted)
    provider = PositionProvider()
    computed = getattr(provider, "_computed", None)
    if not isinstance(computed, dict):
        return whole_module_positions(module)
    for statement, start in zip(module.body, starts, strict=True):
        if not any(node in wanted_set for node in iter_nodes(statement)):
            continue
        state = PositionProvidingCodegenState(
            default_indent=module.default_indent,
            default_newline=module.default_newline,
            provider=provider,
        )
        state.line = start
        statement._codegen(state)
    if not all(node in computed for node in wanted_set):
        return whole_module_positions(module)
    return computed


def whole_module_positions(module: cst.Module) -> Mapping[cst.CSTNode, CodeRange]:
    """Positions of every node, from one code generation of the whole module."""
    provider = PositionProvider()
    generate = getattr(provider, "_gen_impl", None)
    computed = getattr(provider, "_computed", None)
    if generate is None or not isinstance(computed, dict):  # a libcst without these internals
        return MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    generate(module)
    return computed


def _statement_starts(module: cst.Module, text: str) -> list[int] | None:
    """The first line (leading comments and blank lines included) of each top-level statement."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    starts: list[int] = []
    index = 0
    for statement in module.body:
        if index >= len(tree.body):
            return None
        first = tree.body[index]
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
    return starts if index == len(tree.body) else None
