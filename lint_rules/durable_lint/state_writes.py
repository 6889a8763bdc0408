"""Writes to state a function does not own: captured names and module-level variables.

Shared by DUR304 (captured state written in a step or child function) and DUR305
(module state written in replayed code), so both read one classification.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

import libcst as cst

from durable_lint import catalog
from durable_lint.analysis import Analysis
from durable_lint.scopes import Binding, Function, ModuleScope, Scope, target_names

Where = Literal["captured", "module"]


@dataclass(frozen=True, eq=False)
class StateWrite:
    """One write: the node reported, the name written, how, and whose state it is."""

    node: cst.CSTNode
    scope: Scope
    function: Function
    name: str
    how: str
    where: Where


def root_name(expr: cst.BaseExpression) -> str | None:
    """`a.b[c].d` -> "a"."""
    while isinstance(expr, cst.Attribute | cst.Subscript):
        expr = expr.value
    return expr.value if isinstance(expr, cst.Name) else None


def _targets(statement: cst.CSTNode) -> list[cst.BaseExpression]:
    if isinstance(statement, cst.Assign):
        return [t.target for t in statement.targets]
    if isinstance(statement, cst.AnnAssign | cst.AugAssign):
        return [statement.target]
    if isinstance(statement, cst.Del):
        target = statement.target
        if isinstance(target, cst.Tuple | cst.List):
            return [e.value for e in target.elements]
        return [target]
    return []


def state_writes(analysis: Analysis) -> Iterator[StateWrite]:
    """Every write, inside a function with a role, to a name that function does not own."""
    model = analysis.model
    for statement, scope in model.collected.writes:
        function = model.region_function(scope)
        if function is None or function not in model.roles:
            continue
        deleting = isinstance(statement, cst.Del)
        for target in _targets(statement):
            if isinstance(target, cst.Name | cst.Tuple | cst.List | cst.StarredElement):
                for name in target_names(target):
                    where = _rebinding(scope, function, name)
                    if where is not None:
                        how = "deletes" if deleting else "rebinds"
                        yield StateWrite(statement, scope, function, name, how, where)
                continue
            root = root_name(target)
            if root is None:
                continue
            item = isinstance(target, cst.Subscript)
            how = (
                ("deletes an item of" if deleting else "assigns an item of")
                if item
                else ("deletes an attribute of" if deleting else "assigns an attribute of")
            )
            where = _owner(analysis, root, scope, function, container_only=item)
            if where is not None:
                yield StateWrite(statement, scope, function, root, how, where)
    for call, scope in model.collected.calls:
        func = call.func
        if not (
            isinstance(func, cst.Attribute)
            and isinstance(func.value, cst.Name)
            and func.attr.value in catalog.MUTATING_METHODS
        ):
            continue
        function = model.region_function(scope)
        if function is None or function not in model.roles:
            continue
        name = func.value.value
        where = _owner(analysis, name, scope, function, container_only=True)
        if where is not None:
            how = f"calls .{func.attr.value}() on"
            yield StateWrite(call, scope, function, name, how, where)


def _rebinding(scope: Scope, function: Function, name: str) -> Where | None:
    current: Scope | None = scope
    while current is not None and current is not function.parent:
        if name in current.global_names:
            return "module"
        if name in current.nonlocal_names:
            return "captured"
        current = current.parent
    return None


def _owner(
    analysis: Analysis, name: str, scope: Scope, function: Function, *, container_only: bool
) -> Where | None:
    binding: Binding | None = analysis.captured_binding(name, scope, function)
    if binding is None or binding.kind in ("import", "def"):
        return None
    if analysis.model.context_ref(name, scope) is not None:
        return None  # calls on a context are operations, not state writes
    if isinstance(binding.scope, ModuleScope):
        module_state = analysis.is_module_state(binding, container_only=container_only)
        return "module" if module_state else None
    return "captured" if isinstance(binding.scope, Function) else None
