"""Generate a handler-dense corpus: hundreds of realistic durable handler modules.

Each module looks like a service's workflow file: imports, a dataclass or two,
plain helpers, `@durable_step` functions, a handler that chains steps, waits,
child contexts, map, parallel and callbacks, written for this project's SDK or
for the official one. About one module in six carries a typical replay mistake
(a clock read, a random value, a blocking sleep, a print) so the linter has real
work to report; the rest are correct and must stay silent.

Used by `bench_lint.py`; run alone to write a corpus:
`python tests/benchmarks/handler_corpus.py OUT_DIR [--modules N]`.
"""

from __future__ import annotations

import argparse
import random
import textwrap
from pathlib import Path

DOMAINS = [
    ("order", "orders", "charge_card", "reserve_stock"),
    ("invoice", "invoices", "render_pdf", "send_email"),
    ("shipment", "shipments", "book_carrier", "print_label"),
    ("signup", "signups", "verify_email", "create_account"),
    ("refund", "refunds", "check_policy", "issue_credit"),
    ("report", "reports", "query_warehouse", "upload_report"),
    ("payout", "payouts", "fetch_balance", "transfer_funds"),
    ("ticket", "tickets", "classify_ticket", "assign_agent"),
    ("upload", "uploads", "scan_file", "make_thumbnail"),
    ("booking", "bookings", "hold_seat", "confirm_booking"),
]

SDK_IMPORTS = {
    "durable": (
        "from durable import DurableContext, StepContext, durable_execution, durable_step\n"
        "from durable.config import Duration, MapConfig, StepConfig\n"
        "from durable.retries import RetryStrategyConfig, create_retry_strategy\n"
    ),
    "aws": (
        "from aws_durable_execution_sdk_python import (\n"
        "    DurableContext,\n"
        "    StepContext,\n"
        "    durable_execution,\n"
        "    durable_step,\n"
        ")\n"
        "from aws_durable_execution_sdk_python.config import Duration, MapConfig, StepConfig\n"
        "from aws_durable_execution_sdk_python.retries import (\n"
        "    RetryStrategyConfig,\n"
        "    create_retry_strategy,\n"
        ")\n"
    ),
}

# Mistakes a developer new to replay makes, each a line inside the handler body.
MISTAKES = [
    "    started_at = time.time()  # want: DUR101\n",
    "    batch_tag = random.randint(1, 1000)  # want: DUR102\n",
    "    request_id = str(uuid.uuid4())  # want: DUR103\n",
    "    time.sleep(2)  # want: DUR108\n",
    '    print("processing", event)  # want: DUR110\n',
]


def _header(rng: random.Random, sdk: str, noun: str) -> str:
    extra = rng.sample(["import decimal", "import itertools", "import os"], 2)
    always = ["import hashlib", "import json", "import logging", "import random", "import re"]
    return (
        f'"""Workflow for {noun}s: validate, do the work in steps, notify."""\n\n'
        "from __future__ import annotations\n\n"
        + "\n".join(sorted([*always, *extra, "import time", "import uuid"]))
        + "\nfrom dataclasses import dataclass, field\n"
        + "from typing import Any\n\n"
        + SDK_IMPORTS[sdk]
        + "\nlog = logging.getLogger(__name__)\n\n"
    )


def _model(noun: str, index: int) -> str:
    cls = noun.capitalize() + "Request"
    return textwrap.dedent(f'''
        @dataclass(frozen=True)
        class {cls}:
            """The {noun} this execution works on."""

            {noun}_id: str
            customer_id: str
            amount_cents: int = 0
            tags: tuple[str, ...] = ()
            metadata: dict[str, Any] = field(default_factory=dict)

            @classmethod
            def from_event(cls, event: dict[str, Any]) -> {cls}:
                body = event.get("detail", event)
                return cls(
                    {noun}_id=str(body["{noun}_id"]),
                    customer_id=str(body.get("customer_id", "anonymous")),
                    amount_cents=int(body.get("amount_cents", {index})),
                    tags=tuple(sorted(body.get("tags", []))),
                    metadata=dict(body.get("metadata", {{}})),
                )


        def validate(request: {cls}) -> list[str]:
            """Return the problems with a request; empty when it is fine."""
            problems = []
            if not re.fullmatch(r"[A-Za-z0-9-]{{3,64}}", request.{noun}_id):
                problems.append("bad id")
            if request.amount_cents < 0:
                problems.append("negative amount")
            if len(request.tags) > 20:
                problems.append("too many tags")
            return problems


        def fingerprint(request: {cls}) -> str:
            payload = json.dumps(
                {{"id": request.{noun}_id, "customer": request.customer_id}}, sort_keys=True
            )
            return hashlib.sha256(payload.encode()).hexdigest()[:16]
    ''')


def _steps(noun: str, first: str, second: str) -> str:
    cls = noun.capitalize() + "Request"
    return textwrap.dedent(f'''

        @durable_step
        def {first}(step_ctx: StepContext, {noun}_id: str, amount_cents: int) -> dict[str, Any]:
            """Call the upstream service once; the result is checkpointed."""
            started = time.time()
            token = uuid.uuid4().hex
            step_ctx.logger.info("calling upstream for %s", {noun}_id)
            return {{
                "{noun}_id": {noun}_id,
                "token": token,
                "amount_cents": amount_cents,
                "took": round(time.time() - started, 3),
            }}


        @durable_step
        def {second}(step_ctx: StepContext, request: dict[str, Any]) -> str:
            attempt = random.random()
            step_ctx.logger.info("attempt %.2f for %s", attempt, request["{noun}_id"])
            return f"{{request['{noun}_id']}}-done"


        def summarize(request: {cls}, results: list[Any]) -> dict[str, Any]:
            ok = [r for r in results if r]
            return {{
                "{noun}_id": request.{noun}_id,
                "count": len(results),
                "succeeded": len(ok),
                "fingerprint": fingerprint(request),
            }}
    ''')


def _handler(rng: random.Random, noun: str, first: str, second: str, mistake: str) -> str:
    cls = noun.capitalize() + "Request"
    days = rng.randint(1, 7)
    concurrency = rng.choice([2, 4, 8])
    body = textwrap.dedent(f'''

        RETRY = create_retry_strategy(RetryStrategyConfig(max_attempts={rng.randint(2, 6)}))


        def process_item(ctx: DurableContext, item: dict[str, Any], index: int, items: list) -> str:
            """One map item: its own child context, so its steps replay independently."""
            checked = ctx.step(lambda _: item["sku"].upper(), name=f"check-{{index}}")
            return checked


        def notify_branch(ctx: DurableContext) -> str:
            return ctx.step(lambda _: "notified", name="notify")


        def audit_branch(ctx: DurableContext) -> str:
            return ctx.step(lambda _: "audited", name="audit")


        @durable_execution
        def handler(event: dict[str, Any], context: DurableContext) -> dict[str, Any]:
            request = {cls}.from_event(event)
            problems = validate(request)
            if problems:
                context.logger.warning("rejected: %s", problems)
                return {{"status": "rejected", "problems": problems}}
    ''')
    body += mistake
    body += textwrap.indent(
        textwrap.dedent(f'''
            first = context.step(
                {first}(request.{noun}_id, request.amount_cents),
                config=StepConfig(retry_strategy=RETRY),
            )
            context.wait(Duration.from_days({days}), name="cool-off")
            items = [{{"sku": tag}} for tag in request.tags]
            mapped = context.map(
                items, process_item, name="items", config=MapConfig(max_concurrency={concurrency})
            )
            branches = context.parallel([notify_branch, audit_branch], name="fan-out")
            final = context.step({second}(first), name="{second}")
            for position, tag in enumerate(request.tags):
                context.step(lambda _, tag=tag: tag.lower(), name=f"tag-{{position}}")
            context.logger.info("finished %s", request.{noun}_id)
            return summarize(request, [first, final, mapped.get_results(), branches.get_results()])
        '''),
        "    ",
    )
    return body


def render_module(index: int, seed: int = 0) -> str:
    """Return the source of handler module number `index`."""
    rng = random.Random(seed * 100_003 + index)
    noun, _plural, first, second = DOMAINS[index % len(DOMAINS)]
    sdk = "durable" if index % 3 else "aws"
    mistake = rng.choice(MISTAKES) if index % 6 == 5 else ""
    return (
        _header(rng, sdk, noun)
        + _model(noun, index)
        + _steps(noun, first, second)
        + _handler(rng, noun, first, second, mistake)
    )


def write_corpus(directory: Path, modules: int, seed: int = 0) -> list[Path]:
    """Write `modules` handler modules into `directory` (a package per ten) and list them."""
    paths = []
    for index in range(modules):
        noun = DOMAINS[index % len(DOMAINS)][0]
        package = directory / f"service_{index // 10:03d}"
        package.mkdir(parents=True, exist_ok=True)
        (package / "__init__.py").touch()
        path = package / f"{noun}_workflow_{index:04d}.py"
        path.write_text(render_module(index, seed), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the modules into")
    parser.add_argument("--modules", type=int, default=400, help="how many modules (400)")
    args = parser.parse_args()
    written = write_corpus(args.out, args.modules)
    print(f"wrote {len(written)} modules to {args.out}")


if __name__ == "__main__":
    main()
