"""Timeline: the runbook as a Gantt chart of planned against actual, with now and the phases."""

from __future__ import annotations

from datetime import datetime

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content

from ..insight.timeline_cells import (
    ACTUAL,
    BOTH,
    MARKER_LINE,
    MILESTONE,
    NOW_LINE,
    PLANNED,
    PROJECTED,
)
from ..sync import Snapshot
from ..widgets.gantt import Gantt
from ..widgets.value_label import ValueLabel
from .base import DashboardScreen

LEGEND = (
    (PLANNED, "planned", "plan", "$foreground-muted"),
    (ACTUAL, "actual", "actual", "$status-done"),
    (BOTH, "both", "both", "$status-done"),
    (PROJECTED, "rollback from now", "rollback", "$foreground-muted"),
    (MILESTONE, "milestone", "milestone", "$foreground"),
    (NOW_LINE, "now", "now", "$accent"),
    (MARKER_LINE, "phase", "phase", "$primary"),
    ("⚠", "late", "late", "$status-late"),
    ("CP", "critical path", "critical", "bold"),
)
"""Glyph, word, short word, style: what each mark on the chart means."""
WIDE_LEGEND = 110


def legend(compact: bool) -> Content:
    """One line saying what each glyph means (so nothing relies on colour)."""
    parts: list[Content | str] = []
    for glyph, word, short, style in LEGEND:
        parts.append(Content.styled(glyph, style))
        gap = " " if glyph.isalpha() or not compact else ""
        parts.append(f"{gap}{short} " if compact else f"{gap}{word}   ")
    return Content.assemble(*parts)


class TimelineScreen(DashboardScreen):
    """Bars of planned against actual per task, the now line, phases, milestones, critical path."""

    AUTO_FOCUS = "Gantt"

    DEFAULT_CSS = """
    TimelineScreen {
        #gantt { height: 1fr; }
        #timeline-legend { height: 1; width: 1fr; padding: 0 1; background: $panel; }
    }
    """

    BINDINGS = [
        Binding(
            "plus,equals_sign", "zoom(-1)", "Zoom in", key_display="+",
            id="timeline.zoom_in", tooltip="Less time per column (down to 5 minutes)",
        ),
        Binding(
            "minus,underscore", "zoom(1)", "Zoom out", key_display="-",
            id="timeline.zoom_out", tooltip="More time per column (up to a day)",
        ),
        Binding(
            "n", "jump_to_now", "Now", id="timeline.now",
            tooltip="Scroll to the now line and the work under way",
        ),
    ]  # fmt: skip

    def compose_body(self) -> ComposeResult:
        yield Gantt(id="gantt")
        yield ValueLabel(legend(compact=False), id="timeline-legend")

    @property
    def gantt(self) -> Gantt:
        return self.query_one(Gantt)

    def on_resize(self, event: events.Resize) -> None:
        self.query_one("#timeline-legend", ValueLabel).show(legend(event.size.width < WIDE_LEGEND))

    def show_snapshot(self, snapshot: Snapshot) -> None:
        app = self.cutover_app
        self.gantt.show_plan(snapshot.plan, app.zone, app.now, hide_rehearsal=app.options.live)

    def show_time(self, now: datetime) -> None:
        self.gantt.show_time(now)

    def action_zoom(self, step: int) -> None:
        """Change the time per column (5 min … 1 day)."""
        self.gantt.zoom(step)

    def action_jump_to_now(self) -> None:
        """Scroll the chart to the now line."""
        self.gantt.scroll_to_now()
