"""What an adapter could not read: every skipped row, with the reason, so that none vanishes."""

from __future__ import annotations

from dataclasses import dataclass, field

from earcheck.errors import SourceFormatError

__all__ = ["ParseReport", "SkippedRow"]


@dataclass(frozen=True, slots=True)
class SkippedRow:
    """One record left out in lenient mode, with the text it had, so it can be fixed and re-imported."""

    file: str
    line: int | None
    field: str | None
    message: str
    text: str | None = None

    def __str__(self) -> str:
        where = self.file + (f", line {self.line}" if self.line is not None else "")
        return where + (f", field {self.field!r}" if self.field else "") + f": {self.message}"


@dataclass(slots=True)
class ParseReport:
    """Filled in while an adapter reads one file.

    ``records`` counts what was read, ``skipped`` what was left out (lenient mode only: strict mode
    raises on the first bad row instead), ``warnings`` what was read but deserves a look (an unknown
    column kept only in ``raw``, an encoding guessed).
    """

    records: int = 0
    skipped: list[SkippedRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def skip(self, error: SourceFormatError, text: str | None = None) -> None:
        self.skipped.append(SkippedRow(error.path, error.line, error.field, error.detail, text))

    def warn(self, message: str) -> None:
        self.warnings.append(message)
