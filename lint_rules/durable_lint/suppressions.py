"""Comments that silence findings: `# noqa`, `# durable: ignore[..]`, `# durable: ignore-file[..]`.

`# noqa` follows flake8: bare silences every code, `# noqa: DUR101,DUR2` the listed
codes and prefixes, and a comment anywhere on a multi-line statement covers all of
its lines. `# durable: ignore[CODES] -- reason` covers its own line, or the next
code line when it stands alone; `# durable: ignore-file[CODES]` covers the file.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from durable_lint.findings import Finding

NOQA = re.compile(r"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.I)
DURABLE_IGNORE = re.compile(
    r"#\s*durable:\s*ignore(?P<file>-file)?(?:\[(?P<codes>[A-Za-z0-9,\s]*)\])?"
)
ALL = "*"


def _codes(text: str | None) -> frozenset[str]:
    if not text:
        return frozenset({ALL})
    return frozenset(code.upper() for code in re.split(r"[,\s]+", text) if code)


def _covers(codes: frozenset[str], code: str) -> bool:
    return ALL in codes or any(code.startswith(prefix) for prefix in codes)


@dataclass
class Suppressions:
    """The silencing comments of one file, by line."""

    file_codes: frozenset[str] = frozenset()
    line_codes: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    noqa_codes: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))

    def silences(self, finding: Finding, honour_noqa: bool) -> bool:
        if self.file_codes and _covers(self.file_codes, finding.code):
            return True
        if _covers(frozenset(self.line_codes.get(finding.line, ())), finding.code):
            return True
        return honour_noqa and _covers(
            frozenset(self.noqa_codes.get(finding.line, ())), finding.code
        )


def read_suppressions(text: str) -> Suppressions:
    """Scan the comments of `text` (tokenized, so `#` inside strings is ignored)."""
    found = Suppressions()
    if "noqa" not in text.lower() and "durable:" not in text:
        return found
    lines = text.splitlines()
    logical_start = 1
    pending_noqa: list[frozenset[str]] = []
    depth = 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                line = token.start[0]
                noqa = NOQA.search(token.string)
                if noqa is not None:
                    pending_noqa.append(_codes(noqa.group("codes")))
                ignore = DURABLE_IGNORE.search(token.string)
                if ignore is not None:
                    codes = _codes(ignore.group("codes"))
                    if ignore.group("file"):
                        found.file_codes = found.file_codes | codes
                    else:
                        alone = lines[line - 1].lstrip().startswith("#")
                        target = _next_code_line(lines, line) if alone else line
                        found.line_codes[target].update(codes)
            elif token.type == tokenize.OP and token.string in "([{":
                depth += 1
            elif token.type == tokenize.OP and token.string in ")]}":
                depth = max(0, depth - 1)
            elif token.type in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER):
                if token.type == tokenize.NL and depth > 0:
                    continue
                end = token.start[0]
                for codes in pending_noqa:
                    for covered in range(logical_start, end + 1):
                        found.noqa_codes[covered].update(codes)
                pending_noqa = []
                logical_start = end + 1
    except (tokenize.TokenError, SyntaxError):
        pass
    return found


def _next_code_line(lines: list[str], line: int) -> int:
    for index in range(line, len(lines)):
        text = lines[index].strip()
        if text and not text.startswith("#"):
            return index + 1
    return line + 1


def apply_suppressions(
    findings: Iterable[Finding], text: str, *, honour_noqa: bool
) -> list[Finding]:
    """The findings no comment of `text` silences."""
    findings = list(findings)
    if not findings:
        return findings
    suppressions = read_suppressions(text)
    return [f for f in findings if not suppressions.silences(f, honour_noqa)]
