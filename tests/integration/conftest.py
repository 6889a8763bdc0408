"""Fixtures of the integration tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from durable_cli_process import DurableCli


@pytest.fixture
def durable_cli(tmp_path: Path) -> DurableCli:
    """The `durable` command, run in `tmp_path` with its database there."""
    return DurableCli(tmp_path, tmp_path / "state" / "executions.db")
