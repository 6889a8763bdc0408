"""A content-hash cache of each file's findings, so an unchanged file is never parsed twice.

An entry is keyed by the file's path, its bytes, the settings that shape findings
(selected codes, configuration, the tool version) and lives in
`.durable-lint-cache/` as one small JSON file. When the analysis of a file read other
project files (helpers followed across modules), the entry records their content
hashes and is used only while they are unchanged too.

This module deliberately imports nothing heavy: a run where every file hits the
cache never imports libcst.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from durable_lint import __version__

CACHE_FOLDER_NAME = ".durable-lint-cache"
FORMAT_VERSION = "1"

_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This folder is a cache written by durable-lint; backup tools may skip it.\n"
)


def content_hash(content: bytes) -> str:
    """Return the hex digest that identifies a file's bytes."""
    return hashlib.blake2b(content, digest_size=20).hexdigest()


def settings_fingerprint(settings: Any) -> str:
    """Return a digest of everything outside a file that shapes its findings.

    `settings` is any JSON-serialisable description of the configuration (codes,
    options, configured names); the tool version is always part of it.
    """
    text = json.dumps(
        {"version": __version__, "format": FORMAT_VERSION, "settings": settings},
        sort_keys=True,
        default=repr,
    )
    return hashlib.blake2b(text.encode(), digest_size=20).hexdigest()


class FindingCache:
    """Findings of files stored by content hash under one cache folder."""

    def __init__(self, folder: Path, settings: str) -> None:
        self.folder = folder
        self.settings = settings
        self._hashes: dict[str, str | None] = {}

    def key(self, path: str, content: bytes) -> str:
        """Return the entry key of `path` holding `content` under these settings."""
        digest = hashlib.blake2b(digest_size=20)
        for part in (self.settings.encode(), path.encode(), b"\0", content):
            digest.update(part)
        return digest.hexdigest()

    def _entry_path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def _current_hash(self, path: str) -> str | None:
        if path not in self._hashes:
            try:
                self._hashes[path] = content_hash(Path(path).read_bytes())
            except OSError:
                self._hashes[path] = None
        return self._hashes[path]

    def load(self, path: str, content: bytes) -> list[dict[str, Any]] | None:
        """Return the cached findings of this file, or None when there is no valid entry."""
        try:
            entry = json.loads(self._entry_path(self.key(path, content)).read_bytes())
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or not isinstance(entry.get("findings"), list):
            return None
        depends = entry.get("depends", {})
        for other, digest in depends.items():
            if self._current_hash(other) != digest:
                return None
        findings: list[dict[str, Any]] = entry["findings"]
        return findings

    def store(
        self,
        path: str,
        content: bytes,
        findings: list[dict[str, Any]],
        depends: Mapping[str, bytes] | None = None,
    ) -> None:
        """Record the findings of this file; `depends` maps other files read to their bytes."""
        entry = {
            "findings": findings,
            "depends": {other: content_hash(data) for other, data in (depends or {}).items()},
        }
        target = self._entry_path(self.key(path, content))
        try:
            self._prepare(target.parent)
            # Write then rename, so a parallel reader never sees half an entry.
            handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(entry, stream)
            os.replace(temporary, target)
        except OSError:
            # A cache that cannot be written (read-only tree) only costs speed.
            return

    def _prepare(self, folder: Path) -> None:
        if folder.is_dir():
            return
        folder.mkdir(parents=True, exist_ok=True)
        tag = self.folder / "CACHEDIR.TAG"
        if not tag.exists():
            tag.write_text(_CACHEDIR_TAG)
            (self.folder / ".gitignore").write_text("# written by durable-lint\n*\n")
