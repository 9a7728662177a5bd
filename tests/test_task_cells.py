"""`TaskBoard._render_cell` draws body cells without Rich's console: exactly as stock does.

Stock `DataTable._render_cell` (called explicitly, as the reference) and the override must give
equal segments, text and style (meta included: clicks find their cell through it), for every
kind of cell the board shows, in every column, under the cursor or not, in a dark and a light
theme. This is what catches a Textual or Rich upgrade that changes how stock draws a cell.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.content import Content
from textual.coordinate import Coordinate
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from cutover_tui.app import CutoverApp, DashboardOptions
from cutover_tui.clock import FixedClock
from cutover_tui.model import Plan, load_path, validate
from cutover_tui.screens.task_detail import TaskDetailModal
from cutover_tui.widgets.task_board import (
    COLUMN_KEYS,
    CRITICAL_CELL,
    LATE_CELL,
    STATUS_CELLS,
    Cell,
    TaskBoard,
)

AT_15 = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
THEMES = ["command-centre", "command-centre-light"]

# Every kind of cell the board draws, and the text a plan may hold (control characters are
# replaced when a plan is loaded, but a cell must not break if one gets through).
VARIETY: list[Cell] = [
    Cell("plain text"),
    Cell(""),
    Cell("", flash=True),
    Cell("", "bold"),
    Cell("", "bold", flash=True),
    Cell("T-0042", "bold"),
    Cell("T-0042", "bold", flash=True),
    LATE_CELL,
    LATE_CELL._replace(flash=True),
    CRITICAL_CELL,
    *STATUS_CELLS.values(),
    Cell("changed", flash=True),
    Cell("A title far too long for any column of this table, so that it ends in an ellipsis"),
    Cell("A styled title far too long for its column, which is cut off", "$status-done"),
    Cell(
        "A long flashing title, far too long for its column, as a snapshot changed it", flash=True
    ),
    Cell("漢字のタイトル、漢字のタイトル、漢字のタイトル、漢字のタイトル"),
    Cell("漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字", "bold $status-late"),
    Cell("漢字 odd widths 漢字"),
    Cell("Emoji 🚀🔥👍🏽 and more 🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀"),
    Cell("🚀" * 30, "bold $accent", flash=True),
    Cell("e\u0301 combining, \uff21 fullwidth, ｱ halfwidth"),
    Cell("no\u00a0break\u200bzero width 👨\u200d👩\u200d👧 family"),
    Cell("[red]DONE[/] [@click=app.quit]x[/] [b]markup"),
    Cell("  spaces around  "),
    Cell("…"),
    Cell("x", "a style that does not parse $nope"),
    Cell("tab\there"),
    Cell("line\nbreak", "bold"),
    Cell("escape \x1b[31m red"),
    Cell("\u200dzero-width joiner first 漢字漢字漢字漢字漢字漢字漢字漢字漢字"),
]
PRINTABLE_VARIETY = [cell for cell in VARIETY if cell.text.isprintable()]


def plan(tasks: int) -> Plan:
    start = AT_15 - timedelta(hours=3)
    return validate(
        {
            "schema_version": 1,
            "plan": {
                "id": "cells",
                "title": "Cells",
                "timezone": "Europe/London",
                "final_data_production": "2026-12-04T17:00:00Z",
            },
            "tasks": [
                {
                    "id": f"T{index:02}",
                    "title": f"Task number {index}",
                    "phase": "cutover",
                    "owner": "Alice",
                    "planned_start": (start + timedelta(minutes=10 * index)).isoformat(),
                    "duration": "30m",
                }
                for index in range(tasks)
            ],
        },
        "test",
    )


def make_app(theme: str, tasks: int = 12) -> CutoverApp:
    shown = plan(tasks)
    return CutoverApp(
        "test.toml", load_path, FixedClock(AT_15), DashboardOptions(theme=theme), initial=shown
    )


def show_variety(board: TaskBoard) -> None:
    """One row per cell of `VARIETY`, each cell in every column in turn (so every width)."""
    count, columns = len(VARIETY), len(COLUMN_KEYS)
    rows = [
        (f"V{row:02}", tuple(VARIETY[(row + column) % count] for column in range(columns)))
        for row in range(count)
    ]
    board.show_rows(rows)


@contextmanager
def stock_calls() -> Iterator[list[tuple[int, int]]]:
    """Record every call of stock `DataTable._render_cell` (the override's fallback)."""
    calls: list[tuple[int, int]] = []
    stock = DataTable._render_cell

    def recording(self: DataTable[Any], row_index: int, column_index: int, *args: Any) -> Any:
        calls.append((row_index, column_index))
        return stock(self, row_index, column_index, *args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DataTable, "_render_cell", recording)
        yield calls


def base_styles(board: TaskBoard, row_index: int) -> list[Style]:
    """The base styles stock `_render_line_in_row` gives cells: the row's, the fixed columns'."""
    fixed = board.get_component_styles("datatable--fixed").rich_style
    return [
        board._get_row_style(row_index, board.rich_style),
        fixed + Style.from_meta({"fixed": True}),
        Style(),
    ]


def compare_every_cell(board: TaskBoard) -> int:
    """Compare the override with stock for every cell, base style, cursor and hover; the number
    of cells the override drew itself."""
    fast = 0
    widths = [column.get_render_width(board) for column in board.ordered_columns]
    for row_index in range(board.row_count):
        for base in base_styles(board, row_index):
            for column_index, width in enumerate(widths):
                for cursor, hover in ((False, False), (True, False), (False, True), (True, True)):
                    args = (row_index, column_index, base, width, cursor, hover)
                    board._show_hover_cursor = hover  # else stock draws no hover
                    board._cell_render_cache.clear()
                    expected = DataTable._render_cell(board, *args)
                    board._cell_render_cache.clear()
                    with stock_calls() as calls:
                        got = board._render_cell(*args)
                    assert got == expected, (board.get_row_at(row_index)[column_index], args)
                    assert _with_meta(got) == _with_meta(expected)
                    assert got[0][0].style is not None
                    assert got[0][0].style.meta["row"] == row_index
                    assert got[0][0].style.meta["column"] == column_index
                    if not calls:
                        fast += 1
                        assert board._render_cell(*args) is got  # kept in stock's cache
    return fast


def _with_meta(lines: list[list[Segment]]) -> list[list[tuple[str, dict[str, Any]]]]:
    """The text and meta of each segment (`Style.__eq__` compares hashes; this says more)."""
    return [
        [(segment.text, dict(segment.style.meta if segment.style else {})) for segment in line]
        for line in lines
    ]


@asynccontextmanager
async def opened_board(
    theme: str, *, variety: bool = False
) -> AsyncIterator[tuple[CutoverApp, Pilot[None], TaskBoard]]:
    """The app on its Tasks screen, headless at 160x48; `variety`: rows of every kind of cell."""
    app = make_app(theme)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        board = app.screen.query_one(TaskBoard)
        if variety:
            show_variety(board)
        yield app, pilot, board


@pytest.mark.parametrize("theme", THEMES)
async def test_every_kind_of_cell_is_drawn_as_stock_draws_it(theme: str) -> None:
    async with opened_board(theme, variety=True) as (_app, _pilot, board):
        cells = board.row_count * len(COLUMN_KEYS) * 3 * 4
        fast = compare_every_cell(board)
        # What is compared must be the override's own drawing: only odd text goes to stock.
        assert fast >= cells * len(PRINTABLE_VARIETY) // len(VARIETY)


@pytest.mark.parametrize("padding", [0, 2])
async def test_other_cell_paddings_are_drawn_as_stock_draws_them(padding: int) -> None:
    async with opened_board(THEMES[0], variety=True) as (_app, pilot, board):
        board.cell_padding = padding
        await pilot.pause()
        assert compare_every_cell(board) > 0


@pytest.mark.parametrize("theme", THEMES)
async def test_the_painted_table_is_the_same(theme: str) -> None:
    """Whole lines, as the screen draws them, with the override and with stock only."""
    async with opened_board(theme, variety=True) as (_app, pilot, board):
        board.move_cursor(row=3, animate=False)
        await pilot.hover(TaskBoard, offset=(30, 6))
        await pilot.pause()

        def paint() -> list[list[Segment]]:
            board._clear_caches()
            return [list(board.render_line(y)) for y in range(board.size.height)]

        with stock_calls() as calls:
            painted = paint()
        # Stock draws body cells only for odd text (tabs, newlines, escapes), and no header.
        assert all(row >= 0 for row, _ in calls)
        assert all(not board.get_row_at(row)[column].text.isprintable() for row, column in calls)
        assert len(calls) < board.row_count * len(COLUMN_KEYS) // 4
        with pytest.MonkeyPatch.context() as patch:  # stock all the way (lines too)
            for name in ("render_line", "_render_line", "_render_cell"):
                patch.setattr(TaskBoard, name, getattr(DataTable, name))
            expected = paint()
        assert painted == expected
        assert _with_meta(painted) == _with_meta(expected)


LABELS: list[Text | str] = [
    Text("Start BST"),
    Text(""),
    Text("漢字"),
    Text("A label far too long for its column"),  # stock folds it: left to stock
    Text("Styled", style="bold"),  # left to stock, as any label Rich styles
    Text.from_markup("[b]Marked[/b] up"),
    Text("Right", justify="right"),
    Text("tab\there"),
    "a str",
]


@pytest.mark.parametrize("theme", THEMES)
async def test_header_cells_are_drawn_as_stock_draws_them(theme: str) -> None:
    async with opened_board(theme) as (_app, _pilot, board):
        header = board.get_component_styles("datatable--header").rich_style
        columns = board.ordered_columns
        fast = 0
        for labels in (None, LABELS):
            if labels is not None:  # the board's own labels first, then odd ones
                for column, label in zip(columns, labels, strict=False):
                    column.label = label  # type: ignore[assignment]
                board._clear_caches()  # as `add_column` would (`_update_count`)
            for column_index, column in enumerate(columns):
                width = column.get_render_width(board)
                for cursor, hover in ((False, False), (False, True), (True, True)):
                    args = (-1, column_index, header, width, cursor, hover)
                    board._show_hover_cursor = hover
                    board._cell_render_cache.clear()
                    expected = DataTable._render_cell(board, *args)
                    board._cell_render_cache.clear()
                    with stock_calls() as calls:
                        got = board._render_cell(*args)
                    assert got == expected, (column.label, args)
                    assert _with_meta(got) == _with_meta(expected)
                    fast += not calls
        # The board's labels, and plain ones that fit, are drawn without stock.
        assert fast >= (len(columns) + 3) * 3


async def test_theme_change_redraws_styled_cells_in_the_new_theme() -> None:
    async with opened_board(THEMES[0], variety=True) as (app, pilot, board):
        width = board.ordered_columns[3].get_render_width(board)
        row = (VARIETY.index(LATE_CELL) - 3) % len(VARIETY)  # LATE_CELL in column 3
        before = board._render_cell(row, 3, Style(), width)
        app.theme = THEMES[1]
        await pilot.pause()
        after = board._render_cell(row, 3, Style(), width)
        assert after != before
        board._cell_render_cache.clear()
        assert after == DataTable._render_cell(board, row, 3, Style(), width)


async def test_clicking_a_cell_selects_its_row_and_a_second_click_opens_the_task() -> None:
    async with opened_board(THEMES[0]) as (app, pilot, board):
        header = board.header_height
        title_x = sum(column.get_render_width(board) for column in board.ordered_columns[:2]) + 3
        assert await pilot.click(TaskBoard, offset=(title_x, header + 4))
        await pilot.pause()
        assert board.cursor_coordinate == Coordinate(4, 2)
        assert board.cursor_task_id == board.shown_ids[4]
        assert await pilot.click(TaskBoard, offset=(1, header + 6))  # a fixed column
        await pilot.pause()
        assert board.cursor_coordinate == Coordinate(6, 0)
        assert await pilot.click(TaskBoard, offset=(1, header + 6))
        await pilot.pause()
        assert isinstance(app.screen, TaskDetailModal)
        detail = app.screen.query_one("#task-detail-text", Static).render()
        assert isinstance(detail, Content)
        assert board.shown_ids[6] in detail.plain
