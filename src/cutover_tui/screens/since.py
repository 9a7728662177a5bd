"""`c`: what changed since you last looked, grouped under headings with counts.

The summary is worked out by `insight.since.what_changed` when the screen opens; the app makes the
moment it showed the new "last looked" once the screen is closed. Plan text is shown literally.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen

from .. import display
from ..insight.since import Changed, ChangeSummary
from ..widgets.labelled_text import LabelledText, Row, full

SECTION_MARK = {
    "newly_late": ("⚠ ", "bold $status-late"),
    "blocked": ("■ ", "bold $status-blocked"),
    "blockers_raised": ("▲ ", "bold $severity-high"),
    "decisions": ("◆ ", "bold $accent"),
    "finished": ("✔ ", "bold $status-done"),
    "started": ("▶ ", "bold $status-in-progress"),
    "blockers_resolved": ("✔ ", "bold $status-done"),
    "tasks_added": ("+ ", "bold"),
    "tasks_removed": ("- ", "bold"),
}
"""A symbol before each heading (the heading's words say it too)."""


class SinceScreen(ModalScreen[None]):
    """What changed between the last look and now: tasks, blockers, decisions."""

    BINDINGS = [Binding("escape,q,c", "dismiss", "Close", id="close-since")]

    DEFAULT_CSS = """
    SinceScreen {
        align: center middle;
        & > VerticalScroll {
            width: 100; max-width: 100%; height: auto; max-height: 90%;
            border: thick $primary; background: $surface; padding: 0 1;
            border-title-style: bold;
            border-subtitle-color: $text-muted;
        }
        #since-heading { margin-bottom: 1; }
    }
    """

    def __init__(self, summary: ChangeSummary, zone: ZoneInfo) -> None:
        super().__init__()
        self.summary = summary
        self.zone = zone

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="since") as scroll:
            scroll.border_title = "What changed"
            scroll.border_subtitle = "Esc, q or c to close"
            yield LabelledText(full(self._heading()), id="since-heading")
            yield LabelledText(self._rows(), id="since-text")

    def _heading(self) -> Content:
        summary = self.summary
        at = display.clock_time(summary.before_at, self.zone)
        if summary.is_empty:
            return Content.styled(f"Nothing has changed since you last looked at {at}.", "bold")
        age = display.span(display.delta_seconds(summary.after_at, summary.before_at))
        count = sum(len(section.entries) for section in summary.sections())
        return Content.assemble(
            (f"Since {at}", "bold"),
            (f" ({age} ago)", "$text-muted"),
            f": {count} change{'' if count == 1 else 's'}",
        )

    def _rows(self) -> list[Row]:
        rows: list[Row] = []
        for section in self.summary.sections():
            if not section.entries:
                continue
            symbol, style = SECTION_MARK[section.name]
            heading = Content.assemble(
                (symbol, style), (f"{section.heading} ({len(section.entries)})", "bold")
            )
            if rows:
                rows += full(Content(""))
            rows += full(heading)
            rows += [_entry(entry) for entry in section.entries]
        return rows


def _entry(entry: Changed) -> Row:
    """``ID  Title — detail``: the title (plan text) literal."""
    parts: list[Content | str | tuple[str, str]] = [entry.title]
    if entry.detail:
        parts.append((f" — {entry.detail}", "$text-muted"))
    return (Content.styled(f"  {entry.id}", "bold"), Content.assemble(*parts))
