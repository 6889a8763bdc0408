"""Steps on the local runner: results, names, retries, semantics, timeouts, errors."""

from __future__ import annotations

from typing import Any

from durable import DurableContext, StepContext, StepError, durable_execution, durable_step
from durable.config import Duration, StepConfig, StepSemantics
from durable.retries import RetryPresets, RetryStrategyConfig, create_retry_strategy
from durable.testing import LocalDurableTestRunner

NO_RETRY = StepConfig(retry_strategy=RetryPresets.none())


def run(handler: Any, payload: Any = None) -> Any:
    with LocalDurableTestRunner(handler) as runner:
        return runner.run(payload, timeout=20)


@durable_step
def greet(step_ctx: StepContext, who: str) -> str:
    return f"Hello, {who}!"


def test_a_step_result_is_the_handler_result() -> None:
    @durable_execution
    def handler(event: dict[str, str], context: DurableContext) -> str:
        return context.step(greet(event["who"]))

    result = run(handler, {"who": "World"})
    assert (result.status, result.result) == ("SUCCEEDED", "Hello, World!")


def test_durable_step_names_the_operation_after_the_function() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        return context.step(greet("x"))

    assert run(handler).get_step("greet").status == "SUCCEEDED"


def test_an_explicit_name_wins() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        return context.step(greet("x"), name="custom")

    assert run(handler).get_step("custom").result == "Hello, x!"


def test_a_lambda_step_has_no_name() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> int:
        return context.step(lambda _: 1)

    assert run(handler).operations[0].name is None


def test_steps_run_once_across_replays() -> None:
    calls: list[str] = []

    @durable_execution
    def handler(event: Any, context: DurableContext) -> list[str]:
        a = context.step(lambda _: calls.append("a") or "a", name="a")
        context.wait(Duration.from_seconds(10))
        b = context.step(lambda _: calls.append("b") or "b", name="b")
        return [a, b]

    result = run(handler)
    assert (result.result, calls, len(result.invocations)) == (["a", "b"], ["a", "b"], 2)


def test_a_failed_attempt_is_retried_after_its_delay() -> None:
    attempts: list[int] = []

    def flaky(step_ctx: StepContext) -> int:
        attempts.append(step_ctx.attempt)
        if step_ctx.attempt < 3:
            raise ConnectionError("try again")
        return step_ctx.attempt

    @durable_execution
    def handler(event: Any, context: DurableContext) -> int:
        return context.step(flaky, name="flaky")

    result = run(handler)
    assert (result.result, attempts) == (3, [1, 2, 3])
    failed = [e for e in result.history if e["EventType"] == "StepFailed"]
    assert [e["StepFailedDetails"]["RetryDetails"]["CurrentAttempt"] for e in failed] == [1, 2]


def test_exhausted_retries_fail_the_execution_with_step_error() -> None:
    strategy = create_retry_strategy(RetryStrategyConfig(max_attempts=2, initial_delay=Duration(1)))

    @durable_execution
    def handler(event: Any, context: DurableContext) -> None:
        context.step(
            lambda _: (_ for _ in ()).throw(KeyError("gone")),
            name="doomed",
            config=StepConfig(retry_strategy=strategy),
        )

    result = run(handler)
    assert result.status == "FAILED"
    assert result.error["ErrorType"] == "durable.exceptions.StepError"
    assert result.get_step("doomed").error["ErrorType"] == "KeyError"


def test_a_caught_step_error_keeps_the_original_type_on_replay() -> None:
    seen: list[str] = []

    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        try:
            context.step(lambda _: int("x"), name="parse", config=NO_RETRY)
        except StepError as error:
            seen.append(error.error_type)
        context.wait(Duration.from_seconds(1))
        return "done"

    assert run(handler).result == "done"
    assert seen == ["ValueError", "ValueError"]


def test_at_most_once_steps_are_not_run_again_after_a_crash() -> None:
    runs: list[int] = []

    class Crash(BaseException):
        pass

    def once(step_ctx: StepContext) -> None:
        runs.append(step_ctx.attempt)
        if len(runs) == 1:
            raise Crash("sandbox died")

    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        context.step(
            once,
            name="charge",
            config=StepConfig(
                retry_strategy=RetryPresets.none(),
                step_semantics=StepSemantics.AT_MOST_ONCE_PER_RETRY,
            ),
        )
        return "charged"

    result = run(handler)
    assert (result.status, runs) == ("FAILED", [1])
    assert result.get_step("charge").error["ErrorType"] == "durable.exceptions.StepInterruptedError"


def test_at_least_once_steps_run_again_after_a_crash() -> None:
    runs: list[int] = []

    class Crash(BaseException):
        pass

    def twice(step_ctx: StepContext) -> int:
        runs.append(step_ctx.attempt)
        if len(runs) == 1:
            raise Crash("sandbox died")
        return len(runs)

    @durable_execution
    def handler(event: Any, context: DurableContext) -> int:
        return context.step(twice, name="work")

    result = run(handler)
    assert (result.result, runs) == (2, [1, 1])
    assert [e["EventType"] for e in result.history].count("StepStarted") == 1


def test_a_step_over_its_timeout_fails_and_uses_its_retries() -> None:
    import threading

    release = threading.Event()
    attempts: list[int] = []

    def hangs_first(step_ctx: StepContext) -> str:
        attempts.append(step_ctx.attempt)
        if step_ctx.attempt == 1:
            release.wait(30)
        return "ok"

    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        return context.step(
            hangs_first, name="slow", config=StepConfig(timeout=Duration.from_seconds(1))
        )

    result = run(handler)
    release.set()
    assert (result.result, attempts) == ("ok", [1, 2])
    first_failure = next(e for e in result.history if e["EventType"] == "StepFailed")
    error = first_failure["StepFailedDetails"]["Error"]["Payload"]
    assert error["ErrorType"] == "durable.exceptions.StepTimeoutError"


def test_the_step_logger_and_attempt_reach_the_function(caplog: Any) -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> int:
        def body(step_ctx: StepContext) -> int:
            step_ctx.logger.info("inside")
            return step_ctx.attempt

        return context.step(body, name="logged")

    with caplog.at_level("INFO"):
        assert run(handler).result == 1
    record = next(r for r in caplog.records if r.getMessage() == "inside")
    assert (record.operationName, record.attempt) == ("logged", 1)  # type: ignore[attr-defined]


def test_step_results_come_back_as_replay_would_return_them() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> list[Any]:
        value = context.step(lambda _: (1, 2), name="pair")
        return [type(value).__name__, list(value)]

    assert run(handler).result == ["tuple", [1, 2]]


def test_a_refused_step_failure_keeps_the_steps_before_it() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> None:
        context.step(lambda _: 1, name="first")
        context.step(lambda _: _raise_huge(), name="second", config=NO_RETRY)

    result = run(handler)
    assert result.status == "FAILED"
    assert "over 32 KiB" in result.error["ErrorMessage"]
    assert result.get_step("first").status == "SUCCEEDED"


def _raise_huge() -> None:
    raise ValueError("x" * 40_000)
