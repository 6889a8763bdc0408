"""DUR306: handler shape."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from durable_lint import catalog
from durable_lint.analysis import Analysis
from durable_lint.findings import Report
from durable_lint.rules.base import Rule


class HandlerShape(Rule):
    """A `durable_execution` handler that cannot be called as `(event, context)`.

    ## What it does
    Flags a `@durable_execution` handler that does not take exactly two positional
    arguments `(event, context)`, and an `async def` handler decorated with the
    official `aws_durable_execution_sdk_python`, which runs only synchronous handlers.

    ## Why is this bad?
    The SDK calls the handler with the event and the durable context; any other
    shape fails on the first invocation, in production.

    ## Example
    ```python
    @durable_execution
    def handler(context):
        ...
    ```

    ## Use instead
    ```python
    @durable_execution
    def handler(event, context):
        ...
    ```

    ## Fix
    None: take `(event, context)`.
    """

    code = "DUR306"
    name = "handler-shape"
    VALID = (
        """
from durable import durable_execution

@durable_execution
def handler(event, context):
    return event

@durable_execution
async def async_handler(event, context, *, extra=None):
    return event
""",
    )
    INVALID = (
        """
from durable import durable_execution
from aws_durable_execution_sdk_python import durable_execution as official

@durable_execution
def handler(context):  # want: DUR306
    return 1

@official
async def official_handler(event, context):  # want: DUR306
    return 1
""",
    )

    def check(self, analysis: Analysis) -> Iterator[Report]:
        model = analysis.model
        for function, role in model.roles.items():
            node = function.node
            if role != "handler" or not isinstance(node, cst.FunctionDef):
                continue
            problem = self._problem(node)
            official = model.handler_sdk.get(function) == catalog.OFFICIAL_SDK_ROOT
            if problem is None and function.is_async and official:
                problem = "is async, which the official SDK cannot run; make it a plain def"
            if problem is not None:
                yield Report(node, self.code, f"durable handler '{node.name.value}' {problem}")

    def _problem(self, node: cst.FunctionDef) -> str | None:
        parameters = node.params
        positional = [*parameters.posonly_params, *parameters.params]
        required = [p for p in positional if p.default is None]
        has_star = isinstance(parameters.star_arg, cst.Param)
        if len(required) > 2 or (len(positional) < 2 and not has_star):
            return f"takes {len(positional)} positional parameters; it must take (event, context)"
        if any(p.default is None for p in parameters.kwonly_params):
            return "has required keyword-only parameters; it must take (event, context)"
        return None
