"""What the screen says about the data it shows: live, stale, or a problem since when.

Ages come from the monotonic clock, so a wall-clock step (NTP) never makes data look fresher or
gives a negative age. The badge is short enough for an 80-column header; the banner, shown only
when the data is not live, says why in a sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

from ..display import clock_time, span, span_minutes
from .events import Contact, ProblemKind, SourceProblem
from .snapshot import Snapshot

Level = Literal["live", "stale", "failed"]

FAILED_AFTER = 300.0
"""Data this old (seconds), or a problem lasting this long, turns from amber to red."""

_WORDS: dict[ProblemKind, str] = {
    "missing": "SOURCE MISSING",
    "unreadable": "UNREADABLE",
    "not-a-file": "NOT A FILE",
    "too-large": "TOO LARGE",
    "invalid": "INVALID",
    "revision-backwards": "OLDER REVISION",
    "offline": "OFFLINE",
    "auth-failed": "AUTH FAILED",
}
_ALWAYS_RED: frozenset[ProblemKind] = frozenset({"invalid", "auth-failed"})
"""Problems that will not fix themselves: someone has to act."""


@dataclass(frozen=True, slots=True)
class Health:
    badge: str
    """``● LIVE · updated 15:00:01 GMT (2m)`` or ``▲ STALE · last good 15:00:01 GMT (6m)``."""
    level: Level
    banner: str | None
    """A sentence for a banner when the data is not live (None when it is)."""


def assess(
    snapshot: Snapshot,
    problem: SourceProblem | None,
    contact: Contact | None,
    now_monotonic: float,
    zone: ZoneInfo,
) -> Health:
    """The health of the data on screen at `now_monotonic`."""
    loaded = clock_time(snapshot.received_at, zone)
    heard = snapshot.received_monotonic
    if contact is not None and contact.at_monotonic > heard:
        heard = contact.at_monotonic
    age = span_minutes(max(now_monotonic - snapshot.received_monotonic, 0.0))
    last_good = f"last good {loaded} ({age})"
    keeping = f"Showing the last good plan, received {loaded} ({age} ago)."
    if problem is not None:
        lasted = now_monotonic - problem.since_monotonic
        red = problem.kind in _ALWAYS_RED or lasted >= FAILED_AFTER
        level: Level = "failed" if red else "stale"
        words = _WORDS[problem.kind]
        return Health(
            f"{'✖' if red else '▲'} {words} · {last_good}",
            level,
            f"{words}: {problem.reason}. {keeping}",
        )
    if contact is not None and now_monotonic - heard > contact.fresh_for:
        silent = now_monotonic - heard
        level = "failed" if silent >= FAILED_AFTER else "stale"
        return Health(
            f"{'✖' if level == 'failed' else '▲'} STALE · {last_good}",
            level,
            f"STALE: no word from {snapshot.source} for {span(silent)}. {keeping}",
        )
    return Health(f"● LIVE · updated {loaded} ({age})", "live", None)
