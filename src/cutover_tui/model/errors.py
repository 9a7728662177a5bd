"""The project's own error type: every bad input becomes a `PlanError` listing its problems."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong (or worth a warning) in a document, located by a field path."""

    source: str
    """The file name or URL as the user gave it."""
    path: str
    """Where in the document, e.g. ``tasks[3] (C2).planned_end``; empty for the whole file."""
    message: str

    def __str__(self) -> str:
        if self.path:
            return f"{self.source}: {self.path}: {self.message}"
        return f"{self.source}: {self.message}"


class PlanError(Exception):
    """A document that cannot be used, with every problem found (not only the first)."""

    def __init__(self, problems: list[Problem]) -> None:
        if not problems:
            raise ValueError("PlanError needs at least one problem")
        self.problems = problems
        super().__init__(str(self))

    @classmethod
    def single(cls, source: str, message: str, path: str = "") -> PlanError:
        return cls([Problem(source, path, message)])

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)
