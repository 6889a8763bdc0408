"""The semantic model every rule reads: regions, durable contexts and durable operations.

Built from one `scopes.collect` walk. A function gets a *role* from its decorator
(`@durable_execution`, `@durable_step`, ...) or from the durable operation it is
handed to (`context.step(fn)`, `context.map(items, fn)`, ...); the role decides its
region and which of its parameters are durable contexts. Contexts are known by
annotation or position, never by variable name. Rules never re-derive any of this.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import libcst as cst

from durable_lint import catalog
from durable_lint.options import SdkSettings
from durable_lint.scopes import (
    BUILTIN_NAMES,
    Binding,
    ClassScope,
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
    def context_ref(self, name: str, scope: Scope) -> ContextRef | None:
        """The durable context `name` refers to from `scope`, if it is one."""
        binding = lookup(name, scope)
        if binding is None or binding.kind != "param" or not isinstance(binding.scope, Function):
            return None
        kind = self.contexts.get(binding.scope, {}).get(name)
        return ContextRef(binding.scope, name, kind) if kind else None

    def expression_context(self, expr: cst.BaseExpression, scope: Scope) -> ContextRef | None:
        return self.context_ref(expr.value, scope) if isinstance(expr, cst.Name) else None

    def callable_target(self, expr: cst.BaseExpression | None, scope: Scope) -> Function | None:
        """The function a callable argument names: a lambda, a def, `functools.partial(f)`."""
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
        if (
            isinstance(expr, cst.Call)
            and expr.args
            and self.qualified_name(expr.func, scope) == "functools.partial"
        ):
            return self.callable_target(expr.args[0].value, scope)
        return None

    def ops_within(self, node: cst.CSTNode) -> list[DurableOp]:
        """Durable operations whose call lies inside `node`."""
        return [self.op_of[call] for call in calls_within(node) if call in self.op_of]

    # ------------------------------------------------------------ building
    def _set_context(self, function: Function, index: int, kind: str) -> bool:
        if index >= len(function.params):
            return False
        known = self.contexts.setdefault(function, {})
        name = function.params[index].name
        if name in known:
            return False
        known[name] = kind
        return True

    def assign_role(self, function: Function | None, role: str) -> bool:
        """Give `function` a role (the first one wins); True when something changed."""
        if function is None or function in self.roles:
            return False
        self.roles[function] = role
        if role in ROLE_CONTEXT_POSITION:
            index, kind = ROLE_CONTEXT_POSITION[role]
            self._set_context(function, index, kind)
        return True


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
    """Assign roles and contexts, find durable operations, to a fixed point."""
    model = Model(collected, settings)
    _roles_from_decorators(model)
    _contexts_from_annotations(model)
    _roles_from_config_objects(model)
    pending = list(collected.calls)
    for _ in range(8):
        remaining = []
        changed = False
        for call, scope in pending:
            op = _classify(model, call, scope)
            if op is None:
                remaining.append((call, scope))
                continue
            model.ops.append(op)
            model.op_of[call] = op
            changed = _roles_from_operation(model, op) or changed
        changed = _propagate_contexts(model) or changed
        pending = remaining
        if not changed:
            break
    return model


def _decorator_qnames(model: Model, function: Function) -> Iterator[str]:
    node = function.node
    if not isinstance(node, cst.FunctionDef) or function.parent is None:
        return
    for decorator in node.decorators:
        expr = decorator.decorator
        if isinstance(expr, cst.Call):
            expr = expr.func
        qname = model.qualified_name(expr, function.parent)
        if qname is not None:
            yield qname


def _roles_from_decorators(model: Model) -> None:
    for function in model.collected.functions:
        for qname in _decorator_qnames(model, function):
            name = model.sdk_name(qname)
            if name == catalog.HANDLER_DECORATOR or qname in model.settings.handler_decorators:
                model.assign_role(function, "handler")
                model.handler_sdk[function] = model.sdk_root(qname)
            elif name == catalog.STEP_DECORATOR:
                model.assign_role(function, "step")
            elif name in catalog.CHILD_DECORATORS:
                model.assign_role(function, "child")
            elif name == catalog.SUBMITTER_DECORATOR:
                model.assign_role(function, "submitter")


def _annotation_qname(model: Model, annotation: cst.BaseExpression, scope: Scope) -> str | None:
    if isinstance(annotation, cst.SimpleString):
        text = annotation.evaluated_value
        if isinstance(text, bytes):
            return None
        try:
            annotation = cst.parse_expression(text)
        except cst.ParserSyntaxError:
            return None
    return model.qualified_name(annotation, scope)


def _contexts_from_annotations(model: Model) -> None:
    for function in model.collected.functions:
        outer = function.parent
        if outer is None:
            continue
        for param in (*function.params, *function.kwonly):
            if param.annotation is None:
                continue
            name = model.sdk_name(_annotation_qname(model, param.annotation, outer))
            if name in catalog.DURABLE_CONTEXT_TYPES:
                model.contexts.setdefault(function, {})[param.name] = DURABLE
            elif name in catalog.STEP_CONTEXT_TYPES:
                model.contexts.setdefault(function, {})[param.name] = STEP


def _roles_from_config_objects(model: Model) -> None:
    for call, scope in model.collected.calls:
        keywords = [
            a for a in call.args if a.keyword and a.keyword.value in catalog.CALLBACK_KEYWORDS
        ]
        if not keywords:
            continue
        func = call.func
        is_durable_method = (
            isinstance(func, cst.Attribute) and func.attr.value in catalog.DURABLE_METHODS
        )
        if not is_durable_method and model.sdk_name(model.qualified_name(func, scope)) is None:
            continue
        for arg in keywords:
            assert arg.keyword is not None
            target = model.callable_target(arg.value, scope)
            model.assign_role(target, catalog.CALLBACK_KEYWORDS[arg.keyword.value])
    for cls in model.collected.classes:
        if not _is_serdes_class(model, cls):
            continue
        for method in cls.methods:
            if method.name in catalog.SERDES_METHODS:
                model.assign_role(method, "serdes")


def _is_serdes_class(model: Model, cls: ClassScope) -> bool:
    if cls.node is None or cls.parent is None:
        return False
    for base in cls.node.bases:
        if model.sdk_name(model.qualified_name(base.value, cls.parent)) in catalog.SERDES_BASES:
            return True
    return False


def _classify(model: Model, call: cst.Call, scope: Scope) -> DurableOp | None:
    func = call.func
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
        method = func.attr.value
        if method in catalog.DURABLE_METHODS:
            ref = model.context_ref(func.value.value, scope)
            if ref is not None:
                return DurableOp(call, method, scope, ref)
        elif method == "result" and not call.args:
            binding = lookup(func.value.value, scope)
            value = unwrap_await(binding.value) if binding is not None else None
            if isinstance(value, cst.Call) and value in model.op_of:
                created = model.op_of[value]
                if created.method == "create_callback":
                    return DurableOp(call, "callback.result", scope, created.context)
        return None
    if (
        isinstance(func, cst.Name | cst.Attribute)
        and call.args
        and model.sdk_name(model.qualified_name(func, scope)) in catalog.WITH_RETRY_NAMES
    ):
        ref = model.expression_context(call.args[0].value, scope)
        if ref is not None:
            return DurableOp(call, catalog.WITH_RETRY, scope, ref)
    return None


def _roles_from_operation(model: Model, op: DurableOp) -> bool:
    call, scope = op.call, op.scope
    if op.method in catalog.CALLABLE_ARGUMENT:
        position, keyword, role = catalog.CALLABLE_ARGUMENT[op.method]
        target = model.callable_target(argument(call, position, keyword), scope)
        return model.assign_role(target, role)
    if op.method in catalog.BRANCH_OPERATIONS:
        functions = argument(call, 0, "functions")
        changed = False
        if isinstance(functions, cst.List | cst.Tuple):
            for element in functions.elements:
                target = model.callable_target(element.value, scope)
                changed = model.assign_role(target, "branch") or changed
        return changed
    if op.method == catalog.WITH_RETRY:
        target = model.callable_target(argument(call, 1, "func"), scope)
        return model.assign_role(target, "with-retry")
    return False


def _propagate_contexts(model: Model) -> bool:
    """A helper called with a context argument receives a context in that parameter."""
    changed = False
    for call, scope in model.collected.calls:
        if not isinstance(call.func, cst.Name):
            continue
        binding = lookup(call.func.value, scope)
        if binding is None or binding.kind != "def" or binding.function is None:
            continue
        helper = binding.function
        for index, arg in _positional_and_keyword(call):
            ref = model.expression_context(arg.value, scope)
            if ref is None:
                continue
            target_index = index if isinstance(index, int) else _param_index(helper, index)
            if target_index is not None:
                changed = model._set_context(helper, target_index, ref.kind) or changed
    return changed


def _positional_and_keyword(call: cst.Call) -> Iterable[tuple[int | str, cst.Arg]]:
    position = 0
    for arg in call.args:
        if arg.star:
            return
        if arg.keyword is not None:
            yield arg.keyword.value, arg
        else:
            yield position, arg
            position += 1


def _param_index(function: Function, name: str) -> int | None:
    for index, param in enumerate(function.params):
        if param.name == name:
            return index
    return None
