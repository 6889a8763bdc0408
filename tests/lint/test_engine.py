"""The engine in process: resolution, regions, call graph, suppressions, settings."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from durable_lint.codes import default_codes
from durable_lint.config import ConfigError, Settings, load_settings, settings_from_table
from durable_lint.engine import lint_source
from durable_lint.options import EngineOptions, SdkSettings, SinkSettings


def lint(source: str, **options: object) -> list[tuple[int, str]]:
    found = lint_source(textwrap.dedent(source), "t.py", EngineOptions(**options))  # type: ignore[arg-type]
    return [(f.line, f.code) for f in found]


def test_import_alias_resolves_to_the_qualified_name() -> None:
    source = """
        from time import time as now
        from durable import durable_execution

        @durable_execution
        def handler(event, context):
            return now()
    """
    assert lint(source) == [(7, "DUR101")]


def test_a_local_that_shadows_an_import_is_not_the_import() -> None:
    source = """
        import time
        from durable import durable_execution

        @durable_execution
        def handler(event, context):
            time = event["time"]
            return time.time()
    """
    assert lint(source) == []


def test_official_sdk_submodule_names_are_recognised() -> None:
    source = """
        import random
        from aws_durable_execution_sdk_python.execution import durable_execution

        @durable_execution
        def handler(event, context):
            return random.random()
    """
    assert lint(source) == [(7, "DUR102")]


def test_context_is_known_by_position_not_by_name() -> None:
    source = """
        from durable import durable_execution

        @durable_execution
        def handler(event, ctx):
            def child(c):
                return ctx.step(lambda _: 1)
            def unrelated(context):
                return context.step(1)
            return ctx.run_in_child_context(child)
    """
    assert lint(source) == [(7, "DUR301")]


def test_a_file_without_a_durable_sdk_is_not_parsed() -> None:
    assert lint("import time\nx = time.time(\n") == []


def test_helper_chain_is_reported_once_at_the_call_in_replayed_code() -> None:
    source = """
        import time
        from durable import durable_execution

        def stamp():
            return time.time()

        def build():
            return stamp()

        @durable_execution
        def handler(event, context):
            return build()
    """
    found = lint_source(textwrap.dedent(source), "t.py", EngineOptions())
    assert [(f.line, f.code) for f in found] == [(13, "DUR101")]
    assert "reached via build() -> stamp() -> time.time()" in found[0].message


def test_call_depth_bounds_how_far_helpers_are_followed() -> None:
    source = """
        import time
        from durable import durable_execution

        def stamp():
            return time.time()

        def build():
            return stamp()

        @durable_execution
        def handler(event, context):
            return build()
    """
    assert lint(source, max_call_depth=1) == []
    assert lint(source, max_call_depth=2) == [(13, "DUR101")]


def test_recursive_helpers_terminate() -> None:
    source = """
        import time
        from durable import durable_execution

        def ping(n):
            return pong(n - 1) if n else time.time()

        def pong(n):
            return ping(n)

        @durable_execution
        def handler(event, context):
            return ping(3)
    """
    assert lint(source) == [(13, "DUR101")]


HANDLER = """
    import time
    from durable import durable_execution

    @durable_execution
    def handler(event, context):
        {line}
"""


@pytest.mark.parametrize(
    "line",
    [
        "return time.time()  # noqa",
        "return time.time()  # noqa: DUR101",
        "return time.time()  # noqa: DUR1",
        "return time.time()  # durable: ignore[DUR101] -- timing only",
        "# durable: ignore[DUR101] -- timing only\n        return time.time()",
        "return time.time()\n    # durable: ignore-file[DUR101]",
    ],
)
def test_suppression_comments_silence_the_finding(line: str) -> None:
    assert lint(HANDLER.format(line=line)) == []


def test_noqa_for_another_code_does_not_silence() -> None:
    assert lint(HANDLER.format(line="return time.time()  # noqa: DUR102")) == [(7, "DUR101")]


def test_noqa_is_left_to_flake8_when_asked() -> None:
    source = HANDLER.format(line="return time.time()  # noqa")
    assert lint(source, honour_noqa=False) == [(7, "DUR101")]


def test_noqa_on_the_last_line_covers_a_multi_line_statement() -> None:
    line = "return max(\n            time.time(),\n            0)  # noqa: DUR101"
    assert lint(HANDLER.format(line=line)) == []


def test_a_noqa_inside_a_string_is_not_a_comment() -> None:
    assert lint(HANDLER.format(line='return time.time(), "# noqa"')) == [(7, "DUR101")]


def test_extra_non_deterministic_name_is_reported_with_its_code() -> None:
    source = HANDLER.format(line="return myclock.now()").replace("import time", "import myclock")
    sinks = SinkSettings(extra={"myclock.now": "DUR101"})
    assert lint(source, sinks=sinks) == [(7, "DUR101")]


def test_allowed_name_is_never_reported() -> None:
    sinks = SinkSettings(allow=frozenset({"time.time"}))
    assert lint(HANDLER.format(line="return time.time()"), sinks=sinks) == []


def test_extra_handler_decorator_marks_a_handler() -> None:
    source = """
        import time
        from myco.durable import handler as entry

        @entry
        def handler(event, context):
            return time.time()
    """
    sdk = SdkSettings(handler_decorators=("myco.durable.handler",))
    assert lint(source, sdk=sdk) == [(7, "DUR101")]


def test_sdk_wrapper_module_re_exports_the_sdk_names() -> None:
    source = """
        import time
        from myco.workflows import durable_execution

        @durable_execution
        def handler(event, context):
            return time.time()
    """
    assert lint(source) == []
    sdk = SdkSettings(sdk_modules=("myco.workflows",))
    assert lint(source, sdk=sdk) == [(7, "DUR101")]


def test_opt_in_code_is_not_in_the_default_set() -> None:
    assert "DUR106" not in default_codes()
    assert "DUR101" in default_codes()


def test_settings_select_ignore_and_per_file_ignores(tmp_path: Path) -> None:
    table = {
        "select": ["DUR1"],
        "ignore": ["DUR110"],
        "per-file-ignores": {"tests/*": ["DUR101"]},
    }
    settings = settings_from_table(table, tmp_path, "test")
    codes = settings.codes_for(tmp_path / "src" / "a.py")
    assert "DUR101" in codes and "DUR110" not in codes and "DUR201" not in codes
    assert "DUR106" not in codes
    assert "DUR101" not in settings.codes_for(tmp_path / "tests" / "a.py")


def test_unknown_key_code_and_bad_values_are_configuration_errors(tmp_path: Path) -> None:
    for table, message in [
        ({"selct": []}, "unknown key 'selct'"),
        ({"ignore": ["DUR9"]}, "unknown code 'DUR9'"),
        ({"max-call-depth": "5"}, "'max-call-depth' must be a whole number"),
        ({"non-deterministic": {"a.b": "DUR999"}}, "unknown code 'DUR999'"),
    ]:
        with pytest.raises(ConfigError, match=message):
            settings_from_table(table, tmp_path, "test")


def test_configuration_is_found_by_walking_up(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.durable-lint]\nmax-call-depth = 2\n")
    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    settings = load_settings([str(tmp_path / "pkg" / "sub")], None)
    assert (settings.max_call_depth, settings.root) == (2, tmp_path.resolve())


def test_default_excludes_skip_virtualenvs(tmp_path: Path) -> None:
    settings = Settings(root=tmp_path)
    assert settings.is_excluded(tmp_path / ".venv-bench")
    assert settings.is_excluded(tmp_path / "pkg" / "__pycache__")
    assert not settings.is_excluded(tmp_path / "pkg" / "handlers.py")


def test_async_combinators_run_each_function_as_a_branch() -> None:
    source = """
        from durable import durable_execution

        @durable_execution
        async def handler(event, context):
            async def fast(branch):
                return await context.step(lambda _: 1)
            async def slow(branch):
                return await branch.step(lambda _: 2)
            return await context.race([fast, slow], name="first")
    """
    assert lint(source) == [(7, "DUR301")]


def test_with_retry_block_takes_its_own_context() -> None:
    source = """
        import time
        from durable import durable_execution, with_retry

        @durable_execution
        def handler(event, context):
            def block(ctx, attempt):
                ctx.step(lambda _: attempt)
                return time.time()
            return with_retry(context, block, config)
    """
    assert lint(source) == [(9, "DUR101")]


def test_suspension_swallowed_through_a_helper_handed_the_context() -> None:
    source = """
        from durable import durable_execution

        def charge(ctx, order):
            return ctx.step(lambda _: order)

        @durable_execution
        def handler(event, context):
            try:
                charge(context, event)
            except BaseException:
                return None
            try:
                unknown(context)
            except BaseException:
                return None
    """
    assert lint(source) == [(11, "DUR303")]


def test_partial_shifts_the_position_of_the_step_context() -> None:
    source = """
        import functools
        from durable import durable_execution

        def charge(order_id, step_ctx):
            step_ctx.step(lambda _: 1)
            return order_id

        @durable_execution
        def handler(event, context):
            return context.step(functools.partial(charge, event["id"]))
    """
    assert lint(source) == [(6, "DUR201")]


def test_parallel_branch_objects_give_their_function_the_branch_role() -> None:
    source = """
        import time
        from aws_durable_execution_sdk_python import ParallelBranch, durable_execution

        @durable_execution
        def handler(event, context):
            return context.parallel(
                [ParallelBranch(func=lambda ctx: ctx.step(lambda _: time.time()), name="a")]
            )
    """
    assert lint(source) == []


def test_star_import_from_the_sdk_brings_its_decorators() -> None:
    source = """
        import time
        from durable import *

        @durable_execution
        def handler(event, context):
            return time.time()
    """
    assert lint(source) == [(7, "DUR101")]


def test_optional_context_annotations_are_contexts() -> None:
    source = """
        from typing import Optional
        from durable import DurableContext, durable_step

        @durable_step
        def work(step_context, ctx: Optional[DurableContext], other: DurableContext | None):
            ctx.wait(1)
            other.wait(1)
    """
    assert lint(source) == [(7, "DUR201"), (8, "DUR201")]


def test_a_local_alias_of_a_context_is_the_context() -> None:
    source = """
        from durable import durable_execution

        @durable_execution
        def handler(event, context):
            ctx = context
            def child(own):
                return ctx.step(lambda _: 1)
            return ctx.run_in_child_context(child)
    """
    assert lint(source) == [(8, "DUR301")]


def test_a_standalone_ignore_covers_the_whole_statement_below() -> None:
    line = "# durable: ignore[DUR101] -- timing\n        return max(\n            time.time(), 0)"
    assert lint(HANDLER.format(line=line)) == []
