"""The engine: bytes -> libcst module -> semantic model -> rules -> findings -> suppressions.

Each file is parsed once and walked once. Files that mention no durable SDK are
read and dropped (they cannot hold a handler). Nothing the engine reads is ever
imported or executed. An undecodable or unparsable file is one DUR001 finding.
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Iterable
from pathlib import Path

import libcst as cst

from durable_lint.analysis import Analysis
from durable_lint.crossmodule import resolver_factory
from durable_lint.findings import Finding, Report
from durable_lint.options import EngineOptions
from durable_lint.parse_guard import refusal
from durable_lint.positions import positions
from durable_lint.rules import ALL_RULES, Rule
from durable_lint.scopes import collect
from durable_lint.semantics import build_model
from durable_lint.sinks import SinkFinder
from durable_lint.suppressions import apply_suppressions

_RULES: dict[type[Rule], Rule] = {}


def _rules_for(codes: frozenset[str]) -> list[Rule]:
    chosen = []
    for cls in ALL_RULES:
        if cls.code in codes:
            if cls not in _RULES:
                _RULES[cls] = cls()
            chosen.append(_RULES[cls])
    return chosen


def decode(source: bytes) -> str:
    """Decode Python source as the interpreter would (PEP 263 cookie, BOM, UTF-8)."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
    text = source.decode(encoding)
    return text.removeprefix("\ufeff")


def _unparsable(path: str, line: int, column: int, reason: str) -> Finding:
    message = f"file could not be parsed: {reason}; fix it so Python can read it"
    return Finding(path, line, column, line, column, "DUR001", message)


def _syntax_error(path: str, text: str, error: cst.ParserSyntaxError) -> Finding:
    # CPython's own parser names the line users (and flake8's E999) see; libcst's
    # position can be one line past it. Only the failing file pays for this.
    try:
        compile(text, path, "exec", ast.PyCF_ONLY_AST)
    except SyntaxError as python_error:
        line = python_error.lineno or 1
        column = python_error.offset or 1
        return _unparsable(path, line, column, python_error.msg)
    except (ValueError, RecursionError, MemoryError):
        pass
    reason = str(error.message).splitlines()[0] if error.message else "syntax error"
    return _unparsable(path, error.editor_line, error.editor_column, reason)


def lint_source(source: bytes | str, path: str, options: EngineOptions) -> list[Finding]:
    """Every finding of one file's source, suppressions applied, sorted by position."""
    if isinstance(source, bytes):
        try:
            text = decode(source)
        except UnicodeDecodeError as error:
            if "DUR001" not in options.codes:
                return []
            line = source.count(b"\n", 0, error.start) + 1
            column = error.start - (source.rfind(b"\n", 0, error.start) + 1) + 1
            reason = f"byte {source[error.start]:#x} is not valid {error.encoding}"
            return [_unparsable(path, line, column, reason)]
        except (SyntaxError, LookupError) as error:
            if "DUR001" not in options.codes:
                return []
            return [_unparsable(path, 1, 1, str(error).splitlines()[0])]
    else:
        text = source
    if not any(marker in text for marker in options.markers()):
        return []
    refused = refusal(text)
    if refused is not None:
        return [_unparsable(path, *refused)] if "DUR001" in options.codes else []
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as error:
        if "DUR001" not in options.codes:
            return []
        return [_syntax_error(path, text, error)]
    except RecursionError:
        return [_unparsable(path, 1, 1, "nesting too deep")] if "DUR001" in options.codes else []
    try:
        reports = analyse(module, options, path)
        findings = _place(module, text, reports, path)
    except RecursionError:
        return [_unparsable(path, 1, 1, "nesting too deep")] if "DUR001" in options.codes else []
    findings = apply_suppressions(findings, text, honour_noqa=options.honour_noqa)
    return sorted(findings, key=Finding.sort_key)


def analyse(module: cst.Module, options: EngineOptions, path: str | None = None) -> list[Report]:
    """Run the enabled rules over a parsed module (at `path`, to follow project imports)."""
    rules = _rules_for(options.codes)
    if not rules:
        return []
    collected = collect(module)
    model = build_model(collected, options.sdk)
    sink_finder = SinkFinder(model, options.sinks)
    factory = resolver_factory(path, options) if path is not None else None
    analysis = Analysis(model, sink_finder, options.max_call_depth, sink_finder.find(), factory)
    reports: list[Report] = []
    for rule in rules:
        reports.extend(rule.check(analysis))
    return reports


def _place(module: cst.Module, text: str, reports: Iterable[Report], path: str) -> list[Finding]:
    reports = list(reports)
    if not reports:
        return []
    where_is = positions(module, text, [report.node for report in reports])
    seen: set[tuple[str, int, int]] = set()
    findings = []
    for report in reports:
        where = where_is[report.node]
        line, column = where.start.line, where.start.column + 1
        if (report.code, line, column) in seen:
            continue
        seen.add((report.code, line, column))
        findings.append(
            Finding(
                path,
                line,
                column,
                where.end.line,
                where.end.column + 1,
                report.code,
                report.message,
            )
        )
    return findings


def lint_file(path: Path, shown_as: str, options: EngineOptions) -> list[Finding]:
    """Read and lint one file; `shown_as` is the path printed in findings."""
    return lint_source(path.read_bytes(), shown_as, options)
