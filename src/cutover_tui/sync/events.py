"""What a source reports besides snapshots: contact, problems and recovery.

Every source (file or HTTP) yields `Snapshot | Contact | SourceProblem | SourceRecovered`.
Ages and deadlines use the monotonic clock, so a wall-clock step never makes data look fresher.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .snapshot import Snapshot

ProblemKind = Literal[
    "missing",
    "unreadable",
    "not-a-file",
    "too-large",
    "invalid",
    "revision-backwards",
    "offline",
    "auth-failed",
]


@dataclass(frozen=True, slots=True)
class SourceProblem:
    """The source cannot be used right now; the last good snapshot (if any) stays current."""

    kind: ProblemKind
    reason: str
    """One line for people: what is wrong, never a secret (no token, no Authorization header)."""
    since_monotonic: float


@dataclass(frozen=True, slots=True)
class SourceRecovered:
    """The source is usable again after a `SourceProblem`."""


@dataclass(frozen=True, slots=True)
class Contact:
    """The source answered and the data on screen is current as of `at_monotonic`.

    A 304, a 200 with an unchanged document, an SSE event or keep-alive, a file found unchanged.
    A snapshot counts as contact too. If no further contact arrives within `fresh_for` seconds,
    the screen says STALE.
    """

    at_monotonic: float
    fresh_for: float


SourceEvent = Snapshot | Contact | SourceProblem | SourceRecovered
