"""What the header says about the data on screen: live, or a problem since when, with its age.

Ages come from the monotonic clock, so a wall-clock step (NTP) never makes data look fresher.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

from ..display import clock_time, span_minutes
from .file_source import SourceProblem
from .snapshot import Snapshot

Level = Literal["live", "stale", "failed"]

FAILED_AFTER = 300.0
"""A source unusable this long (seconds) turns from amber to red."""

_WORDS = {
    "missing": "SOURCE MISSING",
    "unreadable": "UNREADABLE",
    "not-a-file": "NOT A FILE",
    "too-large": "TOO LARGE",
    "invalid": "INVALID",
    "revision-backwards": "OLDER REVISION",
}


@dataclass(frozen=True, slots=True)
class Badge:
    text: str
    level: Level


def badge(
    snapshot: Snapshot, problem: SourceProblem | None, now_monotonic: float, zone: ZoneInfo
) -> Badge:
    """``● LIVE · 15:00:01 GMT``, or ``▲ SOURCE MISSING · last good 15:00:01 GMT (3m)``."""
    loaded = clock_time(snapshot.received_at, zone)
    if problem is None:
        return Badge(f"● LIVE · {loaded}", "live")
    age = span_minutes(now_monotonic - snapshot.received_monotonic)
    lasted = now_monotonic - problem.since_monotonic
    level: Level = "failed" if problem.kind == "invalid" or lasted >= FAILED_AFTER else "stale"
    mark = "✖" if level == "failed" else "▲"
    return Badge(f"{mark} {_WORDS[problem.kind]} · last good {loaded} ({age})", level)
