"""Write a handler-dense corpus of durable modules for the linter's speed benchmark.

The modules are built from the shapes of the lint fixtures and sample handlers: steps,
child contexts, map items, parallel branches, callbacks, polling, retries, helpers and
handlers for both SDKs, with the occasional replay mistake so the linter has findings
to report; each mistake carries a `# want:` comment as in fixtures/lint, so the
corpus can also be checked for exactly those findings. The same seed always writes the
same files.

    python tests/benchmarks/corpus_handlers.py OUT_DIR [--lines 80000] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

DOMAINS = {
    "order": ["sku", "quantity", "unit_price", "warehouse"],
    "invoice": ["customer_id", "amount", "currency", "due_days"],
    "payment": ["card", "amount", "merchant_id", "currency"],
    "shipment": ["parcel_id", "carrier", "weight", "postcode"],
    "refund": ["order_id", "amount", "reason", "channel"],
    "claim": ["policy_id", "amount", "adjuster", "severity"],
    "report": ["region", "rows", "format", "bucket"],
    "subscription": ["plan", "seats", "renewal_day", "discount"],
    "booking": ["room", "nights", "guest", "rate"],
    "ticket": ["priority", "queue", "assignee", "sla_hours"],
}
VERBS = ["validate", "enrich", "price", "reserve", "charge", "notify", "archive", "audit"]
VERBS += ["reconcile", "score", "route", "publish", "settle", "label", "index", "export"]
SDKS = {
    "durable": ("durable", "durable.config", "durable.waits", "durable.retries"),
    "aws": (
        "aws_durable_execution_sdk_python",
        "aws_durable_execution_sdk_python.config",
        "aws_durable_execution_sdk_python.waits",
        "aws_durable_execution_sdk_python.retries",
    ),
}
# How often a handler carries a replay mistake, so the benchmark exercises reporting too.
MISTAKE_RATE = 0.2
MISTAKES = [
    "    started_at = datetime.now(timezone.utc)  # want: DUR101\n",
    "    request_key = str(uuid.uuid4())  # want: DUR103\n",
    "    time.sleep(1)  # want: DUR108\n",
    '    print("processing", event.get("id"))  # want: DUR110\n',
    "    for region in set(event.get('regions', [])):  # want: DUR107\n"
    '        context.step(lambda _: region, name="region-" + region)\n',
]


@dataclass
class Module:
    """One generated module: its text and the names of what it defines."""

    domain: str
    sdk: str
    rng: random.Random
    parts: list[str] = field(default_factory=list)
    steps: list[tuple[str, int]] = field(default_factory=list)
    children: list[str] = field(default_factory=list)
    branches: list[str] = field(default_factory=list)
    helpers: list[str] = field(default_factory=list)
    map_items: list[str] = field(default_factory=list)

    def fields(self, count: int) -> list[str]:
        """A few field names of the module's domain."""
        return self.rng.sample(DOMAINS[self.domain], k=min(count, len(DOMAINS[self.domain])))


def header(module: Module, index: int) -> str:
    root, config, waits, retries = SDKS[module.sdk]
    noun = module.domain
    return (
        f'"""{noun.title()} workflow {index}: generated for the durable-lint benchmark."""\n\n'
        "import json\nimport time\nimport uuid\nfrom datetime import datetime, timezone\n\n"
        f"from {root} import (\n    DurableContext,\n    StepContext,\n"
        "    durable_execution,\n    durable_parallel_branch,\n    durable_step,\n"
        "    durable_with_child_context,\n)\n"
        f"from {config} import Duration, MapConfig, StepConfig, WaitForCallbackConfig\n"
        f"from {retries} import RetryStrategyConfig, create_retry_strategy\n"
        f"from {waits} import WaitForConditionConfig, WaitForConditionDecision\n\n"
        f'TABLE = "{noun}-records"\nLIMITS = {{"max_items": {module.rng.randint(10, 500)}}}\n'
        "RETRIES = create_retry_strategy("
        f"RetryStrategyConfig(max_attempts={module.rng.randint(2, 6)}))\n"
    )


def step_block(module: Module, position: int) -> str:
    verb = module.rng.choice(VERBS)
    name = f"{verb}_{module.domain}_{position}"
    arity = module.rng.randint(1, 3)
    params = [f"arg_{n}" for n in range(arity)]
    fields = module.fields(3)
    lines = [f"@durable_step\ndef {name}(step_context: StepContext, {', '.join(params)}) -> dict:"]
    lines.append(f'    """{verb.title()} one {module.domain}; runs once and is checkpointed."""')
    lines.append(
        f"    record = {{'{fields[0]}': arg_0, 'at': datetime.now(timezone.utc).isoformat()}}"
    )
    for field_name in fields[1:]:
        value = module.rng.choice(["arg_0", "len(str(arg_0))", "uuid.uuid4().hex", "time.time()"])
        lines.append(f"    record['{field_name}'] = {value}")
    for n in range(1, arity):
        lines.append(f"    record['extra_{n}'] = arg_{n}")
    if module.rng.random() < 0.5:
        lines.append("    for key in sorted(record):")
        lines.append("        if record[key] is None:")
        lines.append(f"            raise ValueError('{name}: missing ' + key)")
    lines.append(f'    step_context.logger.info("{name} done for %s", arg_0)')
    lines.append("    return record")
    module.steps.append((name, arity))
    return "\n".join(lines) + "\n"


def helper_block(module: Module, position: int) -> str:
    name = f"{module.domain}_total_{position}"
    field_name = module.fields(1)[0]
    module.helpers.append(name)
    return (
        f"def {name}(items: list) -> int:\n"
        f'    """Sum the {field_name} of the items, ignoring the ones without it."""\n'
        "    total = 0\n"
        "    for item in items:\n"
        f"        value = item.get('{field_name}') if isinstance(item, dict) else None\n"
        "        if isinstance(value, int):\n"
        "            total += value\n"
        "    return total\n"
    )


def step_call(module: Module, context: str, argument: str) -> str:
    name, arity = module.rng.choice(module.steps)
    arguments = ", ".join([argument] + [str(module.rng.randint(1, 99)) for _ in range(arity - 1)])
    return f"{context}.step({name}({arguments}))"


def child_block(module: Module, position: int) -> str:
    name = f"{module.domain}_phase_{position}"
    module.children.append(name)
    calls = "\n".join(
        f"    results.append({step_call(module, 'child', f'payload.get({n!r})')})"
        for n in range(module.rng.randint(2, 4))
    )
    wait = module.rng.randint(1, 60)
    return (
        f"@durable_with_child_context\ndef {name}(child: DurableContext, payload: dict) -> list:\n"
        "    results: list = []\n"
        f"{calls}\n"
        f'    child.wait(Duration.from_seconds({wait}), name="{name}-pause")\n'
        "    return results\n"
    )


def branch_block(module: Module, position: int) -> str:
    name = f"{module.domain}_branch_{position}"
    module.branches.append(name)
    return (
        f'@durable_parallel_branch(name="{name}")\n'
        f"def {name}(branch: DurableContext, key: str) -> dict:\n"
        f"    first = {step_call(module, 'branch', 'key')}\n"
        f'    second = branch.step(lambda _: {{"key": key, "n": {position}}},'
        f' name="{name}-tally")\n'
        "    return {**first, **second}\n"
    )


def map_item_block(module: Module, position: int) -> str:
    name = f"process_{module.domain}_item_{position}"
    module.map_items.append(name)
    return (
        f"def {name}(item_ctx: DurableContext, item: dict, index: int, items: list) -> dict:\n"
        f"    checked = {step_call(module, 'item_ctx', 'item')}\n"
        "    if index % 2 == 0:\n"
        f'        item_ctx.wait(Duration.from_seconds(1), name="{name}-throttle")\n'
        "    return {'index': index, 'checked': checked}\n"
    )


def polling_block(module: Module) -> str:
    return (
        f"def {module.domain}_ready(state: dict, check_context) -> dict:\n"
        "    return {**state, 'polls': state['polls'] + 1, 'seen_at': time.time()}\n\n\n"
        f"def {module.domain}_keep_polling(state: dict, attempts: int)"
        " -> WaitForConditionDecision:\n"
        "    if state['polls'] >= 3:\n"
        "        return WaitForConditionDecision.stop_polling()\n"
        "    return WaitForConditionDecision.continue_waiting(Duration.from_seconds(5))\n"
    )


def handler_block(module: Module, position: int) -> str:
    rng = module.rng
    name = "handler" if position == 0 else f"{module.domain}_handler_{position}"
    body = [
        f"@durable_execution\ndef {name}(event: dict, context: DurableContext) -> dict:",
        f'    """Run one {module.domain} through its workflow."""',
        "    results: dict = {}",
    ]
    if rng.random() < MISTAKE_RATE:
        body.append(rng.choice(MISTAKES).rstrip("\n"))
    for n in range(rng.randint(4, 9)):
        kind = rng.choice(
            [
                "step",
                "step",
                "child",
                "branch",
                "map",
                "wait",
                "poll",
                "loop",
                "if",
                "callback",
                "retry",
            ]
        )
        target = f"results['op_{n}']"
        if kind == "step":
            body.append(f"    {target} = {step_call(module, 'context', 'event')}")
        elif kind == "child" and module.children:
            child = rng.choice(module.children)
            body.append(f'    {target} = context.run_in_child_context({child}(event), name="c{n}")')
        elif kind == "branch" and module.branches:
            branches = ", ".join(f"{b}(str(event.get('id')))" for b in module.branches)
            body.append(f'    {target} = context.parallel([{branches}], name="p{n}").get_results()')
        elif kind == "map" and module.map_items:
            item = rng.choice(module.map_items)
            body.append(f"    batch_{n} = context.map(")
            body.append(f"        event.get('items', []), {item}, name=\"m{n}\",")
            body.append('        config=MapConfig(item_namer=lambda item, i: f"item-{i}"),')
            body.append("    )")
            body.append(f"    {target} = batch_{n}.get_results()")
        elif kind == "poll":
            body.append(f"    {target} = context.wait_for_condition(")
            body.append(f"        {module.domain}_ready,")
            body.append("        config=WaitForConditionConfig(")
            body.append(f"            wait_strategy={module.domain}_keep_polling,")
            body.append("            initial_state={'polls': 0},")
            body.append("        ),")
            body.append(f'        name="poll-{n}",')
            body.append("    )")
        elif kind == "callback":
            body.append(f"    def submit_{n}(callback_id: str, callback_context) -> None:")
            body.append(
                f'        callback_context.logger.info("approval %s for {name}", callback_id)'
            )
            body.append("")
            body.append(f"    {target} = context.wait_for_callback(")
            body.append(f'        submit_{n}, name="approve-{n}",')
            body.append("        config=WaitForCallbackConfig(timeout=Duration.from_hours(4)),")
            body.append("    )")
        elif kind == "retry":
            call = step_call(module, "context", "event")[: -len(")")]
            body.append(f"    {target} = {call}, config=StepConfig(retry_strategy=RETRIES))")
        elif kind == "loop":
            body.append("    for index, entry in enumerate(event.get('entries', [])):")
            body.append(f"        {target} = {step_call(module, 'context', 'entry')}")
            body.append("        if index > LIMITS['max_items']:")
            body.append("            break")
        elif kind == "if":
            body.append(f"    if event.get('{module.fields(1)[0]}'):")
            body.append(f"        {target} = {step_call(module, 'context', 'event')}")
            body.append("    else:")
            body.append(
                f'        context.wait(Duration.from_minutes({rng.randint(1, 30)}), name="w{n}")'
            )
        else:
            body.append(
                f'    context.wait(Duration.from_seconds({rng.randint(1, 90)}), name="w{n}")'
            )
    if module.helpers:
        body.append(f"    results['total'] = {rng.choice(module.helpers)}(event.get('items', []))")
    body.append("    try:")
    body.append(f"        results['final'] = {step_call(module, 'context', 'results')}")
    body.append("    except Exception as error:")
    body.append('        context.logger.warning("final step failed: %s", error)')
    body.append(f'    context.logger.info("{name} finished")')
    body.append(
        "    return {'status': 'done', 'results': json.loads(json.dumps(results, default=str))}"
    )
    return "\n".join(body) + "\n"


def write_module(rng: random.Random, index: int) -> str:
    """The text of one generated module."""
    module = Module(
        domain=rng.choice(sorted(DOMAINS)), sdk=rng.choice(["durable"] * 3 + ["aws"]), rng=rng
    )
    blocks = [header(module, index)]
    blocks += [step_block(module, n) for n in range(rng.randint(4, 9))]
    blocks += [helper_block(module, n) for n in range(rng.randint(1, 3))]
    blocks += [child_block(module, n) for n in range(rng.randint(1, 3))]
    blocks += [branch_block(module, n) for n in range(rng.randint(0, 3))]
    blocks += [map_item_block(module, n) for n in range(rng.randint(0, 2))]
    blocks.append(polling_block(module))
    blocks += [handler_block(module, n) for n in range(rng.randint(1, 3))]
    return "\n\n".join(blocks)


def write_corpus(out: Path, lines: int, seed: int) -> tuple[int, int]:
    """Write modules into `out` until they hold at least `lines` lines; return (files, lines)."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    written = files = 0
    while written < lines:
        text = write_module(rng, files)
        package = out / f"service_{files // 50:02d}"
        package.mkdir(exist_ok=True)
        (package / f"workflow_{files:04d}.py").write_text(text)
        written += text.count("\n")
        files += 1
    return files, written


def main(argv: list[str] | None = None) -> int:
    """Entry point: parse the arguments, write the corpus, say what was written."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the modules into")
    parser.add_argument("--lines", type=int, default=80_000, help="lines to write at least")
    parser.add_argument(
        "--seed", type=int, default=7, help="seed; the same seed writes the same corpus"
    )
    args = parser.parse_args(argv)
    if args.lines <= 0:
        parser.error("--lines must be positive")
    files, lines = write_corpus(args.out, args.lines, args.seed)
    print(f"wrote {files} modules, {lines} lines, into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
