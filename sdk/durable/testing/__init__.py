"""Test durable handlers locally: `LocalDurableTestRunner` runs them on an in-process
engine (waits skipped by default) and returns a `TestResult` with the status, result,
operations, invocations and history. The pytest fixture `durable_runner` builds
runners that close themselves after the test."""

from durable.testing.result import OperationResult, TestResult
from durable.testing.runner import LocalDurableTestRunner, LocalLambdaContext

__all__ = ["LocalDurableTestRunner", "LocalLambdaContext", "OperationResult", "TestResult"]
