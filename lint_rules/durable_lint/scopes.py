"""The lean resolver: one walk over a libcst module that records scopes and bindings.

It replaces libcst's ScopeProvider and QualifiedNameProvider, which cost several
parses: here a binding is a name, what bound it and (for imports) the qualified
name it stands for. Interesting nodes (calls, loops, try statements, writes) are
collected with the scope they sit in, so rules never walk the tree again.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

import libcst as cst

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


class Collector(cst.CSTVisitor):
    """Walks a module once and fills a `Collected`."""

    def __init__(self) -> None:
        self.out = Collected(ModuleScope(parent=None))
        self.scope: Scope = self.out.module
        self._attribute_names: set[int] = set()

    # ---------------------------------------------------------------- scopes
    def _visit_all(self, nodes: Sequence[cst.CSTNode]) -> None:
        for node in nodes:
            node.visit(self)

    def _params(self, params: cst.Parameters, function: Function) -> None:
        outer: list[cst.CSTNode] = []
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
        self._visit_all(outer)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        function = Function(parent=self.scope, node=node, name=node.name.value)
        if isinstance(self.scope, ClassScope):
            function.class_scope = self.scope
            self.scope.methods.append(function)
        self._visit_all(node.decorators)
        if node.returns is not None:
            node.returns.visit(self)
        self._params(node.params, function)
        self.scope.bind(node.name.value, Binding("def", self.scope, function=function))
        self._enter(function, node.body)
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        function = Function(parent=self.scope, node=node)
        self._params(node.params, function)
        self._enter(function, node.body)
        return False

    def _enter(self, function: Function, body: cst.CSTNode) -> None:
        assert function.node is not None
        self.out.functions.append(function)
        self.out.function_of[function.node] = function
        outer, self.scope = self.scope, function
        body.visit(self)
        self.scope = outer

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self._visit_all(node.decorators)
        self._visit_all(node.bases)
        self._visit_all(node.keywords)
        self.scope.bind(node.name.value, Binding("class", self.scope))
        scope = ClassScope(parent=self.scope, node=node)
        self.out.classes.append(scope)
        outer, self.scope = self.scope, scope
        node.body.visit(self)
        self.scope = outer
        return False

    # -------------------------------------------------------------- bindings
    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            parts = dotted_name(alias.name) or []
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                qname = ".".join(parts)
                self.scope.bind(alias.asname.name.value, Binding("import", self.scope, qname))
            elif parts:
                self.scope.bind(parts[0], Binding("import", self.scope, parts[0]))

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar):
            return
        module = ".".join(dotted_name(node.module) or []) if node.module else ""
        prefix = "." * len(node.relative) + module
        for alias in node.names:
            name = alias.name.value if isinstance(alias.name, cst.Name) else None
            if name is None:
                continue
            local = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            qname = f"{prefix}.{name}" if prefix and not prefix.endswith(".") else prefix + name
            self.scope.bind(local, Binding("import", self.scope, qname))

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind_target(target.target, node.value)
            self._write(target.target, node)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._bind_target(node.target, node.value)
        if node.value is not None:
            self._write(node.target, node)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        for name in target_names(node.target):
            self.scope.bind(name, Binding("other", self.scope))
        self.out.writes.append((node, self.scope))

    def visit_Del(self, node: cst.Del) -> None:
        self.out.writes.append((node, self.scope))

    def _write(self, target: cst.BaseExpression, statement: cst.CSTNode) -> None:
        self.out.writes.append((statement, self.scope))

    def _bind_target(self, target: cst.BaseExpression, value: cst.BaseExpression | None) -> None:
        if isinstance(target, cst.Name):
            self.scope.bind(target.value, Binding("assign", self.scope, value=value))
        else:
            for name in target_names(target):
                self.scope.bind(name, Binding("other", self.scope))

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        if isinstance(node.target, cst.Name):
            self.scope.bind(node.target.value, Binding("assign", self.scope, value=node.value))

    def visit_For(self, node: cst.For) -> None:
        for name in target_names(node.target):
            self.scope.bind(name, Binding("other", self.scope))
        self.out.loops.append((node, self.scope))

    def visit_CompFor(self, node: cst.CompFor) -> None:
        for name in target_names(node.target):
            self.scope.bind(name, Binding("other", self.scope))

    def visit_ListComp(self, node: cst.ListComp) -> None:
        self.out.comprehensions.append((node, self.scope))

    def visit_SetComp(self, node: cst.SetComp) -> None:
        self.out.comprehensions.append((node, self.scope))

    def visit_DictComp(self, node: cst.DictComp) -> None:
        self.out.comprehensions.append((node, self.scope))

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> None:
        self.out.comprehensions.append((node, self.scope))

    def visit_With(self, node: cst.With) -> None:
        for item in node.items:
            if item.asname is not None:
                target = item.asname.name
                if isinstance(target, cst.Name):
                    self.scope.bind(target.value, Binding("assign", self.scope, value=item.item))
                else:
                    self._bind_target(target, None)
        self.out.withs.append((node, self.scope))

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.name is not None and isinstance(node.name.name, cst.Name):
            self.scope.bind(node.name.name.value, Binding("other", self.scope))

    def visit_Global(self, node: cst.Global) -> None:
        self.scope.global_names.update(item.name.value for item in node.names)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self.scope.nonlocal_names.update(item.name.value for item in node.names)

    # ------------------------------------------------------------ collected
    def visit_Call(self, node: cst.Call) -> None:
        self.out.calls.append((node, self.scope))

    def visit_Try(self, node: cst.Try) -> None:
        self.out.trys.append((node, self.scope))

    def visit_TryStar(self, node: cst.TryStar) -> None:
        self.out.trys.append((node, self.scope))

    def visit_Return(self, node: cst.Return) -> None:
        self.out.returns.append((node, self.scope))

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value in ("environ", "environb"):
            self._attribute_names.add(id(node.attr))
            self.out.environ_refs.append((node, self.scope))

    def visit_Name(self, node: cst.Name) -> None:
        if node.value in ("environ", "environb") and id(node) not in self._attribute_names:
            self.out.environ_refs.append((node, self.scope))


def collect(module: cst.Module) -> Collected:
    """Walk `module` once; move `global`/`nonlocal` names out of the local bindings."""
    collector = Collector()
    module.visit(collector)
    out = collector.out
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
