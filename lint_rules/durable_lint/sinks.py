"""Sinks: the calls and names that break determinism, matched against the catalogue.

A sink is found wherever it sits; whether it is a problem depends on the region,
which the rules decide. Besides plain qualified names this follows what a call
returns for three families: I/O clients (`s3 = boto3.client(...)`; `s3.get_object()`),
paths (`Path(p).read_text()`) and loggers (`log = logging.getLogger(); log.info()`).
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from durable_lint import catalog
from durable_lint.options import SinkSettings
from durable_lint.scopes import Scope, dotted_name, lookup
from durable_lint.semantics import Model, unwrap_await


@dataclass(frozen=True, eq=False)
class Sink:
    """A non-deterministic call or name: where, which code, and how to name it."""

    node: cst.CSTNode
    code: str
    label: str
    scope: Scope


def _argument_count(call: cst.Call) -> int:
    return sum(1 for arg in call.args if not arg.star)


def match_qualified_name(qname: str, settings: SinkSettings) -> tuple[str, int | None] | None:
    """The code `qname` breaks and the argument count that makes it fine, if any."""
    if qname in settings.allow:
        return None
    if qname in settings.extra:
        return settings.extra[qname], None
    entry = catalog.EXACT.get(qname)
    if entry is not None:
        return entry.code, entry.unless_args
    if qname in catalog.PREFIX_EXCEPTIONS:
        return None
    last = qname.rpartition(".")[2]
    if last.endswith(catalog.ERROR_SUFFIXES) or ".exceptions." in qname:
        return None
    best = ""
    for prefix in catalog.PREFIXES:
        if qname.startswith(prefix) and len(prefix) > len(best):
            best = prefix
    return (catalog.PREFIXES[best], None) if best else None


class SinkFinder:
    """Finds every sink of one module."""

    def __init__(self, model: Model, settings: SinkSettings) -> None:
        self.model = model
        self.settings = settings

    def find(self) -> list[Sink]:
        sinks: list[Sink] = []
        for call, scope in self.model.collected.calls:
            sink = self.call_sink(call, scope)
            if sink is not None:
                sinks.append(sink)
        for ref, scope in self.model.collected.environ_refs:
            qname = self.model.qualified_name(ref, scope)
            if qname in catalog.ENVIRON_NAMES and qname not in self.settings.allow:
                sinks.append(Sink(ref, "DUR106", qname, scope))
        return sinks

    def call_sink(self, call: cst.Call, scope: Scope) -> Sink | None:
        qname = self.model.qualified_name(call.func, scope)
        if qname is not None:
            match = match_qualified_name(qname, self.settings)
            if match is not None:
                code, unless_args = match
                if unless_args is None or _argument_count(call) < unless_args:
                    return Sink(call, code, f"{qname.removeprefix('builtins.')}()", scope)
                return None
        func = call.func
        if not isinstance(func, cst.Attribute):
            return None
        method = func.attr.value
        receiver = func.value
        label = f"{'.'.join(dotted_name(receiver) or ['...'])}.{method}()"
        if isinstance(receiver, cst.Name) and self.is_io_handle(receiver, scope):
            return Sink(call, "DUR104", label, scope)
        if method in catalog.PATH_IO_METHODS and self.is_path(receiver, scope):
            return Sink(call, "DUR104", label, scope)
        if method in catalog.LOGGER_METHODS and self.is_logger(receiver, scope):
            return Sink(call, "DUR110", label, scope)
        return None

    def _bound_value(
        self, expr: cst.BaseExpression, scope: Scope
    ) -> tuple[cst.BaseExpression, Scope] | None:
        if not isinstance(expr, cst.Name):
            return None
        binding = lookup(expr.value, scope)
        value = unwrap_await(binding.value) if binding is not None else None
        if binding is None or binding.kind != "assign" or value is None:
            return None
        return value, binding.scope

    def is_io_handle(self, expr: cst.BaseExpression, scope: Scope, depth: int = 0) -> bool:
        """Does `expr` hold a client, session or connection (so calls on it are I/O)?"""
        if depth > 5:
            return False
        expr = unwrap_await(expr) or expr
        if isinstance(expr, cst.Call):
            if self.model.qualified_name(expr.func, scope) in catalog.IO_HANDLE_CONSTRUCTORS:
                return True
            func = expr.func
            return (
                isinstance(func, cst.Attribute)
                and func.attr.value in catalog.HANDLE_FACTORY_METHODS
                and self.is_io_handle(func.value, scope, depth + 1)
            )
        bound = self._bound_value(expr, scope)
        return bound is not None and self.is_io_handle(bound[0], bound[1], depth + 1)

    def is_path(self, expr: cst.BaseExpression, scope: Scope, depth: int = 0) -> bool:
        """Does `expr` hold a `pathlib.Path`?"""
        if depth > 5:
            return False
        if isinstance(expr, cst.Call):
            if self.model.qualified_name(expr.func, scope) in catalog.PATH_CONSTRUCTORS:
                return True
            func = expr.func
            return (
                isinstance(func, cst.Attribute)
                and func.attr.value in catalog.PATH_DERIVING
                and self.is_path(func.value, scope, depth + 1)
            )
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Divide):
            return self.is_path(expr.left, scope, depth + 1)
        if isinstance(expr, cst.Attribute) and expr.attr.value == "parent":
            return self.is_path(expr.value, scope, depth + 1)
        bound = self._bound_value(expr, scope)
        return bound is not None and self.is_path(bound[0], bound[1], depth + 1)

    def is_logger(self, expr: cst.BaseExpression, scope: Scope) -> bool:
        """Is `expr` a logger made by `logging.getLogger(...)` (inline or bound to a name)?"""
        if isinstance(expr, cst.Call):
            return self.model.qualified_name(expr.func, scope) in catalog.LOGGER_FACTORIES
        bound = self._bound_value(expr, scope)
        return bound is not None and self.is_logger(bound[0], bound[1])
