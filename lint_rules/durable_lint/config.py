"""Configuration: `[tool.durable-lint]` in pyproject.toml, merged with command-line options.

The table is found by walking up from the first linted path (or given with
`--config FILE`). Unknown keys and unknown codes are errors, never ignored.
"""

from __future__ import annotations

import fnmatch
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from durable_lint.codes import default_codes, known_codes, opt_in_codes
from durable_lint.options import EngineOptions, SdkSettings, SinkSettings

TABLE = "durable-lint"
DEFAULT_EXCLUDE: tuple[str, ...] = (
    ".git",
    ".hg",
    ".svn",
    ".venv",
    ".venv*",
    "venv",
    "site-packages",
    ".tox",
    ".nox",
    "__pycache__",
    "build",
    "dist",
    "node_modules",
    ".eggs",
    "*.egg-info",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".durable-lint-cache",
)
OPT_IN_CODES = opt_in_codes()


class ConfigError(Exception):
    """A configuration or option the user must correct (exit 2, one line)."""


@dataclass(frozen=True)
class Settings:
    """Everything configurable, after merging the file and the command line."""

    root: Path
    config_path: Path | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    max_call_depth: int = 5
    non_deterministic: Mapping[str, str] = field(default_factory=dict)
    allow: frozenset[str] = frozenset()
    handler_decorators: tuple[str, ...] = ()
    sdk_modules: tuple[str, ...] = ()

    def relative(self, path: Path) -> str:
        """`path` relative to the configuration's folder, with forward slashes."""
        absolute = path.resolve()
        try:
            return absolute.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def is_excluded(self, path: Path) -> bool:
        """Does an exclude pattern name this file or folder (found while walking)?"""
        relative = self.relative(path)
        name = path.name
        for pattern in (*self.exclude, *self.extend_exclude):
            pattern = pattern.rstrip("/")
            if relative == pattern or fnmatch.fnmatch(relative, pattern):
                return True
            if "/" not in pattern and fnmatch.fnmatch(name, pattern):
                return True
        return False

    def codes_for(self, path: Path) -> frozenset[str]:
        """The codes enabled for one file: selection, then per-file ignores."""
        codes = select_codes(self.select, self.extend_select, self.ignore)
        relative = self.relative(path)
        for pattern, ignored in self.per_file_ignores:
            if fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(path.name, pattern):
                codes = frozenset(c for c in codes if not _matches_any(c, ignored))
        return codes

    def engine_options(self, path: Path, *, honour_noqa: bool = True) -> EngineOptions:
        return EngineOptions(
            codes=self.codes_for(path),
            honour_noqa=honour_noqa,
            max_call_depth=self.max_call_depth,
            sdk=SdkSettings(self.sdk_modules, self.handler_decorators),
            sinks=SinkSettings(dict(self.non_deterministic), self.allow),
        )


def _matches(code: str, selector: str) -> bool:
    if selector == "ALL":
        return True
    if code in OPT_IN_CODES:
        return selector == code
    return code.startswith(selector)


def _matches_any(code: str, selectors: Iterable[str]) -> bool:
    return any(_matches(code, s) for s in selectors)


def select_codes(
    select: Iterable[str] | None, extend_select: Iterable[str], ignore: Iterable[str]
) -> frozenset[str]:
    """Codes enabled by a selection. Opt-in codes (DUR106) only when named in full."""
    every = known_codes()
    chosen = default_codes() if select is None else {c for c in every if _matches_any(c, select)}
    chosen |= {c for c in every if _matches_any(c, extend_select)}
    return frozenset(c for c in chosen if not _matches_any(c, ignore))


def check_codes(selectors: Iterable[str], where: str) -> tuple[str, ...]:
    """Validate code selectors (full codes or prefixes such as `DUR1`, or `ALL`)."""
    every = known_codes()
    result = []
    for selector in selectors:
        selector = selector.strip().upper()
        if not selector:
            continue
        if selector != "ALL" and not any(code.startswith(selector) for code in every):
            known = ", ".join(every)
            raise ConfigError(f"unknown code {selector!r} in {where}; known codes: {known}")
        result.append(selector)
    return tuple(result)


def split_codes(text: str) -> list[str]:
    return [part for part in text.replace(" ", ",").split(",") if part]


# ----------------------------------------------------------------- file
KEYS = {
    "select",
    "ignore",
    "extend-select",
    "per-file-ignores",
    "exclude",
    "extend-exclude",
    "max-call-depth",
    "non-deterministic",
    "allow",
    "handler-decorators",
    "sdk-modules",
}


def _string_list(table: Mapping[str, Any], key: str, where: str) -> tuple[str, ...] | None:
    if key not in table:
        return None
    value = table[key]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: '{key}' must be a list of strings")
    return tuple(value)


def settings_from_table(table: Mapping[str, Any], root: Path, where: str) -> Settings:
    """Settings from a `[tool.durable-lint]` table; `where` names it in errors."""
    unknown = sorted(set(table) - KEYS)
    if unknown:
        raise ConfigError(
            f"{where}: unknown key '{unknown[0]}'; known keys: {', '.join(sorted(KEYS))}"
        )
    changes: dict[str, Any] = {}
    select = _string_list(table, "select", where)
    if select is not None:
        changes["select"] = check_codes(select, f"{where} select")
    for key in ("ignore", "extend-select"):
        value = _string_list(table, key, where)
        if value is not None:
            changes[key.replace("-", "_")] = check_codes(value, f"{where} {key}")
    for key in ("exclude", "extend-exclude", "handler-decorators", "sdk-modules"):
        value = _string_list(table, key, where)
        if value is not None:
            changes[key.replace("-", "_")] = value
    allow = _string_list(table, "allow", where)
    if allow is not None:
        changes["allow"] = frozenset(allow)
    if "max-call-depth" in table:
        depth = table["max-call-depth"]
        if not isinstance(depth, int) or isinstance(depth, bool) or depth < 0:
            raise ConfigError(f"{where}: 'max-call-depth' must be a whole number >= 0")
        changes["max_call_depth"] = depth
    if "per-file-ignores" in table:
        changes["per_file_ignores"] = _per_file(table["per-file-ignores"], where)
    if "non-deterministic" in table:
        changes["non_deterministic"] = _extra_names(table, where)
    return Settings(root=root, **changes)


def _per_file(value: Any, where: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: 'per-file-ignores' must be a table of pattern = [codes]")
    result = []
    for pattern, codes in value.items():
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            raise ConfigError(f"{where}: per-file-ignores '{pattern}' must be a list of codes")
        result.append((pattern, check_codes(codes, f"{where} per-file-ignores")))
    return tuple(result)


def _extra_names(table: Mapping[str, Any], where: str) -> dict[str, str]:
    value = table["non-deterministic"]
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: 'non-deterministic' must be a table of name = \"DURxxx\"")
    every = known_codes()
    result = {}
    for name, code in value.items():
        if not isinstance(code, str) or code.upper() not in every:
            raise ConfigError(f"{where}: non-deterministic '{name}' maps to unknown code {code!r}")
        result[name] = code.upper()
    return result


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path} is not valid TOML: {error}") from None


def _table(data: Mapping[str, Any]) -> Mapping[str, Any] | None:
    tool = data.get("tool")
    if isinstance(tool, dict) and TABLE in tool:
        table = tool[TABLE]
        return table if isinstance(table, dict) else None
    return None


def find_config(start: Path) -> Path | None:
    """The nearest pyproject.toml with a `[tool.durable-lint]` table, walking up."""
    current = start.resolve()
    if current.is_file() or not current.exists():
        current = current.parent
    for folder in (current, *current.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                if _table(read_toml(candidate)) is not None:
                    return candidate
            except ConfigError:
                return candidate
    return None


def load_settings(paths: Iterable[str], config_file: str | None) -> Settings:
    """Settings for a run: from `--config`, else the nearest pyproject.toml, else defaults."""
    if config_file is not None:
        path = Path(config_file)
        if not path.is_file():
            raise ConfigError(f"config file {config_file} does not exist")
    else:
        first = next(iter(paths), ".")
        found = find_config(Path(first))
        if found is None:
            return Settings(root=Path.cwd().resolve())
        path = found
    data = read_toml(path)
    table = _table(data)
    if table is None:
        table = {} if path.name == "pyproject.toml" else data
    return settings_from_table(table, path.resolve().parent, f"{path} [tool.{TABLE}]")
