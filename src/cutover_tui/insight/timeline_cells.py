"""The cells of the Gantt's lines: glyphs, status words, the now line, markers, the axis.

Pure (no Textual), so the drawing is tested without a terminal. A line comes back as runs of
``(text, role)``; the widget maps each role to a theme style. Planned and actual differ by glyph,
not only by colour, and every status also has a word.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from ..display import clock_time
from ..model import Task, TaskStatus
from .timeline import Marker, TimeAxis, TimelineRow, ticks

PLANNED, ACTUAL, BOTH, PROJECTED = "▀", "▄", "█", "░"
"""Top half: planned. Bottom half: actual. Full: both. Shade: would run if rolled back now."""
MILESTONE, MILESTONE_PLANNED = "◆", "◇"
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
            if 0 <= index < self.width and (over or not self.roles[index]):
                self.chars[index] = char
                self.roles[index] = role

    def fill(self, start: int, end: int, char: str, role: str) -> None:
        low, high = max(start - self.first, 0), min(end - self.first, self.width)
        for index in range(low, high):
            self.chars[index] = char
            self.roles[index] = role

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
            if tag_column >= self.first:  # a tag cut on the left would read as nonsense
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
        """The now line and the phase markers, behind the bars and their words."""
        now_column = self.now_column
        if now_column is not None:
            canvas.put(now_column, NOW_LINE, "now", over=False)
        for column in self.marker_columns:
            canvas.put(column, MARKER_LINE, "marker", over=False)

    def header_runs(self, zone: ZoneInfo, labels: Sequence[Marker]) -> tuple[list[Run], list[Run]]:
        """The two axis lines: time labels, then tick marks with ``▼NOW 15:00 GMT`` and markers."""
        times, marks = Canvas(self.first, self.width), Canvas(self.first, self.width)
        for tick in ticks(self.axis, self.first, self.first + self.width, zone):
            times.put(tick.column, tick.label, "day" if tick.midnight else "time")
            marks.put(tick.column, TICK, "tick")
        points: list[tuple[int, str, str]] = []
        now_column = self.now_column
        if now_column is not None:
            points.append((now_column, f"NOW {clock_time(self.now, zone, seconds=False)}", "now"))
        for marker in labels:
            column = self.axis.on_axis(marker.at)
            if column is not None and column != now_column:
                points.append((column, marker.label, "marker"))
        starts = place_labels([(column, text) for column, text, _ in points])
        for column, _, role in points:
            marks.put(column, "▼", role)
        for (column, text, role), start in zip(points, starts, strict=True):
            if start is not None and self.first <= column < self.first + self.width:
                marks.put(start, text, role)  # over the arrows, so a label never breaks
        return times.runs(), marks.runs()


def place_labels(points: Sequence[tuple[int, str]]) -> list[int | None]:
    """Where each label starts beside its ``▼``: right, else left, else nowhere (None).

    Earlier points win the space; the first (NOW) always gets a label, on the right if it
    fits nowhere. Worked out on the whole axis, not the screen, so labels stay put while the
    chart scrolls.
    """
    arrows = [column for column, _ in points]
    labels: list[tuple[int, int]] = []
    starts: list[int | None] = []
    for index, (column, text) in enumerate(points):
        start = None
        others = arrows[:index] + arrows[index + 1 :]
        for low in (column + 1, column - len(text)):
            high = low + len(text)  # a gap of one cell either side: [low - 1, high + 1)
            clear = low >= 0 and not any(low - 1 <= arrow <= high for arrow in others)
            if clear and not any(low - 1 < right and left < high + 1 for left, right in labels):
                start = low
                break
        if start is None and index == 0:
            start = column + 1
        if start is not None:
            labels.append((start, start + len(text)))
        starts.append(start)
    return starts
