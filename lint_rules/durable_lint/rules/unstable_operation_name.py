"""DUR109: unstable operation name."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from durable_lint import catalog
from durable_lint.analysis import Analysis
from durable_lint.findings import Report
from durable_lint.rules.base import Rule
from durable_lint.scopes import Scope, lookup
from durable_lint.semantics import Region, argument, calls_within, unwrap_await

SOURCE_CODES = frozenset({"DUR101", "DUR102", "DUR103", "DUR104", "DUR105"})


class UnstableOperationName(Rule):
    """Naming a durable operation after a value that changes on replay.

    ## What it does
    Flags a durable operation whose name (positional or `name=`), or an
    `item_namer` whose result, is built from a clock read, a random value, a fresh
    identifier, I/O or host identity, directly or through a local variable or helper.

    ## Why is this bad?
    On replay the SDK checks that each operation has the name it had when it was
    checkpointed. A name that changes makes the replay fail as non-deterministic.

    ## Example
    ```python
    context.step(charge, name=f"charge-{uuid.uuid4()}")
    ```

    ## Use instead
    ```python
    for index, item in enumerate(event["items"]):
        context.step(charge, name=f"charge-{index}")
    ```

    ## Fix
    None: build names from the event, loop indexes or constants.
    """

    code = "DUR109"
    name = "unstable-operation-name"
    VALID = (
        """
from durable import durable_execution

@durable_execution
def handler(event, context):
    for index, item in enumerate(event["items"]):
        context.step(lambda _: item, name=f"item-{index}")
""",
    )
    INVALID = (
        """
import time
import uuid
from durable import durable_execution
from durable.config import MapConfig

def namer(item, index):
    return f"{item}-{time.time()}"  # want: DUR109

@durable_execution
def handler(event, context):
    label = str(uuid.uuid4())
    context.step(lambda _: 1, name=label)  # want: DUR109
    context.wait(5, f"wait-{time.time()}")  # want: DUR109
    context.map(event["items"], lambda c, i, n, a: i, config=MapConfig(item_namer=namer))
""",
    )

    def check(self, analysis: Analysis) -> Iterator[Report]:
        model = analysis.model
        for op in model.ops:
            if analysis.region(op.scope) is not Region.REPLAYED:
                continue
            position = catalog.NAME_ARGUMENT.get(op.method)
            if position is None:
                continue
            name = argument(op.call, position, "name")
            if name is None:
                continue
            source = self._source(analysis, name, op.scope, 0)
            if source:
                yield Report(
                    op.call,
                    self.code,
                    f"operation name built from {source}, which changes on replay; "
                    "name operations after the input, a loop index or a constant",
                )
        results: list[tuple[cst.BaseExpression, Scope]] = []
        for ret, scope in model.collected.returns:
            function = model.region_function(scope)
            if model.role(function) == "item-namer" and ret.value is not None:
                results.append((ret.value, scope))
        for function, role in model.roles.items():
            if role == "item-namer" and isinstance(function.node, cst.Lambda):
                results.append((function.node.body, function))
        for value, scope in results:
            source = self._source(analysis, value, scope, 0)
            if source:
                yield Report(
                    value,
                    self.code,
                    f"item name built from {source}, which changes on replay; "
                    "build it from the item and its index",
                )

    def _source(
        self, analysis: Analysis, expr: cst.BaseExpression, scope: Scope, depth: int
    ) -> str | None:
        """The label of a non-deterministic source inside `expr`, if any."""
        if isinstance(unwrap_await(expr), cst.Call) and unwrap_await(expr) in analysis.model.op_of:
            return None  # a durable operation's result is checkpointed, hence stable
        for call in calls_within(expr, into_functions=False):
            sink = analysis.sink_of.get(call)
            if sink is not None and sink.code in SOURCE_CODES:
                return sink.label
            for reach in analysis.callgraph.reached_from_call(call, scope):
                if reach.code in SOURCE_CODES:
                    return reach.describe()
        if depth >= 3:
            return None
        for name in _names_within(expr):
            binding = lookup(name, scope)
            if binding is not None and binding.kind == "assign" and binding.value is not None:
                found = self._source(analysis, binding.value, binding.scope, depth + 1)
                if found:
                    return found
        return None


class _NameFinder(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: list[str] = []

    def visit_Name(self, node: cst.Name) -> None:
        self.names.append(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False


def _names_within(expr: cst.BaseExpression) -> list[str]:
    finder = _NameFinder()
    expr.visit(finder)
    return finder.names
