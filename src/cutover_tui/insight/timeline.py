"""Timeline maths for the Gantt view: times to columns, tick marks, rows, and the cells of a row.

Pure (no Textual): the layout is built once per snapshot in one pass over the tasks, and the
widget asks only for the cells of the rows and columns on screen, so a plan of 10,000 tasks costs
what a screenful costs. Cells come back as runs of ``(text, role)``; the widget maps each role to
a theme style. Planned and actual differ by glyph, not only by colour.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from ..display import clock_time
from ..model import Phase, Plan, Task, TaskStatus
from .schedule import critical_path, projected_finishes

SCALES: tuple[timedelta, ...] = (
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=3),
    timedelta(days=1),
)
"""Time per column, from the closest zoom to the widest."""
DEFAULT_SCALE = 2
"""One hour per column: a 72-hour cutover fits a wide terminal."""
LABEL_INTERVALS = (5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 10080)
"""Minutes between axis labels, tried in order until labels no longer crowd."""
LABEL_CELLS = 7
"""Cells from one label to the next: ``Sat 05`` and a space."""

PLANNED, ACTUAL, BOTH, PROJECTED = "▀", "▄", "█", "░"
"""Top half: planned. Bottom half: actual. Full: both. Shade: would run if rolled back now."""
MILESTONE, MILESTONE_PLANNED = "◆", "◇"
MILESTONES = (MILESTONE, MILESTONE_PLANNED)
NOW_LINE, MARKER_LINE, TICK = "│", "┊", "╵"

STATUS_MARK = {
    TaskStatus.NOT_STARTED: "○",
    TaskStatus.IN_PROGRESS: "▶",
    TaskStatus.DONE: "✔",
    TaskStatus.BLOCKED: "■",
    TaskStatus.SKIPPED: "↷",
    TaskStatus.FAILED: "✖",
}
STATUS_TAG = {
    TaskStatus.NOT_STARTED: "",
    TaskStatus.IN_PROGRESS: "▶ in progress",
    TaskStatus.DONE: "✔ done",
    TaskStatus.BLOCKED: "■ BLOCKED",
    TaskStatus.SKIPPED: "↷ skipped",
    TaskStatus.FAILED: "✖ FAILED",
}
"""The words after a bar, so a status reads without its colour."""

Run = tuple[str, str]
"""A stretch of cells: its text and its role (a style name; ``""`` for the background)."""


def scale_label(unit: timedelta) -> str:
    """``5m``, ``1h``, ``1d``: the time one column stands for."""
    minutes = int(unit // timedelta(minutes=1))
    if minutes and minutes % 1440 == 0:
        return f"{minutes // 1440}d"
    if minutes and minutes % 60 == 0:
        return f"{minutes // 60}h"
    return f"{minutes}m"


def label_interval(unit: timedelta, min_cells: int = LABEL_CELLS) -> int:
    """Minutes between axis labels at `unit` per column, so labels keep `min_cells` apart."""
    for interval in LABEL_INTERVALS:
        if timedelta(minutes=interval) / unit >= min_cells:
            return interval
    return LABEL_INTERVALS[-1]


def floor_local(moment: datetime, interval_minutes: int, zone: ZoneInfo) -> datetime:
    """`moment` rounded down to a multiple of the interval on the wall clock of `zone`."""
    local = moment.astimezone(zone)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if interval_minutes >= 1440:
        if interval_minutes >= 10080:
            midnight -= timedelta(days=midnight.weekday())
        return midnight.replace(tzinfo=zone).astimezone(UTC)
    minutes = local.hour * 60 + local.minute
    floored = midnight + timedelta(minutes=minutes - minutes % interval_minutes)
    return floored.replace(tzinfo=zone).astimezone(UTC)


@dataclass(frozen=True, slots=True)
class TimeAxis:
    """Column ``c`` covers ``[origin + c·unit, origin + (c+1)·unit)``."""

    origin: datetime
    unit: timedelta
    columns: int

    def column(self, moment: datetime) -> int:
        """The column holding `moment` (may be outside ``0..columns``)."""
        return (moment - self.origin) // self.unit

    def moment(self, column: int) -> datetime:
        """When column `column` starts."""
        return self.origin + column * self.unit

    def span(self, start: datetime, end: datetime) -> tuple[int, int]:
        """Columns ``[first, last)`` a bar from `start` to `end` covers: at least one."""
        first = self.column(start)
        last = -((self.origin - end) // self.unit)  # ceiling
        return first, max(last, first + 1)

    def on_axis(self, moment: datetime) -> int | None:
        """The column of `moment`, or None when it falls outside the axis."""
        column = self.column(moment)
        return column if 0 <= column < self.columns else None

    def reaching(self, moment: datetime, margin: int = 2) -> TimeAxis:
        """This axis, longer if needed so `moment` lies `margin` columns inside it."""
        needed = self.column(moment) + 1 + margin
        return self if needed <= self.columns else TimeAxis(self.origin, self.unit, needed)


def build_axis(
    earliest: datetime, latest: datetime, unit: timedelta, zone: ZoneInfo, margin: int = 2
) -> TimeAxis:
    """An axis from just before `earliest` to just after `latest`, starting on a label."""
    origin = floor_local(earliest - margin * unit, label_interval(unit), zone)
    axis = TimeAxis(origin, unit, 1)
    return axis.reaching(max(latest, earliest), margin)


@dataclass(frozen=True, slots=True)
class Tick:
    column: int
    label: str
    """``15:00``, or ``Sat 05`` at midnight (``07 Dec`` on a weekly axis)."""
    midnight: bool


def ticks(axis: TimeAxis, first: int, last: int, zone: ZoneInfo) -> list[Tick]:
    """The labelled columns among ``[first, last)``, on the wall clock of `zone`."""
    interval = label_interval(axis.unit)
    step = min(interval, 1440)
    unit_minutes = axis.unit / timedelta(minutes=1)
    found = []
    for column in range(max(first, 0), min(last, axis.columns)):
        local = axis.moment(column).astimezone(zone)
        minute_of_day = local.hour * 60 + local.minute
        offset = (-minute_of_day) % step
        if offset >= unit_minutes:
            continue
        mark = local + timedelta(minutes=offset)
        if interval > 1440 and mark.weekday() != 0:
            continue
        midnight = mark.hour == 0 and mark.minute == 0
        pattern = ("%d %b" if interval > 1440 else "%a %d") if midnight else "%H:%M"
        found.append(Tick(column, mark.strftime(pattern), midnight))
    return found


# --- rows ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """One task (or the contingency heading, when `task` is None) and its bars as times."""

    task: Task | None
    planned: tuple[datetime, datetime] | None = None
    actual: tuple[datetime, datetime | None] | None = None
    """Actual start and end; an end of None means still running (drawn up to now)."""
    critical: bool = False

    @property
    def contingency(self) -> bool:
        return self.task is not None and self.task.phase is Phase.CONTINGENCY

    @property
    def unscheduled(self) -> bool:
        """A runbook task with no planned time (contingency tasks are drawn from now)."""
        return self.task is not None and not self.contingency and self.planned is None


@dataclass(frozen=True, slots=True)
class Marker:
    """A labelled vertical line: final data production, go-live, point of no return, SLA end."""

    label: str
    at: datetime


@dataclass(frozen=True)
class TimelineLayout:
    """The rows of one snapshot, in runbook order with contingency tasks last."""

    rows: tuple[TimelineRow, ...]
    markers: tuple[Marker, ...]
    earliest: datetime
    latest: datetime
    contingency: tuple[Task, ...]
    row_by_id: dict[str, int] = field(default_factory=dict)


def _planned(task: Task) -> tuple[datetime, datetime] | None:
    start, end = task.planned_start, task.planned_finish
    if start is None:
        return None if end is None else (end, end)
    return start, end if end is not None else start


def _actual(task: Task) -> tuple[datetime, datetime | None] | None:
    start, end = task.actual_start, task.actual_end
    if start is None:
        return None if end is None else (end, end)
    if end is None and task.status in (TaskStatus.DONE, TaskStatus.SKIPPED, TaskStatus.FAILED):
        end = start  # finished without a recorded end: mark where it started
    return start, end


def markers(plan: Plan) -> tuple[Marker, ...]:
    header = plan.header
    found = [Marker("FINAL DATA", header.final_data_production)]
    if header.point_of_no_return is not None:
        found.append(Marker("NO RETURN", header.point_of_no_return))
    if header.go_live is not None:
        found.append(Marker("GO-LIVE", header.go_live))
    if header.cutover_sla is not None:
        found.append(Marker("SLA END", header.final_data_production + header.cutover_sla))
    return tuple(found)


def build_layout(plan: Plan, *, hide_rehearsal: bool = False) -> TimelineLayout:
    """Rows, markers and the time range of `plan`: one pass, done when a snapshot arrives."""
    critical = {task.id for task in critical_path(plan)}
    shown = [task for task in plan.tasks if not (hide_rehearsal and task.rehearsal_only)]
    runbook = [task for task in shown if task.phase is not Phase.CONTINGENCY]
    contingency = tuple(task for task in shown if task.phase is Phase.CONTINGENCY)
    plan_markers = markers(plan)
    moments = [marker.at for marker in plan_markers]
    rows: list[TimelineRow] = []
    for task in runbook:
        row = TimelineRow(task, _planned(task), _actual(task), task.id in critical)
        rows.append(row)
        moments.extend(_row_moments(row))
    if contingency:
        rows.append(TimelineRow(None))
        for task in contingency:
            row = TimelineRow(task, None, _actual(task))
            rows.append(row)
            moments.extend(_row_moments(row))
    row_by_id = {row.task.id: index for index, row in enumerate(rows) if row.task is not None}
    return TimelineLayout(
        tuple(rows), plan_markers, min(moments), max(moments), contingency, row_by_id
    )


def _row_moments(row: TimelineRow) -> Iterable[datetime]:
    if row.planned is not None:
        yield from row.planned
    if row.actual is not None:
        yield row.actual[0]
        if row.actual[1] is not None:
            yield row.actual[1]


@dataclass(frozen=True, slots=True)
class Rollback:
    """Contingency tasks drawn as if a rollback started now."""

    bars: dict[str, tuple[datetime, datetime]]
    """Task id → when its remaining work would run."""
    ends_at: datetime | None
    """When the last of them would finish; None when a duration is missing."""


def rollback(tasks: Sequence[Task], now: datetime) -> Rollback:
    """Where to draw contingency work started now, each after its predecessors."""
    finishes = projected_finishes(tasks, now, ignore_planned_starts=True)
    bars: dict[str, tuple[datetime, datetime]] = {}
    for task in tasks:
        end, duration = finishes.get(task.id), task.planned_duration
        if task.is_finished or task.status is TaskStatus.FAILED or end is None:
            continue
        running = task.actual_start is not None and task.status is not TaskStatus.NOT_STARTED
        if running:
            bars[task.id] = (now, end)
        elif duration is not None:
            bars[task.id] = (end - duration, end)
    known = [moment for moment in finishes.values() if moment is not None]
    complete = bool(known) and len(known) == len(finishes)
    return Rollback(bars, max(known) if complete else None)


def row_state(task: Task, late: bool) -> str:
    """The role that colours a task's bar and tag: its status, or ``late``."""
    if task.status in (TaskStatus.FAILED, TaskStatus.BLOCKED):
        return str(task.status)
    return "late" if late else str(task.status)


def status_tag(task: Task, late: bool) -> str:
    """``■ BLOCKED ⚠ LATE``: the words written after a bar."""
    tag = STATUS_TAG[task.status]
    if late:
        tag = f"{tag} ⚠ LATE" if tag else "⚠ LATE"
    return tag


# --- cells ------------------------------------------------------------------------------------


class Canvas:
    """The visible cells of one line: columns ``[first, first + width)`` of the axis."""

    def __init__(self, first: int, width: int) -> None:
        self.first = first
        self.width = width
        self.chars = [" "] * width
        self.roles = [""] * width

    def put(self, column: int, text: str, role: str, *, over: bool = True) -> None:
        """Write `text` from `column` (clipped); with ``over=False`` only into blank cells."""
        for offset, char in enumerate(text):
            index = column + offset - self.first
            if 0 <= index < self.width and (over or self.chars[index] == " "):
                self.chars[index] = char
                self.roles[index] = role

    def fill(self, start: int, end: int, char: str, role: str) -> None:
        low, high = max(start - self.first, 0), min(end - self.first, self.width)
        for index in range(low, high):
            self.chars[index] = char
            self.roles[index] = role

    def free(self, column: int, length: int) -> bool:
        """No cell of ``[column, column + length)`` on screen holds more than a tick mark."""
        low, high = max(column - self.first, 0), min(column + length - self.first, self.width)
        return all(self.roles[index] in ("", "tick") for index in range(low, high))

    def runs(self) -> list[Run]:
        """The cells as runs of equal role."""
        found: list[Run] = []
        start = 0
        for index in range(1, self.width + 1):
            if index == self.width or self.roles[index] != self.roles[start]:
                found.append(("".join(self.chars[start:index]), self.roles[start]))
                start = index
        return found


@dataclass(frozen=True)
class Frame:
    """What every line on screen shares: the axis, the visible columns, now, the markers."""

    axis: TimeAxis
    first: int
    width: int
    now: datetime
    marker_columns: tuple[int, ...] = ()

    @property
    def now_column(self) -> int | None:
        return self.axis.on_axis(self.now)

    def task_runs(
        self, row: TimelineRow, state: str, tag: str, projected: tuple[datetime, datetime] | None
    ) -> list[Run]:
        """A task's line: planned ``▀``, actual ``▄``, both ``█``, rollback ``░``, then its tag."""
        canvas = Canvas(self.first, self.width)
        axis, now_column = self.axis, self.now_column
        ends: list[int] = []
        task = row.task
        if task is not None and task.milestone:
            ends += self._milestone(canvas, row, state)
        else:
            if row.planned is not None:
                first, last = axis.span(*row.planned)
                canvas.fill(first, last, PLANNED, state)
                ends.append(last)
            if row.actual is not None:
                start, end = row.actual
                first, last = axis.span(start, end if end is not None else max(start, self.now))
                for column in range(max(first, self.first), min(last, self.first + self.width)):
                    index = column - self.first
                    canvas.chars[index] = BOTH if canvas.chars[index] == PLANNED else ACTUAL
                    canvas.roles[index] = state
                ends.append(last)
            if projected is not None:
                first, last = axis.span(*projected)
                canvas.fill(first, last, PROJECTED, state)
                ends.append(last)
        if tag and ends:
            tag_column = max(ends) + 1
            if now_column is not None and tag_column <= now_column < tag_column + len(tag):
                tag_column = now_column + 1
            canvas.put(tag_column, tag, state)
        self._lines(canvas)
        return canvas.runs()

    def _milestone(self, canvas: Canvas, row: TimelineRow, state: str) -> list[int]:
        reached: datetime | None = None
        if row.actual is not None and row.task is not None and row.task.is_finished:
            reached = row.actual[1] or row.actual[0]
        ends = []
        if row.planned is not None:
            planned_column = self.axis.column(row.planned[0])
            canvas.put(planned_column, MILESTONE_PLANNED if reached else MILESTONE, state)
            ends.append(planned_column + 1)
        if reached is not None:
            reached_column = self.axis.column(reached)
            canvas.put(reached_column, MILESTONE, state)
            ends.append(reached_column + 1)
        return ends

    def blank_runs(self, text: str = "", role: str = "") -> list[Run]:
        """A line with no bars (the contingency heading): `text` at the left, then the lines."""
        canvas = Canvas(self.first, self.width)
        canvas.put(self.first + 1, text, role)
        self._lines(canvas)
        return canvas.runs()

    def _lines(self, canvas: Canvas) -> None:
        for column in self.marker_columns:
            canvas.put(column, MARKER_LINE, "marker", over=False)
        now_column = self.now_column
        if now_column is not None:
            index = now_column - self.first
            milestone = 0 <= index < self.width and canvas.chars[index] in MILESTONES
            if not milestone:
                canvas.put(now_column, NOW_LINE, "now")

    def header_runs(self, zone: ZoneInfo, labels: Sequence[Marker]) -> tuple[list[Run], list[Run]]:
        """The two axis lines: time labels, then tick marks with ``▼NOW 15:00 GMT`` and markers."""
        times, marks = Canvas(self.first, self.width), Canvas(self.first, self.width)
        for tick in ticks(self.axis, self.first - LABEL_CELLS, self.first + self.width, zone):
            times.put(tick.column, tick.label, "day" if tick.midnight else "time")
            marks.put(tick.column, TICK, "tick")
        now_column = self.now_column
        if now_column is not None:
            marks.put(now_column, f"▼NOW {clock_time(self.now, zone, seconds=False)}", "now")
        for marker in labels:
            column = self.axis.on_axis(marker.at)
            if column is None or (now_column is not None and column == now_column):
                continue
            text = f"▼{marker.label}"
            if marks.free(column, len(text) + 1):
                marks.put(column, text, "marker")
            else:
                marks.put(column, "▼", "marker")
        return times.runs(), marks.runs()
