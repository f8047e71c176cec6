"""One error hierarchy. The library raises these; only `cli` prints them and exits.

Each class carries its exit code, as Standard Ebooks' tools do, so the CLI needs a
single `except BookletError` and never has to guess what kind of failure it caught.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class BookletError(Exception):
    """Base of every error the tool reports to its user."""

    exit_code = 1


class UsageError(BookletError):
    """The command line asks for something that cannot be done (unknown format, no sources)."""

    exit_code = 2


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a source, where it is, and what to do about it."""

    message: str
    line: int | None = None


class SourceError(BookletError):
    """A source file that cannot be built. Carries every problem found, not only the first."""

    exit_code = 2

    def __init__(self, path: Path | str, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.path = Path(path)
        self.problems = list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(_located(self.path, p.line, p.message) for p in self.problems)


class OutputError(BookletError):
    """An output that cannot be written (folder not creatable, disk full, renderer failure)."""

    exit_code = 1

    def __init__(self, path: Path | str, message: str):
        self.path = Path(path)
        super().__init__(f"{self.path}: {message}")


class BuildWarning(BookletError):
    """A warning raised as an error because the user asked for --strict."""

    exit_code = 2

    @classmethod
    def strict(cls, source: Path | str, message: str) -> BuildWarning:
        return cls(f"{source}: {message} (an error because of --strict)")


def _located(path: Path, line: int | None, message: str) -> str:
    return f"{path}:{line}: {message}" if line else f"{path}: {message}"
