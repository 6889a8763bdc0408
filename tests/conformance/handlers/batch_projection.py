"""The small views of a BatchResult that the parallel and map requirements return."""

from __future__ import annotations

from typing import Any

from durable import BatchResult


def project(batch: BatchResult[Any], *fields: str) -> dict[str, Any]:
    """Return the named fields of a batch result, with the suites' camelCase names."""
    readers = {
        "completionReason": lambda: batch.completion_reason.value,
        "status": lambda: batch.status.value,
        "successCount": lambda: batch.success_count,
        "failureCount": lambda: batch.failure_count,
        "totalCount": lambda: batch.total_count,
        "hasFailure": lambda: batch.has_failure,
        "errorCount": lambda: len(batch.get_errors()),
    }
    return {field: readers[field]() for field in fields}


ALL_FIELDS = ("completionReason", "status", "successCount", "failureCount", "totalCount")
NO_STATUS = ("completionReason", "successCount", "failureCount", "totalCount")
