"""Follow calls from replayed code into helper functions, to a bounded depth.

A helper takes the region of the place it is called from, so a clock read two
helpers down from a handler is a problem at the handler's call site, and is
reported there once, naming the path. Summaries are memoised per function and
depth; cycles end the walk. `HelperResolver` follows helpers of the same module;
`crossmodule.ProjectResolver` extends it to functions imported from the project.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import libcst as cst

from durable_lint.scopes import Function, Scope, lookup
from durable_lint.semantics import Model
from durable_lint.sinks import Sink


@dataclass(frozen=True)
class Reach:
    """A sink reached through helpers: its code, the path of names, and the sink."""

    code: str
    path: tuple[str, ...]
    sink: Sink

    def describe(self) -> str:
        return " -> ".join(self.path)


class HelperResolver:
    """Which helper function a call enters (same module: defs reached by name)."""

    def __init__(self, model: Model) -> None:
        self.model = model

    def helper(self, call: cst.Call, scope: Scope) -> Function | None:
        if not isinstance(call.func, cst.Name):
            return None
        binding = lookup(call.func.value, scope)
        if binding is None or binding.kind != "def" or binding.function is None:
            return None
        function = binding.function
        # A function with a role of its own is linted as that region, never as a helper.
        return None if function in self.model.roles else function

    def graph_for(self, function: Function) -> CallGraph | None:
        """The call graph that owns `function` when it lives in another module."""
        return None

    def display(self, function: Function) -> str:
        """How `function` is named in a finding's path."""
        return function.name

    def model_of(self, function: Function) -> Model:
        """The model of the module `function` belongs to."""
        return self.model


class CallGraph:
    """Sinks reachable from each helper, within `max_depth` calls."""

    def __init__(
        self,
        model: Model,
        sinks: list[Sink],
        max_depth: int,
        resolver: HelperResolver | None = None,
    ) -> None:
        self.model = model
        self.max_depth = max_depth
        self.resolver = resolver or HelperResolver(model)
        self.sinks_of: dict[Function | None, list[Sink]] = defaultdict(list)
        for sink in sinks:
            self.sinks_of[model.region_function(sink.scope)].append(sink)
        self.calls_of: dict[Function | None, list[tuple[cst.Call, Scope]]] = defaultdict(list)
        for call, scope in model.collected.calls:
            self.calls_of[model.region_function(scope)].append((call, scope))
        self._memo: dict[tuple[Function, int], list[Reach]] = {}
        self._active: set[Function] = set()

    def reached_from_call(self, call: cst.Call, scope: Scope) -> list[Reach]:
        """Sinks reached by `call` when it enters a helper: one per code, shortest path."""
        helper = self.resolver.helper(call, scope)
        if helper is None or self.max_depth < 1:
            return []
        return [
            Reach(r.code, (f"{self.resolver.display(helper)}()", *r.path), r.sink)
            for r in self._reach(helper, self.max_depth)
        ]

    def _reach(self, function: Function, depth: int) -> list[Reach]:
        owner = self.resolver.graph_for(function)
        if owner is not None and owner is not self:
            return owner._reach(function, depth)
        key = (function, depth)
        if key in self._memo:
            return self._memo[key]
        if function in self._active:
            return []
        self._active.add(function)
        found: dict[str, Reach] = {}
        for sink in self.sinks_of.get(function, []):
            found.setdefault(sink.code, Reach(sink.code, (sink.label,), sink))
        if depth > 1:
            for call, scope in self.calls_of.get(function, []):
                helper = self.resolver.helper(call, scope)
                if helper is None:
                    continue
                for reach in self._reach(helper, depth - 1):
                    step = f"{self.resolver.display(helper)}()"
                    longer = Reach(reach.code, (step, *reach.path), reach.sink)
                    current = found.get(reach.code)
                    if current is None or len(longer.path) < len(current.path):
                        found[reach.code] = longer
        self._active.discard(function)
        result = list(found.values())
        self._memo[key] = result
        return result
