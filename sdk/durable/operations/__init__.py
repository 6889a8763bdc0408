"""Durable operations, one module each. Each turns a user call into core decisions
(`ExecutionState.allocate`) and checkpoint updates (`ExecutionState.record`); the
drivers (`durable.context`, `durable.aio`) only run user code in between."""
