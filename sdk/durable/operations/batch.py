"""`map` and `parallel`: the sans-IO coordinator both drivers schedule branches with.

A batch is a CONTEXT (SubType Map or Parallel) whose items are child contexts
(MapIteration / ParallelBranch) with Ids derived from their index, so the Ids do
not depend on the order branches run or finish in. The coordinator admits items in
index order up to `max_concurrency` (a suspended item keeps its slot), applies the
completion policy to each outcome, and builds the `BatchResult`. When every admitted
item is suspended or done before the batch completes, the batch suspends.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from durable._core.ids import operation_id
from durable._core.state import ExecutionState, Scope
from durable._core.wire import ErrorObject, OperationStatus
from durable.batch import BatchItem, BatchResult, CompletionReason
from durable.config import (
    BatchItemStatus,
    ChildConfig,
    CompletionConfig,
    CompletionDecision,
    CompletionItemStatus,
    CompletionOutcome,
    CompletionStatus,
    MapConfig,
    NestingType,
    ParallelBranch,
    ParallelConfig,
    SummaryGenerator,
)
from durable.exceptions import (
    DurableOperationError,
    ExecutionError,
    InvocationError,
    SuspendExecution,
    TimedSuspendExecution,
)


@dataclass(frozen=True)
class BatchSpec:
    """What a map or parallel runs: one function per item, and how."""

    functions: list[Callable[[Any], Any]]
    names: list[str]
    iteration_sub_type: str
    completion: CompletionConfig
    max_concurrency: int | None
    item_config: ChildConfig[Any]


def map_spec(
    inputs: Sequence[Any], func: Callable[..., Any], config: MapConfig[Any] | None
) -> tuple[BatchSpec, ChildConfig[Any]]:
    """The items of a `map`, and the ChildConfig of the map operation."""
    cfg = config or MapConfig()
    items = list(inputs)
    cfg.completion_config.validate_for_total(len(items))
    namer = cfg.item_namer

    def bind(index: int, item: Any) -> Callable[[Any], Any]:
        return lambda ctx: func(ctx, item, index, items)

    spec = BatchSpec(
        functions=[bind(i, item) for i, item in enumerate(items)],
        names=item_names(
            len(items), "map-item-", (lambda i: namer(items[i], i)) if namer else _no_name
        ),
        iteration_sub_type="MapIteration",
        completion=cfg.completion_config,
        max_concurrency=cfg.max_concurrency,
        item_config=item_config(cfg.serdes, cfg.item_serdes, cfg.nesting_type),
    )
    child: ChildConfig[Any] = ChildConfig(
        serdes=cfg.serdes, summary_generator=summary_generator("MapResult", cfg.summary_generator)
    )
    return spec, child


def parallel_spec(
    functions: Sequence[Callable[[Any], Any] | ParallelBranch[Any]],
    config: ParallelConfig | None,
) -> tuple[BatchSpec, ChildConfig[Any]]:
    """The branches of a `parallel`, and the ChildConfig of the parallel operation."""
    cfg = config or ParallelConfig()
    branches = list(functions)
    cfg.completion_config.validate_for_total(len(branches))
    spec = BatchSpec(
        functions=list(branches),
        names=item_names(
            len(branches),
            "parallel-branch-",
            lambda i: b.name if isinstance(b := branches[i], ParallelBranch) else None,
        ),
        iteration_sub_type="ParallelBranch",
        completion=cfg.completion_config,
        max_concurrency=cfg.max_concurrency,
        item_config=item_config(cfg.serdes, cfg.item_serdes, cfg.nesting_type),
    )
    child: ChildConfig[Any] = ChildConfig(
        serdes=cfg.serdes,
        summary_generator=summary_generator("ParallelResult", cfg.summary_generator),
    )
    return spec, child


def _no_name(index: int) -> None:
    return None


def item_names(count: int, prefix: str, custom: Callable[[int], str | None]) -> list[str]:
    """Each item's name: the custom one, else `{prefix}{index}`."""
    names = []
    for index in range(count):
        name = custom(index)
        names.append(name if name is not None else f"{prefix}{index}")
    return names


def item_config(serdes: Any, item_serdes: Any, nesting: NestingType) -> ChildConfig[Any]:
    """The ChildConfig of each item."""
    return ChildConfig(serdes=item_serdes or serdes, is_virtual=nesting is NestingType.FLAT)


class Policy:
    """When a batch completes, and why (the official SDK's rules)."""

    def __init__(self, total: int, config: CompletionConfig) -> None:
        self.total = total
        self.config = config

    def tolerance_exceeded(self, failed: int) -> bool:
        cfg = self.config
        if cfg.should_complete is not None:
            return False
        if (
            cfg.min_successful is None
            and cfg.tolerated_failure_count is None
            and (cfg.tolerated_failure_percentage is None)
        ):
            return failed > 0
        if cfg.tolerated_failure_count is not None and failed > cfg.tolerated_failure_count:
            return True
        percentage = cfg.tolerated_failure_percentage
        return percentage is not None and self.total > 0 and failed * 100 / self.total > percentage

    def decide(
        self, succeeded: int, failed: int, items: tuple[CompletionItemStatus, ...]
    ) -> CompletionDecision | None:
        if self.config.should_complete is None:
            return None
        status = CompletionStatus(succeeded, failed, succeeded + failed, self.total, items)
        return self.config.should_complete(status)

    def complete(self, succeeded: int, failed: int, decision: CompletionDecision | None) -> bool:
        if decision is not None and decision.complete:
            return True
        if succeeded + failed >= self.total:
            return True
        minimum = self.config.min_successful
        return minimum is not None and succeeded >= minimum

    def reason(
        self, succeeded: int, failed: int, decision: CompletionDecision | None
    ) -> CompletionReason:
        if self.tolerance_exceeded(failed):
            return CompletionReason.FAILURE_TOLERANCE_EXCEEDED
        if decision is not None and decision.complete:
            if decision.outcome is CompletionOutcome.FAILED:
                return CompletionReason.CUSTOM_COMPLETION_FAILED
            return CompletionReason.CUSTOM_COMPLETION_SUCCEEDED
        if succeeded + failed >= self.total:
            return CompletionReason.ALL_COMPLETED
        minimum = self.config.min_successful
        if minimum is not None and succeeded >= minimum:
            return CompletionReason.MIN_SUCCESSFUL_REACHED
        return CompletionReason.ALL_COMPLETED


@dataclass
class Coordinator:
    """Admission, outcomes and the result of one batch run (no threads, no I/O)."""

    spec: BatchSpec
    status: list[str | None] = field(default_factory=list)  # None: not admitted yet
    results: dict[int, Any] = field(default_factory=dict)
    errors: dict[int, ErrorObject] = field(default_factory=dict)
    resume_at: list[float] = field(default_factory=list)
    running: int = 0
    in_flight: int = 0
    succeeded: int = 0
    failed: int = 0
    fatal: BaseException | None = None
    _next: int = 0
    _decision: CompletionDecision | None = None

    def __post_init__(self) -> None:
        self.status = [None] * len(self.spec.functions)
        self.policy = Policy(len(self.spec.functions), self.spec.completion)
        self._decision = self.policy.decide(0, 0, self._snapshot())

    @property
    def limit(self) -> int:
        return self.spec.max_concurrency or len(self.spec.functions) or 1

    def done(self) -> bool:
        """Whether the batch has completed (or must stop: a fatal error)."""
        if self.fatal is not None:
            return True
        if self.policy.tolerance_exceeded(self.failed):
            return True
        return self.policy.complete(self.succeeded, self.failed, self._decision)

    def admit(self) -> list[int]:
        """The items to start now, in index order."""
        started = []
        while self._next < len(self.status) and self.in_flight < self.limit and not self.done():
            self.status[self._next] = "STARTED"
            started.append(self._next)
            self._next += 1
            self.in_flight += 1
            self.running += 1
        return started

    def succeed(self, index: int, value: Any) -> None:
        self._finish(index, "SUCCEEDED")
        self.results[index] = value
        self.succeeded += 1
        self._redecide()

    def fail(self, index: int, error: Exception) -> None:
        self._finish(index, "FAILED")
        self.errors[index] = item_error(error)
        self.failed += 1
        self._redecide()

    def suspend(self, index: int, error: SuspendExecution) -> None:
        """The item suspended: it keeps its slot until a later invocation."""
        self.running -= 1
        self.status[index] = "SUSPENDED"
        if isinstance(error, TimedSuspendExecution):
            self.resume_at.append(error.scheduled_timestamp)

    def abort(self, error: BaseException) -> None:
        """An error that ends the invocation (non-determinism, a crash)."""
        self.running -= 1
        if self.fatal is None:
            self.fatal = error

    def _finish(self, index: int, status: str) -> None:
        self.status[index] = status
        self.running -= 1
        self.in_flight -= 1

    def _redecide(self) -> None:
        if self.spec.completion.should_complete is not None:
            self._decision = self.policy.decide(self.succeeded, self.failed, self._snapshot())

    def _snapshot(self) -> tuple[CompletionItemStatus, ...]:
        if self.spec.completion.should_complete is None:
            return ()
        mapping = {
            "SUCCEEDED": BatchItemStatus.SUCCEEDED,
            "FAILED": BatchItemStatus.FAILED,
            None: None,
        }
        return tuple(
            CompletionItemStatus(i, self.spec.names[i], mapping.get(s, BatchItemStatus.STARTED))
            for i, s in enumerate(self.status)
        )

    def suspension(self) -> SuspendExecution:
        """What to raise when nothing can run before a later invocation."""
        if self.resume_at:
            return TimedSuspendExecution("every running item is suspended", min(self.resume_at))
        return SuspendExecution("every running item is suspended")

    def result(self) -> BatchResult[Any]:
        """The BatchResult: every admitted item in index order."""
        items: list[BatchItem[Any]] = []
        for index, status in enumerate(self.status):
            if status == "SUCCEEDED":
                items.append(BatchItem(index, BatchItemStatus.SUCCEEDED, self.results[index]))
            elif status == "FAILED":
                items.append(BatchItem(index, BatchItemStatus.FAILED, error=self.errors[index]))
            elif status is not None:
                items.append(BatchItem(index, BatchItemStatus.STARTED))
        reason = self.policy.reason(self.succeeded, self.failed, self._decision)
        return BatchResult(items, reason)


def item_error(error: Exception) -> ErrorObject:
    """An item's error: the type that escaped its function, not the wrapper's."""
    if isinstance(error, DurableOperationError):
        return ErrorObject(error.message, error.error_type, error.data, error.stack_trace)
    return ErrorObject.from_exception(error)


def iteration_id(batch_scope: Scope, index: int) -> str:
    """The Id of item `index` (derived from the index, not from run order)."""
    return operation_id(batch_scope.prefix, index)


def summary_generator(result_type: str, custom: SummaryGenerator | None) -> SummaryGenerator:
    """What a batch over 256 KiB checkpoints instead: the completion record replay
    needs, counts, and the custom summary under "summary"."""

    def generate(result: BatchResult[Any]) -> str:
        started = [i.index for i in result.all if i.status is BatchItemStatus.STARTED]
        completed = [i.index for i in result.all if i.status is not BatchItemStatus.STARTED]
        indexes = (
            {"startedIndexes": started}
            if len(started) <= len(completed)
            else {"completedIndexes": completed}
        )
        fields: dict[str, Any] = {
            "type": result_type,
            "totalCount": result.total_count,
            "completionReason": result.completion_reason.value,
            **indexes,
            "startedCount": result.started_count,
            "successCount": result.success_count,
            "failureCount": result.failure_count,
            "status": result.status.value,
        }
        if custom is not None:
            fields["summary"] = str(custom(result))
        return json.dumps(fields)

    return generate


@dataclass(frozen=True)
class Record:
    """The completion record of a summarised batch."""

    reason: CompletionReason
    total: int
    started: frozenset[int]


def recorded_completion(state: ExecutionState, batch_scope: Scope) -> Record | None:
    """The record of a batch that is re-run because its result was summarised."""
    op = state.operations.get(batch_scope.parent_id or "")
    if op is None or op.status is not OperationStatus.SUCCEEDED or not op.replay_children:
        return None
    try:
        data = json.loads(op.result or "")
        total = int(data["totalCount"])
        reason = CompletionReason(data["completionReason"])
        if "startedIndexes" in data:
            started = frozenset(int(i) for i in data["startedIndexes"])
        else:
            started = frozenset(range(total)) - {int(i) for i in data["completedIndexes"]}
    except (ValueError, KeyError, TypeError):
        return None
    return Record(reason, total, started)


def replay_plan(
    state: ExecutionState, batch_scope: Scope, spec: BatchSpec, record: Record
) -> list[BatchItem[Any] | int]:
    """How to rebuild a summarised batch's result: recorded items as they were
    (still-running items stay STARTED, failed ones carry their recorded error), and
    the indexes of succeeded items, which the driver runs again to replay them."""
    plan: list[BatchItem[Any] | int] = []
    for index in range(min(record.total, len(spec.functions))):
        if index in record.started:
            plan.append(BatchItem(index, BatchItemStatus.STARTED))
            continue
        op = state.operations.get(iteration_id(batch_scope, index))
        if op is not None and op.status is OperationStatus.FAILED:
            plan.append(BatchItem(index, BatchItemStatus.FAILED, error=op.error))
        else:
            plan.append(index)
    return plan


def replayed_item(index: int, run: Callable[[], Any]) -> BatchItem[Any]:
    """The item `index` rebuilt by running it again (its operations replay)."""
    try:
        value = run()
    except (ExecutionError, InvocationError):
        raise
    except Exception as error:
        return BatchItem(index, BatchItemStatus.FAILED, error=item_error(error))
    return BatchItem(index, BatchItemStatus.SUCCEEDED, value)
