"""Fixes as libcst edits, built for findings after the rules have run.

Only a file with a fixable finding is parsed again here, so linting without
`--fix` or the JSON format pays nothing. Each fix is a set of text edits computed
from libcst positions and nodes:

- DUR107 (safe): iterate `sorted(<iterable>)` instead of the set.
- DUR108 (unsafe): `time.sleep(n)` becomes `context.wait(Duration.from_seconds(n))`,
  importing `Duration` from the SDK the module uses when it is not bound yet.
- DUR101-DUR103 (unsafe): the call becomes `context.step(lambda _: <call>, name="...")`,
  so its value is recorded once and replayed.

The durable context is found by annotation (`DurableContext`) or by position (second
parameter of a `durable_execution` handler, first of a child-context or branch
function) on the enclosing functions; without one, no fix is offered.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, ParentNodeProvider, PositionProvider

from durable_lint.findings import Edit, Finding, Fix
from durable_lint.fixing import FIXABLE_CODES

CONTEXT_TYPES = frozenset({"DurableContext", "AsyncDurableContext"})
HANDLER_DECORATORS = frozenset({"durable_execution"})
CHILD_DECORATORS = frozenset({"durable_with_child_context", "durable_parallel_branch"})
OFFICIAL_SDK = "aws_durable_execution_sdk_python"
COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


def with_fixes(text: str, findings: Sequence[Finding]) -> list[Finding]:
    """Return `findings` with a fix attached to each one that can be fixed."""
    if not any(finding.code in FIXABLE_CODES for finding in findings):
        return list(findings)
    try:
        module = cst.parse_module(text)
    except (cst.ParserSyntaxError, RecursionError):
        return list(findings)
    builder = _FixBuilder(module)
    return [
        dataclasses.replace(finding, fix=builder.fix_for(finding))
        if finding.code in FIXABLE_CODES and finding.fix is None
        else finding
        for finding in findings
    ]


def _dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    if isinstance(node, cst.Call):
        return _dotted(node.func)
    if isinstance(node, cst.SimpleString):
        return node.evaluated_value if isinstance(node.evaluated_value, str) else ""
    return ""


def _last(node: cst.BaseExpression) -> str:
    return _dotted(node).rpartition(".")[2]


class _FixBuilder:
    """Positions, parents and module facts of one file, and the fix for each finding."""

    def __init__(self, module: cst.Module) -> None:
        self.module = module
        wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        self.positions = wrapper.resolve(PositionProvider)
        self.parents = wrapper.resolve(ParentNodeProvider)
        self.starts: dict[tuple[int, int], list[cst.CSTNode]] = {}
        for node, where in self.positions.items():
            self.starts.setdefault((where.start.line, where.start.column + 1), []).append(node)

    def fix_for(self, finding: Finding) -> Fix | None:
        nodes = self.starts.get((finding.line, finding.column), [])
        if finding.code == "DUR107":
            return self._sorted_iteration(nodes)
        calls = [node for node in nodes if isinstance(node, cst.Call)]
        if not calls:
            return None
        call = calls[0]
        if finding.code == "DUR108":
            return self._durable_wait(call)
        return self._wrap_in_step(call)

    # ------------------------------------------------------------------ edits
    def _range(self, node: cst.CSTNode) -> CodeRange:
        return self.positions[node]

    def _replace(self, node: cst.CSTNode, content: str) -> Edit:
        where = self._range(node)
        return Edit(
            where.start.line,
            where.start.column + 1,
            where.end.line,
            where.end.column + 1,
            content,
        )

    def _code(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)

    # ------------------------------------------------------------------ DUR107
    def _sorted_iteration(self, nodes: Iterable[cst.CSTNode]) -> Fix | None:
        for node in nodes:
            loop: cst.For | cst.CompFor | None = None
            if isinstance(node, cst.For | cst.CompFor):
                loop = node
            elif isinstance(node, COMPREHENSIONS):
                loop = node.for_in
            if loop is None:
                continue
            iterable = loop.iter
            if isinstance(iterable, cst.Call) and _dotted(iterable.func) == "sorted":
                return None
            edit = self._replace(iterable, f"sorted({self._code(iterable)})")
            return Fix("safe", (edit,))
        return None

    # ------------------------------------------------------------------ DUR108
    def _durable_wait(self, call: cst.Call) -> Fix | None:
        if len(call.args) != 1 or call.args[0].star:
            return None
        context = self._context_name(call)
        if context is None:
            return None
        seconds = self._code(call.args[0].value)
        edits = [self._replace(call, f"{context}.wait(Duration.from_seconds({seconds}))")]
        import_edit = self._duration_import()
        if import_edit is not None:
            edits.append(import_edit)
        return Fix("unsafe", tuple(edits))

    def _duration_import(self) -> Edit | None:
        last_import: cst.CSTNode | None = None
        official = False
        for statement in self.module.body:
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            for small in statement.body:
                if isinstance(small, cst.ImportFrom):
                    source = _dotted(small.module) if small.module else ""
                    official = official or source.startswith(OFFICIAL_SDK)
                    if not isinstance(small.names, cst.ImportStar) and any(
                        (alias.evaluated_alias or alias.evaluated_name) == "Duration"
                        for alias in small.names
                    ):
                        return None
                    last_import = statement
                elif isinstance(small, cst.Import):
                    official = official or any(
                        _dotted(alias.name).startswith(OFFICIAL_SDK) for alias in small.names
                    )
                    last_import = statement
        package = f"{OFFICIAL_SDK}.config" if official else "durable.config"
        line = self._range(last_import).end.line + 1 if last_import is not None else 1
        return Edit(line, 1, line, 1, f"from {package} import Duration\n")

    # ------------------------------------------------------------ DUR101-103
    def _wrap_in_step(self, call: cst.Call) -> Fix | None:
        context = self._context_name(call)
        if context is None:
            return None
        label = _dotted(call.func) or "value"
        quote = self._free_quote(call)
        wrapped = f"{context}.step(lambda _: {self._code(call)}, name={quote}{label}{quote})"
        function = self._enclosing_function(call)
        if function is not None and function.asynchronous is not None:
            parent = self.parents.get(call)
            wrapped = f"await {wrapped}"
            if isinstance(parent, cst.Attribute | cst.Subscript) or (
                isinstance(parent, cst.Call) and parent.func is call
            ):
                wrapped = f"({wrapped})"
        return Fix("unsafe", (self._replace(call, wrapped),))

    def _free_quote(self, node: cst.CSTNode) -> str:
        """A quote character that may appear at `node` (not the one of an enclosing f-string)."""
        current: cst.CSTNode | None = node
        while current is not None:
            current = self.parents.get(current)
            if isinstance(current, cst.FormattedString):
                return "'" if '"' in current.start else '"'
        return '"'

    # ---------------------------------------------------------------- context
    def _enclosing_function(self, node: cst.CSTNode) -> cst.FunctionDef | None:
        current: cst.CSTNode | None = node
        while current is not None:
            current = self.parents.get(current)
            if isinstance(current, cst.FunctionDef):
                return current
        return None

    def _context_name(self, node: cst.CSTNode) -> str | None:
        function = self._enclosing_function(node)
        while function is not None:
            name = _context_parameter(function)
            if name is not None:
                return name
            function = self._enclosing_function(function)
        return None


def _context_parameter(function: cst.FunctionDef) -> str | None:
    params = [*function.params.posonly_params, *function.params.params]
    for param in [*params, *function.params.kwonly_params]:
        if param.annotation is not None and _last(param.annotation.annotation) in CONTEXT_TYPES:
            return param.name.value
    decorators = {_last(decorator.decorator) for decorator in function.decorators}
    if decorators & HANDLER_DECORATORS and len(params) >= 2:
        return params[1].name.value
    if decorators & CHILD_DECORATORS and params:
        return params[0].name.value
    return None
