"""What every dashboard screen shares: the plan bar on top, the footer, and following the app.

A screen renders the app's snapshot and time through two hooks, `show_snapshot` and `show_time`.
Only the screen on display does that work; a hidden one catches up when it is shown again.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

from ..sync import Snapshot
from ..sync.health import Health
from ..widgets.plan_bar import PlanBar
from ..widgets.sync_banner import SyncBanner
from .compositor import LeanCompositor

if TYPE_CHECKING:
    from ..app import CutoverApp


class DashboardScreen(Screen[None]):
    """A screen of the dashboard, following the app's snapshot and clock."""

    def __init__(
        self, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name, id, classes)
        self._compositor = LeanCompositor()  # a tick repaints only what it changed

    def _compositor_refresh(self) -> None:
        # Textual throws away a frame painted while the app batches updates (it paints the
        # first screen inside its start-up batch, then again after it): skip the painting,
        # and the regions it would have painted wait for the next frame.
        if self.app._batch_count and self is self.app.screen:
            return
        compositor = self._compositor
        whole = compositor.size.region in compositor._dirty_regions and self is self.app.screen
        super()._compositor_refresh()
        if whole:
            # Every cell was just painted, each widget as it is now: repaints asked for before
            # and not yet sent would write the same cells again. Start-up asks for one of the
            # screen while it batches (21 KB), and its last layout resizes most widgets (17 KB).
            self._repaint_required = False
            for widget in compositor.visible_widgets:
                widget._repaint_required = False
                widget._exchange_repaint_regions()

    def compose(self) -> ComposeResult:
        yield PlanBar()
        yield SyncBanner()
        yield from self.compose_body()
        if not self.cutover_app.options.kiosk:
            yield Footer()

    def compose_body(self) -> ComposeResult:
        """The screen's own widgets, under the plan bar."""
        yield from ()

    @property
    def cutover_app(self) -> CutoverApp:
        return cast("CutoverApp", self.app)

    def on_mount(self) -> None:
        app = self.cutover_app
        self._stale_snapshot = False
        self.watch(app, "snapshot", self._snapshot_changed, init=True)
        self.watch(app, "now", self._time_changed, init=True)
        self.watch(app, "zone", self._zone_changed, init=False)
        self.watch(app, "health", self._health_changed, init=True)

    def _snapshot_changed(self, snapshot: Snapshot | None) -> None:
        if snapshot is None:
            return
        self.query_one(PlanBar).show_snapshot(snapshot)
        if self.is_current:
            self.show_snapshot(snapshot)
            self._time_changed(self.cutover_app.now)
        else:
            self._stale_snapshot = True

    def _health_changed(self, health: Health | None) -> None:
        self.query_one(PlanBar).show_health()
        self.query_one(SyncBanner).show_health(health)

    def _time_changed(self, now: datetime) -> None:
        if self.cutover_app.snapshot is None:
            return
        if self.is_current:
            self.query_one(PlanBar).show_time(now)
            self.show_time(now)

    def _zone_changed(self) -> None:
        self._stale_snapshot = True
        if self.is_current:
            self.on_screen_resume()
        if self.cutover_app.snapshot is not None:
            self.query_one(PlanBar).show_snapshot(self.cutover_app.snapshot)

    def on_screen_resume(self) -> None:
        app = self.cutover_app
        if app.snapshot is None:
            return
        if self._stale_snapshot:
            self._stale_snapshot = False
            self.show_snapshot(app.snapshot)
        self._time_changed(app.now)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Bring the screen's widgets up to `snapshot`, updating in place."""

    def show_time(self, now: datetime) -> None:
        """Update what depends on the time: countdowns, ages, late flags as they cross."""
