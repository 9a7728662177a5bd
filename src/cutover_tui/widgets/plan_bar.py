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
        & > Label { padding: 0 1; }
        #plan-title { width: 1fr; text-style: bold; }
        #phase { background: $primary-muted; text-style: bold; }
        #simulated { background: $simulated; color: $background; text-style: bold; }
        #sync { background: $success-muted; }
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

    def show_snapshot(self, snapshot: Snapshot) -> None:
        self.query_one("#plan-title", ValueLabel).show(snapshot.plan.header.title)
        loaded = display.clock_time(snapshot.received_at, self.cutover_app.zone)
        self.query_one("#sync", ValueLabel).show(f"● loaded {loaded}")

    def show_time(self, now: datetime) -> None:
        app = self.cutover_app
        snapshot = app.snapshot
        if snapshot is None:
            return
        phase = insight.phase_now(snapshot.plan, now)
        self.query_one("#phase", ValueLabel).show(str(phase).upper())
        local = now.astimezone(app.zone)
        stamp = f"{local:%a %d %b} {display.clock_time(now, app.zone)}"
        self.query_one("#local-time", ValueLabel).show(stamp)
