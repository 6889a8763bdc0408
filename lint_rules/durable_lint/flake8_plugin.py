"""flake8 adapter: hands each file's source to the durable-lint engine.

The findings are the CLI's, with flake8 applying `noqa` itself. Settings come from
the same `[tool.durable-lint]` table the CLI reads. DUR106 is opt-in here too: it
is reported only when flake8's `--select` or `--extend-select` names it in full.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from durable_lint import __version__
from durable_lint.codes import opt_in_codes
from durable_lint.config import ConfigError, Settings, load_settings


@lru_cache(maxsize=64)
def _settings_for(folder: str) -> Settings:
    try:
        return load_settings([folder], None)
    except ConfigError as error:
        # flake8 would print a traceback; a configuration mistake deserves one line.
        print(f"durable-lint: error: {error}", file=sys.stderr)
        raise SystemExit(2) from None


class DurableLintPlugin:
    """flake8 extension registered under the `DUR` prefix."""

    name = "durable-lint"
    version = __version__
    opted_in: frozenset[str] = frozenset()

    def __init__(self, tree: ast.AST, filename: str = "stdin", lines: list[str] | None = None):
        self.tree = tree
        self.filename = filename
        self.lines = lines or []

    @classmethod
    def parse_options(cls, options: Any) -> None:
        """Remember which opt-in codes flake8 was asked for by name."""
        named: list[str] = []
        for option in ("select", "extend_select"):
            named.extend(getattr(options, option, None) or [])
        cls.opted_in = frozenset(code for code in named if code in opt_in_codes())
        _settings_for(str(Path.cwd()))  # a broken configuration stops the run before it starts

    def run(self) -> Iterator[tuple[int, int, str, type[Any]]]:
        """Yield `(line, column, message, type)` for each finding."""
        from durable_lint.engine import lint_source

        path = Path(self.filename)
        folder = str(path.parent if self.filename != "stdin" else Path.cwd())
        settings = _settings_for(folder)
        options = settings.engine_options(path, honour_noqa=False)
        if self.opted_in:
            options = replace(options, codes=options.codes | self.opted_in)
        # The file's bytes, as the CLI reads them: flake8 decodes undecodable files as
        # Latin-1, which would hide the DUR001 the CLI reports.
        source: bytes | str = "".join(self.lines)
        if self.filename not in ("stdin", "-") and path.is_file():
            source = path.read_bytes()
        for finding in lint_source(source, self.filename, options):
            yield finding.line, finding.column - 1, f"{finding.code} {finding.message}", type(self)
