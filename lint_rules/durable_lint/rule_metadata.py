"""What viewers and the rule reference show about each code, read from the rule classes.

A rule's docstring is its documentation: the first line is the summary, the rest
(the sections *What it does*, *Why is this bad?*, *Example*, *Use instead*, *Fix*)
is the help text. The engine's own code, DUR001, has no class and is described here.
"""

from __future__ import annotations

import inspect

from durable_lint.report_sarif import RuleMetadata
from durable_lint.rules import ALL_RULES

UNPARSABLE_FILE = RuleMetadata(
    code="DUR001",
    name="unparsable-file",
    summary="The file could not be parsed.",
    help_markdown=(
        "## What it does\n"
        "Reports a file that Python cannot read: a syntax error, undecodable bytes, or\n"
        "nesting too deep to analyse. The rest of the run goes on.\n\n"
        "## Why is this bad?\n"
        "A file the linter cannot read is a file it cannot check.\n\n"
        "## Fix\n"
        "None: correct the file so that `python -m py_compile` accepts it.\n"
    ),
)


def rule_metadata() -> list[RuleMetadata]:
    """Every code's metadata, in code order."""
    described = [UNPARSABLE_FILE]
    for rule in ALL_RULES:
        doc = inspect.getdoc(rule) or rule.name
        summary, _, rest = doc.partition("\n")
        described.append(RuleMetadata(rule.code, rule.name, summary.strip(), rest.strip() + "\n"))
    return sorted(described, key=lambda meta: meta.code)
