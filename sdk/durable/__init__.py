"""durable: write durable functions in Python.

A durable handler is checkpointed as it runs. When it resumes, it runs again
from the top and every completed operation returns its recorded result, so the
handler survives crashes and can wait for months without holding compute.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("durable-py")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
