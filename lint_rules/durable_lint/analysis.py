"""What the rules of one file read: the model, its sinks, the call graph, shared questions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import libcst as cst

from durable_lint import catalog
from durable_lint.callgraph import CallGraph, HelperResolver, Reach
from durable_lint.scopes import Binding, Function, ModuleScope, Scope, lookup
from durable_lint.semantics import ContextRef, Model, Region
from durable_lint.sinks import Sink, SinkFinder


@dataclass(frozen=True, eq=False)
class Handoff:
    """A call that hands the durable context `context` to `helper`, which runs operations."""

    call: cst.Call
    scope: Scope
    context: ContextRef
    helper: Function


@dataclass(eq=False)
class Analysis:
    """One module, analysed once; every rule reads it and none changes it."""

    model: Model
    sink_finder: SinkFinder
    max_call_depth: int = 5
    sinks: list[Sink] = field(default_factory=list)
    resolver_factory: Callable[[Model], HelperResolver] | None = None

    @cached_property
    def sinks_by_code(self) -> dict[str, list[Sink]]:
        grouped: dict[str, list[Sink]] = defaultdict(list)
        for sink in self.sinks:
            grouped[sink.code].append(sink)
        return grouped

    @cached_property
    def sink_of(self) -> dict[cst.CSTNode, Sink]:
        return {sink.node: sink for sink in self.sinks}

    @cached_property
    def callgraph(self) -> CallGraph:
        resolver = self.resolver_factory(self.model) if self.resolver_factory else None
        return CallGraph(self.model, self.sinks, self.max_call_depth, resolver)

    @cached_property
    def _reaches(self) -> dict[str, list[tuple[cst.Call, Reach]]]:
        grouped: dict[str, list[tuple[cst.Call, Reach]]] = defaultdict(list)
        for call, scope in self.model.collected.calls:
            if self.model.region(scope) is not Region.REPLAYED:
                continue
            for reach in self.callgraph.reached_from_call(call, scope):
                grouped[reach.code].append((call, reach))
        return grouped

    def reaches(self, code: str) -> list[tuple[cst.Call, Reach]]:
        """Calls in replayed code that reach a sink of `code` through helpers."""
        return self._reaches.get(code, [])

    @cached_property
    def handoffs(self) -> list[Handoff]:
        """Calls handing a durable context to a helper that runs operations on it."""
        model = self.model
        resolver = self.callgraph.resolver
        operated_in: dict[int, set[tuple[Function | None, str]]] = {}
        found = []
        for call, scope in model.collected.calls:
            # Same-module helpers, and (through the project resolver) imported ones.
            helper = resolver.helper(call, scope)
            if helper is None:
                continue
            owner = resolver.model_of(helper)
            if id(owner) not in operated_in:
                operated_in[id(owner)] = {
                    (op.context.function, op.context.name) for op in owner.ops
                }
            operated = operated_in[id(owner)]
            for index, arg in enumerate(call.args):
                if arg.star:
                    break
                ref = model.expression_context(arg.value, scope)
                if ref is None:
                    continue
                if arg.keyword is not None:
                    param = helper.param(arg.keyword.value)
                elif index < len(helper.params):
                    param = helper.params[index]
                else:
                    param = None
                if param is not None and (helper, param.name) in operated:
                    found.append(Handoff(call, scope, ref, helper))
        return found

    @cached_property
    def handoff_calls(self) -> frozenset[cst.Call]:
        return frozenset(handoff.call for handoff in self.handoffs)

    # ------------------------------------------------------- shared questions
    def region(self, scope: Scope) -> Region:
        return self.model.region(scope)

    def is_unordered(self, expr: cst.BaseExpression, scope: Scope, depth: int = 0) -> str | None:
        """What makes iterating `expr` unordered ("a set", "a directory listing"), if it is."""
        if depth > 5:
            return None
        if isinstance(expr, cst.Set | cst.SetComp):
            return "a set"
        if isinstance(expr, cst.Call):
            qname = self.model.qualified_name(expr.func, scope)
            if qname in catalog.SET_CONSTRUCTORS:
                return "a set"
            if qname in catalog.UNORDERED_LISTINGS:
                return "a directory listing"
            func = expr.func
            if isinstance(func, cst.Attribute):
                method = func.attr.value
                if method in catalog.SET_OPERATION_METHODS and self.is_unordered(
                    func.value, scope, depth + 1
                ):
                    return "a set"
                if method in catalog.UNORDERED_PATH_METHODS and self.sink_finder.is_path(
                    func.value, scope
                ):
                    return "a directory listing"
            return None
        if isinstance(expr, cst.BinaryOperation) and isinstance(
            expr.operator, cst.BitOr | cst.BitAnd | cst.Subtract | cst.BitXor
        ):
            left = self.is_unordered(expr.left, scope, depth + 1)
            return left or self.is_unordered(expr.right, scope, depth + 1)
        if isinstance(expr, cst.Name):
            binding = lookup(expr.value, scope)
            if (
                binding is not None
                and binding.kind == "assign"
                and binding.value is not None
                and binding.count == 1
            ):
                return self.is_unordered(binding.value, binding.scope, depth + 1)
        return None

    def captured_binding(self, name: str, scope: Scope, owner: Function) -> Binding | None:
        """The binding of `name` when it lives outside `owner` (captured or module-level)."""
        binding = lookup(name, scope)
        if binding is None:
            return None
        current: Scope | None = scope
        while current is not None and current is not owner.parent:
            if binding.scope is current:
                return None
            current = current.parent
        return binding

    def is_module_state(self, binding: Binding, *, container_only: bool) -> bool:
        """Is `binding` a module-level variable (a container, when `container_only`)?"""
        if not isinstance(binding.scope, ModuleScope):
            return False
        if binding.kind == "class":
            return not container_only
        if binding.kind != "assign":
            return False
        return self.is_container(binding.value, binding.scope) or not container_only

    def is_container(self, expr: cst.BaseExpression | None, scope: Scope) -> bool:
        if isinstance(
            expr,
            cst.List | cst.Dict | cst.Set | cst.ListComp | cst.DictComp | cst.SetComp,
        ):
            return True
        if isinstance(expr, cst.Call):
            return self.model.qualified_name(expr.func, scope) in catalog.CONTAINER_CONSTRUCTORS
        return False
