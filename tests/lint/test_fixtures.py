"""The fixture corpus through both front-ends: each file gets exactly what it wants.

Every `fixtures/{lint,demo,handlers}/**/*.py` states its expected findings in comments,
read here as bytes without importing or parsing the file:

- `# want: DUR101` at the end of a line: that line must carry a DUR101 finding. Codes
  are separated by commas (`# want: DUR101, DUR109`); a code named twice wants two
  findings on that line.
- `# durable-lint: select=DUR106` in a file's first lines: the file needs an opt-in
  code, so the run over its folder enables it.

Each folder is linted once by `durable-lint --format json` and once by
`flake8 --select DUR` in a subprocess; every file must then get exactly its wanted
(line, code) findings, no more, no fewer. fixtures/lint/README.md has the conventions.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
FOLDERS = ("lint", "demo", "handlers")

CATALOGUE = (
    "DUR001",
    *(f"DUR1{n:02d}" for n in range(1, 11)),
    "DUR201",
    "DUR202",
    "DUR203",
    *(f"DUR30{n}" for n in range(1, 7)),
)
OPT_IN = frozenset({"DUR106"})
DEFAULT_SET = tuple(code for code in CATALOGUE if code not in OPT_IN)
JSON_KEYS = {"path", "line", "column", "end_line", "end_column", "code", "message", "fix"}

# flake8 never hands an unparsable file to plugins: it reports E999 (syntax error) or
# E902 (unreadable file) itself. For the comparison those stand for DUR001.
FLAKE8_PARSE_ERRORS = ("E999", "E902")

_CODE = rb"[A-Z]{1,3}[0-9]{3}"
_CODES = _CODE + rb"(?:\s*,\s*" + _CODE + rb")*"
_WANT = re.compile(rb"#\s*want:\s*(" + _CODES + rb")\s*$")
_SELECT = re.compile(rb"^#\s*durable-lint:\s*select=(" + _CODES + rb")")
_HEADER_LINES = 5
# Anything that looks like an expectation must parse as one, so a typo cannot hide a want.
_WANT_LIKE = re.compile(rb"#\s*want\b")
_FLAKE8_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>\w+) (?P<text>.*)$")


@dataclass(frozen=True)
class Fixture:
    """One fixture file and the findings its comments ask for."""

    path: Path
    wanted: Counter[tuple[int, str]]
    extra_select: frozenset[str]

    @property
    def name(self) -> str:
        """The path relative to the repository, as test ids and messages show it."""
        return self.path.relative_to(ROOT).as_posix()

    @property
    def folder(self) -> str:
        """The fixture folder the file belongs to: lint, demo or handlers."""
        return self.path.relative_to(FIXTURES).parts[0]


@dataclass(frozen=True)
class Finding:
    """One reported finding, reduced to what the comparison needs."""

    line: int
    code: str
    message: str


def _codes(raw: bytes) -> list[str]:
    return [code.strip().decode("ascii") for code in raw.split(b",")]


def read_fixture(path: Path) -> Fixture:
    """Read the `# want:` comments and the select directive of one file."""
    wanted: Counter[tuple[int, str]] = Counter()
    extra: set[str] = set()
    # Bytes, line by line: the comments are ASCII even where the file is not UTF-8.
    for number, line in enumerate(path.read_bytes().splitlines(), start=1):
        want = _WANT.search(line)
        if want:
            wanted.update((number, code) for code in _codes(want.group(1)))
        select = _SELECT.match(line)
        if select and number <= _HEADER_LINES:
            extra.update(_codes(select.group(1)))
    return Fixture(path=path, wanted=wanted, extra_select=frozenset(extra))


def collect(folder: str | None = None) -> list[Fixture]:
    """Every fixture file in sorted order, optionally of one folder only."""
    folders = FOLDERS if folder is None else (folder,)
    paths = sorted(p for name in folders for p in (FIXTURES / name).rglob("*.py"))
    return [read_fixture(path) for path in paths]


def opt_in_codes(folder: str) -> list[str]:
    """The opt-in codes some file of the folder asks for."""
    extra: set[str] = set().union(*(f.extra_select for f in collect(folder)))
    return sorted(extra)


def console_script(name: str) -> str:
    """Path of a console script installed beside the running interpreter."""
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail(f"console script {name!r} is not installed in {Path(sys.executable).parent}")
    return found


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):
        pytest.fail(
            f"{' '.join(command)} exited {done.returncode}\n"
            f"stdout:\n{done.stdout[-3000:]}\nstderr:\n{done.stderr[-3000:]}"
        )
    return done


def _by_file(rows: list[tuple[str, Finding]]) -> dict[Path, list[Finding]]:
    grouped: dict[Path, list[Finding]] = {}
    for path, finding in rows:
        grouped.setdefault((ROOT / path).resolve(), []).append(finding)
    return grouped


def cli_command(folder: str, extra_select: list[str]) -> list[str]:
    """The durable-lint command line for one folder."""
    command = [console_script("durable-lint"), "--format", "json"]
    if extra_select:
        command += ["--select", ",".join([*DEFAULT_SET, *extra_select])]
    return [*command, f"fixtures/{folder}"]


@cache
def cli_json(folder: str) -> tuple[dict[str, object], ...]:
    """The JSON objects `durable-lint --format json` prints for one folder, run once."""
    done = _run(cli_command(folder, opt_in_codes(folder)))
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError as error:
        pytest.fail(f"durable-lint --format json printed no JSON ({error}):\n{done.stdout[:2000]}")
    if not isinstance(report, list):
        pytest.fail(f"durable-lint --format json printed {type(report).__name__}, not an array")
    return tuple(report)


@cache
def cli_findings(folder: str) -> dict[Path, list[Finding]]:
    """What the CLI reports for one folder, per resolved file path."""
    rows = [
        (
            str(item["path"]),
            Finding(int(str(item["line"])), str(item["code"]), str(item["message"])),
        )
        for item in cli_json(folder)
    ]
    return _by_file(rows)


@cache
def flake8_findings(folder: str) -> dict[Path, list[Finding]]:
    """What `flake8 --select DUR` reports for one folder, per resolved file path.

    flake8 has no notion of an opt-in code, so the harness names the opt-in codes a
    folder needs explicitly in flake8's own `--select`; the plugin enables an opt-in code
    when flake8's selection names it explicitly.
    """
    selection = ",".join(["DUR", *FLAKE8_PARSE_ERRORS, *opt_in_codes(folder)])
    line_format = "%(path)s:%(row)d:%(col)d: %(code)s %(text)s"
    command = [sys.executable, "-m", "flake8", "--isolated", "--select", selection]
    done = _run([*command, f"--format={line_format}", f"fixtures/{folder}"])
    rows: list[tuple[str, Finding]] = []
    for line in done.stdout.splitlines():
        match = _FLAKE8_LINE.match(line)
        if match is None:
            pytest.fail(f"flake8 printed a line the harness cannot read: {line!r}")
        code = "DUR001" if match["code"] in FLAKE8_PARSE_ERRORS else match["code"]
        rows.append((match["path"], Finding(int(match["line"]), code, match["text"])))
    return _by_file(rows)


def difference(fixture: Fixture, found: list[Finding], front_end: str) -> str:
    """An empty string when the findings are exactly the wanted ones, else a readable diff."""
    got = Counter((f.line, f.code) for f in found)
    missing = fixture.wanted - got
    unexpected = got - fixture.wanted
    if not missing and not unexpected:
        return ""
    messages = {(f.line, f.code): f.message for f in found}
    lines = [f"{fixture.name} through {front_end}:"]
    if missing:
        lines.append("  missing (wanted, not reported):")
        lines += [f"    line {line} {code} (x{n})" for (line, code), n in sorted(missing.items())]
    if unexpected:
        lines.append("  unexpected (reported, not wanted):")
        lines += [
            f"    line {line} {code} (x{n}): {messages[line, code]}"
            for (line, code), n in sorted(unexpected.items())
        ]
    return "\n".join(lines)


ALL = collect()
IDS = [fixture.name for fixture in ALL]


@pytest.mark.parametrize("fixture", ALL, ids=IDS)
def test_cli_reports_exactly_the_wanted_findings(fixture: Fixture) -> None:
    found = cli_findings(fixture.folder).get(fixture.path.resolve(), [])
    diff = difference(fixture, found, "durable-lint --format json")
    if diff:
        pytest.fail(diff, pytrace=False)


@pytest.mark.parametrize("fixture", ALL, ids=IDS)
def test_flake8_reports_exactly_the_wanted_findings(fixture: Fixture) -> None:
    found = flake8_findings(fixture.folder).get(fixture.path.resolve(), [])
    diff = difference(fixture, found, "flake8 --select DUR")
    if diff:
        pytest.fail(diff, pytrace=False)


@pytest.mark.parametrize("folder", FOLDERS)
def test_cli_reports_only_files_of_the_corpus(folder: str) -> None:
    known = {fixture.path.resolve() for fixture in collect(folder)}
    assert sorted(map(str, set(cli_findings(folder)) - known)) == []


@pytest.mark.parametrize("folder", FOLDERS)
def test_flake8_reports_only_files_of_the_corpus(folder: str) -> None:
    known = {fixture.path.resolve() for fixture in collect(folder)}
    assert sorted(map(str, set(flake8_findings(folder)) - known)) == []


def test_cli_json_findings_carry_the_contract_keys() -> None:
    report = cli_json("lint")
    assert report, "the lint fixtures gave no findings at all"
    odd = [item for item in report if set(item) != JSON_KEYS]
    assert odd == [], f"findings whose keys differ from {sorted(JSON_KEYS)}"


def test_every_catalogue_code_has_a_fixture() -> None:
    wanted = {code for fixture in collect("lint") for _, code in fixture.wanted}
    assert sorted(set(CATALOGUE) - wanted) == []


def test_want_comments_are_well_formed() -> None:
    malformed = [
        f"{fixture.name}:{number}"
        for fixture in ALL
        for number, line in enumerate(fixture.path.read_bytes().splitlines(), start=1)
        if _WANT_LIKE.search(line) and not _WANT.search(line)
    ]
    assert malformed == []


def test_want_comments_name_only_catalogue_codes() -> None:
    unknown = {
        fixture.name: sorted({code for _, code in fixture.wanted} - set(CATALOGUE))
        for fixture in ALL
    }
    assert {name: codes for name, codes in unknown.items() if codes} == {}


@pytest.mark.parametrize(
    "fixture", [f for f in ALL if f.path.name.startswith("dur")], ids=lambda f: f.name
)
def test_a_code_fixture_wants_the_code_in_its_name(fixture: Fixture) -> None:
    code = "DUR" + fixture.path.name[3:6]
    assert code in {code for _, code in fixture.wanted}


@pytest.mark.parametrize(
    "fixture",
    [f for f in ALL if f.path.name.startswith("clean_") or f.folder == "handlers"],
    ids=lambda f: f.name,
)
def test_clean_files_and_sample_handlers_want_nothing(fixture: Fixture) -> None:
    assert not fixture.wanted


def test_every_fixture_file_is_named_for_a_code_or_clean() -> None:
    named = re.compile(r"^(dur\d{3}_|clean_)\w+\.py$")
    # Packages under fixtures/lint/ (e.g. cross_module/) hold ordinary module names.
    top_level = [f for f in collect("lint") if f.path.parent == FIXTURES / "lint"]
    odd = [f.name for f in top_level if not named.match(f.path.name)]
    assert odd == []


def test_opt_in_code_stays_silent_without_being_selected() -> None:
    asking = [f for f in collect("lint") if f.extra_select & OPT_IN]
    assert asking, "no fixture asks for an opt-in code"
    done = _run([console_script("durable-lint"), "--format", "json", *(f.name for f in asking)])
    reported = {item["code"] for item in json.loads(done.stdout)}
    assert reported & OPT_IN == set()
