"""A finding: one problem in a rubric file, with where it is and what to do about it.

The loader and `rubric lint` both speak in findings, so a schema error, a duplicate id and an
example the matcher misses are reported the same way: `path:line:col: severity: message`.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

from callcoach.sanitize import printable

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Finding:
    path: str
    line: int            # 1-based
    column: int          # 1-based
    severity: Severity
    code: str            # stable, kebab-case: what kind of problem (see docs/rubric.md)
    message: str
    hint: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.code, self.message)

    def to_record(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return printable(f"{text} [{self.code}]")


def sorted_findings(findings: list[Finding]) -> list[Finding]:
    """Sorted by file, line and column, duplicates dropped: stable output for CI diffs."""
    return sorted(set(findings), key=Finding.sort_key)
