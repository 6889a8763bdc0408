"""DUR303: suspension swallowed by a broad exception handler."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from durable_lint import catalog
from durable_lint.analysis import Analysis
from durable_lint.findings import Report
from durable_lint.rules.base import Rule
from durable_lint.scopes import Scope
from durable_lint.semantics import calls_within


class SuspensionSwallowed(Rule):
    """Catching `BaseException` around durable operations without re-raising.

    ## What it does
    Flags a `try` whose body runs durable operations when one of its handlers catches
    `BaseException` (a bare `except:`, `except BaseException`, a tuple containing it,
    or the SDK's suspend exception) and does not re-raise; and
    `contextlib.suppress(BaseException)` around durable operations.

    ## Why is this bad?
    The SDK suspends an execution (for a wait, a callback, a retry) by raising an
    exception derived from `BaseException`. Swallowing it makes the handler carry on
    as if the operation had finished, and the execution never resumes properly.
    `except Exception` is fine: it does not catch the suspension.

    ## Example
    ```python
    try:
        context.wait(Duration.from_hours(1))
    except BaseException:
        pass
    ```

    ## Use instead
    ```python
    try:
        context.wait(Duration.from_hours(1))
    except Exception:
        logger.exception("wait failed")
    ```

    ## Fix
    None: catch `Exception`, or re-raise with a bare `raise`.
    """

    code = "DUR303"
    name = "suspension-swallowed"
    VALID = (
        """
from durable import durable_execution

@durable_execution
def handler(event, context):
    try:
        context.step(lambda _: 1)
    except Exception:
        pass
    try:
        context.step(lambda _: 2)
    except BaseException:
        cleanup()
        raise
""",
    )
    INVALID = (
        """
import contextlib
from durable import durable_execution

@durable_execution
def handler(event, context):
    try:
        context.step(lambda _: 1)
    except:  # want: DUR303
        pass
    try:
        context.wait(5)
    except (ValueError, BaseException) as error:  # want: DUR303
        return str(error)
    with contextlib.suppress(BaseException):  # want: DUR303
        context.wait(5)
""",
    )

    def check(self, analysis: Analysis) -> Iterator[Report]:
        model = analysis.model
        for node, scope in model.collected.trys:
            if not self._runs_operations(analysis, node.body, scope):
                continue
            for handler in node.handlers:
                if self._catches_suspension(analysis, handler.type, scope) and not _reraises(
                    handler
                ):
                    yield Report(
                        handler,
                        self.code,
                        "this except clause catches the SDK's suspension (a BaseException) around "
                        "durable operations; catch Exception or re-raise",
                    )
        for with_node, scope in model.collected.withs:
            for item in with_node.items:
                call = item.item
                if not isinstance(call, cst.Call):
                    continue
                if model.qualified_name(call.func, scope) != "contextlib.suppress":
                    continue
                if any(
                    self._catches_suspension(analysis, arg.value, scope) for arg in call.args
                ) and self._runs_operations(analysis, with_node.body, scope):
                    yield Report(
                        with_node,
                        self.code,
                        "contextlib.suppress(BaseException) swallows the SDK's suspension "
                        "around durable operations; suppress Exception subclasses only",
                    )

    def _runs_operations(self, analysis: Analysis, body: cst.CSTNode, scope: Scope) -> bool:
        model = analysis.model
        handed = analysis.handoff_calls
        # Operations run directly, or by a helper of the module handed a durable context.
        return any(call in model.op_of or call in handed for call in calls_within(body))

    def _catches_suspension(
        self, analysis: Analysis, kind: cst.BaseExpression | None, scope: Scope
    ) -> bool:
        if kind is None:
            return True
        if isinstance(kind, cst.Tuple):
            return any(self._catches_suspension(analysis, e.value, scope) for e in kind.elements)
        qname = analysis.model.qualified_name(kind, scope)
        if qname == "builtins.BaseException":
            return True
        return analysis.model.sdk_name(qname) in catalog.SUSPEND_EXCEPTIONS


class _RaiseFinder(cst.CSTVisitor):
    def __init__(self, name: str | None) -> None:
        self.name = name
        self.reraises = False

    def visit_Raise(self, node: cst.Raise) -> None:
        if node.exc is None or (
            isinstance(node.exc, cst.Name) and self.name is not None and node.exc.value == self.name
        ):
            self.reraises = True

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False


def _reraises(handler: cst.ExceptHandler | cst.ExceptStarHandler) -> bool:
    name = None
    if handler.name is not None and isinstance(handler.name.name, cst.Name):
        name = handler.name.name.value
    finder = _RaiseFinder(name)
    handler.body.visit(finder)
    return finder.reraises
