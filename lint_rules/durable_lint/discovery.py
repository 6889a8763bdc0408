"""Which files a run lints: the paths given, folders walked, excludes applied below them."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from durable_lint.config import ConfigError, Settings


def iter_python_files(paths: Iterable[str], settings: Settings) -> Iterator[tuple[Path, str]]:
    """Yield `(path, shown_as)` for each file to lint, in a stable order.

    A path named on the command line is always linted; exclude patterns prune what
    is found while walking folders (so `durable-lint fixtures/demo` lints the demo
    even though the project excludes it from `durable-lint .`).
    """
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_file():
            if path.resolve() not in seen:
                seen.add(path.resolve())
                yield path, os.path.normpath(given)
        elif path.is_dir():
            for found in _walk(path, settings):
                if found.resolve() not in seen:
                    seen.add(found.resolve())
                    yield found, os.path.normpath(str(found))
        else:
            raise ConfigError(f"path {given} does not exist")


def _walk(folder: Path, settings: Settings) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        base = Path(root)
        dirs[:] = sorted(d for d in dirs if not settings.is_excluded(base / d))
        for name in sorted(files):
            if name.endswith((".py", ".pyi")) and not settings.is_excluded(base / name):
                yield base / name
