"""The bar on top of every screen: plan title, phase now, the time with its zone, data health."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.containers import HorizontalGroup

from .. import display, insight
from ..sync import Snapshot
from .value_label import ValueLabel

if TYPE_CHECKING:
    from ..app import CutoverApp


class PlanBar(HorizontalGroup):
    """Title, phase, SIMULATED CLOCK (when it is), local time and zone, and the sync badge."""

    DEFAULT_CSS = """
    PlanBar {
        height: 1;
        background: $panel;
        & > ValueLabel { padding: 0 1; }
        #plan-title {
            width: 1fr;
            min-width: 12;
            text-style: bold;
            text-wrap: nowrap;
            text-overflow: ellipsis;
        }
        #phase { background: $primary-muted; text-style: bold; }
        #simulated { background: $simulated; color: $background; text-style: bold; }
        #sync { background: $success-muted; }
        #sync.-stale { background: $sync-stale; color: $background; text-style: bold; }
        #sync.-failed { background: $sync-failed; color: $background; text-style: bold; }
    }
    """

    def compose(self) -> ComposeResult:
        yield ValueLabel("", id="plan-title")
        yield ValueLabel("", id="phase")
        simulated = ValueLabel("SIMULATED CLOCK", id="simulated")
        simulated.display = self.cutover_app.clock.simulated
        yield simulated
        yield ValueLabel("", id="local-time")
        yield ValueLabel("", id="sync")

    @property
    def cutover_app(self) -> CutoverApp:
        return cast("CutoverApp", self.app)

    def on_resize(self) -> None:
        narrow = self.size.width < 120
        if narrow != self.has_class("-narrow"):
            self.set_class(narrow, "-narrow")
            app = self.cutover_app
            if app.snapshot is not None:
                self.show_snapshot(app.snapshot)
                self.show_time(app.now)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        self.query_one("#plan-title", ValueLabel).show(snapshot.plan.header.title)
        self.show_health()

    def show_health(self) -> None:
        """The sync badge: live, or what is wrong and how old the data on screen is."""
        state = self.cutover_app.health
        if state is None:
            return
        text = state.badge
        if self.has_class("-narrow"):
            text = text.replace(" · last good ", " ").split(" · ")[0]
        label = self.query_one("#sync", ValueLabel)
        label.show(text)
        label.set_class(state.level == "stale", "-stale")
        label.set_class(state.level == "failed", "-failed")

    def show_time(self, now: datetime) -> None:
        app = self.cutover_app
        snapshot = app.snapshot
        if snapshot is None:
            return
        phase = insight.phase_now(snapshot.plan, now)
        self.query_one("#phase", ValueLabel).show(str(phase).upper())
        stamp = display.clock_time(now, app.zone)
        if not self.has_class("-narrow"):
            stamp = f"{now.astimezone(app.zone):%a %d %b} {stamp}"
        self.query_one("#local-time", ValueLabel).show(stamp)
