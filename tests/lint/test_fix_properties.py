"""Laws of fixing: whatever mix of fixable mistakes a handler holds, fixing it with
unsafe fixes yields code that parses and holds none of them any more, and fixing the
result again changes nothing."""

from __future__ import annotations

import ast

from durable_lint.engine import lint_source
from durable_lint.findings import Finding
from durable_lint.fix_apply import fix_text
from durable_lint.fixing import FIXABLE_CODES
from durable_lint.options import EngineOptions
from hypothesis import given, settings
from hypothesis import strategies as st

OPTIONS = EngineOptions()

HEADER = """\
import random
import time
import uuid
from time import sleep as pause

from durable import DurableContext, durable_execution


@durable_execution
def handler(event: dict, context: DurableContext) -> dict:
    results = []
"""

MISTAKES = [
    "    started = time.time()\n",
    "    results.append(random.randint(1, 6))\n",
    "    token = f\"{event['id']}-{uuid.uuid4().hex}\"\n",
    "    time.sleep(2)\n",
    "    pause(event.get('grace', 1))\n",
    "    for sku in set(event['skus']):\n"
    "        context.step(lambda _, s=sku: s, name=f'r-{sku}')\n",
    "    names = [context.step(lambda _, t=t: t) for t in {'a', 'b'}]\n",
    "    stamp = str(time.time()).split('.')[0]\n",
    "    fine = context.step(lambda _: time.time(), name='clock')\n",
]


def lint(text: str) -> list[Finding]:
    return lint_source(text, "generated_handler.py", OPTIONS)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(MISTAKES), min_size=1, max_size=6))
def test_unsafe_fixing_leaves_parsable_code_without_fixable_findings(lines: list[str]) -> None:
    source = HEADER + "".join(lines) + "    return {'results': results}\n"
    outcome = fix_text(source, lint, unsafe=True)
    ast.parse(outcome.text)
    assert {finding.code for finding in outcome.remaining} & FIXABLE_CODES == set()
    assert fix_text(outcome.text, lint, unsafe=True).text == outcome.text
