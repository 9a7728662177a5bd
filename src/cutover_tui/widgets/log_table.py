"""The audit trail as a table, newest first, that grows in place as entries are appended.

The log is append-only, so rows are keyed by position: a new snapshot adds only the entries it
does not already show. A filter change (or a log that was rewritten, not appended to) rebuilds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from .. import display
from ..model import LogEntry, Plan


class RefKind(StrEnum):
    """What a log entry's `ref` names."""

    TASK = "task"
    BLOCKER = "blocker"
    CHECKPOINT = "checkpoint"
    OTHER = "other"


KIND_CYCLE: tuple[RefKind | None, ...] = (
    None,
    RefKind.TASK,
    RefKind.BLOCKER,
    RefKind.CHECKPOINT,
)
"""The order `f` steps through: every entry, then entries about tasks, blockers, checkpoints."""


def ref_kind(plan: Plan, ref: str | None) -> RefKind | None:
    """Whether `ref` is a task, blocker or checkpoint of `plan` (None: no ref)."""
    if ref is None:
        return None
    if ref in plan.task_by_id:
        return RefKind.TASK
    if ref in plan.blocker_by_id:
        return RefKind.BLOCKER
    if ref in plan.checkpoint_by_id:
        return RefKind.CHECKPOINT
    return RefKind.OTHER


@dataclass(frozen=True)
class LogFilter:
    """Which entries to show: by kind of ref, by one ref, by words in the text."""

    kind: RefKind | None = None
    ref: str | None = None
    search: str = ""
    """Words to find in the text, actor or ref, case-insensitively."""

    @property
    def active(self) -> bool:
        return bool(self.kind or self.ref or self.search.strip())

    def matches(self, plan: Plan, entry: LogEntry) -> bool:
        if self.ref is not None and entry.ref != self.ref:
            return False
        if self.kind is not None and ref_kind(plan, entry.ref) is not self.kind:
            return False
        wanted = self.search.strip().casefold()
        if wanted:
            haystack = " ".join((entry.text, entry.actor or "", entry.ref or "")).casefold()
            return wanted in haystack
        return True


@dataclass
class _Columns:
    wide: bool
    time_width: int
    actor_width: int
    ref_width: int
    text_width: int


MIN_TEXT_WIDTH = 20
"""The text column fills the rest of the table's width, cut with an ellipsis past it (the row's
full text shows below the table), and has at least this much."""
WIDE_FROM = 120
"""Terminal width from which the time column shows the weekday and the actor more room."""


def _stamp(moment: datetime, zone: ZoneInfo, wide: bool) -> str:
    if wide:
        return display.day_time(moment, zone)
    local = moment.astimezone(zone)
    return f"{local:%d %b %H:%M} {display.zone_label(moment, zone)}"


def _one_line(text: str) -> str:
    return " ⏎ ".join(text.splitlines()) if "\n" in text else text


class LogTable(DataTable[object]):
    """Log entries, newest first, keyed by their position in the log."""

    BINDINGS = [Binding("enter", "select_cursor", "Only this ref", id="log-only-ref")]

    DEFAULT_CSS = """
    LogTable { height: 1fr; overflow-x: hidden; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._plan: Plan | None = None
        self._entries: tuple[LogEntry, ...] = ()
        self._zone: ZoneInfo | None = None
        self._filter = LogFilter()
        self._columns: _Columns | None = None
        self.shown_count = 0
        """How many entries the table shows."""

    def on_mount(self) -> None:
        self._add_columns(self._fitted_columns())

    def on_resize(self) -> None:
        columns = self._fitted_columns()
        if self._columns is None or columns == self._columns:
            return
        self.clear(columns=True)
        self._add_columns(columns)
        if self._plan is not None and self._zone is not None:
            self._rebuild(self._plan, self._zone)

    def _fitted_columns(self) -> _Columns:
        """Column widths for the table's width: the text column takes what the others leave."""
        wide = self.app.size.width >= WIDE_FROM
        time_width, actor_width, ref_width = (20, 24, 12) if wide else (16, 12, 8)
        padding = 2 * self.cell_padding
        others = 4 + time_width + actor_width + ref_width + 5 * padding
        room = (self.size.width or self.app.size.width) - self.styles.scrollbar_size_vertical
        text_width = max(MIN_TEXT_WIDTH, room - others)
        return _Columns(wide, time_width, actor_width, ref_width, text_width)

    def _add_columns(self, columns: _Columns) -> None:
        self._columns = columns
        self.add_column("#", key="seq", width=4)
        self.add_column("Time", key="at", width=columns.time_width)
        self.add_column("Actor", key="actor", width=columns.actor_width)
        self.add_column("Ref", key="ref", width=columns.ref_width)
        self.add_column("Text", key="text", width=columns.text_width)

    def entry_at_cursor(self) -> LogEntry | None:
        """The highlighted entry (None when the table is empty)."""
        key = self.entry_key_at_cursor()
        return self._entries[int(key)] if key is not None else None

    def entry_key_at_cursor(self) -> str | None:
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value

    def show_log(self, plan: Plan, zone: ZoneInfo, log_filter: LogFilter) -> None:
        """Follow a new snapshot, zone or filter: appended entries are added, nothing else."""
        self._plan = plan
        entries = plan.log
        appended = len(entries) >= len(self._entries) and (
            entries[: len(self._entries)] == self._entries
        )
        if zone != self._zone or log_filter != self._filter or not appended:
            self._entries, self._zone, self._filter = entries, zone, log_filter
            self._rebuild(plan, zone)
            return
        start, self._entries = len(self._entries), entries
        new = [
            position
            for position in range(start, len(entries))
            if log_filter.matches(plan, entries[position])
        ]
        if not new:
            return
        at_top = self.cursor_row == 0
        kept = self.entry_key_at_cursor()
        for position in new:
            self._add_entry(position, zone)
        self.shown_count += len(new)
        self.sort("seq", reverse=True)
        if not at_top and kept is not None:
            self.move_cursor(row=self.get_row_index(kept), animate=False)
        else:
            self.move_cursor(row=0, animate=False)

    def _rebuild(self, plan: Plan, zone: ZoneInfo) -> None:
        kept = self.entry_key_at_cursor()
        self.clear()
        self.shown_count = 0
        for position in range(len(self._entries) - 1, -1, -1):
            if self._filter.matches(plan, self._entries[position]):
                self._add_entry(position, zone)
                self.shown_count += 1
        if kept is not None and kept in self.rows:
            self.move_cursor(row=self.get_row_index(kept), animate=False)

    def _add_entry(self, position: int, zone: ZoneInfo) -> None:
        entry = self._entries[position]
        wide = self._columns.wide if self._columns else True
        self.add_row(
            position + 1,
            Text(_stamp(entry.at, zone, wide)),
            _cut(entry.actor or "—"),
            _cut(entry.ref or ""),
            _cut(_one_line(entry.text)),
            key=str(position),
        )


def _cut(text: str) -> Text:
    """Plan text, literally, ending in an ellipsis where its column cuts it."""
    return Text(text, no_wrap=True, overflow="ellipsis")
