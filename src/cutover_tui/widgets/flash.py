"""Marking for a moment what a new snapshot changed: the keys flashing, one timer ending them.

The Tasks table and the card lists use it. Each key flashes until its own moment (a key that
changes again starts over); a single timer, armed for the earliest of those moments, ends every
flash that is due and re-arms itself for the next, so a hundred rows flashing cost one timer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual.timer import Timer
from textual.widget import Widget

from .. import clock

FLASH_SECONDS = 2.0
"""How long a row or card that a new snapshot changed stays marked."""


class Flashes:
    """The keys of one widget that are flashing, and when each stops."""

    def __init__(self, owner: Widget, end: Callable[[list[str]], None]) -> None:
        """`end(keys)` is called to unmark keys whose time is up."""
        self._owner = owner
        self._end = end
        self._until: dict[str, float] = {}
        self._timer: Timer | None = None
        self._timer_at = 0.0
        self.seconds = FLASH_SECONDS
        """How long each flash lasts (tests shorten it)."""

    def __contains__(self, key: str) -> bool:
        return key in self._until

    def __len__(self) -> int:
        return len(self._until)

    @property
    def keys(self) -> list[str]:
        return list(self._until)

    def start(self, keys: Iterable[str]) -> None:
        """Flash `keys` from now (again, for any already flashing)."""
        until = clock.monotonic() + self.seconds
        for key in keys:
            self._until[key] = until
        self._arm()

    def forget(self, keys: Iterable[str]) -> None:
        """Stop tracking `keys` without unmarking them (they are gone from the widget)."""
        for key in keys:
            self._until.pop(key, None)

    def clear(self) -> None:
        """Forget every key (the widget was emptied)."""
        self._until.clear()

    def _arm(self) -> None:
        if not self._until:
            return
        due = min(self._until.values())
        if self._timer is not None and self._timer_at <= due:
            return  # the timer runs first; it re-arms for whatever is left
        if self._timer is not None:
            self._timer.stop()
        self._timer_at = due
        self._timer = self._owner.set_timer(max(due - clock.monotonic(), 0.0), self._expire)

    def _expire(self) -> None:
        self._timer = None
        now = clock.monotonic()
        done = [key for key, until in self._until.items() if until <= now]
        for key in done:
            del self._until[key]
        if done:
            self._end(done)
        self._arm()
