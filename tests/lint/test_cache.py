"""The findings cache: keyed by content, settings and version; invalidated by dependencies."""

from __future__ import annotations

from pathlib import Path

from durable_lint.cache import FindingCache, settings_fingerprint

FINDING = {"path": "h.py", "line": 1, "column": 1, "code": "DUR101", "message": "clock read"}


def test_stored_findings_come_back_for_the_same_bytes(tmp_path: Path) -> None:
    cache = FindingCache(tmp_path / "cache", settings_fingerprint({"select": ["DUR"]}))
    cache.store("h.py", b"x = 1\n", [FINDING])
    assert cache.load("h.py", b"x = 1\n") == [FINDING]


def test_changed_bytes_miss(tmp_path: Path) -> None:
    cache = FindingCache(tmp_path / "cache", settings_fingerprint({}))
    cache.store("h.py", b"x = 1\n", [FINDING])
    assert cache.load("h.py", b"x = 2\n") is None


def test_changed_settings_miss(tmp_path: Path) -> None:
    FindingCache(tmp_path / "c", settings_fingerprint({"select": ["DUR1"]})).store(
        "h.py", b"x\n", [FINDING]
    )
    other = FindingCache(tmp_path / "c", settings_fingerprint({"select": ["DUR2"]}))
    assert other.load("h.py", b"x\n") is None


def test_a_clean_file_is_cached_as_clean(tmp_path: Path) -> None:
    cache = FindingCache(tmp_path / "cache", settings_fingerprint({}))
    cache.store("h.py", b"x = 1\n", [])
    assert cache.load("h.py", b"x = 1\n") == []


def test_entry_is_dropped_when_a_dependency_changes(tmp_path: Path) -> None:
    helper = tmp_path / "helper.py"
    helper.write_bytes(b"def stamp(): ...\n")
    cache = FindingCache(tmp_path / "cache", settings_fingerprint({}))
    cache.store("h.py", b"import helper\n", [FINDING], depends={str(helper): helper.read_bytes()})
    helper.write_bytes(b"def stamp(): return 1\n")
    assert FindingCache(cache.folder, cache.settings).load("h.py", b"import helper\n") is None


def test_entry_survives_while_dependencies_are_unchanged(tmp_path: Path) -> None:
    helper = tmp_path / "helper.py"
    helper.write_bytes(b"def stamp(): ...\n")
    cache = FindingCache(tmp_path / "cache", settings_fingerprint({}))
    cache.store("h.py", b"import helper\n", [FINDING], depends={str(helper): helper.read_bytes()})
    assert FindingCache(cache.folder, cache.settings).load("h.py", b"import helper\n") == [FINDING]


def test_cache_folder_is_tagged_and_git_ignored(tmp_path: Path) -> None:
    cache = FindingCache(tmp_path / "cache", settings_fingerprint({}))
    cache.store("h.py", b"x\n", [])
    assert (tmp_path / "cache" / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f59")
    assert (tmp_path / "cache" / ".gitignore").read_text().endswith("*\n")


def test_corrupt_entry_is_a_miss(tmp_path: Path) -> None:
    cache = FindingCache(tmp_path / "cache", settings_fingerprint({}))
    cache.store("h.py", b"x\n", [])
    for entry in (tmp_path / "cache").rglob("*.json"):
        entry.write_text("{not json")
    assert cache.load("h.py", b"x\n") is None
