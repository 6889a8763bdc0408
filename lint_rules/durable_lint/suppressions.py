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
    """Scan the comments of `text` (tokenized, so `#` inside strings is ignored).

    Both `# noqa` and `# durable: ignore[...]` cover every line of the statement they
    sit on (or, for a standalone ignore comment, of the statement below it).
    """
    found = Suppressions()
    if "noqa" not in text.lower() and "durable:" not in text:
        return found
    lines = text.splitlines()
    noqa_at: list[tuple[int, frozenset[str]]] = []
    ignore_at: list[tuple[int, frozenset[str]]] = []
    statement_of: dict[int, tuple[int, int]] = {}
    start, depth = 1, 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                line = token.start[0]
                noqa = NOQA.search(token.string)
                if noqa is not None:
                    noqa_at.append((line, _codes(noqa.group("codes"))))
                ignore = DURABLE_IGNORE.search(token.string)
                if ignore is not None:
                    codes = _codes(ignore.group("codes"))
                    if ignore.group("file"):
                        found.file_codes = found.file_codes | codes
                    elif lines[line - 1].lstrip().startswith("#"):
                        ignore_at.append((_next_code_line(lines, line), codes))
                    else:
                        ignore_at.append((line, codes))
            elif token.type == tokenize.OP and token.string in ("(", "[", "{"):
                depth += 1
            elif token.type == tokenize.OP and token.string in (")", "]", "}"):
                depth = max(0, depth - 1)
            elif token.type in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER):
                if token.type == tokenize.NL and depth > 0:
                    continue
                end = token.start[0]
                for covered in range(start, end + 1):
                    statement_of[covered] = (start, end)
                start = end + 1
    except (tokenize.TokenError, SyntaxError):
        pass
    for marks, into in ((noqa_at, found.noqa_codes), (ignore_at, found.line_codes)):
        for line, codes in marks:
            first, last = statement_of.get(line, (line, line))
            for covered in range(first, last + 1):
                into[covered].update(codes)
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
