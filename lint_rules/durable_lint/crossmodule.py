"""Follow helper calls into other modules of the linted project.

A call in replayed code to a function imported from another module of the project
(`from orders.clock import stamp`, `from .clock import stamp`, `import orders.clock as
clock; clock.stamp()`, re-exports through a package's `__init__`) is resolved to that
module's file by a lean import resolver: the module is looked for beside the importing
file and under the folder that holds its top-level package, never imported or run.
The imported module is parsed and analysed once per process (memoised), its own helper
calls are followed the same way, to the configured depth, and cycles end the walk.
"""

from __future__ import annotations

import functools
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst

from durable_lint.callgraph import CallGraph, HelperResolver
from durable_lint.catalog import SDK_ROOTS
from durable_lint.options import EngineOptions
from durable_lint.scopes import Function, Scope, collect, lookup
from durable_lint.semantics import Model, build_model
from durable_lint.sinks import SinkFinder

MAX_REEXPORT_HOPS = 5

ResolverFactory = Callable[[Model], HelperResolver]


@dataclass(eq=False)
class ModuleFacts:
    """One project module, analysed for the call graph: its model and graph."""

    path: Path
    dotted: str
    model: Model
    graph: CallGraph | None = None


@dataclass(eq=False)
class Project:
    """The project modules analysed so far in this process, and who read which file."""

    options: EngineOptions
    modules: dict[Path, ModuleFacts | None] = field(default_factory=dict)
    read: dict[Path, bytes] = field(default_factory=dict)

    def facts(self, path: Path) -> ModuleFacts | None:
        """Analyse the module at `path` once; None when it cannot be read or parsed."""
        path = path.resolve()
        if path not in self.modules:
            self.modules[path] = None  # an import cycle meets this marker and stops
            self.modules[path] = self._analyse(path)
        return self.modules[path]

    def _analyse(self, path: Path) -> ModuleFacts | None:
        from durable_lint.engine import decode

        try:
            source = path.read_bytes()
            module = cst.parse_module(decode(source))
        except (OSError, SyntaxError, UnicodeDecodeError, LookupError, cst.ParserSyntaxError):
            return None
        except RecursionError:
            return None
        self.read[path] = source
        model = build_model(collect(module), self.options.sdk)
        facts = ModuleFacts(path, _dotted_name(path), model)
        sinks = SinkFinder(model, self.options.sinks).find()
        facts.graph = CallGraph(
            model, sinks, self.options.max_call_depth, ProjectResolver(model, path, self)
        )
        return facts


_PROJECTS = threading.local()


def project_for(options: EngineOptions) -> Project:
    """The per-process project memo for these options (one per worker process)."""
    projects: dict[int, Project] = getattr(_PROJECTS, "by_options", None) or {}
    _PROJECTS.by_options = projects
    key = hash(repr(options))
    if key not in projects:
        projects[key] = Project(options)
    return projects[key]


def resolver_factory(path: str, options: EngineOptions) -> ResolverFactory:
    """A factory for the resolver of the file at `path`, which follows project imports."""
    project = project_for(options)
    importer = Path(path)

    def make(model: Model) -> HelperResolver:
        return ProjectResolver(model, importer, project)

    return make


def files_read(options: EngineOptions) -> dict[str, bytes]:
    """The project files analysed so far for these options, with the bytes that were read."""
    return {str(path): data for path, data in project_for(options).read.items()}


def _dotted_name(path: Path) -> str:
    parts = [path.stem] if path.name != "__init__.py" else []
    folder = path.parent
    while _is_package(folder):
        parts.insert(0, folder.name)
        folder = folder.parent
    return ".".join(parts) or path.stem


@functools.lru_cache(maxsize=4096)
def _entries(folder: Path) -> frozenset[str]:
    """The names in a folder, listed once per process (module lookups are set lookups)."""
    try:
        return frozenset(os.listdir(folder))
    except OSError:
        return frozenset()


def _is_package(folder: Path) -> bool:
    return "__init__.py" in _entries(folder)


@functools.lru_cache(maxsize=1024)
def search_roots(folder: Path) -> tuple[Path, ...]:
    """Folders an absolute import from a file in `folder` is looked up in: that folder,
    and the folder holding its top-level package."""
    roots = [folder]
    while _is_package(folder) and folder.parent != folder:
        folder = folder.parent
    if folder not in roots:
        roots.append(folder)
    return tuple(roots)


def _module_file(folder: Path, parts: list[str]) -> Path | None:
    for part in parts[:-1]:
        if part not in _entries(folder):
            return None
        folder = folder / part
    if parts:
        if f"{parts[-1]}.py" in _entries(folder):
            return folder / f"{parts[-1]}.py"
        folder = folder / parts[-1]
    return folder / "__init__.py" if _is_package(folder) else None


def locate(qualified: str, importer: Path) -> tuple[Path, str] | None:
    """The file of the module that defines `qualified` (`a.b.f` or `.b.f`), and the name.

    `importer` is the resolved path of the importing file.
    """
    return _locate(qualified, importer.parent)


@functools.lru_cache(maxsize=8192)
def _locate(qualified: str, folder: Path) -> tuple[Path, str] | None:
    dots = len(qualified) - len(qualified.lstrip("."))
    parts = qualified[dots:].split(".")
    if len(parts) < 2 and not dots:
        return None
    name, module_parts = parts[-1], parts[:-1]
    if dots:
        for _ in range(dots - 1):
            folder = folder.parent
        found = _module_file(folder, module_parts)
        return (found, name) if found is not None else None
    if module_parts[0] in sys.stdlib_module_names:
        return None  # the standard library is the catalogue's business, never a helper
    for root in search_roots(folder):
        found = _module_file(root, module_parts)
        if found is not None:
            return found, name
    return None


def imported_name(func: cst.BaseExpression, scope: Scope) -> str | None:
    """The qualified name a called expression stands for when it starts at an import."""
    attributes: list[str] = []
    while isinstance(func, cst.Attribute):
        attributes.insert(0, func.attr.value)
        func = func.value
    if not isinstance(func, cst.Name):
        return None
    binding = lookup(func.value, scope)
    if binding is None or binding.kind != "import" or binding.qname is None:
        return None
    return ".".join([binding.qname, *attributes]) if attributes else binding.qname


class ProjectResolver(HelperResolver):
    """Resolves helpers of the same module, then functions imported from the project."""

    def __init__(self, model: Model, path: Path, project: Project) -> None:
        super().__init__(model)
        self.path = path.resolve()
        self.project = project
        self.owners: dict[Function, ModuleFacts] = {}
        # The SDKs' own modules are the linter's knowledge, never helpers to follow.
        self.sdk_roots = SDK_ROOTS | {
            module.split(".")[0] for module in project.options.sdk.sdk_modules
        }

    def helper(self, call: cst.Call, scope: Scope) -> Function | None:
        local = super().helper(call, scope)
        if local is not None:
            return local
        qualified = imported_name(call.func, scope)
        if qualified is None or qualified.split(".")[0] in self.sdk_roots:
            return None
        return self._follow(qualified, self.path, MAX_REEXPORT_HOPS)

    def _follow(self, qualified: str, importer: Path, hops: int) -> Function | None:
        located = locate(qualified, importer)
        if located is None or hops < 1:
            return None
        path, name = located
        facts = self.project.facts(path)
        if facts is None:
            return None
        binding = facts.model.collected.module.bindings.get(name)
        if binding is None:
            return None
        if binding.kind == "import" and binding.qname is not None:
            return self._follow(binding.qname, path, hops - 1)
        function = binding.function
        if binding.kind != "def" or function is None or function in facts.model.roles:
            return None
        self.owners[function] = facts
        return function

    def graph_for(self, function: Function) -> CallGraph | None:
        facts = self.owners.get(function)
        return facts.graph if facts is not None else None

    def model_of(self, function: Function) -> Model:
        facts = self.owners.get(function)
        return facts.model if facts is not None else self.model

    def display(self, function: Function) -> str:
        facts = self.owners.get(function)
        return f"{facts.dotted}.{function.name}" if facts is not None else function.name
