"""The shape of a rule: code, name, documentation, examples, and a `check` method."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from durable_lint.analysis import Analysis
from durable_lint.catalog import ADVICE
from durable_lint.findings import Report
from durable_lint.semantics import Region


class Rule:
    """Base of every rule.

    A rule's docstring has the sections *What it does*, *Why is this bad?*,
    *Example*, *Use instead* and *Fix*; `VALID` and `INVALID` are code samples the
    test suite runs (each INVALID sample marks its offending lines `# want: CODE`).
    """

    code: ClassVar[str]
    name: ClassVar[str]
    default_enabled: ClassVar[bool] = True
    VALID: ClassVar[tuple[str, ...]] = ()
    INVALID: ClassVar[tuple[str, ...]] = ()

    def check(self, analysis: Analysis) -> Iterator[Report]:
        """Yield a report for each problem of this rule in the analysed module."""
        raise TypeError(f"{type(self).__name__} must define check()")


class ReplayedSinkRule(Rule):
    """A rule that flags catalogue sinks of its code in replayed code, helpers followed."""

    def check(self, analysis: Analysis) -> Iterator[Report]:
        advice = ADVICE[self.code]
        for sink in analysis.sinks_by_code.get(self.code, []):
            if analysis.region(sink.scope) is Region.REPLAYED:
                message = f"{advice.what} {sink.label} in replayed code; {advice.instead}"
                yield Report(sink.node, self.code, message)
        for call, reach in analysis.reaches(self.code):
            message = f"{advice.what} reached via {reach.describe()}; {advice.instead}"
            yield Report(call, self.code, message)
