"""The sans-IO core: operation Ids, the replay decision, identity checks. No clock."""

from __future__ import annotations

from collections.abc import Sequence
from hashlib import blake2b

import pytest
from durable._core.checkpoint import CheckpointResult, StatePage
from durable._core.ids import operation_id
from durable._core.state import ExecutionState
from durable._core.wire import (
    Operation,
    OperationStatus,
    OperationType,
    OperationUpdate,
)
from durable.exceptions import NonDeterministicExecutionError, ValidationError


class Recorder:
    """A Checkpointer that keeps every batch it receives."""

    def __init__(self) -> None:
        self.batches: list[list[OperationUpdate]] = []

    def checkpoint(
        self, arn: str, token: str, updates: Sequence[OperationUpdate]
    ) -> CheckpointResult:
        self.batches.append(list(updates))
        return CheckpointResult(f"{token}+")

    def get_execution_state(
        self, arn: str, token: str, marker: str, max_items: int = 1000
    ) -> StatePage:
        return StatePage([])


ARN = "arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST/durable-execution/n/exec"
EXECUTION = Operation("exec", OperationType.EXECUTION, OperationStatus.STARTED, input_payload="{}")


def state_with(*ops: Operation) -> ExecutionState:
    return ExecutionState(ARN, "t", [EXECUTION, *ops], Recorder())


def test_root_ids_hash_the_position() -> None:
    assert operation_id(None, 1) == blake2b(b"1").hexdigest()[:64]


def test_child_ids_hash_parent_and_position() -> None:
    assert operation_id("abc", 2) == blake2b(b"abc-2").hexdigest()[:64]


def test_ids_differ_by_position_and_parent() -> None:
    ids = {operation_id(p, n) for p in (None, "a", "b") for n in (1, 2, 3)}
    assert len(ids) == 9


def test_allocate_counts_per_scope() -> None:
    state = state_with()
    first = state.allocate(state.root, OperationType.STEP, "Step", "a")
    second = state.allocate(state.root, OperationType.STEP, "Step", "b")
    assert (first.id, second.id) == (operation_id(None, 1), operation_id(None, 2))


def test_allocate_finds_the_recorded_operation() -> None:
    recorded = Operation(
        operation_id(None, 1),
        OperationType.STEP,
        OperationStatus.SUCCEEDED,
        name="a",
        sub_type="Step",
    )
    state = state_with(recorded)
    assert state.allocate(state.root, OperationType.STEP, "Step", "a").existing == recorded


def test_a_new_execution_is_not_replaying() -> None:
    assert state_with().root.replaying is False


def test_recorded_operations_start_a_replay_that_ends_at_the_first_new_one() -> None:
    recorded = Operation(
        operation_id(None, 1),
        OperationType.STEP,
        OperationStatus.SUCCEEDED,
        name="a",
        sub_type="Step",
    )
    state = state_with(recorded)
    assert state.root.replaying is True
    state.allocate(state.root, OperationType.STEP, "Step", "a")
    state.settle(state.root)
    assert state.root.replaying is False


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("name", {"name": "other"}),
        ("subtype", {"sub_type": "Wait"}),
        ("type", {"op_type": OperationType.WAIT}),
    ],
)
def test_a_changed_identity_is_non_deterministic(field: str, kwargs: dict[str, object]) -> None:
    recorded = Operation(
        operation_id(None, 1),
        OperationType.STEP,
        OperationStatus.SUCCEEDED,
        name="a",
        sub_type="Step",
    )
    state = state_with(recorded)
    args = {"op_type": OperationType.STEP, "sub_type": "Step", "name": "a", **kwargs}
    with pytest.raises(NonDeterministicExecutionError, match=f"{recorded.id}': {field} "):
        state.allocate(state.root, args["op_type"], args["sub_type"], args["name"])  # type: ignore[arg-type]


def test_a_changed_parent_is_non_deterministic() -> None:
    child_id = operation_id("ctx", 1)
    recorded = Operation(
        child_id, OperationType.STEP, OperationStatus.SUCCEEDED, parent_id="other", sub_type="Step"
    )
    state = state_with(recorded)
    with pytest.raises(
        NonDeterministicExecutionError, match="parent_id checkpoint='other' current='ctx'"
    ):
        state.allocate(state.root.child("ctx"), OperationType.STEP, "Step", None)


def test_operations_after_close_are_rejected_with_their_name() -> None:
    state = state_with()
    state.close()
    with pytest.raises(ValidationError, match="step 'late' was called after the handler returned"):
        state.allocate(state.root, OperationType.STEP, "Step", "late")


def test_virtual_child_keeps_the_parent_but_prefixes_ids() -> None:
    scope = state_with().root.child("branch", virtual=True)
    assert (scope.parent_id, scope.prefix) == (None, "branch")


def test_execution_operation_is_found_by_the_arn_suffix() -> None:
    assert state_with().input_payload == "{}"
