"""The lean resolver: one walk over a libcst module that records scopes and bindings.

It replaces libcst's ScopeProvider and QualifiedNameProvider, which cost several
parses: here a binding is a name, what bound it and (for imports) the qualified
name it stands for. Interesting nodes (calls, loops, try statements, writes) are
collected with the scope they sit in, so rules never walk the tree again.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import libcst as cst

from durable_lint.walk import children

BUILTIN_NAMES = frozenset(dir(builtins))

Comprehension = cst.ListComp | cst.SetComp | cst.DictComp | cst.GeneratorExp

BindingKind = Literal["import", "def", "class", "param", "assign", "other"]


@dataclass(eq=False)
class Binding:
    """What a name stands for in one scope."""

    kind: BindingKind
    scope: Scope
    qname: str | None = None  # imports: the qualified name
    function: Function | None = None  # defs
    value: cst.BaseExpression | None = None  # simple assignments: the last value
    count: int = 1  # how many statements bind the name


@dataclass(eq=False)
class Scope:
    """A module, function, lambda or class body."""

    parent: Scope | None
    bindings: dict[str, Binding] = field(default_factory=dict)
    global_names: set[str] = field(default_factory=set)
    nonlocal_names: set[str] = field(default_factory=set)

    def bind(self, name: str, binding: Binding) -> None:
        old = self.bindings.get(name)
        if old is not None:
            binding.count = old.count + 1
            if old.kind == "param" and binding.kind == "assign":
                binding.kind = "param"
        self.bindings[name] = binding


@dataclass(eq=False)
class ModuleScope(Scope):
    pass


@dataclass(eq=False)
class ClassScope(Scope):
    node: cst.ClassDef | None = None
    methods: list[Function] = field(default_factory=list)


@dataclass(eq=False)
class Param:
    """A parameter: its name, node and the dotted annotation (unresolved) if any."""

    name: str
    node: cst.Param
    annotation: cst.BaseExpression | None


@dataclass(eq=False)
class Function(Scope):
    """A `def` or a lambda, with its parameters and the names it binds."""

    node: cst.FunctionDef | cst.Lambda | None = None
    name: str = "<lambda>"
    params: list[Param] = field(default_factory=list)  # positional, in order
    kwonly: list[Param] = field(default_factory=list)
    has_star_args: bool = False
    class_scope: ClassScope | None = None  # set for methods

    @property
    def is_lambda(self) -> bool:
        return isinstance(self.node, cst.Lambda)

    @property
    def is_async(self) -> bool:
        return isinstance(self.node, cst.FunctionDef) and self.node.asynchronous is not None

    def param(self, name: str) -> Param | None:
        for p in (*self.params, *self.kwonly):
            if p.name == name:
                return p
        return None


def dotted_name(expr: cst.BaseExpression) -> list[str] | None:
    """`a.b.c` -> ["a", "b", "c"]; None for anything that is not a plain dotted name."""
    parts: list[str] = []
    while isinstance(expr, cst.Attribute):
        parts.append(expr.attr.value)
        expr = expr.value
    if isinstance(expr, cst.Name):
        parts.append(expr.value)
        parts.reverse()
        return parts
    return None


def target_names(target: cst.BaseExpression) -> Iterator[str]:
    """Names bound by an assignment target (tuples and starred included)."""
    if isinstance(target, cst.Name):
        yield target.value
    elif isinstance(target, cst.Tuple | cst.List):
        for element in target.elements:
            yield from target_names(element.value)
    elif isinstance(target, cst.StarredElement):
        yield from target_names(target.value)


@dataclass
class Collected:
    """Everything one walk found, each node paired with the scope it sits in."""

    module: ModuleScope
    functions: list[Function] = field(default_factory=list)
    classes: list[ClassScope] = field(default_factory=list)
    calls: list[tuple[cst.Call, Scope]] = field(default_factory=list)
    loops: list[tuple[cst.For, Scope]] = field(default_factory=list)
    comprehensions: list[tuple[Comprehension, Scope]] = field(default_factory=list)
    trys: list[tuple[cst.Try | cst.TryStar, Scope]] = field(default_factory=list)
    withs: list[tuple[cst.With, Scope]] = field(default_factory=list)
    writes: list[tuple[cst.CSTNode, Scope]] = field(default_factory=list)
    returns: list[tuple[cst.Return, Scope]] = field(default_factory=list)
    environ_refs: list[tuple[cst.Name | cst.Attribute, Scope]] = field(default_factory=list)
    function_of: dict[cst.CSTNode, Function] = field(default_factory=dict)
    star_imports: list[str] = field(default_factory=list)  # modules of `from m import *`


Work = list[tuple[cst.CSTNode, Scope]]


class Collector:
    """Walks a module once (iteratively, see `walk.py`) and fills a `Collected`."""

    def __init__(self) -> None:
        self.out = Collected(ModuleScope(parent=None))

    def run(self, module: cst.Module) -> Collected:
        stack: Work = [(module, self.out.module)]
        handlers = _HANDLERS
        while stack:
            node, scope = stack.pop()
            handler = handlers.get(type(node))
            if handler is not None and handler(self, node, scope, stack):
                continue
            for child in reversed(children(node)):
                stack.append((child, scope))
        return self.out

    # ---------------------------------------------------------------- scopes
    def _params(self, params: cst.Parameters, function: Function, outer: list[cst.CSTNode]) -> None:
        for group, into in (
            ((*params.posonly_params, *params.params), function.params),
            (params.kwonly_params, function.kwonly),
        ):
            for p in group:
                annotation = p.annotation.annotation if p.annotation else None
                into.append(Param(p.name.value, p, annotation))
                function.bind(p.name.value, Binding("param", function))
                if p.default is not None:
                    outer.append(p.default)
                if p.annotation is not None:
                    outer.append(p.annotation)
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                function.has_star_args = True
                function.bind(star.name.value, Binding("param", function))

    def _function(
        self, node: cst.FunctionDef | cst.Lambda, scope: Scope, stack: Work, name: str
    ) -> Function:
        function = Function(parent=scope, node=node, name=name)
        outer: list[cst.CSTNode] = []
        if isinstance(node, cst.FunctionDef):
            outer.extend(node.decorators)
            if node.returns is not None:
                outer.append(node.returns)
        self._params(node.params, function, outer)
        self.out.functions.append(function)
        self.out.function_of[node] = function
        # Pushed in reverse: decorators and defaults (outer scope) are walked first.
        stack.append((node.body, function))
        stack.extend((child, scope) for child in reversed(outer))
        return function

    def function_def(self, node: cst.FunctionDef, scope: Scope, stack: Work) -> bool:
        function = self._function(node, scope, stack, node.name.value)
        if isinstance(scope, ClassScope):
            function.class_scope = scope
            scope.methods.append(function)
        scope.bind(node.name.value, Binding("def", scope, function=function))
        return True

    def lambda_(self, node: cst.Lambda, scope: Scope, stack: Work) -> bool:
        self._function(node, scope, stack, "<lambda>")
        return True

    def class_def(self, node: cst.ClassDef, scope: Scope, stack: Work) -> bool:
        scope.bind(node.name.value, Binding("class", scope))
        inner = ClassScope(parent=scope, node=node)
        self.out.classes.append(inner)
        stack.append((node.body, inner))
        outer = [*node.decorators, *node.bases, *node.keywords]
        stack.extend((child, scope) for child in reversed(outer))
        return True

    # -------------------------------------------------------------- bindings
    def import_(self, node: cst.Import, scope: Scope, stack: Work) -> bool:
        for alias in node.names:
            parts = dotted_name(alias.name) or []
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                qname = ".".join(parts)
                scope.bind(alias.asname.name.value, Binding("import", scope, qname))
            elif parts:
                scope.bind(parts[0], Binding("import", scope, parts[0]))
        return True

    def import_from(self, node: cst.ImportFrom, scope: Scope, stack: Work) -> bool:
        module = ".".join(dotted_name(node.module) or []) if node.module else ""
        if isinstance(node.names, cst.ImportStar):
            if not node.relative:
                self.out.star_imports.append(module)
            return True
        prefix = "." * len(node.relative) + module
        for alias in node.names:
            if not isinstance(alias.name, cst.Name):
                continue
            name = alias.name.value
            local = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            qname = f"{prefix}.{name}" if prefix and not prefix.endswith(".") else prefix + name
            scope.bind(local, Binding("import", scope, qname))
        return True

    def assign(self, node: cst.Assign, scope: Scope, stack: Work) -> bool:
        for target in node.targets:
            _bind_target(scope, target.target, node.value)
        self.out.writes.append((node, scope))
        return False

    def ann_assign(self, node: cst.AnnAssign, scope: Scope, stack: Work) -> bool:
        _bind_target(scope, node.target, node.value)
        if node.value is not None:
            self.out.writes.append((node, scope))
        return False

    def aug_assign(self, node: cst.AugAssign, scope: Scope, stack: Work) -> bool:
        for name in target_names(node.target):
            scope.bind(name, Binding("other", scope))
        self.out.writes.append((node, scope))
        return False

    def delete(self, node: cst.Del, scope: Scope, stack: Work) -> bool:
        self.out.writes.append((node, scope))
        return False

    def named_expr(self, node: cst.NamedExpr, scope: Scope, stack: Work) -> bool:
        if isinstance(node.target, cst.Name):
            scope.bind(node.target.value, Binding("assign", scope, value=node.value))
        return False

    def for_(self, node: cst.For, scope: Scope, stack: Work) -> bool:
        for name in target_names(node.target):
            scope.bind(name, Binding("other", scope))
        self.out.loops.append((node, scope))
        return False

    def comp_for(self, node: cst.CompFor, scope: Scope, stack: Work) -> bool:
        for name in target_names(node.target):
            scope.bind(name, Binding("other", scope))
        return False

    def comprehension(self, node: Comprehension, scope: Scope, stack: Work) -> bool:
        self.out.comprehensions.append((node, scope))
        return False

    def with_(self, node: cst.With, scope: Scope, stack: Work) -> bool:
        for item in node.items:
            if item.asname is not None:
                target = item.asname.name
                if isinstance(target, cst.Name):
                    scope.bind(target.value, Binding("assign", scope, value=item.item))
                else:
                    _bind_target(scope, target, None)
        self.out.withs.append((node, scope))
        return False

    def except_handler(
        self, node: cst.ExceptHandler | cst.ExceptStarHandler, scope: Scope, stack: Work
    ) -> bool:
        if node.name is not None and isinstance(node.name.name, cst.Name):
            scope.bind(node.name.name.value, Binding("other", scope))
        return False

    def global_(self, node: cst.Global, scope: Scope, stack: Work) -> bool:
        scope.global_names.update(item.name.value for item in node.names)
        return True

    def nonlocal_(self, node: cst.Nonlocal, scope: Scope, stack: Work) -> bool:
        scope.nonlocal_names.update(item.name.value for item in node.names)
        return True

    # ------------------------------------------------------------ collected
    def call(self, node: cst.Call, scope: Scope, stack: Work) -> bool:
        self.out.calls.append((node, scope))
        return False

    def try_(self, node: cst.Try | cst.TryStar, scope: Scope, stack: Work) -> bool:
        self.out.trys.append((node, scope))
        return False

    def return_(self, node: cst.Return, scope: Scope, stack: Work) -> bool:
        self.out.returns.append((node, scope))
        return False

    def attribute(self, node: cst.Attribute, scope: Scope, stack: Work) -> bool:
        if node.attr.value in ENVIRON:
            self.out.environ_refs.append((node, scope))
        stack.append((node.value, scope))  # the attribute's own Name is not a reference
        return True

    def name(self, node: cst.Name, scope: Scope, stack: Work) -> bool:
        if node.value in ENVIRON:
            self.out.environ_refs.append((node, scope))
        return True


ENVIRON = frozenset({"environ", "environb"})

Handler = Callable[[Collector, Any, Scope, Work], bool]
_HANDLERS: dict[type[cst.CSTNode], Handler] = {
    cst.FunctionDef: Collector.function_def,
    cst.Lambda: Collector.lambda_,
    cst.ClassDef: Collector.class_def,
    cst.Import: Collector.import_,
    cst.ImportFrom: Collector.import_from,
    cst.Assign: Collector.assign,
    cst.AnnAssign: Collector.ann_assign,
    cst.AugAssign: Collector.aug_assign,
    cst.Del: Collector.delete,
    cst.NamedExpr: Collector.named_expr,
    cst.For: Collector.for_,
    cst.CompFor: Collector.comp_for,
    cst.ListComp: Collector.comprehension,
    cst.SetComp: Collector.comprehension,
    cst.DictComp: Collector.comprehension,
    cst.GeneratorExp: Collector.comprehension,
    cst.With: Collector.with_,
    cst.ExceptHandler: Collector.except_handler,
    cst.ExceptStarHandler: Collector.except_handler,
    cst.Global: Collector.global_,
    cst.Nonlocal: Collector.nonlocal_,
    cst.Call: Collector.call,
    cst.Try: Collector.try_,
    cst.TryStar: Collector.try_,
    cst.Return: Collector.return_,
    cst.Attribute: Collector.attribute,
    cst.Name: Collector.name,
}


def _bind_target(
    scope: Scope, target: cst.BaseExpression, value: cst.BaseExpression | None
) -> None:
    if isinstance(target, cst.Name):
        scope.bind(target.value, Binding("assign", scope, value=value))
    else:
        for name in target_names(target):
            scope.bind(name, Binding("other", scope))


def collect(module: cst.Module) -> Collected:
    """Walk `module` once; move `global`/`nonlocal` names out of the local bindings."""
    out = Collector().run(module)
    for scope in (*out.functions, *out.classes):
        for name in scope.global_names:
            binding = scope.bindings.pop(name, None)
            if binding is not None and name not in out.module.bindings:
                binding.scope = out.module
                out.module.bindings[name] = binding
        for name in scope.nonlocal_names:
            scope.bindings.pop(name, None)
    return out


def lookup(name: str, scope: Scope) -> Binding | None:
    """The binding `name` refers to from `scope` (Python's rules, class bodies skipped)."""
    current: Scope | None = scope
    first = True
    while current is not None:
        if isinstance(current, ClassScope) and not first:
            current = current.parent
            continue
        if name in current.global_names:
            current = _module_of(current)
        if name in current.bindings:
            return current.bindings[name]
        current = current.parent
        first = False
    return None


def _module_of(scope: Scope) -> Scope:
    while scope.parent is not None:
        scope = scope.parent
    return scope
