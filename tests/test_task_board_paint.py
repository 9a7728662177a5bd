"""`TaskBoard` draws whole lines itself (`_render_line`, `render_line`, `render_lines`): exactly
as stock DataTable does.

The reference is stock all the way down: `DataTable._render_line` (its `_render_line_in_row`,
crop and fit), `DataTable.render_line` and `DataTable._render_cell`, called on the same board.
Lines must have equal segments, text and style, meta included (clicks and hover find their
cell through it), in a dark and a light theme, for every kind of cell the board shows
(`test_task_cells.VARIETY`, flashing ones too), for the header, the cursor's row, the hovered
row, zebra stripes or none, the fixed columns, scrolled sideways to every offset, a widget
narrower and wider than the table, other cell paddings, and cells flashing after a snapshot.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

from cutover_tui.app import CutoverApp
from cutover_tui.widgets.task_board import COLUMN_KEYS, Cell, TaskBoard
from test_task_cells import (
    THEMES,
    VARIETY,
    _with_meta,
    make_app,
    show_variety,
)

DRAWING = ("render_lines", "render_line", "_render_line", "_render_cell")
"""The board's overrides that draw."""
OWN = {name: vars(TaskBoard)[name] for name in DRAWING}


@contextmanager
def stock() -> Iterator[list[int]]:
    """Stock DataTable drawing in place of the board's own, for lines and cells; yields the
    rows stock `_render_line_in_row` drew (by index, the header -1)."""
    rows: list[int] = []
    in_row = DataTable._render_line_in_row

    def recording(self: DataTable[Any], row_key: Any, *args: Any, **kwargs: Any) -> Any:
        row = self._row_locations.get(row_key)
        rows.append(-1 if row is None else row)
        return in_row(self, row_key, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        for name in DRAWING:
            patch.setattr(TaskBoard, name, getattr(DataTable, name))
        patch.setattr(DataTable, "_render_line_in_row", recording)
        yield rows


@contextmanager
def drawn_in_rows() -> Iterator[list[int]]:
    """The rows the board leaves to stock `_render_line_in_row` (by index, the header -1)."""
    with stock() as rows, pytest.MonkeyPatch.context() as patch:
        for name in DRAWING:
            patch.setattr(TaskBoard, name, OWN[name])
        yield rows


def fresh(board: TaskBoard) -> None:
    """Forget every line and cell drawn, as a row coming or going does (`_update_count`)."""
    board._update_count += 1
    board._clear_caches()
    board._styles_cache.clear()


def paint(board: TaskBoard) -> list[Strip]:
    """The whole widget, as the compositor asks for it after a refresh."""
    fresh(board)
    return board.render_lines(Region(0, 0, *board.size))


def assert_same(got: list[Strip], expected: list[Strip], where: object = "") -> None:
    assert len(got) == len(expected)
    for y, (line, stock_line) in enumerate(zip(got, expected, strict=True)):
        assert list(line) == list(stock_line), (where, y)
        assert _with_meta([list(line)]) == _with_meta([list(stock_line)]), (where, y)
        assert line.cell_length == stock_line.cell_length, (where, y)


def compare_paint(board: TaskBoard, where: object = "", *, own: bool = True) -> list[Strip]:
    """The board's repaint against stock's: the whole widget, then each line on its own.
    `own`: the board draws every body line itself (else stock does)."""
    with drawn_in_rows() as rows:
        got = paint(board)
    if own:  # what is compared is the board's own drawing
        assert rows == [-1], rows
    else:
        assert len(rows) == min(board.size.height, board.row_count + 1), rows
    with stock():
        expected = paint(board)
    assert_same(got, expected, where)
    fresh(board)
    alone = [board.render_line(y) for y in range(board.size.height)]  # no repaint under way
    with stock():
        fresh(board)
        expected_alone = [board.render_line(y) for y in range(board.size.height)]
    assert_same(alone, expected_alone, (where, "line by line"))
    return got


def compare_offsets(board: TaskBoard, where: object = "") -> int:
    """`_render_line` against stock's for every line, scrolled sideways to every offset (and
    past the table's end), and some crops narrower than the widget; the offsets compared."""
    width, height = board.size
    base = board.rich_style
    table = sum(column.get_render_width(board) for column in board.ordered_columns)
    offsets = range(table - width + 8) if table > width else range(8)
    crops = [(x1, x1 + width) for x1 in offsets]
    # Narrower crops (stock's `render_line` never asks for them), short of the fixed columns'
    # end: stock fails there (`line_crop` is asked to end before it starts).
    fixed = sum(
        column.get_render_width(board) for column in board.ordered_columns[: board.fixed_columns]
    )
    crops += [
        (x1, x1 + width - cut)
        for x1 in (0, 5, 17)
        for cut in (1, 9, width // 2)
        if width - cut >= fixed
    ]
    for x1, x2 in crops:
        fresh(board)
        got = [board._render_line(y, x1, x2, base) for y in range(height)]
        with stock():
            fresh(board)
            expected = [DataTable._render_line(board, y, x1, x2, base) for y in range(height)]
        assert_same(got, expected, (where, x1, x2))
    return len(crops)


async def open_board(app: CutoverApp, pilot: Any) -> TaskBoard:
    await pilot.press("2")
    await pilot.pause()
    board = app.screen.query_one(TaskBoard)
    show_variety(board)
    board.move_cursor(row=3, animate=False)
    await pilot.pause()
    return board


def hover(board: TaskBoard, row: int, shown: bool = True) -> None:
    """The mouse over a cell of `row` (-1: the header), as `_on_mouse_move` puts it."""
    board.hover_coordinate = Coordinate(row, 2)
    board._show_hover_cursor = shown


@pytest.mark.parametrize("theme", THEMES)
async def test_every_line_is_drawn_as_stock_draws_it(theme: str) -> None:
    app = make_app(theme)
    async with app.run_test(size=(160, 48)) as pilot:
        board = await open_board(app, pilot)
        assert board.fixed_columns == 2
        assert board.zebra_stripes
        assert board.virtual_size.width > board.size.width  # the table scrolls sideways
        got = compare_paint(board, "cursor")
        # What was compared holds what it should: the cursor's row differs from the others.
        assert board.cursor_row == 3
        assert got[4] != got[5]
        hover(board, 6)
        compare_paint(board, "hover")
        hover(board, 3)
        compare_paint(board, "hover on the cursor")
        hover(board, -1)
        compare_paint(board, "hover on the header")
        hover(board, 6, shown=False)
        compare_paint(board, "hover not shown")
        board.zebra_stripes = False
        await pilot.pause()
        compare_paint(board, "no zebra stripes")


@pytest.mark.parametrize("theme", THEMES)
async def test_lines_scrolled_sideways_are_drawn_as_stock_draws_them(theme: str) -> None:
    app = make_app(theme)
    async with app.run_test(size=(160, 48)) as pilot:
        board = await open_board(app, pilot)
        hover(board, 6)
        assert compare_offsets(board) > 20
        # As the screen scrolls it, through `render_line`.
        assert board.max_scroll_x > 5
        board.scroll_to(x=5, animate=False, immediate=True)
        await pilot.pause()
        assert board.scroll_offset.x == 5
        compare_paint(board, "scrolled")
        board.scroll_to(x=board.max_scroll_x, animate=False, immediate=True)
        await pilot.pause()
        compare_paint(board, "scrolled to the end")


@pytest.mark.parametrize(
    ("size", "fixed"), [((80, 20), 2), ((240, 20), 2), ((240, 20), 0), ((160, 20), 20)]
)
async def test_narrow_and_wide_widgets_and_fixed_columns(size: tuple[int, int], fixed: int) -> None:
    """Narrow: most columns are off screen. Wide: the table ends before the widget does, and
    the rest of the row is blank in the row's style (and the cursor's, on its row). More
    fixed columns than there are: all fixed."""
    app = make_app(THEMES[0])
    async with app.run_test(size=size) as pilot:
        board = await open_board(app, pilot)
        board.fixed_columns = fixed
        if size[0] > 200:  # the title takes what the others leave: narrower, as a user may
            board.columns[ColumnKey("title")].width = 20
            board._update_dimensions(())
            board.notify_style_update()
        await pilot.pause()
        hover(board, 5)
        got = compare_paint(board, (size, fixed))
        compare_offsets(board, (size, fixed))
        if size[0] > 200:
            assert board.virtual_size.width < board.size.width - 8
            cursor, other = list(got[4]), list(got[5])  # the cursor's row, and the next
            assert cursor[-1].text.isspace()
            assert len(cursor[-1].text) >= 8
            assert cursor[-1].style != other[-1].style  # the blank is in the cursor's style
            assert cursor[-1].style is not None
            assert cursor[-1].style.meta == {"row": 3, "column": 0, "out_of_bounds": True}


@pytest.mark.parametrize("padding", [0, 2])
async def test_other_cell_paddings(padding: int) -> None:
    app = make_app(THEMES[1])
    async with app.run_test(size=(160, 48)) as pilot:
        board = await open_board(app, pilot)
        board.cell_padding = padding
        await pilot.pause()
        hover(board, 7)
        compare_paint(board, padding)
        compare_offsets(board, padding)


async def test_cells_flashing_after_a_snapshot() -> None:
    """Cells a snapshot changed, and new rows' ids, flash (`Cell.flash`), as the board draws
    them for `show_rows(flash=True)`; and values the board does not make go to stock."""
    app = make_app(THEMES[0])
    async with app.run_test(size=(160, 48)) as pilot:
        board = await open_board(app, pilot)
        shown = dict(board.shown_rows)
        changed = dict(shown)
        for task_id in list(shown)[1:9:2]:
            row = list(shown[task_id])
            row[2] = Cell(f"{row[2].text} changed")
            row[3] = Cell("BLOCKED", "bold $status-blocked")
            changed[task_id] = tuple(row)
        order = list(changed)
        order.insert(4, "NEW")
        changed["NEW"] = tuple(Cell(f"new {key}") for key in COLUMN_KEYS)
        board.show_rows([(task_id, changed[task_id]) for task_id in order], flash=True)
        await pilot.pause()
        assert len(board.flashing_cells) == 5
        flashing = [cell for row in board._data.values() for cell in row.values() if cell.flash]
        assert len(flashing) >= 5 * 2
        board.update_cell("NEW", "owner", "a str, not a Cell")  # type: ignore[arg-type]
        await pilot.pause()
        hover(board, 2)
        compare_paint(board, "flashing")
        compare_offsets(board, "flashing")


async def test_a_row_added_then_removed_repaints_as_stock() -> None:
    """What the board exists for: after a row comes or goes (every render cache invalid),
    the lines repainted are stock's; and they are kept in stock's line cache, under stock's
    keys (stock finds them there)."""
    app = make_app(THEMES[1], tasks=60)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        board = app.screen.query_one(TaskBoard)
        board.move_cursor(row=8, animate=False)
        hover(board, 10)
        shown = dict(board.shown_rows)
        order = list(shown)
        order.insert(2, "EXTRA")
        board.show_changes(order, {**shown, "EXTRA": tuple(VARIETY[:13])}, ["EXTRA"], ())
        compare_paint(board, "added")
        board.show_changes(list(shown), shown, (), ["EXTRA"])
        compare_paint(board, "removed")
        fresh(board)
        lines = [board.render_line(y) for y in range(board.size.height)]
        with stock():
            assert all(DataTable.render_line(board, y) is line for y, line in enumerate(lines))


async def test_other_cursor_types_are_left_to_stock() -> None:
    app = make_app(THEMES[0])
    async with app.run_test(size=(160, 48)) as pilot:
        board = await open_board(app, pilot)
        for cursor_type in ("cell", "column", "none"):
            board.cursor_type = cursor_type  # type: ignore[assignment]
            await pilot.pause()
            compare_paint(board, cursor_type, own=False)
        board.cursor_type = "row"
        board.show_cursor = False
        await pilot.pause()
        compare_paint(board, "cursor hidden")
