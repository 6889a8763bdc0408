"""Operation Ids: a pure function of the parent context and the operation's position."""

from __future__ import annotations

from hashlib import blake2b


def operation_id(prefix: str | None, position: int) -> str:
    """The Id of the `position`-th operation (from 1) of the context with Id `prefix`
    (None for the root context), as the official SDK computes it."""
    key = f"{prefix}-{position}" if prefix else str(position)
    return blake2b(key.encode()).hexdigest()[:64]
