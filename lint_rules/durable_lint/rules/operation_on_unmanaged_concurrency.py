"""DUR203: durable operations on unmanaged concurrency."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from durable_lint import catalog
from durable_lint.analysis import Analysis
from durable_lint.findings import Report
from durable_lint.rules.base import Rule
from durable_lint.rules.operation_in_step import describe_operation
from durable_lint.scopes import Function, Scope, lookup
from durable_lint.semantics import CHILD_ROLES, DurableOp, argument, unwrap_await


class OperationOnUnmanagedConcurrency(Rule):
    """Durable operations started from threads, executors or asyncio tasks.

    ## What it does
    Flags durable operations inside `threading.Thread`/`Timer` targets, executor
    `submit`/`map` callables, `multiprocessing` workers and asyncio tasks
    (`create_task`, `ensure_future`, `gather`, `TaskGroup`), unless each concurrent
    unit runs in its own child context.

    ## Why is this bad?
    Operation Ids follow the order in which operations start on a context. Threads
    and tasks interleave differently on every run, so on replay operations get each
    other's checkpoints. `map` and `parallel` give each unit its own child context.

    ## Example
    ```python
    with ThreadPoolExecutor() as pool:
        pool.map(lambda item: context.step(process(item)), items)
    ```

    ## Use instead
    ```python
    context.map(items, lambda child, item, index, all_items: child.step(process(item)))
    ```

    ## Fix
    None: use `context.map` or `context.parallel`.
    """

    code = "DUR203"
    name = "operation-on-unmanaged-concurrency"
    VALID = (
        """
import asyncio
from durable import durable_execution

@durable_execution
async def handler(event, context):
    await asyncio.gather(
        context.run_in_child_context(first),
        context.run_in_child_context(second),
    )
    return context.map(event["items"], lambda child, item, index, items: child.step(item))
""",
    )
    INVALID = (
        """
import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from durable import durable_execution

@durable_execution
async def handler(event, context):
    def work():
        context.step(lambda _: 1)  # want: DUR203
    threading.Thread(target=work).start()
    with ThreadPoolExecutor() as pool:
        pool.submit(lambda: context.step(lambda _: 2))  # want: DUR203
    await asyncio.gather(context.step(lambda _: 3), context.step(lambda _: 4))  # want: DUR203
""",
    )

    def check(self, analysis: Analysis) -> Iterator[Report]:
        model = analysis.model
        reported: set[cst.Call] = set()
        for call, scope in model.collected.calls:
            for op in self._concurrent_ops(analysis, call, scope):
                if op.call in reported:
                    continue
                reported.add(op.call)
                what = describe_operation(op.method, op.context.name)
                yield Report(
                    op.call,
                    self.code,
                    f"durable operation {what} runs on a thread or task outside the SDK's "
                    "control; use context.map or context.parallel",
                )

    def _concurrent_ops(
        self, analysis: Analysis, call: cst.Call, scope: Scope
    ) -> Iterator[DurableOp]:
        model = analysis.model
        qname = model.qualified_name(call.func, scope)
        if qname in catalog.THREAD_TARGETS:
            position, keyword = catalog.THREAD_TARGETS[qname]
            yield from self._ops_of_callable(analysis, argument(call, position, keyword), scope)
            return
        if qname in catalog.ASYNC_TASK_FUNCTIONS:
            if qname == "asyncio.to_thread":
                yield from self._ops_of_callable(analysis, argument(call, 0, "func"), scope)
                return
            for arg in call.args:
                yield from self._ops_of_awaitable(analysis, arg.value, scope)
            return
        func = call.func
        if not isinstance(func, cst.Attribute):
            return
        method = func.attr.value
        if method == "run_in_executor":
            yield from self._ops_of_callable(analysis, argument(call, 1, "func"), scope)
        elif method in catalog.EXECUTOR_METHODS and self._is_made_by(
            analysis, func.value, scope, catalog.EXECUTOR_CONSTRUCTORS
        ):
            yield from self._ops_of_callable(analysis, argument(call, 0, "fn"), scope)
        elif method == "create_task" and self._is_made_by(
            analysis, func.value, scope, catalog.TASK_GROUP_CONSTRUCTORS
        ):
            yield from self._ops_of_awaitable(analysis, argument(call, 0, "coro"), scope)

    def _is_made_by(
        self, analysis: Analysis, expr: cst.BaseExpression, scope: Scope, makers: frozenset[str]
    ) -> bool:
        if isinstance(expr, cst.Call):
            return analysis.model.qualified_name(expr.func, scope) in makers
        if isinstance(expr, cst.Name):
            binding = lookup(expr.value, scope)
            if binding is not None and binding.kind == "assign" and binding.value is not None:
                return self._is_made_by(analysis, binding.value, binding.scope, makers)
        return False

    def _ops_of_awaitable(
        self, analysis: Analysis, expr: cst.BaseExpression | None, scope: Scope
    ) -> Iterator[DurableOp]:
        expr = unwrap_await(expr)
        if isinstance(expr, cst.ListComp | cst.GeneratorExp):
            yield from self._ops_of_awaitable(analysis, expr.elt, scope)
            return
        if isinstance(expr, cst.List | cst.Tuple):
            for element in expr.elements:
                yield from self._ops_of_awaitable(analysis, element.value, scope)
            return
        if not isinstance(expr, cst.Call):
            return
        op = analysis.model.op_of.get(expr)
        if op is not None:
            if op.method != "run_in_child_context":
                yield op
            return
        yield from self._ops_of_callable(analysis, expr.func, scope)

    def _ops_of_callable(
        self, analysis: Analysis, expr: cst.BaseExpression | None, scope: Scope
    ) -> Iterator[DurableOp]:
        target = analysis.model.callable_target(expr, scope)
        if target is None:
            return
        for op in analysis.model.ops:
            if op.method != "run_in_child_context" and self._runs_inside(analysis, op, target):
                yield op

    def _runs_inside(self, analysis: Analysis, op: DurableOp, target: Function) -> bool:
        """Is `op` run by `target` itself, not by a child context it starts?"""
        current: Scope | None = op.scope
        while current is not None:
            if current is target:
                return True
            if isinstance(current, Function) and analysis.model.role(current) in CHILD_ROLES:
                return False
            current = current.parent
        return False
