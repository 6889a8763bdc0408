"""DUR107: unordered iteration drives durable operations."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from durable_lint.analysis import Analysis
from durable_lint.findings import Report
from durable_lint.rules.base import Rule
from durable_lint.scopes import Scope, lookup
from durable_lint.semantics import Region, calls_within, unwrap_await


class UnorderedIteration(Rule):
    """Starting durable operations in the order of a set or a directory listing.

    ## What it does
    Flags a loop or comprehension in replayed code that iterates over a `set` or
    `frozenset` (literal, constructor, comprehension, set operators, or a local bound
    to one) or over `os.listdir`/`glob`/`iterdir` results, when its body starts a
    durable operation; and `set.pop()` feeding a durable operation.

    ## Why is this bad?
    Operation Ids follow the order in which operations start. String hashing is
    randomised per process, so a set of strings iterates in another order on replay:
    operations get each other's checkpoints. A directory listing has no order either.

    ## Example
    ```python
    for sku in set(event["skus"]):
        context.step(reserve(sku))
    ```

    ## Use instead
    ```python
    for sku in sorted(set(event["skus"])):
        context.step(reserve(sku))
    ```

    ## Fix
    Safe: wrap the iterable in `sorted(...)`.
    """

    code = "DUR107"
    name = "unordered-iteration"
    VALID = (
        """
from durable import durable_execution

@durable_execution
def handler(event, context):
    for sku in sorted(set(event["skus"])):
        context.step(lambda _: sku, name=f"reserve-{sku}")
    for key, value in event["items"].items():
        context.step(lambda _: value, name=key)
    seen = {s.lower() for s in event["skus"]}
    return len(seen)
""",
    )
    INVALID = (
        """
from durable import durable_execution

@durable_execution
def handler(event, context):
    skus = set(event["skus"])
    for sku in skus:  # want: DUR107
        context.step(lambda _: sku)
    results = [context.step(lambda _: s) for s in {"a", "b"}]  # want: DUR107
    context.step(lambda _: 1, name=skus.pop())  # want: DUR107
    return results
""",
    )

    def check(self, analysis: Analysis) -> Iterator[Report]:
        model = analysis.model
        for loop, scope in model.collected.loops:
            if analysis.region(scope) is not Region.REPLAYED:
                continue
            why = analysis.is_unordered(loop.iter, scope)
            if why and self._starts_operation(analysis, loop.body):
                yield self._report(loop, why)
        driving = self._iterables_driving_operations(analysis)
        for comprehension, scope in model.collected.comprehensions:
            if analysis.region(scope) is not Region.REPLAYED:
                continue
            if not model.ops_within(comprehension) and comprehension not in driving:
                continue
            for_in: cst.CompFor | None = comprehension.for_in
            while for_in is not None:
                why = analysis.is_unordered(for_in.iter, scope)
                if why:
                    yield self._report(for_in, why)
                    break
                for_in = for_in.inner_for_in
        for op in model.ops:
            if analysis.region(op.scope) is not Region.REPLAYED:
                continue
            for arg in op.call.args:
                popped = self._set_pop(analysis, arg.value, op.scope)
                if popped is not None:
                    yield Report(
                        popped,
                        self.code,
                        "set.pop() picks an arbitrary element to feed a durable operation; "
                        "take min() or the first of sorted(...) instead",
                    )
                    break

    def _iterables_driving_operations(self, analysis: Analysis) -> set[cst.CSTNode]:
        """Comprehensions that build names (strings) later iterated to start operations."""
        model = analysis.model
        driving: set[cst.CSTNode] = set()
        iterations: list[tuple[cst.BaseExpression, Scope, cst.CSTNode]] = [
            (loop.iter, scope, loop.body) for loop, scope in model.collected.loops
        ]
        for comprehension, scope in model.collected.comprehensions:
            for_in: cst.CompFor | None = comprehension.for_in
            while for_in is not None:
                iterations.append((for_in.iter, scope, comprehension))
                for_in = for_in.inner_for_in
        for iterable, scope, body in iterations:
            if not isinstance(iterable, cst.Name):
                continue
            binding = lookup(iterable.value, scope)
            value = binding.value if binding is not None and binding.kind == "assign" else None
            if (
                isinstance(value, cst.ListComp | cst.GeneratorExp)
                and _builds_text(value.elt)
                and model.ops_within(body)
            ):
                driving.add(value)
        return driving

    def _starts_operation(self, analysis: Analysis, body: cst.CSTNode) -> bool:
        return bool(analysis.model.ops_within(body))

    def _report(self, node: cst.CSTNode, why: str) -> Report:
        return Report(
            node,
            self.code,
            f"iterating {why} starts durable operations in an order that changes on replay; "
            "iterate sorted(...) instead",
        )

    def _set_pop(
        self, analysis: Analysis, expr: cst.BaseExpression, scope: Scope
    ) -> cst.Call | None:
        """The `<set>.pop()` call feeding `expr` (directly or through a local), if any."""
        expr = unwrap_await(expr) or expr
        if isinstance(expr, cst.Name):
            binding = lookup(expr.value, scope)
            if binding is None or binding.kind != "assign" or binding.value is None:
                return None
            expr, scope = binding.value, binding.scope
        for call in calls_within(expr):
            if (
                not call.args
                and isinstance(call.func, cst.Attribute)
                and call.func.attr.value == "pop"
                and analysis.is_unordered(call.func.value, scope) is not None
            ):
                return call
        return None


def _builds_text(expr: cst.BaseExpression) -> bool:
    """Does `expr` build a string (an f-string, `.format()`, `+` or `%` on a literal)?"""
    if isinstance(expr, cst.FormattedString | cst.ConcatenatedString):
        return True
    if isinstance(expr, cst.Call):
        func = expr.func
        return isinstance(func, cst.Attribute) and func.attr.value in ("format", "join")
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Add | cst.Modulo):
        return any(isinstance(side, cst.SimpleString) for side in (expr.left, expr.right))
    return False
