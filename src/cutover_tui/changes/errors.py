"""The one error a change can meet: it was refused, with a reason a person can act on."""

from __future__ import annotations


class ChangeRejected(Exception):
    """A change that cannot be applied to the plan as it stands; the plan is left as it was."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason
