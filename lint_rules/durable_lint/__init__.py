"""durable_lint: static checks for the replay rules of durable functions."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("durable-py")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
