"""Apply fixes to a file's text and prove each round: it parses and the findings are gone.

Fixes are applied in rounds, like ruff does: every fix whose edits do not overlap
an earlier one is applied, the new text must parse, and a re-lint must show each
fixed finding gone and nothing new. A round that fails that check is retried one
fix at a time, keeping only the fixes that pass; a fix that never passes is left
unapplied and its finding stays reported.
"""

from __future__ import annotations

import ast
import difflib
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import libcst as cst

from durable_lint.findings import Finding, Fix
from durable_lint.fixes import with_fixes

MAX_ROUNDS = 10

Linter = Callable[[str], list[Finding]]
"""Lints the given text of the file being fixed and returns its findings."""


@dataclass(frozen=True)
class FixOutcome:
    """The fixed text, how many fixes went in, and what is still reported."""

    text: str
    applied: int
    remaining: list[Finding]


def _offsets(text: str) -> list[int]:
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    return starts


def _offset(starts: list[int], text: str, line: int, column: int) -> int:
    if line > len(starts) - 1:
        return len(text)
    return min(starts[line - 1] + column - 1, len(text))


def apply_edits(text: str, findings: Sequence[Finding]) -> tuple[str, list[Finding]]:
    """Apply the fixes of `findings` that do not overlap; return the text and those applied."""
    starts = _offsets(text)
    taken: list[tuple[int, int]] = []
    chosen: dict[tuple[int, int, str], None] = {}
    applied: list[Finding] = []
    for finding in findings:
        if finding.fix is None:
            continue
        spans = [
            (
                _offset(starts, text, edit.line, edit.column),
                _offset(starts, text, edit.end_line, edit.end_column),
                edit.content,
            )
            for edit in finding.fix.edits
        ]
        fresh = [span for span in spans if span not in chosen]
        if any(_overlaps(span[:2], other) for span in fresh for other in taken):
            continue
        for span in fresh:
            chosen[span] = None
            taken.append(span[:2])
        applied.append(finding)
    pieces, cursor = [], 0
    for begin, end, content in sorted(chosen, key=lambda span: (span[0], span[1])):
        pieces.append(text[cursor:begin])
        if begin == len(text) and text and not text.endswith("\n"):
            pieces.append("\n")
        pieces.append(content)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces), applied


def _overlaps(first: tuple[int, int], second: tuple[int, int]) -> bool:
    if first[0] == first[1] or second[0] == second[1]:
        # An insertion clashes only with a replacement that strictly spans its point.
        point, span = (first, second) if first[0] == first[1] else (second, first)
        return span[0] < point[0] < span[1]
    return first[0] < second[1] and second[0] < first[1]


def _verified(
    text: str, before: list[Finding], applied: list[Finding], lint: Linter
) -> list[Finding] | None:
    try:
        cst.parse_module(text)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # libcst accepts newer syntax than the running Python; the fix must suit both.
            ast.parse(text)
    except (cst.ParserSyntaxError, SyntaxError, RecursionError, MemoryError):
        return None
    after = lint(text)
    expected = Counter(finding.code for finding in before)
    expected.subtract(finding.code for finding in applied)
    found = Counter(finding.code for finding in after)
    if any(count > expected[code] for code, count in found.items()):
        return None
    return after


def allowed(fix: Fix | None, unsafe: bool) -> bool:
    """Whether a fix may be applied: safe ones always, unsafe ones on request."""
    return fix is not None and (fix.applicability == "safe" or unsafe)


def fix_text(text: str, lint: Linter, unsafe: bool) -> FixOutcome:
    """Fix `text` as far as its verified fixes go."""
    findings = lint(text)
    applied_total = 0
    for _round in range(MAX_ROUNDS):
        candidates = [f for f in with_fixes(text, findings) if allowed(f.fix, unsafe)]
        if not candidates:
            break
        new_text, applied = apply_edits(text, candidates)
        after = _verified(new_text, findings, applied, lint)
        if after is None:
            applied = []
            for candidate in candidates:
                new_text, single = apply_edits(text, [candidate])
                after = _verified(new_text, findings, single, lint)
                if after is not None:
                    applied = single
                    break
        if after is None or not applied:
            break
        text, findings = new_text, after
        applied_total += len(applied)
    return FixOutcome(text, applied_total, findings)


def unified_diff(path: str, before: str, after: str) -> str:
    """Return the change as a unified diff with `a/` and `b/` paths."""
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"a/{path}",
            tofile=f"b/{path}",
        )
    )
