"""Lint many files: answer from the cache where the bytes are known, fan the rest out.

A file whose bytes, path and engine options are in the cache costs a read and a
hash; the engine (and libcst) is imported only when some file misses. Misses are
linted in a pool of worker processes when there are enough of them to pay for the
pool, else in this process.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from durable_lint.cache import FindingCache, settings_fingerprint
from durable_lint.findings import Finding
from durable_lint.options import EngineOptions

FILES_PER_WORKER_BEFORE_POOL = 8
"""Fewer misses than this per worker are linted in-process: the pool costs more."""


@dataclass(frozen=True)
class FileJob:
    """One file to lint: where it is, how it is shown, and the options for it."""

    path: Path
    shown_as: str
    options: EngineOptions


@dataclass
class RunResult:
    """The findings of a run and the one-line errors of files that could not be linted."""

    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    sources: dict[str, bytes] = field(default_factory=dict)


def default_jobs() -> int:
    """The number of worker processes when `--jobs` is not given: the usable cores."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def options_fingerprint(options: EngineOptions) -> str:
    """A stable digest of engine options (sets sorted, so it is the same in every process)."""
    # repr is cheap but orders sets by this process's hash seed: fine as a memo key only.
    return _fingerprint_of(repr(options), options)


_FINGERPRINTS: dict[str, str] = {}


def _fingerprint_of(key: str, options: EngineOptions) -> str:
    if key not in _FINGERPRINTS:
        _FINGERPRINTS[key] = _stable_fingerprint(options)
    return _FINGERPRINTS[key]


def _stable_fingerprint(options: EngineOptions) -> str:
    def plain(value: Any) -> Any:
        if isinstance(value, set | frozenset):
            return sorted(value)
        return repr(value)

    return settings_fingerprint(json.loads(json.dumps(dataclasses.asdict(options), default=plain)))


Outcome = tuple[list[Finding], dict[str, bytes]] | str
"""A file's findings and the other project files its analysis read, or an error line."""


def _lint_one(job: tuple[bytes, str, EngineOptions]) -> Outcome:
    from durable_lint.crossmodule import files_read
    from durable_lint.engine import lint_source

    source, shown_as, options = job
    try:
        findings = lint_source(source, shown_as, options)
    except Exception as error:  # one broken file must not hide the others' findings
        return f"internal error on {shown_as}: {type(error).__name__}: {error}; please report it"
    # Every project file read so far in this process: a superset of this file's imports,
    # so an edit to any of them invalidates the entry.
    return findings, files_read(options)


def lint_jobs(jobs: Sequence[FileJob], *, workers: int, cache_folder: Path | None) -> RunResult:
    """Lint every job; use and fill the cache under `cache_folder` unless it is None."""
    result = RunResult()
    caches: dict[str, FindingCache] = {}
    misses: list[tuple[FileJob, bytes, FindingCache | None]] = []
    for job in jobs:
        try:
            source = job.path.read_bytes()
        except OSError as error:
            result.errors.append(f"cannot read {job.shown_as}: {error.strerror}")
            continue
        result.sources[job.shown_as] = source
        cache = None
        if cache_folder is not None:
            fingerprint = options_fingerprint(job.options)
            if fingerprint not in caches:
                caches[fingerprint] = FindingCache(cache_folder, fingerprint)
            cache = caches[fingerprint]
            cached = cache.load(job.shown_as, source)
            if cached is not None:
                result.findings.extend(Finding.from_dict(data) for data in cached)
                continue
        misses.append((job, source, cache))
    if not misses:
        return result
    from durable_lint import engine  # noqa: F401  (imported before forking, shared by workers)

    work = [(source, job.shown_as, job.options) for job, source, _cache in misses]
    if workers > 1 and len(work) >= workers * FILES_PER_WORKER_BEFORE_POOL:
        chunk = max(1, len(work) // (workers * 4))
        with ProcessPoolExecutor(max_workers=workers) as pool:
            outcomes = list(pool.map(_lint_one, work, chunksize=chunk))
    else:
        outcomes = [_lint_one(item) for item in work]
    for (job, source, cache), outcome in zip(misses, outcomes, strict=True):
        if isinstance(outcome, str):
            result.errors.append(outcome)
            continue
        findings, depends = outcome
        result.findings.extend(findings)
        if cache is not None:
            cache.store(job.shown_as, source, [f.to_dict() for f in findings], depends)
    return result
