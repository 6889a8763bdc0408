"""The result of `map` and `parallel`: a `BatchResult` of `BatchItem`s.

Map and parallel succeed even when items fail; the caller decides, for example
with `throw_if_error()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, Generic, TypeVar

from durable._core.wire import ErrorObject
from durable.config import BatchItemStatus, CompletionConfig, CompletionItemStatus
from durable.exceptions import BatchCompletionError, ChildContextError
from durable.operations.outcome import raise_recorded
from durable.serdes import register_tagged_type

R = TypeVar("R")


class CompletionReason(Enum):
    """Why a batch stopped."""

    ALL_COMPLETED = "ALL_COMPLETED"
    MIN_SUCCESSFUL_REACHED = "MIN_SUCCESSFUL_REACHED"
    FAILURE_TOLERANCE_EXCEEDED = "FAILURE_TOLERANCE_EXCEEDED"
    CUSTOM_COMPLETION_SUCCEEDED = "CUSTOM_COMPLETION_SUCCEEDED"
    CUSTOM_COMPLETION_FAILED = "CUSTOM_COMPLETION_FAILED"


@dataclass(frozen=True)
class BatchItem(Generic[R]):
    """One item: its index, status, and result or error (ErrorObject)."""

    index: int
    status: BatchItemStatus
    result: R | None = None
    error: ErrorObject | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "status": self.status.value,
            "result": self.result,
            "error": self.error.to_dict() if self.error else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BatchItem[Any]:
        error = data.get("error")
        return cls(
            index=data["index"],
            status=BatchItemStatus(data["status"]),
            result=data.get("result"),
            error=ErrorObject.from_dict(error) if error else None,
        )


@dataclass(frozen=True)
class BatchResult(Generic[R]):
    """Every started item of a map or parallel batch, and why the batch stopped."""

    all: list[BatchItem[R]]
    completion_reason: CompletionReason

    def to_dict(self) -> dict[str, Any]:
        return {
            "all": [item.to_dict() for item in self.all],
            "completionReason": self.completion_reason.value,
        }

    @classmethod
    def from_dict(
        cls, data: dict[str, Any], completion_config: CompletionConfig | None = None
    ) -> BatchResult[Any]:
        """The BatchResult `to_dict` wrote; without a completionReason it is inferred
        from the items under `completion_config` (see `from_items`)."""
        items: list[BatchItem[Any]] = [BatchItem.from_dict(item) for item in data["all"]]
        reason = data.get("completionReason")
        if reason is None:
            return cls.from_items(items, completion_config)
        return cls(items, CompletionReason(reason))

    @classmethod
    def from_items(
        cls, items: list[BatchItem[R]], completion_config: CompletionConfig | None = None
    ) -> BatchResult[R]:
        """A BatchResult of `items`, its completion reason inferred by the batch rules
        of `completion_config` (exact when every item of the batch is present)."""
        # The rules live with the coordinator, which imports this module.
        from durable.operations.batch import Policy

        policy = Policy(len(items), completion_config or CompletionConfig())
        succeeded = sum(1 for item in items if item.status is BatchItemStatus.SUCCEEDED)
        failed = sum(1 for item in items if item.status is BatchItemStatus.FAILED)
        snapshot = tuple(CompletionItemStatus(item.index, status=item.status) for item in items)
        decision = policy.decide(succeeded, failed, snapshot)
        return cls(items, policy.reason(succeeded, failed, decision))

    def succeeded(self) -> list[BatchItem[R]]:
        """The items that succeeded."""
        return [i for i in self.all if i.status is BatchItemStatus.SUCCEEDED]

    def failed(self) -> list[BatchItem[R]]:
        """The items that failed."""
        return [i for i in self.all if i.status is BatchItemStatus.FAILED]

    def started(self) -> list[BatchItem[R]]:
        """The items still running when the batch completed early."""
        return [i for i in self.all if i.status is BatchItemStatus.STARTED]

    @property
    def status(self) -> BatchItemStatus:
        """FAILED when an item failed (or a custom decision said so), else SUCCEEDED."""
        if self.completion_reason is CompletionReason.CUSTOM_COMPLETION_FAILED:
            return BatchItemStatus.FAILED
        if self.completion_reason is CompletionReason.CUSTOM_COMPLETION_SUCCEEDED:
            return BatchItemStatus.SUCCEEDED
        return BatchItemStatus.FAILED if self.has_failure else BatchItemStatus.SUCCEEDED

    @property
    def has_failure(self) -> bool:
        """Whether any item failed."""
        return any(i.status is BatchItemStatus.FAILED for i in self.all)

    def throw_if_error(self) -> None:
        """Raise the first failed item's error as `ChildContextError` (or
        `BatchCompletionError` when a custom decision failed the batch)."""
        first = next((i for i in self.all if i.status is BatchItemStatus.FAILED), None)
        if first is not None:
            if first.error is None:
                raise ChildContextError(f"batch item {first.index} failed without an error")
            raise_recorded(first.error, ChildContextError)
        if self.completion_reason is CompletionReason.CUSTOM_COMPLETION_FAILED:
            raise BatchCompletionError(
                "the batch completed as failed by its should_complete decision"
            )

    def get_results(self) -> list[R]:
        """The results of the succeeded items, in index order."""
        return [i.result for i in self.all if i.status is BatchItemStatus.SUCCEEDED]  # type: ignore[misc]

    def get_errors(self) -> list[ErrorObject | None]:
        """The errors of the failed items, in index order."""
        return [i.error for i in self.all if i.status is BatchItemStatus.FAILED]

    @property
    def success_count(self) -> int:
        """How many items succeeded."""
        return len(self.succeeded())

    @property
    def failure_count(self) -> int:
        """How many items failed."""
        return len(self.failed())

    @property
    def started_count(self) -> int:
        """How many items were still running."""
        return len(self.started())

    @property
    def total_count(self) -> int:
        """How many items the result holds."""
        return len(self.all)


register_tagged_type("br", BatchResult, BatchResult.to_dict, BatchResult.from_dict)
