"""The `durable` command line: run and inspect durable executions on the embedded local
engine (a SQLite file, `./.durable/executions.db` unless `--db` names another)."""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from typing import Any

from durable import __version__
from durable.cli_output import (
    execution_lines,
    history_lines,
    outcome_lines,
    summary_table,
    to_json,
)
from durable.exceptions import CheckpointError
from durable.local_engine import (
    DEFAULT_DB,
    ExecutionBusy,
    LocalEngine,
    LocalEngineError,
    Outcome,
)

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class UsageError(Exception):
    """Bad input on the command line: printed as one line, exit status 2."""


class Interrupted(Exception):
    """Ctrl-C while driving: printed as one line, exit status 130."""


def _json_text(flag: str, text: str | None) -> str | None:
    """`text` if it is JSON; a UsageError naming `flag` if not."""
    if text is None:
        return None
    try:
        json.loads(text)
    except ValueError as error:
        raise UsageError(f"{flag} is not JSON ({error}): {text!r}") from None
    return text


def _print(lines: Sequence[str]) -> None:
    for line in lines:
        print(line, flush=True)


def _finish(outcome: Outcome) -> int:
    _print(outcome_lines(outcome))
    return 0 if outcome.status in ("SUCCEEDED", "WAITING") else EXIT_FAILED


# -- commands -------------------------------------------------------------------
def cmd_run(engine: LocalEngine, args: argparse.Namespace) -> int:
    payload = _json_text("--input", args.input)
    arn = engine.start(args.handler, payload, args.name)
    print(arn, flush=True)  # first, so a caller knows what to resume if this dies
    return _finish(_drive(engine, arn))


def cmd_resume(engine: LocalEngine, args: argparse.Namespace) -> int:
    arn = engine.resolve(args.arn)
    print(arn, flush=True)
    return _finish(_drive(engine, arn))


def _drive(engine: LocalEngine, arn: str) -> Outcome:
    try:
        return engine.drive(arn)
    except KeyboardInterrupt:
        raise Interrupted(f"interrupted; continue with `durable resume {arn}`") from None


def cmd_list(engine: LocalEngine, args: argparse.Namespace) -> int:
    summaries = engine.store.summaries()
    if not summaries:
        print(f"no executions in {engine.store.path}")
        return 0
    _print(summary_table(summaries))
    return 0


def cmd_show(engine: LocalEngine, args: argparse.Namespace) -> int:
    _print(execution_lines(engine.execution(args.arn)))
    return 0


def cmd_history(engine: LocalEngine, args: argparse.Namespace) -> int:
    events = engine.execution(args.arn).events
    if args.json:
        print(to_json(events))
    else:
        _print(history_lines(events))
    return 0


def cmd_callback(engine: LocalEngine, args: argparse.Namespace) -> int:
    error: dict[str, Any] | None = None
    if args.action != "fail" and args.error is not None:
        raise UsageError("--error is for `durable callback fail`")
    if args.action != "succeed" and args.result is not None:
        raise UsageError("--result is for `durable callback succeed`")
    if args.action == "fail" and args.error is not None:
        error = json.loads(_json_text("--error", args.error) or "{}")
        if not isinstance(error, dict):
            raise UsageError('--error must be a JSON object like {"ErrorMessage": "..."}')
    result = _json_text("--result", args.result)
    arn = engine.answer_callback(args.callback_id, args.action, result, error)
    done = {"succeed": "succeeded", "fail": "failed", "heartbeat": "heartbeat recorded"}
    print(f"callback {args.callback_id} {done[args.action]} ({arn})")
    if args.action == "heartbeat":
        return 0
    if args.resume:
        print(arn, flush=True)
        try:
            return _finish(_drive(engine, arn))
        except ExecutionBusy as busy:
            print(f"process {busy.pid} is driving the execution and picks up the answer")
            return 0
    print(f"continue the execution with `durable resume {arn}`")
    return 0


def cmd_serve(engine: LocalEngine, args: argparse.Namespace) -> int:
    from durable.local_server import LocalApiServer

    try:
        server = LocalApiServer(engine, args.host, args.port, drive=args.drive)
    except OSError as error:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {error.strerror}") from None
    print(f"serving the durable-execution API on {server.url} ({engine.store.path})", flush=True)
    if args.drive:
        continued = server.api.drive_running()
        print(f"driving {continued} running execution(s) on", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0


# -- parser ---------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    """Return the parser for the `durable` command."""
    parser = argparse.ArgumentParser(
        prog="durable",
        description="Run and inspect durable executions on the embedded local engine.",
    )
    parser.add_argument("--version", action="version", version=f"durable {__version__}")
    parser.add_argument(
        "--db", default=str(DEFAULT_DB), help=f"the SQLite file of executions ({DEFAULT_DB})"
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, help="the SQLite file of executions")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, text: str, run: Callable[[LocalEngine, argparse.Namespace], int]) -> Any:
        sub = commands.add_parser(name, help=text, description=text, parents=[common])
        sub.set_defaults(run=run)
        return sub

    run = command("run", "start an execution and drive it until it ends or waits", cmd_run)
    run.add_argument("handler", metavar="MODULE:HANDLER", help="the handler, e.g. orders:handler")
    run.add_argument("--input", help="the handler's input, as JSON")
    run.add_argument("--name", help="the execution's name (default: a random one)")
    resume = command("resume", "continue an execution from its last checkpoint", cmd_resume)
    resume.add_argument("arn", metavar="ARN", help="the execution's ARN or name")
    command("list", "list executions: ARN, handler, status, start time", cmd_list)
    show = command("show", "an execution's status, result and operation tree", cmd_show)
    show.add_argument("arn", metavar="ARN", help="the execution's ARN or name")
    history = command("history", "an execution's history events", cmd_history)
    history.add_argument("arn", metavar="ARN", help="the execution's ARN or name")
    history.add_argument("--json", action="store_true", help="the events as JSON")
    callback = command("callback", "answer a callback the execution waits on", cmd_callback)
    callback.add_argument("action", choices=("succeed", "fail", "heartbeat"))
    callback.add_argument("callback_id", metavar="CALLBACK_ID")
    callback.add_argument("--result", help="succeed: the callback's result, as JSON")
    callback.add_argument("--error", help='fail: {"ErrorMessage": ..., "ErrorType": ...}')
    callback.add_argument(
        "--resume", action="store_true", help="then continue the execution in this process"
    )
    serve = command("serve", "serve the Lambda durable-execution HTTP API", cmd_serve)
    serve.add_argument("--port", type=int, default=0, help="the port (default: any free one)")
    serve.add_argument("--host", default="127.0.0.1", help="the address (default: loopback)")
    serve.add_argument(
        "--no-drive",
        dest="drive",
        action="store_false",
        help="only answer the API: do not invoke handlers (answers are recorded)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `durable` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        engine = LocalEngine(args.db)
    except Exception as error:  # sqlite3.Error, OSError: an unusable --db
        print(f"durable: cannot open {args.db}: {error}", file=sys.stderr)
        return EXIT_USAGE
    try:
        code: int = args.run(engine, args)
        return code
    except Interrupted as error:
        print(f"durable: {error}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (UsageError, LocalEngineError) as error:
        print(f"durable: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # `durable history ARN | head`: the reader has had enough
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (stays open until exit)
        return 0
    except sqlite3.Error as error:
        print(f"durable: the database {args.db} cannot be used: {error}", file=sys.stderr)
        return EXIT_USAGE
    except CheckpointError as error:  # a rejected answer, or a change another process made
        print(f"durable: {str(error).removeprefix('checkpoint rejected: ')}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        engine.close()


if __name__ == "__main__":
    sys.exit(main())
