"""Repainting the Tasks table's visible rows after a row was added or removed.

    python bench/bench_board_paint.py [--tasks 10000] [--repeat 20] [--profile] [--no-freeze]

A generated JSON plan (`bench/make_plan.py`, seed 1) is shown headless on the Tasks screen
(`App.run_test`, 160x48). Then, `--repeat` times, a row comes in near the top of the table, or
goes again, through the board's own `show_changes` (as a live snapshot that adds or removes a
task does): DataTable keys every render cache on its `_update_count`, which that bumps, so
the next repaint draws every visible line from scratch. Timed: that repaint alone,
`board.render_lines` over the whole widget, header included (what the compositor asks of it
after a refresh of the widget), with the widget's own line cache (`_styles_cache`) cleared as
the refresh does. Reported, best / median / max milliseconds, for the cursor on a row out of
view, on a visible row, and the mouse over a visible row (the hover cursor):

- **repaint**: all of `render_lines`;
- **lines**: the part of it in the board's `render_line` (DataTable's drawing of the lines);
  the rest is Textual's, for any widget (`StylesCache`, the app's line filters).

Start-up objects are frozen out of the garbage collector's reach first, as a real run does
(`CutoverApp.freeze_startup`; `--no-freeze` leaves them). `--profile` adds a cProfile of one
repaint per case, the top functions by own time.

Figures, not a test: the machine may be busy, so compare best and median.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).parent))

from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.strip import Strip

from bench_tasks_apply import load
from cutover_tui.app import CutoverApp
from cutover_tui.clock import FixedClock
from cutover_tui.widgets.task_board import Cell, TaskBoard
from make_plan import DEFAULT_NOW, make_plan, render


class Case(NamedTuple):
    label: str
    cursor: int
    """The cursor's row."""
    top: int = 0
    """The first row in view."""
    hover: int | None = None
    """The row under the mouse, if any."""


CASES = (
    # The row that comes and goes is the table's second: above the view, the cursor stays on
    # the first (no scrolling to it); in view, the cursor follows its task down and back.
    Case("cursor out of view", 0, top=5_000),
    Case("cursor on a visible row", 5),
    Case("cursor and hover on visible rows", 5, hover=9),
)
EXTRA = "ZZ-BENCH"
"""The id of the row that comes and goes."""


def toggle_row(board: TaskBoard) -> None:
    """Add a row as the table's second, or remove it again: a structural change, through the
    board's public method, as the Tasks screen makes it for a task added or removed."""
    shown = board.shown_rows
    if EXTRA in shown:
        order = [task_id for task_id in shown if task_id != EXTRA]
        board.show_changes(order, dict(shown), (), [EXTRA])
    else:
        first = next(iter(shown.values()))
        rows = {**shown, EXTRA: (first[0], Cell(EXTRA, "bold"), *first[2:])}
        order = [*shown]
        order.insert(1, EXTRA)
        board.show_changes(order, rows, [EXTRA], ())


def repaint(board: TaskBoard) -> list[Strip]:
    """What the compositor asks of the board after a refresh of the whole widget."""
    board._styles_cache.clear()
    width, height = board.size
    return board.render_lines(Region(0, 0, width, height))


def timed_repaint(board: TaskBoard) -> tuple[float, float]:
    """Milliseconds in `repaint`, and in the board's `render_line` within it."""
    spent = 0.0
    render_line = board.render_line

    def timed(y: int) -> Strip:
        nonlocal spent
        start = time.perf_counter()
        try:
            return render_line(y)
        finally:
            spent += time.perf_counter() - start

    board.render_line = timed  # type: ignore[method-assign]  # what `StylesCache` calls
    try:
        start = time.perf_counter()
        repaint(board)
        return (time.perf_counter() - start) * 1000, spent * 1000
    finally:
        del board.render_line


async def place(board: TaskBoard, case: Case) -> None:
    """The view, the cursor and the hover cursor where `case` puts them."""
    board.move_cursor(row=case.cursor, animate=False)
    await asyncio.sleep(0.1)
    board.scroll_to(0, case.top, animate=False, immediate=True)
    if case.hover is None:
        board.hover_coordinate = Coordinate(0, 0)
        board._set_hover_cursor(False)
    else:
        board.hover_coordinate = Coordinate(case.hover, 2)
        board._set_hover_cursor(True)
    await asyncio.sleep(0.1)
    check_view(board, case)


def check_view(board: TaskBoard, case: Case) -> None:
    """The view shows what `case` says: the cursor in it or not."""
    assert board.scroll_offset == (0, case.top), board.scroll_offset
    rows = board.size.height - board.header_height
    assert (case.top <= board.cursor_row < case.top + rows) == (case.top == 0)


class Result(NamedTuple):
    case: Case
    repaints: list[float]
    lines: list[float]
    profile: str | None


async def run(tasks: int, repeat: int, profile: bool, freeze: bool) -> tuple[list[Result], int]:
    """The results of every case, and the height of the table."""
    document = make_plan(tasks, seed=1)
    first = load(render(document, "json").encode())
    app = CutoverApp("plan.json", lambda _: first, FixedClock(DEFAULT_NOW), initial=first)
    results: list[Result] = []
    async with app.run_test(size=(160, 48)) as pilot:
        app.switch_mode("tasks")
        await pilot.pause()
        await asyncio.sleep(0.3)
        if freeze:
            app.freeze_startup()  # as a real run does (not headless ones)
        board = app.screen.query_one(TaskBoard)
        for case in CASES:
            await place(board, case)
            repaints: list[float] = []
            lines: list[float] = []
            report = None
            for step in range(repeat + 2):
                toggle_row(board)
                check_view(board, case)
                if profile and step == repeat + 1:
                    profiler = cProfile.Profile()
                    profiler.enable()
                    repaint(board)
                    profiler.disable()
                    out = io.StringIO()
                    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(18)
                    report = out.getvalue()
                elif step:  # the first repaint warms what runs once: not counted
                    spent, in_lines = timed_repaint(board)
                    repaints.append(spent)
                    lines.append(in_lines)
                await pilot.pause()  # the app's own repaint, from its (now warm) caches
            if EXTRA in board.shown_rows:
                toggle_row(board)
                await pilot.pause()
            results.append(Result(case, repaints, lines, report))
        height = board.size.height
    return results, height


def figures(runs: list[float]) -> str:
    return f"{min(runs):,.1f} | {statistics.median(runs):,.1f} | {max(runs):,.1f}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--profile", action="store_true", help="cProfile one repaint per case")
    parser.add_argument(
        "--no-freeze", action="store_true", help="leave start-up objects to the collector"
    )
    args = parser.parse_args(argv)
    results, height = asyncio.run(
        run(args.tasks, args.repeat, args.profile, freeze=not args.no_freeze)
    )
    print(f"\n{args.tasks:,} tasks, 160x48 ({height} table lines, the header included),")
    print(f"a row added or removed before each repaint, {args.repeat} runs\n")
    print("| case | repaint best | median | max | lines best | median | max |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for result in results:
        print(f"| {result.case.label} | {figures(result.repaints)} | {figures(result.lines)} |")
    print("\n(milliseconds)")
    for result in results:
        if result.profile:
            print(f"\n## cProfile of one repaint, {result.case.label}\n\n{result.profile}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
