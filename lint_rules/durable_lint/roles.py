"""How functions get their roles and contexts, and which calls are durable operations.

`build_model` runs to a fixed point: a decorator or an SDK configuration keyword
gives a role; a role says which parameter is a context; a context makes calls on
it durable operations; an operation gives the callables it is handed their role;
a helper called with a context receives a context in that parameter.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import libcst as cst

from durable_lint import catalog
from durable_lint.options import SdkSettings
from durable_lint.scopes import ClassScope, Collected, Function, Scope, lookup
from durable_lint.semantics import (
    DURABLE,
    STEP,
    DurableOp,
    Model,
    argument,
    unwrap_await,
)


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


def _annotation_names(model: Model, annotation: cst.BaseExpression, scope: Scope) -> list[str]:
    """SDK names in an annotation: `DurableContext`, `DurableContext | None`, `Optional[...]`."""
    if isinstance(annotation, cst.BinaryOperation) and isinstance(annotation.operator, cst.BitOr):
        return [
            *_annotation_names(model, annotation.left, scope),
            *_annotation_names(model, annotation.right, scope),
        ]
    if isinstance(annotation, cst.Subscript) and model.qualified_name(annotation.value, scope) in (
        "typing.Optional",
        "typing.Union",
    ):
        names = []
        for element in annotation.slice:
            if isinstance(element.slice, cst.Index):
                names += _annotation_names(model, element.slice.value, scope)
        return names
    name = model.sdk_name(_annotation_qname(model, annotation, scope))
    return [name] if name else []


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
            names = _annotation_names(model, param.annotation, outer)
            if any(name in catalog.DURABLE_CONTEXT_TYPES for name in names):
                model.contexts.setdefault(function, {})[param.name] = DURABLE
            elif any(name in catalog.STEP_CONTEXT_TYPES for name in names):
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
        return model.assign_role_to(argument(call, position, keyword), scope, role)
    if op.method in catalog.BRANCH_OPERATIONS:
        functions = argument(call, 0, "functions")
        changed = False
        if isinstance(functions, cst.List | cst.Tuple):
            for element in functions.elements:
                branch = _unwrap_branch(model, element.value, scope)
                changed = model.assign_role_to(branch, scope, "branch") or changed
        return changed
    if op.method == catalog.WITH_RETRY:
        return model.assign_role_to(argument(call, 1, "func"), scope, "with-retry")
    return False


def _unwrap_branch(
    model: Model, expr: cst.BaseExpression, scope: Scope
) -> cst.BaseExpression | None:
    """`ParallelBranch(func=f, name=...)` -> `f`; anything else as it is."""
    if (
        isinstance(expr, cst.Call)
        and model.sdk_name(model.qualified_name(expr.func, scope)) in catalog.BRANCH_WRAPPERS
    ):
        return argument(expr, 0, "func")
    return expr


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
