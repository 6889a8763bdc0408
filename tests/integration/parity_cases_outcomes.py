"""Parity cases: failures and outcomes - step errors and retries, retry strategies, with_retry,
error shapes, SerDes failures, non-determinism, and what the handler returns or raises."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from parity_handlers import Api, InventoryShortError, case


@case()
def step_retries_then_fails(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def always_short(_: Any) -> None:
            raise InventoryShortError("only 2 left")

        try:
            context.step(always_short, name="reserve", config=api.retry_config(3))
        except api.exceptions.StepError as error:
            return {"error_type": error.error_type, "message": str(error)}
        return "unreachable"

    return handler


@case(alternates=False)
def step_retries_then_succeeds(api: Api) -> Callable[..., Any]:
    calls: list[int] = []

    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def flaky(step_ctx: Any) -> str:
            calls.append(1)
            if len(calls) < 3:
                raise ValueError(f"attempt {len(calls)} failed")
            return "done"

        return context.step(flaky, name="flaky", config=api.retry_config(5, delay=2, rate=3))

    return handler


@case()
def step_failure_without_retry(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def broken(_: Any) -> None:
            raise KeyError("missing")

        no_retry = api.config.StepConfig(retry_strategy=api.retries.RetryPresets.none())
        try:
            context.step(broken, name="broken", config=no_retry)
        except api.exceptions.StepError as error:
            return error.error_type
        return "unreachable"

    return handler


@case({"fail": True})
def handler_failure(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        context.step(lambda _: "ok", name="before")
        raise InventoryShortError(f"cannot ship: {event}")

    return handler


@case()
def handler_step_error_uncaught(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def broken(_: Any) -> None:
            raise ValueError("bad value")

        context.step(broken, name="broken", config=api.retry_config(2))

    return handler


@case(["a", 1, None])
def handler_returns_input(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        return event

    return handler


@case()
def handler_returns_none(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        context.step(lambda _: None, name="only")

    return handler


@case()
def handler_result_over_the_response_limit(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        context.step(lambda _: 1, name="first")
        # Over Lambda's response limit once JSON-quoted, within the 6 MiB the API stores.
        return "z" * (6 * 1024 * 1024 - 30)

    return handler


@case()
def handler_result_not_json(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        return {"when": date(2024, 1, 1)}

    return handler


@case()
def step_result_not_serialisable(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        try:
            context.step(lambda _: object(), name="opaque")
        except Exception as error:
            return type(error).__name__
        return "unreachable"

    return handler


@case()
def error_shapes(api: Api) -> Callable[..., Any]:
    class Nested:
        class Problem(Exception):
            pass

    def raising(error: Exception) -> Callable[[Any], None]:
        def run(_: Any) -> None:
            raise error

        return run

    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        no_retry = api.config.StepConfig(retry_strategy=api.retries.RetryPresets.none())
        errors = [
            ValueError(),
            ValueError(1, 2),
            Nested.Problem("nested class"),
            OSError(2, "No such file"),
            InventoryShortError("x" * 5000),
        ]
        seen = []
        for index, error in enumerate(errors):
            try:
                context.step(raising(error), name=f"raise-{index}", config=no_retry)
            except api.exceptions.StepError as failure:
                seen.append([failure.error_type, str(failure)])
        return seen

    return handler


@case()
def retry_filters(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        by_type = api.config.StepConfig(
            retry_strategy=api.retries.create_retry_strategy(
                api.retries.RetryStrategyConfig(
                    max_attempts=4,
                    initial_delay=api.seconds(3),
                    jitter_strategy=api.config.JitterStrategy.NONE,
                    retryable_error_types=[ValueError],
                )
            )
        )
        by_message = api.config.StepConfig(
            retry_strategy=api.retries.create_retry_strategy(
                api.retries.RetryStrategyConfig(
                    max_attempts=2,
                    jitter_strategy=api.config.JitterStrategy.NONE,
                    retryable_errors=["temporar"],
                )
            )
        )
        outcomes = []
        for name, error, config in (
            ("type-miss", TypeError("no"), by_type),
            ("message-hit", RuntimeError("temporarily down"), by_message),
        ):

            def run(_: Any, error: Exception = error) -> None:
                raise error

            try:
                context.step(run, name=name, config=config)
            except api.exceptions.StepError as failure:
                outcomes.append(failure.error_type)
        return outcomes

    return handler


@case()
def retry_backoff_capped(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        config = api.config.StepConfig(
            retry_strategy=api.retries.create_retry_strategy(
                api.retries.RetryStrategyConfig(
                    max_attempts=5,
                    initial_delay=api.seconds(7),
                    max_delay=api.seconds(20),
                    backoff_rate=2.5,
                    jitter_strategy=api.config.JitterStrategy.NONE,
                )
            )
        )

        def failing(_: Any) -> None:
            raise ConnectionError("down")

        try:
            context.step(failing, name="capped", config=config)
        except api.exceptions.StepError as failure:
            return failure.error_type
        return "unreachable"

    return handler


@case(alternates=False)
def with_retry_block(api: Api) -> Callable[..., Any]:
    calls: list[int] = []

    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def block(ctx: Any, attempt: int) -> Any:
            value = ctx.step(lambda _: attempt, name="inside")
            calls.append(attempt)
            if len(calls) < 3:
                raise ValueError(f"block attempt {attempt}")
            return value

        config = api.root.WithRetryConfig(
            retry_strategy=api.retries.create_retry_strategy(
                api.retries.RetryStrategyConfig(
                    max_attempts=5,
                    initial_delay=api.seconds(2),
                    jitter_strategy=api.config.JitterStrategy.NONE,
                )
            )
        )
        return api.root.with_retry(context, block, config, name="block")

    return handler


@case()
def unsupported_step_results(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        outcomes = []
        for label, value in (("set", {1}), ("tuple_key", {(1, 2): 3}), ("nested", [1, {2}])):
            try:
                context.step(lambda _, v=value: v, name=label)
            except Exception as error:
                outcomes.append(type(error).__name__)
        return outcomes

    return handler


@case()
def with_retry_exhausted_unwrapped(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def block(ctx: Any, attempt: int) -> Any:
            ctx.step(lambda _: attempt, name=f"try-{attempt}")
            raise ValueError(f"attempt {attempt}")

        config = api.root.WithRetryConfig(
            retry_strategy=api.retries.create_retry_strategy(
                api.retries.RetryStrategyConfig(
                    max_attempts=2,
                    initial_delay=api.seconds(3),
                    jitter_strategy=api.config.JitterStrategy.NONE,
                )
            ),
            wrap_with_run_in_child_context=False,
        )
        try:
            api.root.with_retry(context, block, config, name="loop")
        except ValueError as error:
            return str(error)
        return "unreachable"

    return handler


@case(alternates=False)
def non_deterministic_rename(api: Api) -> Callable[..., Any]:
    runs: list[int] = []

    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        runs.append(1)
        context.step(lambda _: 1, name="first" if len(runs) == 1 else "renamed")
        context.wait(api.seconds(1), name="pause")
        return "done"

    return handler


@case()
def step_raising_durable_error_with_data(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def fail(_: Any) -> None:
            raise api.exceptions.DurableOperationError(
                "with data", "Custom.Type", '{"k": 1}', ["frame one", "frame two"]
            )

        no_retry = api.config.StepConfig(retry_strategy=api.retries.RetryPresets.none())
        try:
            context.step(fail, name="data", config=no_retry)
        except api.exceptions.StepError as error:
            return [api.local(error.error_type), error.data, str(error)]
        return "unreachable"

    return handler


@case()
def custom_retry_decisions(api: Api) -> Callable[..., Any]:
    calls: list[int] = []

    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def strategy(error: Exception, attempts: int) -> Any:
            if attempts == 1:
                return api.retries.RetryDecision.retry(api.config.Duration(seconds=0))
            if attempts == 2:
                return api.retries.RetryDecision.retry(api.config.Duration.from_minutes(3))
            return api.retries.RetryDecision.no_retry()

        def flaky(_: Any) -> None:
            calls.append(1)
            raise json.JSONDecodeError("bad json", "doc", 0)

        try:
            context.step(
                flaky, name="custom", config=api.config.StepConfig(retry_strategy=strategy)
            )
        except api.exceptions.StepError as error:
            return [api.local(error.error_type), str(error)]
        return "unreachable"

    return handler


@case()
def retry_presets_deterministic(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        out = []
        for label, strategy in (
            ("linear", api.retries.RetryPresets.linear()),
            ("fixed", api.retries.RetryPresets.fixed()),
        ):

            def fail(_: Any) -> None:
                raise ValueError("always")

            try:
                context.step(
                    fail, name=label, config=api.config.StepConfig(retry_strategy=strategy)
                )
            except api.exceptions.StepError as error:
                out.append(api.local(error.error_type))
        return out

    return handler


@case()
def error_messages_unusual(api: Api) -> Callable[..., Any]:
    class Loud(Exception):
        def __str__(self) -> str:
            return "custom str ✓"

    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        no_retry = api.config.StepConfig(retry_strategy=api.retries.RetryPresets.none())
        seen = []
        for index, error in enumerate(
            [Loud("ignored"), RuntimeError("multi\nline"), ZeroDivisionError()]
        ):

            def fail(_: Any, error: Exception = error) -> None:
                raise error

            try:
                context.step(fail, name=f"e{index}", config=no_retry)
            except api.exceptions.StepError as failure:
                seen.append([api.local(failure.error_type), str(failure)])
        return seen

    return handler


@case()
def step_returning_generator(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        try:
            context.step(lambda _: (x for x in [1]), name="gen", config=api.retry_config(2))
        except Exception as error:
            return [type(error).__name__, api.local(getattr(error, "error_type", None))]
        return "unreachable"

    return handler


@case()
def async_step_in_sync_handler(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        async def fetch(_: Any) -> int:
            return 1

        try:
            context.step(fetch, name="fetch", config=api.retry_config(2))
        except Exception as error:
            return [type(error).__name__, api.local(getattr(error, "error_type", None))]
        return "unreachable"

    return handler
