"""Every parity case, registered in `CASES` by importing the modules that define them."""

from __future__ import annotations

import parity_cases_batches
import parity_cases_children
import parity_cases_external
import parity_cases_outcomes
import parity_cases_steps
from parity_handlers import CASES

MODULES = (
    parity_cases_steps,
    parity_cases_outcomes,
    parity_cases_children,
    parity_cases_batches,
    parity_cases_external,
)

__all__ = ["CASES", "MODULES"]
