"""A banner under the plan bar, there only while the data on screen is not live.

The badge says it in two words; the banner says why and how old the data is, in a sentence,
so nobody across the room takes a frozen screen for a live one.
"""

from __future__ import annotations

from ..sync.health import Health
from .value_label import ValueLabel


class SyncBanner(ValueLabel):
    """``STALE: no word from https://… for 6m 10s. Showing the last good plan, …``."""

    DEFAULT_CSS = """
    SyncBanner {
        display: none;
        width: 1fr;
        padding: 0 1;
        background: $sync-stale;
        color: $background;
        text-style: bold;
        &.-failed { background: $sync-failed; }
        &.-shown { display: block; }
    }
    """

    def show_health(self, health: Health | None) -> None:
        if health is None or health.banner is None:
            self.remove_class("-shown")
            return
        self.set_class(health.level == "failed", "-failed")
        self.add_class("-shown")
        self.show(("✖ " if health.level == "failed" else "▲ ") + health.banner)
