"""Combinators over concurrent durable work: `all`, `any`, `race`, `all_settled`.

Beyond the official SDK (like the JS SDK's promise combinators). Each is a parallel
batch whose branches run in their own child contexts; the batch records which
branches finished and how, so replay returns the same outcome whatever finished
first in the original run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from durable.batch import BatchResult
from durable.config import (
    BatchItemStatus,
    ChildConfig,
    CompletionConfig,
    CompletionStatus,
    ParallelConfig,
    complete_batch,
    continue_batch,
)
from durable.exceptions import BatchCompletionError, ChildContextError
from durable.operations.batch import BatchSpec, parallel_spec
from durable.operations.outcome import raise_recorded

SUB_TYPES = {"all": "All", "any": "Any", "race": "Race", "all_settled": "AllSettled"}


def _first_settled(status: CompletionStatus) -> Any:
    return complete_batch() if status.completed_count >= 1 else continue_batch()


_COMPLETION = {
    "all": CompletionConfig.all_successful,
    "any": CompletionConfig.first_successful,
    "race": lambda: CompletionConfig(should_complete=_first_settled),
    "all_settled": CompletionConfig.all_completed,
}


def spec(
    kind: str, functions: Sequence[Callable[[Any], Any]]
) -> tuple[BatchSpec, ChildConfig[Any]]:
    """The batch a combinator runs, and its ChildConfig (SubType All/Any/Race/AllSettled)."""
    branches = list(functions)
    completion = _COMPLETION[kind]()
    if kind == "any" and not branches:
        completion = CompletionConfig.all_completed()
    batch_spec, child = parallel_spec(branches, ParallelConfig(completion_config=completion))
    return batch_spec, ChildConfig(
        serdes=child.serdes, sub_type=SUB_TYPES[kind], summary_generator=child.summary_generator
    )


def outcome(kind: str, batch: BatchResult[Any]) -> Any:
    """What the combinator returns for its recorded batch (or the error it raises)."""
    if kind == "all_settled":
        return batch
    if kind == "all":
        batch.throw_if_error()
        return batch.get_results()
    if kind == "any":
        successes = batch.succeeded()
        if successes:
            return successes[0].result
        raise BatchCompletionError(
            f"any: none of the {batch.total_count} branches succeeded "
            f"(first error: {_first_error(batch)})"
        )
    settled = next((i for i in batch.all if i.status is not BatchItemStatus.STARTED), None)
    if settled is None:
        raise ChildContextError("race: no branch finished")
    if settled.status is BatchItemStatus.FAILED:
        raise_recorded(settled.error, ChildContextError)
    return settled.result


def _first_error(batch: BatchResult[Any]) -> str:
    errors = batch.get_errors()
    if not errors or errors[0] is None:
        return "none recorded"
    return f"{errors[0].type}: {errors[0].message}"
