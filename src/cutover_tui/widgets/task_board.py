"""The runbook as a table: one row per task, keyed by the task's id, brought up to date by diffs.

Built for 10,000-task plans. Every column has a declared width and every row is one line, so
nothing is measured (`_update_dimensions` below); a new snapshot changes only the cells that
differ, and repaints only those cells; cells are small tuples that become styled text only when
a row is drawn, and rows are drawn straight into segments, as stock DataTable would draw them
(`_render_cell`, `_render_line`). Cells a new snapshot changed flash (with the row's id) for
`FLASH_SECONDS`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from rich.cells import cell_len, set_cell_size
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import on
from textual._segment_tools import line_crop
from textual._two_way_dict import TwoWayDict
from textual._types import SegmentLines
from textual.content import Content
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.widget import Widget
from textual.widgets import DataTable
from textual.widgets._data_table import CellCacheKey, LineCacheKey
from textual.widgets.data_table import ColumnKey, DuplicateKey, RowKey
from textual.widgets.data_table import Row as DataRow

from .. import display
from ..model import Party, Phase, Task, TaskStatus
from .flash import Flashes
from .task_filters import STATUS_MARK

STATUS_STYLE = {
    TaskStatus.IN_PROGRESS: "$status-in-progress",
    TaskStatus.BLOCKED: "bold $status-blocked",
    TaskStatus.DONE: "$status-done",
    TaskStatus.FAILED: "bold $status-failed",
    TaskStatus.SKIPPED: "$text-muted",
    TaskStatus.NOT_STARTED: "",
}
LATE_MARK = "⚠ LATE"
CRITICAL_MARK = "◆"
FLASH_STYLE = "bold reverse"
"""How a cell that a new snapshot just changed stands out: a style, not a colour."""


class Cell(NamedTuple):
    """One cell: text shown literally (never parsed as markup) and a theme style, "" for none.

    A tuple, so rows compare cheaply when a snapshot is diffed; it becomes `Text` or `Content`
    only when drawn, so a big plan holds no rendered text for rows that are off screen.
    """

    text: str
    style: str = ""
    flash: bool = False
    """Drawn in `FLASH_STYLE` on top of its own: a new snapshot just changed it."""

    def __rich__(self) -> Text | Content:
        if self.style:
            style = f"{self.style} {FLASH_STYLE}" if self.flash else self.style
            return Content.styled(self.text, style)
        style = FLASH_STYLE if self.flash else ""
        return Text(self.text, style=style, no_wrap=True, overflow="ellipsis", end="")


Row = tuple[Cell, ...]
"""A task's cells, in the order of `COLUMNS`."""


@dataclass(frozen=True, slots=True)
class BoardColumn:
    key: str
    label: str
    width: int


COLUMNS = (
    BoardColumn("critical", "CP", 2),
    BoardColumn("id", "ID", 8),
    BoardColumn("title", "Title", 40),
    BoardColumn("status", "Status", 13),
    BoardColumn("late", "Late", 6),
    BoardColumn("owner", "Owner", 18),
    BoardColumn("planned_start", "Start", 9),
    BoardColumn("planned_end", "End", 9),
    BoardColumn("actual_start", "Started", 9),
    BoardColumn("actual_end", "Ended", 9),
    BoardColumn("phase", "Phase", 12),
    BoardColumn("party", "Party", 8),
    BoardColumn("workstream", "Workstream", 14),
)
"""The table's columns, most important first so a narrow terminal still shows them."""
COLUMN_KEYS = tuple(column.key for column in COLUMNS)
TIME_COLUMNS = ("planned_start", "planned_end", "actual_start", "actual_end")
MIN_TITLE_WIDTH = 30
LONGEST_ID = 16
EMPTY = Cell("")
SHORT_PLAN = timedelta(days=6)
"""Plans whose times all fit in this span show weekday and time only."""


class TimeCells:
    """Plan times as ``Fri 17:00`` in one zone, computed once per distinct moment.

    A plan spanning more than a few days adds the day of the month (``Fri 04 17:00``) so two
    Fridays cannot be confused. When every time falls under one zone abbreviation it goes in
    the column headers (`label`); across a DST change each cell carries its own.

    It counts how many times fall on each moment, so a new snapshot that replaces a few tasks
    can be patched (`patch`) instead of every moment of the plan being formatted again.
    """

    def __init__(self, moments: Iterable[datetime], zone: ZoneInfo, reference: datetime) -> None:
        """`reference` names the zone when the plan has no times at all."""
        self.zone = zone
        self.reference = reference
        self._uses = Counter(moments)
        """How many times fall on each moment."""
        self._span = _span(self._uses)
        """The earliest and the latest moment."""
        self._pattern = "%a %d %H:%M" if self._wide else "%a %H:%M"
        self._text = {moment: _local(moment, zone, self._pattern) for moment in self._uses}
        """Each moment's local text and zone abbreviation."""
        self._labels = Counter(label for _, label in self._text.values())
        """How many moments fall under each zone abbreviation."""
        self.label: str | None
        """The zone abbreviation of every time, or None when they differ (a DST change)."""
        self.width: int
        """Cells of this many characters."""
        self.label, self.width = self._format()
        self._cells = {moment: self._cell(moment) for moment in self._text}

    def __call__(self, moment: datetime | None) -> Cell:
        return EMPTY if moment is None else self._cells[moment]

    @property
    def _wide(self) -> bool:
        return self._span is not None and self._span[1] - self._span[0] > SHORT_PLAN

    def _format(self) -> tuple[str | None, int]:
        """`label` and `width` for the moments counted now."""
        labels = set(self._labels) or {display.zone_label(self.reference, self.zone)}
        label = labels.pop() if len(labels) == 1 else None
        return label, (12 if self._wide else 9) + (0 if label is not None else 4)

    def _cell(self, moment: datetime) -> Cell:
        local, label = self._text[moment]
        return Cell(local if self.label is not None else f"{local} {label}")

    def patch(self, gone: Iterable[datetime], come: Iterable[datetime]) -> bool:
        """Count out the times of tasks that were replaced, and in those of what replaced them.

        True when every cell stays as it was (a moment new to the plan gets its cell); False
        when the format changes (the span crosses `SHORT_PLAN`, the zone label changes): this
        is then out of date, and a new `TimeCells` must be made.
        """
        uses = self._uses
        added: list[datetime] = []
        removed: list[datetime] = []
        for moment in come:  # before `gone`: a moment in both is never counted out to zero
            uses[moment] += 1
            if uses[moment] == 1:
                added.append(moment)
        for moment in gone:
            uses[moment] -= 1
            if not uses[moment]:
                del uses[moment]
                removed.append(moment)
        for moment in removed:
            known = self._text.pop(moment, None)  # None: it came in this patch, and went
            if known is not None:
                self._cells.pop(moment, None)
                self._labels[known[1]] -= 1
                if not self._labels[known[1]]:
                    del self._labels[known[1]]
        added = [moment for moment in added if moment in uses]
        for moment in added:
            self._text[moment] = text = _local(moment, self.zone, self._pattern)
            self._labels[text[1]] += 1
        if self._span is None or self._span[0] in removed or self._span[1] in removed:
            self._span = _span(uses)
        elif added:
            self._span = (min(self._span[0], *added), max(self._span[1], *added))
        if self._format() != (self.label, self.width):
            return False
        for moment in added:
            self._cells[moment] = self._cell(moment)
        return True

    @staticmethod
    def moments(tasks: Iterable[Task]) -> Iterable[datetime]:
        for task in tasks:
            times = (task.planned_start, task.planned_finish, task.actual_start, task.actual_end)
            for moment in times:
                if moment is not None:
                    yield moment


def _span(moments: Iterable[datetime]) -> tuple[datetime, datetime] | None:
    moments = list(moments)
    return (min(moments), max(moments)) if moments else None


def _local(moment: datetime, zone: ZoneInfo, pattern: str) -> tuple[str, str]:
    """`moment` in `zone` as text, and the zone's abbreviation then (as `display.zone_label`)."""
    local = moment.astimezone(zone)
    name = local.tzname() or zone.key
    return local.strftime(pattern), name if name[:1].isalpha() else f"UTC{name}"


STATUS_CELLS = {status: Cell(STATUS_MARK[status], STATUS_STYLE[status]) for status in TaskStatus}
PHASE_CELLS = {phase: Cell(str(phase)) for phase in Phase}
PARTY_CELLS = {party: Cell(str(party)) for party in Party}
LATE_CELL = Cell(LATE_MARK, "bold $status-late")
CRITICAL_CELL = Cell(CRITICAL_MARK, "bold $accent")


class RowMaker:
    """Builds a snapshot's rows, sharing the cells that repeat (status, owner, times).

    Kept for the next snapshot while its `times` can be patched (`TimeCells.patch`).
    """

    def __init__(self, tasks: Sequence[Task], zone: ZoneInfo, reference: datetime) -> None:
        self.times = TimeCells(TimeCells.moments(tasks), zone, reference)
        self._text: dict[str, Cell] = {"": EMPTY}

    def _shared(self, text: str | None) -> Cell:
        text = text or ""
        cell = self._text.get(text)
        if cell is None:
            cell = self._text[text] = Cell(text)
        return cell

    def __call__(self, task: Task, *, late: bool, critical: bool) -> Row:
        """The cells of `task`'s row; plan text goes in as it is."""
        times, shared = self.times, self._shared
        return (
            CRITICAL_CELL if critical else EMPTY,
            Cell(task.id, "bold"),
            Cell(task.title),
            STATUS_CELLS[task.status],
            LATE_CELL if late else EMPTY,
            shared(task.owner),
            times(task.planned_start),
            times(task.planned_finish),
            times(task.actual_start),
            times(task.actual_end),
            PHASE_CELLS[task.phase],
            PARTY_CELLS[task.party] if task.party else EMPTY,
            shared(task.workstream),
        )


def late_cell(late: bool) -> Cell:
    return LATE_CELL if late else EMPTY


LATE_INDEX = COLUMN_KEYS.index("late")
COLUMN_INDEX = {key: index for index, key in enumerate(COLUMN_KEYS)}


class TaskBoard(DataTable[Cell]):
    """The task table: rows keyed by task id, shown and updated through `show_rows`."""

    DEFAULT_CSS = """
    TaskBoard {
        height: 1fr;
    }
    """

    @dataclass
    class TaskSelected(Message):
        """The user chose a task (Enter, or a click on the highlighted row)."""

        task_id: str

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(
            cursor_type="row", zebra_stripes=True, fixed_columns=2, id=id, classes=classes
        )
        self._shown: dict[str, Row] = {}
        """The rows on display, by task id, as last given, in the order shown."""
        self._time_format: tuple[str | None, int] = ("", 0)
        self._flash_columns: dict[str, set[str]] = {}
        """The cells drawn flashing, by task id: the id and whatever a snapshot changed."""
        self.flashes = Flashes(self, self._end_flashes)
        """Rows flashing, and the one timer that ends them."""
        self._paint: _Paint | None = None
        """What the lines of the repaint under way share (`render_lines`)."""

    def on_mount(self) -> None:
        for column in COLUMNS:
            self.add_column(Text(column.label), key=column.key, width=column.width)

    # --- what the screen calls ------------------------------------------------------------

    @property
    def cursor_task_id(self) -> str | None:
        """The id of the highlighted task, if any."""
        if not self.row_count:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return row_key.value

    @property
    def shown_ids(self) -> list[str]:
        """The ids of the rows on display, top to bottom."""
        return [row.key.value or "" for row in self.ordered_rows]

    @property
    def shown_rows(self) -> Mapping[str, Row]:
        """The rows on display by task id, top to bottom, as last given: what `shown_ids`
        reads off the table, at the cost of a dict (the table orders its rows on demand)."""
        return self._shown

    def select_task(self, task_id: str) -> None:
        """Put the cursor on `task_id`'s row, scrolling it into view."""
        if task_id in self._shown:
            row = self.get_row_index(task_id)
            if row != self.cursor_row:
                if self._require_update_dimensions:
                    # Sized now (it costs nothing here), so the cursor scrolls into view at
                    # once: stock scrolls after the next repaint, which repaints it all again.
                    self._require_update_dimensions = False
                    self._new_rows.clear()
                    self._update_dimensions(())
                self.move_cursor(row=row, animate=False)

    def set_time_label(self, label: str | None, width: int) -> None:
        """Put `label` (a zone abbreviation) in the time headers, or nothing when cells carry it."""
        if (label, width) == self._time_format:
            return
        self._time_format = (label, width)
        for key in TIME_COLUMNS:
            column = self.columns[ColumnKey(key)]
            base = next(c.label for c in COLUMNS if c.key == key)
            column.label = Text(f"{base} {label}" if label else base)
            column.width = max(width, column.label.cell_len)
        self._relayout(changed=True)

    def show_rows(self, rows: Sequence[tuple[str, Row]], *, flash: bool = False) -> None:
        """Show exactly `rows`, in this order, changing only what differs from what is shown.

        Rows that went are removed, changed cells updated in place, new rows added, and the
        cursor stays on the same task. Removing a row costs O(rows) in DataTable, so when many
        go at once (a narrowing filter) the table is refilled instead, which is cheaper.

        `flash`: the rows come from a new snapshot, so the cells that changed (and the id of
        each row they are in, and of each row new to the table) flash for a moment.
        """
        wanted = dict(rows)
        keep = self.cursor_task_id
        before = self._shown
        drawn = list(self._shown)
        gone = [task_id for task_id in self._shown if task_id not in wanted]
        if gone and len(gone) * len(self._shown) > 25 * len(wanted) + 2_000:
            self.clear()
            self._shown = {}
            self._flash_columns.clear()
            self.flashes.clear()
        elif gone:
            self._drop_rows(gone)
            for task_id in gone:
                del self._shown[task_id]
                self._flash_columns.pop(task_id, None)
            self.flashes.forget(gone)
        flashing = self._take_rows(rows, before, flash=flash)
        # `_shown` lists the rows as the table does (rows that went left both, new ones were
        # appended to both): comparing it is far cheaper than asking the table (`shown_ids`).
        order = [task_id for task_id, _ in rows]
        if list(self._shown) != order:
            self._put_in_order(order)
            self._shown = wanted
        self._repaint_moved(drawn, order)
        if flashing:
            self._start_flashes(flashing)
        if keep is not None:
            self.select_task(keep)

    def show_changes(
        self,
        order: Sequence[str],
        rows: Mapping[str, Row],
        touched: Iterable[str],
        gone: Sequence[str],
        *,
        flash: bool = False,
    ) -> None:
        """`show_rows` when what changed is known: show the rows of `order` (each in `rows`),
        where only the `touched` ones (changed or new) differ from what is shown and the `gone`
        ones are to go. Passes over every row only to renumber them."""
        keep = self.cursor_task_id
        drawn = list(self._shown)
        if gone:
            self._drop_rows(gone)
            for task_id in gone:
                self._shown.pop(task_id, None)
                self._flash_columns.pop(task_id, None)
            self.flashes.forget(list(gone))
        flashing = self._take_rows(
            [(task_id, rows[task_id]) for task_id in touched], self._shown, flash=flash
        )
        self._put_in_order(order)
        self._shown = {task_id: rows[task_id] for task_id in order}
        self._repaint_moved(drawn, order)
        if flashing:
            self._start_flashes(flashing)
        if keep is not None:
            self.select_task(keep)

    def update_rows(self, rows: Mapping[str, Row], *, flash: bool = False) -> None:
        """Update the cells that changed in rows on display; rows not shown are ignored.

        The rows stay where they are. `flash`: as for `show_rows`.
        """
        flashing: dict[str, list[str]] = {}
        for task_id, row in rows.items():
            shown = self._shown.get(task_id)
            if shown is None or shown is row:
                continue
            if shown != row:
                self._replace_row(task_id, shown, row, flashing if flash else None)
            self._shown[task_id] = row
        if flashing:
            self._start_flashes(flashing)

    def _take_rows(
        self, rows: Iterable[tuple[str, Row]], before: Mapping[str, Row], *, flash: bool
    ) -> dict[str, list[str]]:
        """Put `rows` in the table: cells that changed are updated, rows new to it appended
        (at the end: the caller puts them in order). `before`: the rows shown before, by id.
        Returns, with `flash`, the cells to flash by id (a new row: its id only)."""
        new: list[tuple[str, Row]] = []
        flashing: dict[str, list[str]] = {}
        for task_id, row in rows:
            shown = self._shown.get(task_id)
            if shown is None:
                new.append((task_id, row))
                old = before.get(task_id)
                if flash and (old is None or (old is not row and old != row)):
                    flashing[task_id] = _changed_columns(old, row) if old else []
            elif shown is not row and shown != row:
                self._replace_row(task_id, shown, row, flashing if flash else None)
            self._shown[task_id] = row
        if len(new) > 1:
            self._append_rows(new)
        elif new:
            self.add_row(*new[0][1], key=new[0][0])
        return flashing

    def _replace_row(
        self, task_id: str, shown: Row, row: Row, flashing: dict[str, list[str]] | None
    ) -> None:
        """Put the cells of `row` that differ from `shown` in the table; with `flashing`, note
        them there to flash."""
        changed = _changed_columns(shown, row)
        if flashing is not None:
            flashing[task_id] = changed
            self._flash_columns.setdefault(task_id, set()).update(changed)
        self._update_cells(task_id, row, changed)

    def _update_cells(self, task_id: str, row: Row, keys: Iterable[str]) -> None:
        """Put the new values of `keys` in the table (drawn flashing where they are flashing)."""
        flashing = self._flash_columns.get(task_id, ())
        for key in keys:
            cell = row[COLUMN_INDEX[key]]
            self.update_cell(task_id, key, cell._replace(flash=True) if key in flashing else cell)

    # --- flashing -------------------------------------------------------------------------

    def _start_flashes(self, flashing: Mapping[str, Sequence[str]]) -> None:
        """Flash each row's id and the given cells not flashing yet, restarting its time."""
        for task_id, keys in flashing.items():
            columns = self._flash_columns.setdefault(task_id, set())
            row = self._shown[task_id]
            for key in ("id", *keys):
                if key not in columns:
                    columns.add(key)
                    self._put_cell(task_id, key, row[COLUMN_INDEX[key]]._replace(flash=True))
        self.flashes.start(flashing)

    def _end_flashes(self, task_ids: list[str]) -> None:
        """Draw the rows of `task_ids` as they are again (those still on display)."""
        with self.app.batch_update():
            for task_id in task_ids:
                columns = self._flash_columns.pop(task_id, ())
                row = self._shown.get(task_id)
                if row is not None:
                    for key in columns:
                        self._put_cell(task_id, key, row[COLUMN_INDEX[key]])

    @property
    def flashing_cells(self) -> dict[str, set[str]]:
        """The cells drawn flashing now, by task id (for tests)."""
        return {task_id: set(columns) for task_id, columns in self._flash_columns.items()}

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.TaskSelected(event.row_key.value))

    # --- geometry -------------------------------------------------------------------------

    def on_resize(self) -> None:
        self._relayout()

    def fit_id_width(self, ids: Iterable[str]) -> None:
        """Size the id column to the longest id (within reason; longer ones end in …)."""
        width = min(max((len(task_id) for task_id in ids), default=2), LONGEST_ID)
        column = self.columns[ColumnKey("id")]
        if column.width != max(width, 2):
            column.width = max(width, 2)
            self._relayout(changed=True)

    def _relayout(self, *, changed: bool = False) -> None:
        """Give the title whatever width the other columns leave, then resize the scroll area.

        `changed`: a label or width changed already, so rendered cells must be redrawn.
        """
        title = self.columns[ColumnKey("title")]
        others = sum(
            column.get_render_width(self) for column in self.columns.values() if column is not title
        )
        available = self.scrollable_content_region.width - others - 2 * self.cell_padding
        width = max(MIN_TITLE_WIDTH, available)
        if width != title.width:
            title.width = width
            changed = True
        if changed:
            self._update_dimensions(())
            # DataTable keeps rendered cells until its styles change; widths are layout.
            self.notify_style_update()

    # --- Textual 8.2.8 internals ----------------------------------------------------------

    def update_cell(
        self,
        row_key: RowKey | str,
        column_key: ColumnKey | str,
        value: Cell,
        *,
        update_width: bool = False,
    ) -> None:
        """Stock `update_cell`, but repainting the cell alone.

        Stock repaints the whole table: one task changing in a 10,000-task plan rewrote a
        screenful of rows. Widths here never follow content, so `update_width` goes to stock.
        """
        if update_width:
            super().update_cell(row_key, column_key, value, update_width=True)
        else:
            self._put_cell(row_key, column_key, value)

    def _put_cell(self, row_key: RowKey | str, column_key: ColumnKey | str, cell: Cell) -> None:
        """Store a cell as stock `update_cell` does, then repaint its row up to it, if in view."""
        if isinstance(row_key, str):
            row_key = RowKey(row_key)
        if isinstance(column_key, str):
            column_key = ColumnKey(column_key)
        row_index, column_index = self.get_row_index(row_key), self.get_column_index(column_key)
        self._data[row_key][column_key] = cell
        self._update_count += 1  # as stock does: the render caches are keyed on it
        region = self._cell_region(row_index, column_index)
        if region.area:
            self.refresh(region)

    def _cell_region(self, row_index: int, column_index: int) -> Region:
        """What to repaint for a cell: its row, from the table's left edge to the cell's end.

        Stock `refresh_coordinate` finds the row's y by summing the heights of every row above it;
        here every row is one line, so it is the row's index (under the header). Textual writes a
        widget's piece of a line from the widget's left edge whatever the region (it crops only
        the end), so starting the region there costs nothing and lets two cells of one row
        merge into one write instead of each rewriting the start of the row.
        """
        columns = self.ordered_columns
        end = sum(column.get_render_width(self) for column in columns[: column_index + 1])
        header = self.header_height if self.show_header else 0
        scroll_x, scroll_y = self.scroll_offset
        if column_index >= self.fixed_columns:
            end -= scroll_x
        row = Region(0, header + row_index - scroll_y, max(end, 0), 1)
        body = Region(0, header, self.size.width, max(self.size.height - header, 0))
        return row.intersection(body)

    def _put_in_order(self, order: Sequence[str]) -> None:
        """Stock `sort`, given the order: stock sorts every row by a key of its cells, which
        costs tens of milliseconds at 10,000 rows."""
        keys = {key.value: key for key in self.rows}  # the table's own keys: no new objects
        self._row_locations = TwoWayDict({keys[task_id]: i for i, task_id in enumerate(order)})
        self._update_count += 1  # the caller repaints what moved (`_repaint_moved`)

    def _drop_rows(self, task_ids: Sequence[str]) -> None:
        """Stock `remove_row` for many rows: stock renumbers every row for each one removed and
        repaints the whole table; here the rest are renumbered once, and the caller repaints
        only the rows that moved (`_repaint_moved`)."""
        gone = set(task_ids)
        ordered = self._row_locations
        kept = [
            key
            for key in map(ordered.get_key, range(len(self.rows)))
            if key is not None and key.value not in gone
        ]
        for key in [key for key in self.rows if key.value in gone]:
            del self.rows[key]
            del self._data[key]
        self._row_locations = TwoWayDict({key: i for i, key in enumerate(kept)})
        self._require_update_dimensions = True
        self._update_count += 1
        self.cursor_coordinate = self.cursor_coordinate  # as stock: kept inside the table
        self.check_idle()

    def _repaint_moved(self, drawn: Sequence[str], order: Sequence[str]) -> None:
        """Repaint the rows from the first whose task differs between what was drawn and what
        is shown now: rows above it are unchanged, and a change below the screen repaints
        nothing (stock repaints the whole table for any row added, removed or moved)."""
        first = next(
            (i for i, (a, b) in enumerate(zip(drawn, order, strict=False)) if a != b),
            min(len(drawn), len(order)),
        )
        if first == len(drawn) == len(order):
            return
        header = self.header_height if self.show_header else 0
        top = header + first - round(self.scroll_y)
        body = Region(0, header, self.size.width, max(self.size.height - header, 0))
        region = Region(0, top, self.size.width, max(self.size.height - top, 0))
        region = region.intersection(body) if top >= header else body
        if region.area:
            self.refresh(region)

    def _get_offsets(self, y: int) -> tuple[RowKey, int]:
        """Stock `_get_offsets` (the row drawn on line `y`, and the line within it), by index.

        Stock lists every line of every row (`_y_offsets`) anew after each change to a cell:
        at 10,000 rows, each repaint of one updated cell cost tens of milliseconds. Here every
        row is one line, so line `y` under the header is the row at index `y`.
        """
        if self.show_header:
            if y < self.header_height:
                return self._header_row_key, y
            y -= self.header_height
        row_key = self._row_locations.get_key(y)
        if row_key is None:
            raise LookupError(f"Y coord {y!r} is greater than total height")
        return row_key, 0

    def _get_row_region(self, row_index: int) -> Region:
        """Stock `_get_row_region` (where a row is drawn: the cursor's, to repaint it and to
        scroll to it), by index. Stock sums the heights of every row above it, listing the rows
        in order anew after any change (`ordered_rows`): a cursor far down a 10,000-row table,
        moved by a row coming above it, cost 10-20 ms. Every row here is one line."""
        if not self.is_valid_row_index(row_index):
            return Region(0, 0, 0, 0)
        width = sum(column.get_render_width(self) for column in self.columns.values())
        header = self.header_height if self.show_header else 0
        width += self._row_label_column_width
        return Region(0, header + row_index, max(self.size.width, width), 1)

    def _get_fixed_offset(self) -> Spacing:
        """Stock `_get_fixed_offset` (the room fixed rows and columns take; asked each time
        the cursor is scrolled into view), without listing every row in order for the heights
        of the fixed ones (`ordered_rows`, rebuilt after any change). Every row is one line."""
        top = self.header_height if self.show_header else 0
        top += min(self.fixed_rows, self.row_count)
        fixed = self.ordered_columns[: self.fixed_columns]
        left = sum(column.get_render_width(self) for column in fixed)
        return Spacing(top, 0, 0, left + self._row_label_column_width)

    @property
    def _total_row_height(self) -> int:
        """Stock counts `_y_offsets` (see `_get_offsets`); every row is one line."""
        return self.row_count

    def _append_rows(self, rows: Sequence[tuple[str, Row]]) -> None:
        """`add_row` for many rows at once, with its per-row overhead paid once.

        Stock `add_row` recomputes the column order twice and re-validates the cursor for
        every row: half a second for 10,000. This does what it does for height-1, unlabelled
        rows, then the once-per-call part (cursor, counters, idle check) a single time.
        """
        column_keys = [column.key for column in self.ordered_columns]
        locations, data, metadata = self._row_locations, self._data, self.rows
        was_empty = not metadata
        index = len(metadata)
        for task_id, cells in rows:
            row_key = RowKey(task_id)
            if row_key in locations:
                raise DuplicateKey(f"The row key {row_key!r} already exists.")
            locations[row_key] = index
            data[row_key] = dict(zip(column_keys, cells, strict=True))
            metadata[row_key] = DataRow(row_key, 1)
            index += 1
        self._require_update_dimensions = True
        self._update_count += 1
        self.cursor_coordinate = self.cursor_coordinate
        if was_empty and self.show_cursor and self.cursor_type != "none":
            self._highlight_cursor()
        self.check_idle()

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """Size the scroll area without measuring cells.

        Stock DataTable measures every cell of every new row to fit auto-width columns, even
        when all widths are declared: 10,000 rows cost seconds. Here every column has a width
        and every row is one line, so the virtual size follows from counts alone.
        """
        width = sum(column.get_render_width(self) for column in self.columns.values())
        header = self.header_height if self.show_header else 0
        size, before = Size(width, self.row_count + header), self.virtual_size
        if size == before:
            return
        height = self.size.height
        if not height or (size.height > height) != (before.height > height):
            self.virtual_size = size  # stock: lays out again (a scrollbar comes or goes)
            return
        # Rows came or went below a scrollbar that stays: only the scrollbar changes. Setting
        # `virtual_size` would lay out and repaint the whole table.
        self.set_reactive(Widget.virtual_size, size)
        self._scroll_update(size)
        if self.scroll_y > self.max_scroll_y:
            self.scroll_y = self.max_scroll_y

    # --- drawing (Textual 8.2.8 internals) ------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        """Stock `render_lines`, with what its lines share read once for all of them (`_Paint`).

        After a row came or went, every line on screen is drawn again (DataTable keys all its
        render caches on `_update_count`); stock reads the widget's style and a dozen settings
        and component styles for each line, most of them again for each cell.
        """
        self._paint = _Paint(self)
        try:
            return super().render_lines(crop)
        finally:
            self._paint = None

    def render_line(self, y: int) -> Strip:
        """Stock `render_line` (the header and fixed rows, then the rows scrolled to), with the
        widget's style (stock: `rich_style`, which walks up the DOM) read once per repaint."""
        paint = self._paint
        if paint is None:  # a line on its own (the compositor asks, for the mouse's offset)
            self._paint = _Paint(self)
            try:
                return self.render_line(y)
            finally:
                self._paint = None
        scroll_x, scroll_y = self.scroll_offset
        if y >= paint.fixed_height:
            y += scroll_y
        return self._render_line(y, scroll_x, scroll_x + paint.width, paint.base_style)

    def _render_line(self, y: int, x1: int, x2: int, base_style: Style) -> Strip:
        """Stock `_render_line`, drawing a body row's line itself: the same strip, same cache.

        Stock draws the row (`_render_line_in_row`: the fixed cells in the fixed style, then
        every cell, the fixed ones again, in the row's style, then blank to the widget's
        edge), crops the scrolled part from the left, then fits the line to the widget. Here
        (`_Paint.line`) cells that crop or fitting would drop entirely are not drawn, cells
        are drawn as `_render_cell` draws them with the row's styles looked up once, and the
        same crop and fit make the strip. `tests/test_task_board_paint.py` compares the two.

        The header, rows taller than one line, row labels, fixed rows and other cursor types
        go to stock.
        """
        paint = self._paint or _Paint(self)
        if not paint.direct:
            return super()._render_line(y, x1, x2, base_style)
        try:
            row_key, _ = self._get_offsets(y)
        except LookupError:
            return Strip.blank(paint.width, base_style)
        row = self.rows.get(row_key)
        if row is None or row.height != 1:  # the header, or a row of several lines
            return super()._render_line(y, x1, x2, base_style)
        cursor, hover = self.cursor_coordinate, self.hover_coordinate
        cache_key: LineCacheKey = (
            y,
            x1,
            x2,
            paint.width,
            cursor,
            hover,
            base_style,
            self.cursor_type,
            self._show_hover_cursor,
            self._update_count,
            self._pseudo_class_state,
        )
        strip = self._line_cache.get(cache_key)
        if strip is None:
            row_index = self._row_locations.get(row_key)
            assert row_index is not None
            # Stock's cursor and hover checks for a row cursor (`_should_highlight`).
            on_cursor, on_hover = cursor.row == row_index, hover.row == row_index
            strip = paint.line(row_key, row_index, x1, x2, base_style, on_cursor, on_hover)
            self._line_cache[cache_key] = strip
        return strip

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> SegmentLines:
        """Stock `_render_cell`, giving the same segments, without Rich's console for body cells.

        Stock renders each cell through `console.render_lines(Styled(Padding(cell, …), …))`:
        ~0.2 ms a cell, so repainting a 160x48 screen of rows took over 100 ms. A body cell here
        is a `Cell` on a one-line row, so the outcome is known and built directly, as stock's
        pipeline makes it (`tests/test_task_cells.py` compares the two, cell by cell):

        - `cell_padding` spaces, the text, spaces up to the column's width, `cell_padding` spaces;
        - a `Text` cell (no style: `Cell.__rich__`) longer than the column ends in "…"
          (`Text.truncate`); a `Content` cell (a theme style) is cut off with no ellipsis, as
          Rich crops the segments `Content.__rich__` gives (`Segment.adjust_line_length`);
        - every segment in `pre_style` (the row's style, the click meta, the cursor's), then the
          text's own style, then `post_style` (`Segment.apply_style`); the padding has none of
          its own. A `Content` style resolves theme variables through the running app, as
          `Content.render` does (`textual.style.Style.parse`).

        A header cell is drawn so too when its label is plain `Text` that fits (`_label_cell`).

        Same cache, same key as stock. Label cells, other labels, values that are not a `Cell`,
        text that Rich would change (`_RICH_CHANGES`) or that, cropped, Rich measures at other
        than the column's width, rows taller than one line and columns no wider than their
        padding go to stock (`_layout`).
        """
        header = row_index == -1
        row_key = self._header_row_key if header else self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        if row_key is None or column_key is None:  # a label (-1), or no cell
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        cache_key: CellCacheKey = (
            row_key,
            column_key,
            base_style,
            cursor,
            hover,
            self._show_hover_cursor,
            self._update_count,
            self._pseudo_class_state,
        )
        cached = self._cell_render_cache.get(cache_key)
        if cached is not None:
            return cached
        padding = self.cell_padding
        inner = width - 2 * padding
        if header:
            label = self._get_row_renderables(-1).cells[column_index]  # as stock reads it
            cell = _label_cell(label, self.header_height, inner)
        else:
            cell = self._data[row_key].get(column_key) if self.rows[row_key].height == 1 else None
        layout = _layout(cell, inner, self.app.console)
        if layout is None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        component_style, post_style = self._get_styles_to_render_cell(
            header,
            False,
            not header and (row_index < self.fixed_rows or column_index < self.fixed_columns),
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        blank, text_style = _cell_styles(
            base_style, component_style, post_style, row_index, column_index, layout.style
        )
        line: list[Segment] = []
        _draw_cell(line, layout, inner, " " * padding, blank, text_style)
        lines = [line]
        self._cell_render_cache[cache_key] = lines
        return lines


class _Paint:
    """What the lines of one repaint of a `TaskBoard` share, read once for all of them.

    Made by `TaskBoard.render_lines` for the lines it draws (or for a line drawn on its own),
    and dropped after: nothing in it outlives the repaint, so nothing in it goes stale. The
    styles are read on first use, as stock reads them while it draws.
    """

    def __init__(self, board: TaskBoard) -> None:
        self.board = board
        self.width = board.size.width
        columns = board.ordered_columns
        self.keys = [column.key for column in columns]
        self.widths = [column.get_render_width(board) for column in columns]
        self.fixed = min(board.fixed_columns, len(columns))
        self.fixed_width = sum(self.widths[: self.fixed])
        self.extend = max(0, self.width - sum(self.widths[self.fixed :]))
        """Blank after the last column, to the widget's edge, as stock pads a row (it counts
        the scrolled columns only, whatever the scroll; row labels are stock's)."""
        self.padding = board.cell_padding
        self.pad = " " * self.padding
        self.zebra = board.zebra_stripes
        self.flags = (
            board.show_cursor,
            board._show_hover_cursor,
            board.cursor_foreground_priority == "css",
            board.cursor_background_priority == "css",
        )
        """The settings stock's `_get_styles_to_render_cell` takes after a cell's own."""
        self.direct = (
            board.cursor_type == "row"
            and not board._should_render_row_labels
            and not board.fixed_rows
            and all(width - 2 * self.padding >= 1 for width in self.widths)
        )
        """Body lines are drawn by `line`: else stock draws every line."""
        # Stock `render_line`: lines above this one are not scrolled.
        fixed_rows = [board._row_locations.get_key(index) for index in range(board.fixed_rows)]
        self.fixed_height = sum(board.get_row_height(key) for key in fixed_rows if key is not None)
        if board.show_header:
            self.fixed_height += board.get_row_height(board._header_row_key)
        self._base_style: Style | None = None
        self._fixed_style: Style | None = None
        self._row_styles: dict[int, Style] = {}
        self._components: dict[tuple[bool, bool, bool], tuple[Style, Style]] = {}
        self._layouts: dict[tuple[Cell, int], _Layout | None] = {}

    @property
    def base_style(self) -> Style:
        """The widget's style, which stock `render_line` passes each line."""
        if self._base_style is None:
            self._base_style = self.board.rich_style
        return self._base_style

    @property
    def fixed_style(self) -> Style:
        """The base style of a body row's fixed cells (stock `_render_line_in_row`)."""
        if self._fixed_style is None:
            fixed = self.board.get_component_styles("datatable--fixed").rich_style
            self._fixed_style = fixed + Style.from_meta({"fixed": True})
        return self._fixed_style

    def row_style(self, row_index: int, base_style: Style) -> Style:
        """Stock `_get_row_style` for a body row (no fixed rows here): zebra stripes or not."""
        if not self.zebra:
            return base_style
        style = self._row_styles.get(row_index % 2)
        if style is None:
            style = self._row_styles[row_index % 2] = self.board._get_row_style(
                row_index, base_style
            )
        return style

    def components(self, fixed: bool, hover: bool, cursor: bool) -> tuple[Style, Style]:
        """Stock `_get_styles_to_render_cell` for a body cell: its cursor and hover styles."""
        key = (fixed, hover, cursor)
        styles = self._components.get(key)
        if styles is None:
            get_styles = self.board._get_styles_to_render_cell
            styles = self._components[key] = get_styles(False, False, *key, *self.flags)
        return styles

    def line(
        self,
        row_key: RowKey,
        row_index: int,
        x1: int,
        x2: int,
        base_style: Style,
        cursor: bool,
        hover: bool,
    ) -> Strip:
        """Stock `_render_line` of a one-line body row (`_render_line_in_row`, then the crop
        and the fit), drawing only the cells the crop and the fit would not drop entirely.

        Stock's scrollable part holds every column, the fixed ones too, from x=0, then blank
        to the widget's edge (`extend`); `line_crop` keeps it from `x1 + fixed_width`, and
        `Strip.adjust_cell_length` cuts the line at the widget's width. Every cell is exactly
        its column's width, so a cell ending at or before the crop is dropped segment by
        segment by `line_crop`: it is skipped, and the crop starts that much earlier. Past
        the first cell starting beyond where the fit cuts, the line is longer than the widget
        still, so the fit cuts it at the same segment, dropping what follows: not drawn.
        """
        board, widths, fixed = self.board, self.widths, self.fixed
        row_style = self.row_style(row_index, base_style)
        start = x1 + self.fixed_width
        cut = start + self.width - self.fixed_width  # where the fit cuts the scrollable part
        fixed_line: list[Segment] = []
        scrollable: list[Segment] = []
        # The cells to draw: (into which part, column, base style).
        cells = [(fixed_line, index, self.fixed_style) for index in range(fixed)]
        left = skipped = 0
        extend = False
        for index, width in enumerate(widths):
            if left + width <= start:
                skipped = left + width
            elif left > cut:
                break
            else:
                cells.append((scrollable, index, row_style))
            left += width
        else:  # and the blank after the last column, as a cell
            extend = left + self.extend > start and left <= cut

        # Each cell as `TaskBoard._render_cell` draws it, with what it reads looked up once.
        data = board._data[row_key]
        keys, layouts, pad = self.keys, self._layouts, self.pad
        inners = [width - 2 * self.padding for width in widths]
        components = (self.components(False, hover, cursor), self.components(True, hover, cursor))
        for part, index, cell_base in cells:
            cell = data.get(keys[index])
            inner = inners[index]
            if type(cell) is not Cell:
                layout = None
            else:
                layout = layouts.get((cell, inner), _UNSEEN)
                if layout is _UNSEEN:
                    layout = layouts[cell, inner] = _layout(cell, inner, board.app.console)
            if layout is None:  # as `_render_cell` does: stock draws it
                drawn = board._render_cell(
                    row_index, index, cell_base, widths[index], cursor, hover
                )
                part.extend(drawn[0])
                continue
            component_style, post_style = components[index < fixed]
            blank, text_style = _cell_styles(
                cell_base, component_style, post_style, row_index, index, layout.style
            )
            _draw_joined(part, layout, inner, pad, blank, text_style)

        if extend:  # the blank after the last column, as stock styles it for a row cursor
            component_style, _ = board._get_styles_to_render_cell(
                False, False, False, hover, cursor, *self.flags[:2], False, False
            )
            extend_style = _extend_style(row_style, component_style, row_index)
            scrollable.append(Segment(" " * self.extend, extend_style))
        segments = fixed_line + line_crop(
            scrollable, start - skipped, x2 - skipped, self.width - skipped
        )
        return Strip(segments).adjust_cell_length(self.width, base_style).simplify()


class _Layout(NamedTuple):
    """How a `Cell` fills its column, as stock draws it (`TaskBoard._render_cell`)."""

    text: str
    """The text shown: cropped, or ending in "…", to fit."""
    length: int
    """Its width in cells."""
    style: Style | None
    """Its own style, drawn over the row's and under the cursor's."""
    segment: bool
    """Whether stock gives it a segment: an empty flashing `Text` has none."""
    narrow: bool
    """Every character of it is one cell wide: Rich splits it anywhere as it would split it
    joined to the padding (`_draw_joined`). Not so for wide and zero-width characters."""


def _label_cell(label: object, height: int, inner: int) -> Cell | None:
    """A column's label as the `Cell` that stock draws alike: plain `Text` (as `TaskBoard`
    makes labels) that fits its column, in a header one line high, which Rich then does not
    wrap, cut, justify or style. None: stock draws it (an empty label too: stock gives its
    text no segment, as it ends in a newline, unlike a `Cell`)."""
    if type(label) is not Text or height != 1 or not 0 < cell_len(label.plain) <= inner:
        return None
    if label.spans or label.style or label.justify is not None:
        return None
    return Cell(label.plain)


def _layout(cell: object, inner: int, console: Console) -> _Layout | None:
    """How `cell` fills a column `inner` cells wide (padding aside), as stock draws it; None
    when stock must draw it (see `TaskBoard._render_cell`). `console`: the app's."""
    if type(cell) is not Cell:
        return None
    fitted = _fit(cell.text, inner, bool(cell.style))
    if fitted is None:
        return None
    text, length, narrow = fitted
    own_style: Style | None
    if cell.style:  # `Content`
        style = f"{cell.style} {FLASH_STYLE}" if cell.flash else cell.style
        own_style = _content_style(style) if text else None  # "": no span, no style
    elif cell.flash:  # `Text`
        own_style = console.get_style(FLASH_STYLE, default=Style.null())
    else:
        own_style = None
    # Stock's empty text yields one empty segment, but an empty flashing `Text` none: its
    # style becomes a zero-length span, which renders nothing.
    segment = bool(text or not cell.flash or cell.style)
    return _Layout(text, length, own_style, segment, narrow)


@lru_cache(maxsize=8192)
def _fit(text: str, inner: int, content: bool) -> tuple[str, int, bool] | None:
    """A cell's text as shown in a column `inner` cells wide (padding aside), its width, and
    whether every character of it is one cell wide (`_Layout.narrow`); None when stock must
    draw it. `content`: the cell is a `Content` (it has a style).

    Kept, as a repaint after rows came or went draws the same texts again (themes play no
    part here); cutting a long title to its column costs more than the rest of its cell."""
    if inner < 1 or _RICH_CHANGES.search(text):
        return None
    length = cell_len(text)
    if length > inner:
        # A `Content` is cropped; a `Text` (overflow="ellipsis") ends in "…".
        text = set_cell_size(text, inner) if content else set_cell_size(text, inner - 1) + "…"
        length = cell_len(text)
        if length != inner:
            # Rich measures some text (a zero-width joiner first) one way when it crops and
            # another when it pads; stock then pads or crops again.
            return None
    return text, length, text.isascii() or all(cell_len(character) == 1 for character in text)


def _draw_cell(
    line: list[Segment], layout: _Layout, inner: int, pad: str, blank: Style, text_style: Style
) -> None:
    """Add a cell's segments to `line`: padding, text, blank to the column's width, padding."""
    if pad:
        line.append(Segment(pad, blank))
    if layout.segment:
        line.append(Segment(layout.text, text_style))
    if layout.length < inner:
        line.append(Segment(" " * (inner - layout.length), blank))
    if pad:
        line.append(Segment(pad, blank))


def _draw_joined(
    line: list[Segment], layout: _Layout, inner: int, pad: str, blank: Style, text_style: Style
) -> None:
    """`_draw_cell`, with neighbouring segments of equal styles joined as `Segment.simplify`
    joins them: a line is simplified in the end, and fewer segments crop, fit and simplify
    faster. The text stands apart only in a style of its own, or when it holds characters
    not one cell wide (see `_Layout.narrow`)."""
    if not layout.narrow:
        # Rich splits wide and zero-width characters one way alone, another joined.
        _draw_cell(line, layout, inner, pad, blank, text_style)
        return
    fill = " " * (inner - layout.length)
    if not layout.segment or text_style is blank or text_style == blank:
        line.append(Segment(f"{pad}{layout.text}{fill}{pad}", blank))
        return
    if pad:
        line.append(Segment(pad, blank))
    line.append(Segment(layout.text, text_style))
    if fill or pad:
        line.append(Segment(fill + pad, blank))


@lru_cache(maxsize=4096)
def _cell_styles(
    base_style: Style,
    component_style: Style,
    post_style: Style,
    row_index: int,
    column_index: int,
    own_style: Style | None,
) -> tuple[Style, Style]:
    """The styles of a body cell's padding and of its text, as stock `_render_cell` makes them
    (`Styled` applies `pre_style` under the cell's own style, `post_style` over it).

    Kept, as adding styles with meta is most of what a cell costs now: a repaint after rows
    were reordered, added or removed draws the same coordinates in the same styles again."""
    pre_style = (
        base_style + Style.from_meta({"row": row_index, "column": column_index})
    ) + component_style
    blank = pre_style + post_style if post_style else pre_style
    text_style = pre_style + own_style if own_style is not None else pre_style
    if post_style:
        text_style += post_style
    return blank, text_style


@lru_cache(maxsize=1024)
def _extend_style(row_style: Style, component_style: Style, row_index: int) -> Style:
    """The style of the blank after a row's last column, as stock `_render_line_in_row` makes
    it for a row cursor (kept, as `_cell_styles`)."""
    meta = Style.from_meta({"row": row_index, "column": 0, "out_of_bounds": True})
    return row_style + component_style + meta


_UNSEEN = _Layout("", 0, None, False, False)
"""A cell not laid out yet in this repaint (`_Paint.line`)."""

_RICH_CHANGES = re.compile(r"[\x00-\x1f\x7f-\x9f]")
"""Characters `TaskBoard._render_cell` leaves to stock: Rich splits lines at newlines, expands
tabs and drops some control codes (`Text`, `Content`); other text (wide, combining, zero-width
characters included) it only measures and crops (`cell_len`, `set_cell_size`), as the fast path
does. The plan's text has its control characters replaced already (`model.text`)."""


def _content_style(style: str) -> Style | None:
    """The Rich style of the text of `Content.styled(text, style)` as `Content.__rich__` renders
    it (`Content.render` with no `parse_style`: theme variables come from the running app)."""
    try:
        visual = VisualStyle.parse(style)
    except Exception:  # as `Content.render`: a style that does not parse is no style
        return None
    return visual.rich_style if visual else None


def _changed_columns(shown: Row, row: Row) -> list[str]:
    """The keys of the columns whose cells differ between two rows of one task."""
    return [
        key for key, before, after in zip(COLUMN_KEYS, shown, row, strict=True) if before != after
    ]
