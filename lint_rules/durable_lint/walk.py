"""A lean tree walk: the children of a libcst node that hold code, never whitespace.

libcst's visitor protocol rebuilds and dispatches on every node, whitespace
included; the linter only needs statements and expressions, so it walks the
dataclass fields that can hold them, iteratively (deep expressions cannot
overflow the stack).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import libcst as cst

_SKIPPED_FIELDS = frozenset(
    {
        "asynchronous",
        "colon",
        "comma",
        "comment",
        "dot",
        "empty_lines",
        "equal",
        "first_colon",
        "footer",
        "header",
        "indent",
        "lbrace",
        "lbracket",
        "leading_lines",
        "leading_whitespace",
        "lines_after_decorators",
        "lpar",
        "newline",
        "operator",
        "rbrace",
        "rbracket",
        "relative",
        "rpar",
        "second_colon",
        "semicolon",
        "separator",
        "star",
        "trailing_comma",
        "trailing_whitespace",
    }
)
_FIELDS: dict[type[cst.CSTNode], tuple[str, ...]] = {}


def _fields(kind: type[cst.CSTNode]) -> tuple[str, ...]:
    names = _FIELDS.get(kind)
    if names is None:
        names = tuple(
            f.name
            for f in dataclasses.fields(kind)
            if f.name not in _SKIPPED_FIELDS and not f.name.startswith("whitespace")
        )
        _FIELDS[kind] = names
    return names


def children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The code-bearing children of `node`, in source order."""
    found: list[cst.CSTNode] = []
    for name in _fields(type(node)):
        value = getattr(node, name)
        if isinstance(value, cst.CSTNode):
            found.append(value)
        elif isinstance(value, list | tuple):
            found.extend(v for v in value if isinstance(v, cst.CSTNode))
    return found


def iter_nodes(root: cst.CSTNode, *, into_functions: bool = True) -> Iterator[cst.CSTNode]:
    """`root` and every code-bearing node below it, in source order.

    With `into_functions=False` the bodies of nested defs and lambdas are skipped.
    """
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        if (
            not into_functions
            and node is not root
            and isinstance(node, cst.FunctionDef | cst.Lambda)
        ):
            continue
        stack.extend(reversed(children(node)))
