"""One blocker in full: notes as written, every contact to call, its tasks and its log entries."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen

from .. import display, insight
from ..insight.contacts import contacts_to_call
from ..model import Blocker, Plan
from ..widgets.blocker_list import blocker_times, blocker_title, contact_rows
from ..widgets.labelled_text import LabelledText, Row, full, labelled
from ..widgets.marks import STALE_MARK, ago, mark, task_line

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from ..app import CutoverApp
    from ..sync import Snapshot


class BlockerDetailModal(ModalScreen[None]):
    """The blocker `blocker_id`, following new snapshots and the clock while open."""

    BINDINGS = [Binding("escape,q", "dismiss", "Close", id="close-blocker")]

    DEFAULT_CSS = """
    BlockerDetailModal {
        align: center middle;
        & > VerticalScroll {
            width: 110; max-width: 100%; height: auto; max-height: 95%;
            border: thick $primary; background: $surface; padding: 0 1;
            border-subtitle-color: $text-muted;
        }
        & > VerticalScroll.-stale { border: thick $status-late; }
    }
    """

    def __init__(self, blocker_id: str) -> None:
        super().__init__()
        self.blocker_id = blocker_id

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="blocker-detail") as scroll:
            scroll.border_subtitle = "Esc to close"
            yield LabelledText(id="blocker-detail-text")

    @property
    def cutover_app(self) -> CutoverApp:
        return cast("CutoverApp", self.app)

    def on_mount(self) -> None:
        self.watch(self.cutover_app, "snapshot", self._snapshot_changed, init=True)
        self.watch(self.cutover_app, "now", self._show, init=False)

    def _snapshot_changed(self, snapshot: Snapshot | None) -> None:
        self._show(self.cutover_app.now)

    def _show(self, now: datetime) -> None:
        app = self.cutover_app
        if app.snapshot is None:
            return
        plan = app.snapshot.plan
        blocker = plan.blocker_by_id.get(self.blocker_id)
        scroll = self.query_one("#blocker-detail", VerticalScroll)
        if blocker is None:
            rows = full(Content.assemble((self.blocker_id, "bold"), " is no longer in the plan."))
            stale = False
        else:
            stale = insight.is_stale(blocker, plan, now)
            rows = blocker_detail(plan, blocker, now, app.zone, stale)
            scroll.border_title = blocker_title(blocker, stale)
        scroll.set_class(stale, "-stale")
        self.query_one(LabelledText).show_rows(rows)


def blocker_detail(
    plan: Plan, blocker: Blocker, now: datetime, zone: ZoneInfo, stale: bool
) -> list[Row]:
    """Everything about one blocker, notes literal and multi-line."""
    updated = display.delta_seconds(now, blocker.last_update)
    update_line = Content.assemble(
        (display.day_time(blocker.last_update, zone), "bold"),
        f" ({ago(updated)} ago)",
        *(("  ", mark(STALE_MARK)) if stale else ()),
    )
    rows: list[Row] = [
        *full(Content.styled(blocker.title, "bold"), Content("")),
        *blocker_times(blocker, now, zone, stale),
        *labelled("Updated", [update_line]),
        *labelled("Owner", [Content(blocker.owner or "no owner")]),
        *contact_rows(contacts_to_call(plan, blocker), email=True),
    ]
    task_lines = []
    for task_id in blocker.tasks:
        task = plan.task_by_id.get(task_id)
        line = task_line(task_id, task)
        if task is not None and task.owner:
            line = Content.assemble(line, (f" · {task.owner}", "$text-muted"))
        task_lines.append(line)
    rows += labelled("Tasks", task_lines or [Content.styled("none linked", "$text-muted")])
    rows += full(Content(""), Content.styled("Notes", "bold underline"))
    rows += full(
        Content(blocker.notes) if blocker.notes else Content.styled("No notes.", "$text-muted")
    )
    rows += full(Content(""), Content.styled("Log, newest first", "bold underline"))
    entries = [entry for entry in plan.log if entry.ref == blocker.id]
    if not entries:
        rows += full(Content.styled("No log entries for this blocker.", "$text-muted"))
    for entry in reversed(entries):
        rows += full(
            Content.assemble(
                (display.day_time(entry.at, zone), "$text-muted"),
                "  ",
                (entry.actor or "—", "bold"),
                "  ",
                entry.text,
            )
        )
    return rows
