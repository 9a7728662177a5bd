"""The only place that reads the time.

Everything else asks a `Clock`, so rehearsals can run at `--speed 60`, screenshots and tests can
freeze time with `--now`, and a simulated clock is never mistaken for the real one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    @property
    def simulated(self) -> bool:
        """True when the time shown is not the real time (fixed or accelerated)."""
        ...

    def now(self) -> datetime:
        """The current instant, offset-aware, in UTC."""
        ...


def monotonic() -> float:
    """Seconds on a clock that never steps (NTP corrections cannot make data look fresher)."""
    return time.monotonic()


class SystemClock:
    """Real time."""

    simulated = False

    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass(frozen=True)
class FixedClock:
    """Time stands still at `at`."""

    at: datetime
    simulated = True

    def now(self) -> datetime:
        return self.at.astimezone(UTC)


@dataclass
class AcceleratedClock:
    """Time runs `speed` times faster than real time, from `start`."""

    start: datetime
    speed: float
    simulated = True
    _started: float = field(default_factory=monotonic)

    def now(self) -> datetime:
        elapsed = (monotonic() - self._started) * self.speed
        return self.start.astimezone(UTC) + timedelta(seconds=elapsed)


def parse_instant(text: str) -> datetime:
    """An ISO 8601 instant for `--now`; a time without offset is taken as UTC."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"--now: not an ISO 8601 date and time: {text[:40]!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def make_clock(now: datetime | None = None, speed: float | None = None) -> Clock:
    """The clock the command line asks for: fixed with `--now`, accelerated with `--speed`."""
    if speed is not None and speed != 1:
        if speed <= 0:
            raise ValueError("--speed must be greater than zero")
        return AcceleratedClock(start=now or datetime.now(UTC), speed=speed)
    if now is not None:
        return FixedClock(now) if speed is None else AcceleratedClock(start=now, speed=1)
    return SystemClock()


def wall_now() -> datetime:
    """Real time, whatever clock the dashboard shows (for "loaded hh:mm:ss" and log stamps)."""
    return datetime.now(UTC)


def until_next_wall_second() -> float:
    """Seconds until the next whole real second, so every display in the room ticks together."""
    return 1.0 - (time.time() % 1.0)
