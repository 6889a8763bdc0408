"""Settings the engine reads for one file. Free of libcst, so front-ends stay cheap to import."""

from __future__ import annotations

from dataclasses import dataclass, field

from durable_lint.codes import default_codes


@dataclass(frozen=True)
class SdkSettings:
    """What the user added to the SDKs the linter knows (from configuration)."""

    sdk_modules: tuple[str, ...] = ()
    handler_decorators: tuple[str, ...] = ()


@dataclass(frozen=True)
class SinkSettings:
    """User additions: extra qualified names with their code, and names always allowed."""

    extra: dict[str, str] = field(default_factory=dict)
    allow: frozenset[str] = frozenset()


@dataclass(frozen=True)
class EngineOptions:
    """What the engine needs to lint one file."""

    codes: frozenset[str] = field(default_factory=default_codes)
    honour_noqa: bool = True
    max_call_depth: int = 5
    sdk: SdkSettings = field(default_factory=SdkSettings)
    sinks: SinkSettings = field(default_factory=SinkSettings)

    def markers(self) -> tuple[str, ...]:
        """Words a file must contain to be worth parsing."""
        words = ["durable"]
        words += [module.partition(".")[0] for module in self.sdk.sdk_modules]
        words += [name.rpartition(".")[2] for name in self.sdk.handler_decorators]
        return tuple(words)
