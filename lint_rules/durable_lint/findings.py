"""What a rule reports: a finding with its position, code, message and optional fix."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import libcst as cst


@dataclass(frozen=True)
class Edit:
    """Replace the text between two 1-based positions with `content`."""

    line: int
    column: int
    end_line: int
    end_column: int
    content: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "content": self.content,
        }


@dataclass(frozen=True)
class Fix:
    """A set of edits; `safe` fixes are applied by `--fix`, unsafe ones need `--unsafe-fixes`."""

    applicability: str
    edits: tuple[Edit, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"applicability": self.applicability, "edits": [e.to_dict() for e in self.edits]}


@dataclass(frozen=True)
class Finding:
    """One problem in one file. Lines and columns are 1-based, as flake8 prints them."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    message: str
    fix: Fix | None = None

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        """The inverse of `to_dict`."""
        fix = data.get("fix")
        return cls(
            data["path"],
            data["line"],
            data["column"],
            data["end_line"],
            data["end_column"],
            data["code"],
            data["message"],
            Fix(fix["applicability"], tuple(Edit(**e) for e in fix["edits"])) if fix else None,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "code": self.code,
            "message": self.message,
            "fix": self.fix.to_dict() if self.fix else None,
        }


@dataclass
class Report:
    """A finding before positions are known: the node it points at, its code and message."""

    node: cst.CSTNode
    code: str
    message: str
