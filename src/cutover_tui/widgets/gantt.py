"""A Gantt chart of the runbook on Textual's Line API: only the lines on screen are rendered.

A fixed label column on the left (status, late flag, critical-path mark, id, title) and a fixed
two-line time axis on top; the bars scroll under both, like a spreadsheet with frozen panes.
The layout is built once per snapshot; a tick repaints only when the now line moves a column,
a task turns late, or the NOW label's minute changes (the axis alone).
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from .. import display
from ..insight import PlanIndex, plan_index
from ..insight.timeline import (
    DEFAULT_SCALE,
    SCALES,
    Rollback,
    TimeAxis,
    TimelineLayout,
    TimelineRow,
    build_axis,
    build_layout,
    rollback,
    scale_label,
)
from ..insight.timeline_cells import STATUS_MARK, Frame, Run, row_state, status_tag
from ..model import Plan, Task

HEADER_LINES = 2
"""The time axis: labels, then ticks with the NOW and phase markers."""
LABEL_MIN, LABEL_MAX = 22, 44
"""Width of the label column: a third of the widget within these bounds."""
ID_MAX = 12
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
"""Placeholder time until the first plan arrives."""
HORIZONTAL_STEP = 4
"""Columns moved by one press of Left or Right."""
ROLES = (
    "header", "label", "critical", "critical-row", "muted", "heading",
    "time", "day", "tick", "now", "marker",
    "not-started", "in-progress", "done", "blocked", "skipped", "failed", "late",
)  # fmt: skip


class Gantt(ScrollView, can_focus=True):
    """Planned against actual per task over a time axis, with now, phases and milestones."""

    COMPONENT_CLASSES = {f"gantt--{role}" for role in ROLES}

    DEFAULT_CSS = """
    Gantt {
        background: $surface;
        scrollbar-size-horizontal: 1;
        & > .gantt--label { background: $panel; color: $foreground; }
        & > .gantt--header { color: $text-muted; text-style: bold; }
        & > .gantt--critical { color: $foreground; text-style: bold; }
        & > .gantt--critical-row { background: $accent 12%; }
        & > .gantt--muted { color: $text-muted; }
        & > .gantt--heading { color: $text-muted; text-style: bold italic; }
        & > .gantt--time { color: $text-muted; }
        & > .gantt--day { color: $foreground; text-style: bold; }
        & > .gantt--tick { color: $text-muted; }
        & > .gantt--now { color: $accent; text-style: bold; }
        & > .gantt--marker { color: $primary; text-style: bold; }
        & > .gantt--not-started { color: $foreground-muted; }
        & > .gantt--in-progress { color: $status-in-progress; }
        & > .gantt--done { color: $status-done; }
        & > .gantt--blocked { color: $status-blocked; text-style: bold; }
        & > .gantt--skipped { color: $text-muted; }
        & > .gantt--failed { color: $status-failed; text-style: bold; }
        & > .gantt--late { color: $status-late; text-style: bold; }
    }
    """

    BINDINGS = [
        Binding("shift+left", "page_left", "Page left", show=False),
        Binding("shift+right", "page_right", "Page right", show=False),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.scale_index = DEFAULT_SCALE
        """Which of `SCALES` one column stands for."""
        self.layout_data = TimelineLayout((), (), EPOCH, EPOCH, ())
        self.axis = TimeAxis(EPOCH, SCALES[DEFAULT_SCALE], 0)
        self.zone = ZoneInfo("UTC")
        self.now = EPOCH
        self.ready = False
        """False until the first plan arrives: nothing to draw."""
        self.late_ids: set[str] = set()
        self._index: PlanIndex | None = None
        self._late_count = -1
        self._now_column: int | None = None
        self._now_label = ""
        self._rollback = Rollback({}, None)
        self._rollback_ids: set[str] = set()
        self._id_width = 4
        self._task_count = 0
        self._placed = False
        self._styles: dict[tuple[str, str], Style] = {}
        self._frame_cache: dict[tuple[object, ...], Frame] = {}
        self._header_cache: dict[tuple[object, ...], tuple[list[Run], list[Run]]] = {}

    # --- data ---------------------------------------------------------------------------------

    def show_plan(
        self, plan: Plan, zone: ZoneInfo, now: datetime, *, hide_rehearsal: bool = False
    ) -> None:
        """Lay out a new snapshot, keeping the time at the left edge and the task at the top."""
        anchor = self._anchor()
        layout = build_layout(plan, hide_rehearsal=hide_rehearsal)
        self.layout_data = layout
        self.ready = True
        self.zone = zone
        self._index = plan_index(plan)
        self._late_count = -1
        ids = [len(row.task.id) for row in layout.rows if row.task is not None]
        self._task_count = len(ids)
        self._id_width = min(max(ids, default=4), ID_MAX)
        self.now = now
        self._rollback = rollback(layout.rollback_tasks, now)
        self._rollback_ids = {task.id for task in layout.rollback_tasks}
        self._update_time(now)
        self._build_axis()
        if anchor is not None:
            self._restore(*anchor)
        elif not self._placed:
            self._placed = True
            self.call_after_refresh(self.scroll_to_now)
        self.refresh()

    def show_time(self, now: datetime) -> None:
        """Follow the clock; repaint only what a new `now` changes."""
        if not self.ready:
            return
        self.now = now
        if self._update_time(now):
            self.axis = self.axis.reaching(self._latest())
            self._set_virtual_size()
            self.refresh()
            return
        label = display.clock_time(now, self.zone, seconds=False)
        if label != self._now_label:
            self._now_label = label
            self._header_cache.clear()
            self.refresh(Region(0, 0, self.size.width, HEADER_LINES))
            self._follow_rollback(now)

    def _follow_rollback(self, now: datetime) -> None:
        """Move the rollback's end (shown to the minute) on the contingency heading alone."""
        ends_at = self._rollback.ends_at
        self._rollback = rollback(self.layout_data.rollback_tasks, now)
        heading = self.layout_data.heading_row
        if heading is not None and self._rollback.ends_at != ends_at:
            y = HEADER_LINES + heading - round(self.scroll_y)
            if HEADER_LINES <= y < self.size.height:
                self.refresh(Region(0, y, self.size.width, 1))

    def _update_time(self, now: datetime) -> bool:
        """Recompute what depends on now; True when rows must be repainted."""
        changed = False
        if self._index is not None:
            late_count = self._index.late_count(now)
            if late_count != self._late_count:
                self._late_count = late_count
                self.late_ids = self._index.late_ids(now)
                changed = True
        column = self.axis.column(now)
        if column != self._now_column:
            self._now_column = column
            self._rollback = rollback(self.layout_data.rollback_tasks, now)
            changed = True
        if changed:
            self._now_label = display.clock_time(now, self.zone, seconds=False)
            self._frame_cache.clear()
            self._header_cache.clear()
        return changed

    def _latest(self) -> datetime:
        ends = [self.layout_data.latest, self.now]
        ends += [end for _, end in self._rollback.bars.values()]
        return max(ends)

    def _build_axis(self) -> None:
        earliest = min(self.layout_data.earliest, self.now)
        self.axis = build_axis(earliest, self._latest(), SCALES[self.scale_index], self.zone)
        self._now_column = self.axis.column(self.now)
        self._frame_cache.clear()
        self._header_cache.clear()
        self._set_virtual_size()

    def _set_virtual_size(self) -> None:
        rows, columns = len(self.layout_data.rows), self.axis.columns
        self.virtual_size = Size(self.label_width + columns, HEADER_LINES + rows)

    # --- geometry and scrolling ---------------------------------------------------------------

    @property
    def label_width(self) -> int:
        return min(LABEL_MAX, max(LABEL_MIN, self.size.width // 3))

    @property
    def chart_width(self) -> int:
        return max(1, self.size.width - self.label_width)

    @property
    def rows_height(self) -> int:
        return max(1, self.size.height - HEADER_LINES)

    def on_resize(self) -> None:
        self._set_virtual_size()
        self._frame_cache.clear()
        self._header_cache.clear()

    def _anchor(self) -> tuple[datetime, str | None] | None:
        """The time at the left edge and the id of the top task, to keep across a relayout."""
        if not self._placed:
            return None
        rows = self.layout_data.rows
        top = round(self.scroll_y)
        task = rows[top].task if 0 <= top < len(rows) else None
        return self.axis.moment(round(self.scroll_x)), task.id if task else None

    def _restore(self, left: datetime, top_id: str | None) -> None:
        y = self.layout_data.row_by_id.get(top_id, round(self.scroll_y)) if top_id else None
        self.scroll_to(self.axis.column(left), y, animate=False, force=True)

    def scroll_to_now(self) -> None:
        """Put now a third of the way across; bring the work under way into view."""
        if not self.ready:
            return
        x = self.axis.column(self.now) - self.chart_width // 3
        row = self._row_at_now()
        y = None
        if row is not None and not self.scroll_y <= row < self.scroll_y + self.rows_height:
            y = max(0, row - 2)
        self.scroll_to(max(0, x), y, animate=False, force=True)

    def _row_at_now(self) -> int | None:
        """The first task whose bar spans now, else the first planned to start after now."""
        now, after = self.now, None
        for index, row in enumerate(self.layout_data.rows):
            if row.contingency:
                break
            spans = [row.planned] if row.planned is not None else []
            if row.actual is not None:
                spans.append((row.actual[0], row.actual[1] or now))
            if any(start <= now <= end for start, end in spans):
                return index
            if after is None and row.planned is not None and row.planned[0] > now:
                after = index
        return after

    def zoom(self, step: int) -> None:
        """Zoom in (negative `step`) or out around now if it is on screen, else the middle."""
        index = min(max(self.scale_index + step, 0), len(SCALES) - 1)
        if index == self.scale_index or not self.ready:
            return
        left = round(self.scroll_x)
        offset = self.axis.column(self.now) - left
        anchor = self.now
        if not 0 <= offset < self.chart_width:
            offset = self.chart_width // 2
            anchor = self.axis.moment(left + offset)
        self.scale_index = index
        self._build_axis()
        self.scroll_to(max(0, self.axis.column(anchor) - offset), None, animate=False, force=True)
        self.refresh()

    def action_scroll_home(self) -> None:
        self.scroll_to(None, 0, animate=False, force=True)

    def action_scroll_end(self) -> None:
        self.scroll_to(None, self.max_scroll_y, animate=False, force=True)

    def action_scroll_left(self) -> None:
        self.scroll_to(max(0, self.scroll_x - HORIZONTAL_STEP), None, animate=False, force=True)

    def action_scroll_right(self) -> None:
        self.scroll_to(self.scroll_x + HORIZONTAL_STEP, None, animate=False, force=True)

    def action_page_left(self) -> None:
        self.scroll_to(max(0, self.scroll_x - self.chart_width), None, animate=False, force=True)

    def action_page_right(self) -> None:
        self.scroll_to(self.scroll_x + self.chart_width, None, animate=False, force=True)

    def action_page_up(self) -> None:
        self.scroll_to(None, max(0, self.scroll_y - self.rows_height), animate=False, force=True)

    def action_page_down(self) -> None:
        self.scroll_to(None, self.scroll_y + self.rows_height, animate=False, force=True)

    # --- rendering ----------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self.refresh()

    def _style(self, role: str, *, ground: str = "") -> Style:
        """The style of a role, over the background of the `ground` component if given."""
        key = (role, ground)
        style = self._styles.get(key)
        if style is None:
            style = self.rich_style
            if role:
                style += self.get_component_rich_style(f"gantt--{role}")
            if ground:
                style += Style(bgcolor=self.get_component_rich_style(f"gantt--{ground}").bgcolor)
            self._styles[key] = style
        return style

    def _frame(self) -> Frame:
        first, width = round(self.scroll_x), self.chart_width
        key = (self.axis, first, width, self.now, self.zone)
        frame = self._frame_cache.get(key)
        if frame is None:
            columns = (self.axis.on_axis(marker.at) for marker in self.layout_data.markers)
            marker_columns = tuple(column for column in columns if column is not None)
            frame = Frame(self.axis, first, width, self.now, marker_columns)
            self._frame_cache.clear()
            self._frame_cache[key] = frame
        return frame

    def _strip(self, runs: list[Run], width: int, *, ground: str = "") -> Strip:
        segments = [Segment(text, self._style(role, ground=ground)) for text, role in runs if text]
        return Strip(segments, width)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        layout = self.layout_data
        if not self.ready:
            return Strip.blank(width, self.rich_style)
        frame = self._frame()
        if y < HEADER_LINES:
            key = (frame.first, frame.width, self.axis, self.now, self.zone)
            header = self._header_cache.get(key)
            if header is None:
                header = frame.header_runs(self.zone, layout.markers)
                self._header_cache.clear()
                self._header_cache[key] = header
            label = self._header_label(y, frame.first)
            return Strip.join([label, self._strip(header[y], frame.width, ground="label")])
        index = y - HEADER_LINES + round(self.scroll_y)
        if index >= len(layout.rows):
            return Strip.blank(width, self.rich_style)
        row = layout.rows[index]
        if row.task is None:
            return Strip.join(
                [self._heading_label(), self._strip(self._heading(frame), frame.width)]
            )
        task = row.task
        late = task.id in self.late_ids
        if row.contingency and task.id not in self._rollback_ids and row.actual is None:
            runs = frame.blank_runs("not in a rollback now (runs after a later No-Go)", "muted")
        else:
            projected = self._rollback.bars.get(task.id)
            runs = frame.task_runs(row, row_state(task, late), status_tag(task, late), projected)
        ground = "critical-row" if row.critical else ""
        bars = self._strip(runs, frame.width, ground=ground)
        return Strip.join([self._task_label(row, task, late), bars])

    def _fitted(self, parts: list[tuple[str, str]]) -> Strip:
        """Label parts cut to the label column (``…`` where cut), with a gap before the bars."""
        room = self.label_width - 1
        segments = []
        for text, role in parts:
            if room <= 0:
                break
            if cell_len(text) > room:
                text = set_cell_size(text, room - 1) + "…"
            segments.append(Segment(text, self._style(role, ground="label")))
            room -= cell_len(text)
        segments.append(Segment(" " * (room + 1), self._style("", ground="label")))
        return Strip(segments, self.label_width)

    def _task_label(self, row: TimelineRow, task: Task, late: bool) -> Strip:
        name_role = "critical" if row.critical else "label"
        task_id = task.id if len(task.id) <= self._id_width else task.id[: self._id_width - 1] + "…"
        parts = [
            (STATUS_MARK[task.status], row_state(task, late)),
            ("⚠" if late else " ", "late"),
            ("CP " if row.critical else "   ", "critical"),
            (f"{task_id:<{self._id_width}} ", name_role),
        ]
        if row.unscheduled:
            tail = " unscheduled"
            room = self.label_width - 1 - 5 - self._id_width - 1 - len(tail)
            if cell_len(task.title) > room > 1:
                parts.append((set_cell_size(task.title, room - 1) + "…", name_role))
            else:
                parts.append((task.title, name_role))
            parts.append((tail, "muted"))
        else:
            parts.append((task.title, name_role))
        return self._fitted(parts)

    def _heading_label(self) -> Strip:
        return self._fitted([("▼ Contingency: rollback from now", "header")])

    def _heading(self, frame: Frame) -> list[Run]:
        ends = self._rollback.ends_at
        text = (
            f"if rolled back now, done by {display.day_time(ends, self.zone)}"
            if ends is not None
            else "rollback end unknown: a contingency task has no duration"
        )
        return frame.blank_runs(text, "heading")

    def _header_label(self, y: int, first: int) -> Strip:
        if y == 0:
            text = f" {self._task_count} tasks · 1 col = {scale_label(self.axis.unit)}"
        else:
            text = f" {display.day_time(self.axis.moment(first), self.zone)} ▸"
        return self._fitted([(text, "header")])
