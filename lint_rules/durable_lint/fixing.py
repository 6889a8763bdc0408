"""`--fix`, `--unsafe-fixes` and `--diff` over a run's files, and fixes for the reports.

Only files with a finding whose fix is allowed are touched. Each is fixed in
verified rounds (`fix_apply.fix_text`): the new text parses and a re-lint shows the
fixed findings gone. With `--diff` the change is printed as a unified diff and no
file is written. The findings returned are what remains after fixing.
"""

from __future__ import annotations

import io
import tokenize
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from durable_lint.findings import Finding
from durable_lint.options import EngineOptions

# Which codes have fixes, kept here so the CLI can decide without importing libcst.
SAFE_FIX_CODES = frozenset({"DUR107"})
UNSAFE_FIX_CODES = frozenset({"DUR101", "DUR102", "DUR103", "DUR108"})
FIXABLE_CODES = SAFE_FIX_CODES | UNSAFE_FIX_CODES


@dataclass(frozen=True)
class FixRequest:
    """What the user asked for: unsafe fixes too, and whether to print a diff only."""

    unsafe: bool
    diff_only: bool


def _by_path(findings: Sequence[Finding]) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        grouped[finding.path].append(finding)
    return grouped


def _decoded(source: bytes) -> str | None:
    from durable_lint.engine import decode

    try:
        return decode(source)
    except (SyntaxError, UnicodeDecodeError, LookupError):
        return None


def fix_files(
    findings: Sequence[Finding],
    sources: dict[str, bytes],
    files: dict[str, tuple[Path, EngineOptions]],
    request: FixRequest,
    out: TextIO,
) -> tuple[list[Finding], int]:
    """Fix what may be fixed; return the remaining findings and how many were fixed."""
    from durable_lint.engine import lint_source
    from durable_lint.fix_apply import fix_text, unified_diff

    wanted = FIXABLE_CODES if request.unsafe else SAFE_FIX_CODES
    remaining: list[Finding] = []
    fixed = 0
    for shown_as, file_findings in _by_path(findings).items():
        text = _decoded(sources.get(shown_as, b""))
        if (
            shown_as not in files
            or text is None
            or not any(finding.code in wanted for finding in file_findings)
        ):
            remaining.extend(file_findings)
            continue
        path, options = files[shown_as]

        def lint(
            candidate: str, shown_as: str = shown_as, options: EngineOptions = options
        ) -> list[Finding]:
            return lint_source(candidate, shown_as, options)

        outcome = fix_text(text, lint, request.unsafe)
        remaining.extend(outcome.remaining)
        if outcome.applied == 0:
            continue
        fixed += outcome.applied
        if request.diff_only:
            out.write(unified_diff(shown_as, text, outcome.text))
        else:
            # Written back in the encoding the file declares (a BOM or coding cookie).
            encoding = tokenize.detect_encoding(io.BytesIO(sources[shown_as]).readline)[0]
            with open(path, "w", encoding=encoding, newline="") as handle:
                handle.write(outcome.text)
    return remaining, fixed


def attach_fixes(findings: Sequence[Finding], sources: dict[str, bytes]) -> list[Finding]:
    """Return the findings with their fixes attached (for the JSON and SARIF reports)."""
    from durable_lint.fixes import with_fixes

    result: list[Finding] = []
    for shown_as, file_findings in _by_path(findings).items():
        text = None
        if any(finding.code in FIXABLE_CODES for finding in file_findings):
            text = _decoded(sources.get(shown_as, b""))
        result.extend(with_fixes(text, file_findings) if text is not None else file_findings)
    return result
