"""Diagnostics: every problem found in content, as data, reported like a compiler.

Every stage of the pipeline appends :class:`Diagnostic` objects to a
:class:`Diagnostics` collection instead of raising, so that one run reports every
problem. The rendered form is::

    content/events/cst-signed.yaml:7:5: error[ref.unknown]: 'cso' is not an organisation
      hint: did you mean 'csto'?
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Iterable, Iterator


class Severity(str, Enum):
    """How bad a diagnostic is. Errors fail the build; warnings fail `--strict`."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Location:
    """A position in an input file. ``line`` and ``column`` are 1-based; 0 means unknown."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line and self.column:
            return f"{self.path}:{self.line}:{self.column}"
        if self.line:
            return f"{self.path}:{self.line}"
        return self.path


@dataclass(frozen=True)
class Diagnostic:
    """One problem: a stable code, a severity, where it is, what is wrong and how to fix it."""

    code: str
    message: str
    location: Location
    severity: Severity = Severity.ERROR
    hint: str | None = None

    def sort_key(self) -> tuple:
        return (self.location.path, self.location.line, self.location.column, self.code, self.message)

    def __str__(self) -> str:
        text = f"{self.location}: {self.severity.value}[{self.code}]: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


@dataclass
class Diagnostics:
    """An ordered collection of diagnostics gathered across all pipeline stages."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, diagnostic: Diagnostic) -> None:
        self.items.append(diagnostic)

    def error(
        self, code: str, message: str, location: Location, hint: str | None = None
    ) -> None:
        """Record an error."""
        self.items.append(Diagnostic(code, message, location, Severity.ERROR, hint))

    def warning(
        self, code: str, message: str, location: Location, hint: str | None = None
    ) -> None:
        """Record a warning."""
        self.items.append(Diagnostic(code, message, location, Severity.WARNING, hint))

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.items.extend(diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    def sorted(self) -> list[Diagnostic]:
        """Diagnostics in file, line, column order (deterministic output)."""
        unique = {(d.sort_key(), d.severity, d.hint): d for d in self.items}
        return sorted(unique.values(), key=Diagnostic.sort_key)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.sorted())

    def __len__(self) -> int:
        return len(self.items)

    def report(self) -> str:
        """The full report: every diagnostic, then a one-line summary."""
        lines = [str(d) for d in self.sorted()]
        lines.append(summary_line(len(self.errors), len(self.warnings)))
        return "\n".join(lines)


def summary_line(errors: int, warnings: int) -> str:
    """``"2 errors, 1 warning"`` style summary."""
    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """A "did you mean 'x'?" hint for the closest candidate, or ``None``."""
    matches = difflib.get_close_matches(word, sorted(set(candidates)), n=1, cutoff=0.6)
    return f"did you mean '{matches[0]}'?" if matches else None


def display_path(path: Path, root: Path) -> str:
    """A path as diagnostics show it: relative to the project root, with forward slashes."""
    if path.is_absolute() and root.is_absolute() and ".." not in path.parts:
        try:  # the common case, without the two resolve() system calls
            return path.relative_to(root).as_posix()
        except ValueError:
            pass
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
