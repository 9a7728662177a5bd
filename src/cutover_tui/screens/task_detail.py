"""One task in full: its fields, what it waits for and what waits for it, notes, blockers, log.

The modal follows the app: a new snapshot, a zone switch or the task turning late redraws it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, cast
from zoneinfo import ZoneInfo

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from .. import display, insight
from ..model import Blocker, Plan, Task
from ..widgets.task_board import CRITICAL_MARK, LATE_MARK, STATUS_STYLE
from ..widgets.task_filters import STATUS_MARK

if TYPE_CHECKING:
    from ..app import CutoverApp
    from ..sync import Snapshot

SEVERITY_MARK = {"critical": "▲▲", "high": "▲", "medium": "●", "low": "○"}
LABEL_WIDTH = 13

Part = Content | str | tuple[str, str]


class TaskDetailModal(ModalScreen[None]):
    """Everything about one task, over the table; Esc closes."""

    BINDINGS = [Binding("escape,q", "dismiss", "Close", show=False)]
    AUTO_FOCUS = "#task-detail"
    DEFAULT_CSS = """
    TaskDetailModal {
        align: center middle;
        & > #task-detail {
            width: 100; max-width: 100%; height: auto; max-height: 90%;
            border: thick $primary; border-title-style: bold;
            background: $surface; padding: 0 1;
        }
    }
    """

    def __init__(self, task_id: str) -> None:
        super().__init__()
        self.task_id = task_id
        self._plan: Plan | None = None
        self._critical = False
        self._late: bool | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="task-detail") as scroll:
            scroll.border_title = Content(f"Task {self.task_id}")
            scroll.border_subtitle = Content("Esc closes")
            yield Static("", id="task-detail-text", markup=False)

    @property
    def cutover_app(self) -> CutoverApp:
        return cast("CutoverApp", self.app)

    def on_mount(self) -> None:
        app = self.cutover_app
        self.watch(app, "snapshot", self._snapshot_changed, init=True)
        self.watch(app, "zone", self._redraw, init=False)
        self.watch(app, "now", self._time_changed, init=False)

    def _snapshot_changed(self, snapshot: Snapshot | None) -> None:
        if snapshot is None:
            return
        self._plan = snapshot.plan
        self._critical = any(t.id == self.task_id for t in insight.critical_path(snapshot.plan))
        self._redraw()

    def _time_changed(self, now: datetime) -> None:
        task = self._detail_task
        if task is not None and insight.is_late(task, now) != self._late:
            self._redraw()

    @property
    def _detail_task(self) -> Task | None:
        return self._plan.task_by_id.get(self.task_id) if self._plan else None

    def _redraw(self) -> None:
        plan, task = self._plan, self._detail_task
        if plan is None:
            return
        text = self.query_one("#task-detail-text", Static)
        if task is None:
            text.update(Content.styled("This task is no longer in the plan.", "bold $status-late"))
            return
        now, zone = self.cutover_app.now, self.cutover_app.zone
        self._late = insight.is_late(task, now)
        text.update(task_detail(task, plan, zone, late=self._late, critical=self._critical))


def task_detail(task: Task, plan: Plan, zone: ZoneInfo, *, late: bool, critical: bool) -> Content:
    """The whole detail text of `task`; plan text is shown as it is, never as markup."""
    parts: list[Part] = [(task.title, "bold"), "\n"]
    parts += [(STATUS_MARK[task.status], f"bold {STATUS_STYLE[task.status]}")]
    if late:
        since = insight.late_since(task)
        parts += ["   ", (LATE_MARK, "bold $status-late")]
        if since is not None:
            parts.append(f" since {display.day_time(since, zone)}")
    if critical:
        parts += ["   ", (f"{CRITICAL_MARK} critical path", "bold $accent")]
    if task.milestone:
        parts += ["   ", ("◇ milestone", "bold")]
    if task.rehearsal_only:
        parts += ["   ", ("rehearsal only", "italic $text-muted")]
    parts.append("\n\n")
    for label, value in _fields(task, zone):
        parts += [(f"{label:<{LABEL_WIDTH}}", "$text-muted"), value, "\n"]
    parts += _waits_for(task, plan)
    parts += _waited_on_by(task, plan)
    parts += _heading("Notes")
    parts.append(task.notes if task.notes else Content.styled("No notes.", "$text-muted"))
    parts.append("\n")
    parts += _blockers(task, plan, zone)
    parts += _log(task, plan, zone)
    return Content.assemble(*parts)


def _fields(task: Task, zone: ZoneInfo) -> list[tuple[str, str]]:
    def when(moment: datetime | None) -> str:
        return display.day_time(moment, zone) if moment is not None else "—"

    planned = f"{when(task.planned_start)} → {when(task.planned_finish)}"
    if task.planned_duration is not None:
        planned += f" ({display.span(task.planned_duration.total_seconds())})"
    actual = f"{when(task.actual_start)} → {when(task.actual_end)}"
    return [
        ("ID", task.id),
        ("Phase", str(task.phase)),
        ("Party", str(task.party) if task.party else "—"),
        ("Owner", task.owner or "—"),
        ("Workstream", task.workstream or "—"),
        ("Planned", planned),
        ("Actual", actual if task.actual_start or task.actual_end else "not started"),
    ]


def _heading(title: str, count: int | None = None) -> list[Part]:
    suffix = f" ({count})" if count is not None else ""
    return ["\n", (f"{title}{suffix}", "bold $accent"), "\n"]


def _task_line(other: Task | None, task_id: str) -> list[Part]:
    if other is None:
        return [("  ? unknown      ", "$text-muted"), (task_id, "bold"), "\n"]
    mark = STATUS_MARK[other.status]
    return [
        "  ",
        (f"{mark:<15}", STATUS_STYLE[other.status]),
        (other.id, "bold"),
        "  ",
        other.title,
        "\n",
    ]


def _waits_for(task: Task, plan: Plan) -> list[Part]:
    parts = _heading("Waits for", len(task.depends_on))
    if not task.depends_on:
        return [*parts, ("  Nothing: it can start on its own.", "$text-muted"), "\n"]
    for predecessor in task.depends_on:
        parts += _task_line(plan.task_by_id.get(predecessor), predecessor)
    return parts


def _waited_on_by(task: Task, plan: Plan) -> list[Part]:
    followers = [other for other in plan.tasks if task.id in other.depends_on]
    parts = _heading("Waited on by", len(followers))
    if not followers:
        return [*parts, ("  Nothing waits for it.", "$text-muted"), "\n"]
    for follower in followers:
        parts += _task_line(follower, follower.id)
    return parts


def _blockers(task: Task, plan: Plan, zone: ZoneInfo) -> list[Part]:
    found: list[Blocker] = [blocker for blocker in plan.blockers if task.id in blocker.tasks]
    parts = _heading("Blockers", len(found))
    if not found:
        return [*parts, ("  None.", "$text-muted"), "\n"]
    for blocker in sorted(
        found, key=lambda b: (not b.is_open, list(SEVERITY_MARK).index(b.severity))
    ):
        severity = str(blocker.severity)
        parts += [
            "  ",
            (f"{SEVERITY_MARK[severity]} {severity.upper():<8} ", f"bold $severity-{severity}"),
            (f"{blocker.status!s:<9} ", "bold" if blocker.is_open else "$text-muted"),
            (blocker.id, "bold"),
            "  ",
            blocker.title,
        ]
        if blocker.owner:
            parts += [(" · ", "$text-muted"), blocker.owner]
        parts += [(f" · raised {display.day_time(blocker.raised_at, zone)}", "$text-muted"), "\n"]
    return parts


def _log(task: Task, plan: Plan, zone: ZoneInfo) -> list[Part]:
    entries = sorted(
        (entry for entry in plan.log if entry.ref == task.id), key=lambda e: e.at, reverse=True
    )
    parts = _heading("Log, newest first", len(entries))
    if not entries:
        return [*parts, ("  No entries.", "$text-muted")]
    for entry in entries:
        parts += ["  ", (display.day_time(entry.at, zone), "$text-muted"), "  "]
        if entry.actor:
            parts += [(entry.actor, "bold"), ": "]
        parts += [entry.text, "\n"]
    return parts
