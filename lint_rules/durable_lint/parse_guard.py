"""Keep pathological source away from libcst's native parser.

libcst's parser crashes the process (a native stack overflow) on a few thousand
nested unary operators or brackets, and takes minutes on a statement of a few
thousand chained operators or calls. CPython's own parser refuses all of these in
milliseconds (too many nested parentheses, recursion limits). Running CPython's
parser on every file would cost a fifth of a libcst parse, so it runs only on files
whose shape could hide such a statement: a very long line, deep brackets, a huge
bracketed group or many backslash continuations. Plain code never pays for it.
"""

from __future__ import annotations

import ast
import warnings

LONGEST_LINE = 2_000
DEEPEST_BRACKETS = 50
LONGEST_GROUP_LINES = 1_000
MOST_CONTINUATIONS = 200

_KEEP_SHAPE = str.maketrans({chr(c): None for c in range(128) if chr(c) not in "()[]{}\n"})


def _bracket_shape(shape: str) -> tuple[int, int]:
    """Return the deepest bracket nesting and the most lines one outermost group spans.

    `shape` is the text reduced to brackets and newlines. Brackets inside strings and
    comments count too: the estimate errs towards running the guard, never skipping it.
    """
    depth = deepest = lines = longest = 0
    for char in shape:
        if char == "\n":
            if depth:
                lines += 1
        elif char in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]}" and depth:
            depth -= 1
            if depth == 0:
                longest = max(longest, lines)
                lines = 0
    return deepest, max(longest, lines)


def risky(text: str) -> bool:
    """Whether the text's shape could make libcst crash or stall."""
    if text.count("\\\n") > MOST_CONTINUATIONS:
        return True
    if max(map(len, text.splitlines()), default=0) > LONGEST_LINE:
        return True
    deepest, longest = _bracket_shape(text.translate(_KEEP_SHAPE))
    return deepest > DEEPEST_BRACKETS or longest > LONGEST_GROUP_LINES


def refusal(text: str) -> tuple[int, int, str] | None:
    """CPython's reason to refuse risky text, as (line, column, reason); None when it is fine.

    The text is parsed, never compiled to bytecode or run.
    """
    if not risky(text):
        return None
    try:
        with warnings.catch_warnings():
            # Only the verdict matters; CPython's hints about the code are not ours to print.
            warnings.simplefilter("ignore")
            ast.parse(text)
    except SyntaxError as error:
        return error.lineno or 1, error.offset or 1, error.msg
    except (RecursionError, MemoryError):
        return 1, 1, "nesting too deep to analyse"
    return None
