"""The rule registry: every rule class, in code order. A new rule is added here."""

from __future__ import annotations

from durable_lint.rules.base import Rule
from durable_lint.rules.blocking_sleep import BlockingSleep
from durable_lint.rules.captured_state_written import CapturedStateWritten
from durable_lint.rules.clock_read import ClockRead
from durable_lint.rules.context_escapes import ContextEscapes
from durable_lint.rules.environment_read import EnvironmentRead
from durable_lint.rules.external_io import ExternalIO
from durable_lint.rules.handler_shape import HandlerShape
from durable_lint.rules.host_identity import HostIdentity
from durable_lint.rules.module_state_written import ModuleStateWritten
from durable_lint.rules.operation_in_sdk_callback import OperationInSdkCallback
from durable_lint.rules.operation_in_step import OperationInStep
from durable_lint.rules.operation_on_unmanaged_concurrency import OperationOnUnmanagedConcurrency
from durable_lint.rules.parent_context_in_child import ParentContextInChild
from durable_lint.rules.random_value import RandomValue
from durable_lint.rules.replay_unaware_output import ReplayUnawareOutput
from durable_lint.rules.suspension_swallowed import SuspensionSwallowed
from durable_lint.rules.unique_identifier import UniqueIdentifier
from durable_lint.rules.unordered_iteration import UnorderedIteration
from durable_lint.rules.unstable_operation_name import UnstableOperationName

ALL_RULES: tuple[type[Rule], ...] = (
    ClockRead,
    RandomValue,
    UniqueIdentifier,
    ExternalIO,
    HostIdentity,
    EnvironmentRead,
    UnorderedIteration,
    BlockingSleep,
    UnstableOperationName,
    ReplayUnawareOutput,
    OperationInStep,
    OperationInSdkCallback,
    OperationOnUnmanagedConcurrency,
    ParentContextInChild,
    ContextEscapes,
    SuspensionSwallowed,
    CapturedStateWritten,
    ModuleStateWritten,
    HandlerShape,
)

__all__ = ["ALL_RULES", "Rule"]
