"""DUR302: a durable context escapes its invocation."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from durable_lint import catalog
from durable_lint.analysis import Analysis
from durable_lint.findings import Report
from durable_lint.rules.base import Rule
from durable_lint.scopes import ModuleScope, Scope, lookup
from durable_lint.semantics import CHILD_ROLES, argument
from durable_lint.state_writes import root_name

ESCAPING_CALLS = frozenset({"atexit.register", "signal.signal"})
STORING_METHODS = frozenset({"append", "extend", "insert", "add", "update", "setdefault", "put"})


class ContextEscapes(Rule):
    """Storing a durable context where it outlives the invocation.

    ## What it does
    Flags a `DurableContext` or `StepContext` stored in a module global, a class or
    instance attribute, a default argument or an outer container; returned from a
    handler or step; handed to a thread or callback that outlives it; and durable
    operations on a context reached through module state.

    ## Why is this bad?
    A context belongs to one invocation. Kept beyond it, it points at a finished
    invocation's state: operations on it are lost or corrupt the next execution
    that shares the warm sandbox.

    ## Example
    ```python
    CURRENT = None

    @durable_execution
    def handler(event, context):
        global CURRENT
        CURRENT = context
    ```

    ## Use instead
    ```python
    @durable_execution
    def handler(event, context):
        process(context, event)   # pass it down explicitly
    ```

    ## Fix
    None: pass the context as an argument to what needs it.
    """

    code = "DUR302"
    name = "context-escapes"
    VALID = (
        """
from durable import durable_execution

def process(ctx, event):
    return ctx.step(lambda _: event)

@durable_execution
def handler(event, context):
    helpers = {"ctx": context}
    return process(helpers["ctx"], event)
""",
    )
    INVALID = (
        """
import threading
from concurrent.futures import ThreadPoolExecutor
from durable import durable_execution

CURRENT = None
REGISTRY = []

class Holder:
    pass

@durable_execution
def handler(event, context):
    global CURRENT
    CURRENT = context  # want: DUR302
    Holder.context = context  # want: DUR302
    REGISTRY.append(context)  # want: DUR302
    threading.Thread(target=print, args=(context,)).start()  # want: DUR302
    with ThreadPoolExecutor() as pool:
        pool.submit(print, context)  # want: DUR302
    def later(ctx=context):  # want: DUR302
        return ctx
    return context  # want: DUR302
""",
    )

    def check(self, analysis: Analysis) -> Iterator[Report]:
        model = analysis.model
        stored_globals: set[str] = set()
        for statement, scope in model.collected.writes:
            value = getattr(statement, "value", None)
            if not isinstance(statement, cst.Assign | cst.AnnAssign) or value is None:
                continue
            if not self._holds_context(analysis, value, scope):
                continue
            targets = (
                [t.target for t in statement.targets]
                if isinstance(statement, cst.Assign)
                else [statement.target]
            )
            for target in targets:
                where = self._escape_target(analysis, target, scope)
                if where is not None:
                    if isinstance(target, cst.Name):
                        stored_globals.add(target.value)
                    yield self._report(statement, f"stored in {where}")
                    break
        yield from self._calls(analysis, stored_globals)
        yield from self._defaults_and_returns(analysis)

    def _report(self, node: cst.CSTNode, how: str) -> Report:
        return Report(
            node,
            self.code,
            f"durable context {how}, where it outlives its invocation; "
            "pass it as an argument instead",
        )

    def _holds_context(self, analysis: Analysis, expr: cst.BaseExpression, scope: Scope) -> bool:
        model = analysis.model
        if model.expression_context(expr, scope) is not None:
            return True
        if isinstance(expr, cst.Tuple | cst.List | cst.Set):
            return any(model.expression_context(e.value, scope) for e in expr.elements)
        if isinstance(expr, cst.Dict):
            return any(
                isinstance(e, cst.DictElement) and model.expression_context(e.value, scope)
                for e in expr.elements
            )
        return False

    def _escape_target(
        self, analysis: Analysis, target: cst.BaseExpression, scope: Scope
    ) -> str | None:
        if isinstance(target, cst.Name):
            binding = lookup(target.value, scope)
            is_global = target.value in scope.global_names or isinstance(scope, ModuleScope)
            if binding is not None and isinstance(binding.scope, ModuleScope) and is_global:
                return "a module global"
            return None
        if isinstance(target, cst.Attribute):
            return "an attribute"
        if isinstance(target, cst.Subscript):
            name = root_name(target)
            function = analysis.model.region_function(scope)
            if name is None or function is None:
                return None
            if analysis.captured_binding(name, scope, function) is not None:
                return "an outer container"
        return None

    def _calls(self, analysis: Analysis, stored_globals: set[str]) -> Iterator[Report]:
        model = analysis.model
        for call, scope in model.collected.calls:
            func = call.func
            qname = model.qualified_name(func, scope)
            if qname in catalog.THREAD_TARGETS:
                for keyword in ("args", "kwargs"):
                    passed = argument(call, 99, keyword)
                    if passed is not None and self._holds_context(analysis, passed, scope):
                        yield self._report(call, "handed to a thread")
                        break
                continue
            if qname in ESCAPING_CALLS:
                if any(model.expression_context(a.value, scope) for a in call.args):
                    yield self._report(call, "handed to a callback")
                continue
            if not isinstance(func, cst.Attribute) or not isinstance(func.value, cst.Name):
                continue
            method = func.attr.value
            receiver = func.value.value
            if method in catalog.EXECUTOR_METHODS and _is_executor(analysis, func.value, scope):
                if any(model.expression_context(a.value, scope) for a in call.args[1:]):
                    yield self._report(call, "handed to an executor")
            elif method in STORING_METHODS and any(
                model.expression_context(a.value, scope) for a in call.args
            ):
                function = model.region_function(scope)
                if function is not None and analysis.captured_binding(receiver, scope, function):
                    yield self._report(call, "stored in an outer container")
            elif method in catalog.DURABLE_METHODS and receiver in stored_globals:
                binding = lookup(receiver, scope)
                if binding is not None and isinstance(binding.scope, ModuleScope):
                    yield Report(
                        call,
                        self.code,
                        f"durable operation on a context reached through module state "
                        f"'{receiver}'; pass the context as an argument instead",
                    )

    def _defaults_and_returns(self, analysis: Analysis) -> Iterator[Report]:
        model = analysis.model
        for function in model.collected.functions:
            if function.parent is None:
                continue
            for param in (*function.params, *function.kwonly):
                default = param.node.default
                if default is not None and model.expression_context(default, function.parent):
                    yield self._report(param.node, "bound as a default argument")
        for ret, scope in model.collected.returns:
            role = model.role(model.region_function(scope))
            if ret.value is None or role not in ("handler", "step", *CHILD_ROLES):
                continue
            if self._holds_context(analysis, ret.value, scope):
                yield self._report(ret, f"returned from a {role}")


def _is_executor(analysis: Analysis, expr: cst.Name, scope: Scope) -> bool:
    binding = lookup(expr.value, scope)
    if binding is None or binding.kind != "assign" or not isinstance(binding.value, cst.Call):
        return False
    maker = analysis.model.qualified_name(binding.value.func, binding.scope)
    return maker in catalog.EXECUTOR_CONSTRUCTORS
