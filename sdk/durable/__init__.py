"""durable: write durable functions in Python.

A durable handler is checkpointed as it runs. When it resumes, it runs again from
the top and every completed operation returns its recorded result, so the handler
survives crashes and can wait for months without holding compute.

The names mirror the official AWS SDK (`aws_durable_execution_sdk_python`): porting a
handler is a change of import lines. `AsyncDurableContext` is the asyncio driver.
"""

from importlib.metadata import PackageNotFoundError, version

from durable.aio import AsyncDurableContext
from durable.batch import BatchItem, BatchResult, CompletionReason
from durable.config import (
    BatchItemStatus,
    CompletionDecision,
    CompletionItemStatus,
    CompletionOutcome,
    CompletionStatus,
    ParallelBranch,
    complete_batch,
    continue_batch,
)
from durable.context import DurableContext, ExecutionContext
from durable.decorators import (
    durable_parallel_branch,
    durable_step,
    durable_wait_for_callback,
    durable_with_child_context,
)
from durable.exceptions import (
    BatchCompletionError,
    CallbackError,
    CallbackExternalError,
    CallbackSubmitterError,
    CallbackTimeoutError,
    ChildContextError,
    DurableExecutionsError,
    DurableOperationError,
    ExecutionError,
    InvocationError,
    InvokeError,
    NonDeterministicExecutionError,
    PluginLoadError,
    RetryableSerDesError,
    SerDesError,
    StepError,
    StepTimeoutError,
    SuspendExecution,
    ValidationError,
    WaitForConditionError,
)
from durable.execution import durable_execution
from durable.retries import WithRetryConfig, with_retry, with_retry_async
from durable.types import StepContext

try:
    __version__ = version("durable-py")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = [
    "AsyncDurableContext",
    "BatchCompletionError",
    "BatchItem",
    "BatchItemStatus",
    "BatchResult",
    "CallbackError",
    "CallbackExternalError",
    "CallbackSubmitterError",
    "CallbackTimeoutError",
    "ChildContextError",
    "CompletionDecision",
    "CompletionItemStatus",
    "CompletionOutcome",
    "CompletionReason",
    "CompletionStatus",
    "DurableContext",
    "DurableExecutionsError",
    "DurableOperationError",
    "ExecutionContext",
    "ExecutionError",
    "InvocationError",
    "InvokeError",
    "NonDeterministicExecutionError",
    "ParallelBranch",
    "PluginLoadError",
    "RetryableSerDesError",
    "SerDesError",
    "StepContext",
    "StepError",
    "StepTimeoutError",
    "SuspendExecution",
    "ValidationError",
    "WaitForConditionError",
    "WithRetryConfig",
    "__version__",
    "complete_batch",
    "continue_batch",
    "durable_execution",
    "durable_parallel_branch",
    "durable_step",
    "durable_wait_for_callback",
    "durable_with_child_context",
    "with_retry",
    "with_retry_async",
]
