"""Parity cases: operations answered from outside - wait_for_condition, invoke, callbacks and
wait_for_callback (a case's `drive` answers them through the runner)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from parity_handlers import Api, Driver, InventoryShortError, case


@case()
def wait_for_condition_polls(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        strategy = api.waits.create_wait_strategy(
            api.waits.WaitStrategyConfig(
                should_continue_polling=lambda state: state["count"] < 3,
                initial_delay=api.seconds(2),
                backoff_rate=2,
                jitter_strategy=api.config.JitterStrategy.NONE,
            )
        )
        config = api.waits.WaitForConditionConfig(
            wait_strategy=strategy, initial_state={"count": 0, "since": date(2024, 1, 1)}
        )

        def check(state: dict[str, Any], check_ctx: Any) -> dict[str, Any]:
            return {"count": state["count"] + 1, "since": state["since"]}

        final = context.wait_for_condition(check, config=config, name="poll")
        unnamed = context.wait_for_condition(
            lambda state, _: state + 1,
            config=api.waits.WaitForConditionConfig(
                wait_strategy=lambda state, attempt: api.waits.WaitForConditionDecision(
                    should_continue=state < 2, delay=api.seconds(1)
                ),
                initial_state=0,
            ),
        )
        return [str(final), unnamed]

    return handler


@case()
def wait_for_condition_fails(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        strategy = api.waits.create_wait_strategy(
            api.waits.WaitStrategyConfig(
                should_continue_polling=lambda state: True,
                max_attempts=2,
                initial_delay=api.seconds(1),
                jitter_strategy=api.config.JitterStrategy.NONE,
            )
        )
        config = api.waits.WaitForConditionConfig(wait_strategy=strategy, initial_state=0)
        try:
            context.wait_for_condition(lambda state, _: state + 1, config=config, name="never")
        except api.exceptions.WaitForConditionError as error:
            return {"error_type": api.local(error.error_type), "message": str(error)}
        return "unreachable"

    return handler


@case()
def wait_for_condition_check_raises(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def check(state: int, _: Any) -> int:
            raise InventoryShortError(f"check failed at {state}")

        config = api.waits.WaitForConditionConfig(
            wait_strategy=lambda state, attempt: api.waits.WaitForConditionDecision(
                should_continue=True, delay=api.seconds(1)
            ),
            initial_state=5,
        )
        try:
            context.wait_for_condition(check, config=config, name="raises")
        except Exception as error:
            return [type(error).__name__, api.local(getattr(error, "error_type", None)), str(error)]
        return "unreachable"

    return handler


def _invokable(api: Api) -> dict[str, tuple[Callable[..., Any], bool]]:
    def add_one(event: Any, context: Any) -> Any:
        return {"n": event["n"] + 1}

    def refuse(event: Any, context: Any) -> Any:
        raise InventoryShortError("refused")

    @api.root.durable_execution
    def durable_double(event: Any, context: Any) -> Any:
        doubled = context.step(lambda _: event["n"] * 2, name="double")
        return {"n": doubled}

    return {
        "add-one": (add_one, False),
        "refuse": (refuse, False),
        "double": (durable_double, True),
    }


@case(functions=_invokable)
def invoke_functions(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        plain = context.invoke("add-one", {"n": 1}, name="plain")
        durable = context.invoke("double", {"n": 4})
        try:
            context.invoke("refuse", {"n": 0}, name="refused")
        except api.exceptions.InvokeError as error:
            failure = [api.local(error.error_type), str(error)]
        return [plain, durable, failure]

    return handler


@case(functions=_invokable)
def invoke_payload_not_json(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        context.invoke("add-one", {"n": {1, 2}}, name="bad")

    return handler


def _answer(callback_name: str) -> Callable[[Driver], None]:
    def answer(driver: Driver) -> None:
        callback_id = driver.wait_for_callback(callback_name)
        driver.send_callback_heartbeat(callback_id)
        driver.send_callback_success(callback_id, '{"approved": true}')

    return answer


@case(drive=_answer("approval"))
def callback_answered(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        config = api.config.CallbackConfig(
            timeout=api.config.Duration.from_hours(1),
            heartbeat_timeout=api.config.Duration.from_minutes(10),
        )
        callback = context.create_callback(name="approval", config=config)
        context.step(lambda _: callback.callback_id is not None, name="send")
        return callback.result()

    return handler


def _reject_approval(driver: Driver) -> None:
    callback_id = driver.wait_for_callback("approval")
    driver.send_callback_failure(callback_id, "rejected by reviewer", "Rejected")


@case(drive=_reject_approval)
def callback_failed(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        callback = context.create_callback(name="approval")
        try:
            callback.result()
        except api.exceptions.CallbackError as error:
            return [type(error).__name__, api.local(error.error_type), str(error)]
        return "unreachable"

    return handler


@case()
def callback_times_out(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        # The official runner does not skip callback timeouts: keep it short.
        config = api.config.CallbackConfig(timeout=api.seconds(1))
        callback = context.create_callback(name="late", config=config)
        try:
            callback.result()
        except api.exceptions.CallbackError as error:
            return [type(error).__name__, api.local(error.error_type), str(error)]
        return "unreachable"

    return handler


@case(drive=_answer("approval create callback id"))
def wait_for_callback_answered(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def submit(callback_id: str, wait_ctx: Any) -> None:
            return None

        return context.wait_for_callback(submit, name="approval")

    return handler


@case()
def wait_for_callback_submitter_fails(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def submit(callback_id: str, wait_ctx: Any) -> None:
            raise InventoryShortError("cannot submit")

        config = api.config.WaitForCallbackConfig(retry_strategy=api.retries.RetryPresets.none())
        try:
            context.wait_for_callback(submit, name="approval", config=config)
        except api.exceptions.CallbackError as error:
            return [type(error).__name__, api.local(error.error_type), str(error)]
        return "unreachable"

    return handler


def _answer_two(driver: Driver) -> None:
    for name in ("first", "second"):
        callback_id = driver.wait_for_callback(name)
        driver.send_callback_success(callback_id, f'"{name}-answer"')


@case(drive=_answer_two)
def two_callbacks_in_children(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def ask(name: str) -> Callable[[Any], Any]:
            def body(ctx: Any) -> Any:
                callback = ctx.create_callback(name=name)
                return callback.result()

            return body

        first = context.run_in_child_context(ask("first"), name="ask-first")
        second = context.run_in_child_context(ask("second"), name="ask-second")
        return [first, second]

    return handler


@case(functions=_invokable)
def invoke_with_config(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        config = api.config.InvokeConfig(tenant_id="tenant-1")
        first = context.invoke("add-one", {"n": 10}, name="tenant", config=config)
        durable = context.invoke("double", {"n": 10}, name="tenant-durable", config=config)
        return [first, durable]

    return handler


@case()
def wait_for_callback_with_timeout(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        config = api.config.WaitForCallbackConfig(timeout=api.seconds(1))
        try:
            context.wait_for_callback(lambda callback_id, ctx: None, name="slow", config=config)
        except api.exceptions.CallbackError as error:
            return [type(error).__name__, api.local(error.error_type), str(error)]
        return "unreachable"

    return handler


def _answer_json(driver: Driver) -> None:
    callback_id = driver.wait_for_callback("typed")
    driver.send_callback_success(callback_id, '{"amount": 12.5, "ok": true}')


@case(drive=_answer_json)
def callback_with_json_serdes(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        config = api.config.CallbackConfig(serdes=api.serdes.JsonSerDes())
        callback = context.create_callback(name="typed", config=config)
        value = callback.result()
        return [type(value).__name__, value]

    return handler


@case(drive=_answer("approval create callback id"))
def wait_for_callback_with_serdes_and_retry(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        config = api.config.WaitForCallbackConfig(
            serdes=api.serdes.JsonSerDes(),
            retry_strategy=api.retries.RetryPresets.none(),
            timeout=api.config.Duration.from_hours(2),
        )

        @api.root.durable_wait_for_callback
        def submit(callback_id: str, wait_ctx: Any, ticket: str) -> str:
            return f"submitted {ticket}"

        value = context.wait_for_callback(submit("T-1"), name="approval", config=config)
        return value

    return handler


@case(functions=_invokable)
def invoke_with_serdes(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        config = api.config.InvokeConfig(
            serdes_payload=api.serdes.ExtendedTypeSerDes(),
            serdes_result=api.serdes.JsonSerDes(),
        )
        try:
            return context.invoke("add-one", {"n": 1}, name="typed", config=config)
        except Exception as error:
            return [type(error).__name__, api.local(getattr(error, "error_type", None)), str(error)]

    return handler


@case()
def wait_for_condition_custom_serdes(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        config = api.waits.WaitForConditionConfig(
            wait_strategy=lambda state, attempt: api.waits.WaitForConditionDecision(
                should_continue=state["n"] < 2, delay=api.seconds(1)
            ),
            initial_state={"n": 0},
            serdes=api.serdes.JsonSerDes(),
        )
        return context.wait_for_condition(lambda s, _: {"n": s["n"] + 1}, config=config)

    return handler


def _answer_garbage(driver: Driver) -> None:
    callback_id = driver.wait_for_callback("typed")
    driver.send_callback_success(callback_id, "not json at all")


@case(drive=_answer_garbage)
def callback_answer_not_json(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        config = api.config.CallbackConfig(serdes=api.serdes.JsonSerDes())
        callback = context.create_callback(name="typed", config=config)
        try:
            return callback.result()
        except Exception as error:
            return [type(error).__name__, api.local(getattr(error, "error_type", None))]

    return handler


def _heartbeat_then_silence(driver: Driver) -> None:
    callback_id = driver.wait_for_callback("hb")
    driver.send_callback_heartbeat(callback_id)


@case(drive=_heartbeat_then_silence)
def callback_heartbeat_timeout(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        config = api.config.CallbackConfig(
            timeout=api.config.Duration.from_minutes(10), heartbeat_timeout=api.seconds(1)
        )
        callback = context.create_callback(name="hb", config=config)
        try:
            return callback.result()
        except api.exceptions.CallbackError as error:
            return [type(error).__name__, api.local(error.error_type), str(error)]

    return handler
