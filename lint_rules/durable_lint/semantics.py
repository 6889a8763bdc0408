"""The semantic model every rule reads: regions, durable contexts and durable operations.

Built by `roles.build_model` from one `scopes.collect` walk. A function gets a
*role* from its decorator (`@durable_execution`, `@durable_step`, ...) or from the
durable operation it is
handed to (`context.step(fn)`, `context.map(items, fn)`, ...); the role decides its
region and which of its parameters are durable contexts. Contexts are known by
annotation or position, never by variable name. Rules never re-derive any of this.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

import libcst as cst

from durable_lint import catalog
from durable_lint.options import SdkSettings
from durable_lint.scopes import (
    BUILTIN_NAMES,
    Binding,
    Collected,
    Function,
    Scope,
    dotted_name,
    lookup,
)
from durable_lint.walk import iter_nodes


class Region(enum.Enum):
    """Where code runs with respect to replay (see docs/lint.md)."""

    PLAIN = "plain"
    REPLAYED = "replayed"
    STEP = "step"


ROLE_REGIONS: dict[str, Region] = {
    "handler": Region.REPLAYED,
    "child": Region.REPLAYED,
    "map-item": Region.REPLAYED,
    "branch": Region.REPLAYED,
    "with-retry": Region.REPLAYED,
    "item-namer": Region.REPLAYED,
    "summary-generator": Region.REPLAYED,
    "step": Region.STEP,
    "submitter": Region.STEP,
    "condition-check": Region.STEP,
    "retry-strategy": Region.STEP,
    "wait-strategy": Region.STEP,
    "serdes": Region.STEP,
}
CHILD_ROLES = frozenset({"child", "map-item", "branch", "with-retry"})
"""Roles whose first parameter is the function's own durable context."""
SDK_CALLBACK_ROLES = frozenset(
    {
        "submitter",
        "condition-check",
        "retry-strategy",
        "wait-strategy",
        "serdes",
        "item-namer",
        "summary-generator",
    }
)
ROLE_CONTEXT_POSITION: dict[str, tuple[int, str]] = {
    "handler": (1, "durable"),
    "child": (0, "durable"),
    "map-item": (0, "durable"),
    "branch": (0, "durable"),
    "with-retry": (0, "durable"),
    "step": (0, "step"),
    "submitter": (1, "step"),
    "condition-check": (1, "step"),
}

DURABLE = "durable"
STEP = "step"


@dataclass(frozen=True, eq=False)
class ContextRef:
    """A durable context name: the function whose parameter it is, and its kind."""

    function: Function
    name: str
    kind: str  # DURABLE or STEP


@dataclass(eq=False)
class DurableOp:
    """A call that is a durable operation, and the context it runs on."""

    call: cst.Call
    method: str
    scope: Scope
    context: ContextRef


@dataclass(eq=False)
class Model:
    """Regions, contexts and durable operations of one module."""

    collected: Collected
    settings: SdkSettings = field(default_factory=SdkSettings)
    roles: dict[Function, str] = field(default_factory=dict)
    handler_sdk: dict[Function, str] = field(default_factory=dict)
    contexts: dict[Function, dict[str, str]] = field(default_factory=dict)
    ops: list[DurableOp] = field(default_factory=list)
    op_of: dict[cst.Call, DurableOp] = field(default_factory=dict)

    # ------------------------------------------------------------- names
    def qualified_name(self, expr: cst.BaseExpression, scope: Scope, depth: int = 0) -> str | None:
        """The qualified name a dotted expression stands for (`now` -> `time.time`)."""
        parts = dotted_name(expr)
        if not parts:
            return None
        binding = lookup(parts[0], scope)
        base = self._binding_qname(parts[0], binding, depth)
        if base is None:
            return None
        return ".".join([base, *parts[1:]])

    def _binding_qname(self, name: str, binding: Binding | None, depth: int) -> str | None:
        if binding is None:
            if name in catalog.STAR_IMPORTABLE:
                for module in self.collected.star_imports:
                    if self.sdk_name(f"{module}.{name}") == name:
                        return f"{module}.{name}"
            return f"builtins.{name}" if name in BUILTIN_NAMES else None
        if binding.kind == "import":
            return binding.qname
        if (
            binding.kind == "assign"
            and binding.count == 1
            and depth < 4
            and isinstance(binding.value, cst.Name | cst.Attribute)
        ):
            return self.qualified_name(binding.value, binding.scope, depth + 1)
        return None

    def sdk_name(self, qname: str | None) -> str | None:
        """The public SDK name `qname` refers to, if it comes from a durable SDK."""
        if qname is None:
            return None
        root, _, rest = qname.partition(".")
        if root in catalog.SDK_ROOTS or any(
            qname.startswith(module + ".") for module in self.settings.sdk_modules
        ):
            return qname.rpartition(".")[2] if rest else None
        return None

    def sdk_root(self, qname: str) -> str:
        return qname.partition(".")[0]

    # ------------------------------------------------------------ regions
    def role(self, function: Function | None) -> str | None:
        return self.roles.get(function) if function is not None else None

    def region_function(self, scope: Scope) -> Function | None:
        """The function whose region `scope` runs in: lambdas without a role are transparent."""
        current: Scope | None = scope
        while isinstance(current, Function):
            if current in self.roles or not current.is_lambda:
                return current
            current = current.parent
        return None

    def region(self, scope: Scope) -> Region:
        function = self.region_function(scope)
        role = self.roles.get(function) if function is not None else None
        return ROLE_REGIONS[role] if role is not None else Region.PLAIN

    # ----------------------------------------------------------- contexts
    def context_ref(self, name: str, scope: Scope, depth: int = 0) -> ContextRef | None:
        """The durable context `name` refers to from `scope`, if it is one.

        A local bound once to a context (`ctx = context`) is that context.
        """
        binding = lookup(name, scope)
        if binding is None:
            return None
        if binding.kind == "assign" and binding.count == 1 and depth < 3:
            value = binding.value
            if isinstance(value, cst.Name):
                return self.context_ref(value.value, binding.scope, depth + 1)
            return None
        if binding.kind != "param" or not isinstance(binding.scope, Function):
            return None
        kind = self.contexts.get(binding.scope, {}).get(name)
        return ContextRef(binding.scope, name, kind) if kind else None

    def expression_context(self, expr: cst.BaseExpression, scope: Scope) -> ContextRef | None:
        return self.context_ref(expr.value, scope) if isinstance(expr, cst.Name) else None

    def callable_target(self, expr: cst.BaseExpression | None, scope: Scope) -> Function | None:
        """The function a callable argument names: a lambda, a def, `functools.partial(f)`."""
        return self.callable_target_and_bound(expr, scope)[0]

    def callable_target_and_bound(
        self, expr: cst.BaseExpression | None, scope: Scope
    ) -> tuple[Function | None, int]:
        """The function a callable argument names, and how many leading positional
        arguments `functools.partial` already bound (they shift the SDK's arguments)."""
        if (
            isinstance(expr, cst.Call)
            and expr.args
            and self.qualified_name(expr.func, scope) == "functools.partial"
        ):
            target, bound = self.callable_target_and_bound(expr.args[0].value, scope)
            positional = sum(1 for a in expr.args[1:] if a.keyword is None and not a.star)
            return target, bound + positional
        if isinstance(expr, cst.Name):
            binding = lookup(expr.value, scope)
            value = binding.value if binding is not None and binding.kind == "assign" else None
            if binding is not None and binding.count == 1 and isinstance(value, cst.Call):
                return self.callable_target_and_bound(value, binding.scope)
        return self._callable_target(expr, scope), 0

    def _callable_target(self, expr: cst.BaseExpression | None, scope: Scope) -> Function | None:
        if expr is None:
            return None
        if isinstance(expr, cst.Lambda):
            return self.collected.function_of.get(expr)
        if isinstance(expr, cst.Name):
            binding = lookup(expr.value, scope)
            if binding is None:
                return None
            if binding.kind == "def":
                return binding.function
            named_lambda = binding.kind == "assign" and binding.count == 1
            if named_lambda and isinstance(binding.value, cst.Lambda):  # `stamp = lambda _: ...`
                return self.collected.function_of.get(binding.value)
            return None
        return None

    def ops_within(self, node: cst.CSTNode) -> list[DurableOp]:
        """Durable operations whose call lies inside `node`."""
        return [self.op_of[call] for call in calls_within(node) if call in self.op_of]

    # ------------------------------------------------------------ building
    def _set_context(self, function: Function, index: int, kind: str) -> bool:
        if index < 0:
            return False
        if index >= len(function.params):
            return False
        known = self.contexts.setdefault(function, {})
        name = function.params[index].name
        if name in known:
            return False
        known[name] = kind
        return True

    def assign_role(self, function: Function | None, role: str, bound: int = 0) -> bool:
        """Give `function` a role (the first one wins); True when something changed.

        `bound`: leading positional parameters already filled by `functools.partial`.
        """
        if function is None or function in self.roles:
            return False
        self.roles[function] = role
        if role in ROLE_CONTEXT_POSITION:
            index, kind = ROLE_CONTEXT_POSITION[role]
            self._set_context(function, index + bound, kind)
        return True

    def assign_role_to(self, expr: cst.BaseExpression | None, scope: Scope, role: str) -> bool:
        """Give a role to the function a callable argument names (partial offsets included)."""
        target, bound = self.callable_target_and_bound(expr, scope)
        return self.assign_role(target, role, bound)


def argument(call: cst.Call, position: int, keyword: str) -> cst.BaseExpression | None:
    """The argument passed at `position` or as `keyword=`, if any."""
    index = 0
    for arg in call.args:
        if arg.keyword is not None:
            if arg.keyword.value == keyword:
                return arg.value
        elif arg.star:
            return None
        else:
            if index == position:
                return arg.value
            index += 1
    return None


def calls_within(node: cst.CSTNode, *, into_functions: bool = True) -> list[cst.Call]:
    """Every call inside `node`; with `into_functions=False`, not those in nested bodies."""
    return [n for n in iter_nodes(node, into_functions=into_functions) if isinstance(n, cst.Call)]


def unwrap_await(expr: cst.BaseExpression | None) -> cst.BaseExpression | None:
    return expr.expression if isinstance(expr, cst.Await) else expr


def build_model(collected: Collected, settings: SdkSettings) -> Model:
    """Build the model of one collected module (see `roles.build_model`)."""
    # Imported here: roles builds on the classes above and imports this module.
    from durable_lint.roles import build_model as build

    return build(collected, settings)
