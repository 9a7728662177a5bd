"""The dashboard's compositor: its partial updates write a subset of what Textual's write, the
same cells the same way, and the screen they leave is the screen a full repaint would show."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyte
import pytest
from rich.console import Console
from rich.segment import Segment
from textual._compositor import ChopsUpdate, Compositor
from textual.strip import Strip

from cutover_tui.app import CutoverApp
from cutover_tui.clock import FixedClock
from cutover_tui.model import load_path
from cutover_tui.screens.compositor import CroppedChopsUpdate, LeanCompositor

GP = Path(__file__).parents[1] / "sample_plans" / "gp-practice-migration.toml"
AT = datetime(2026, 12, 4, 14, 58, 30, tzinfo=UTC)
UNWRITTEN = "¤"

Cells = dict[tuple[int, int], Any]


def _screen(size: tuple[int, int], fill: str = " ") -> tuple[pyte.Screen, pyte.Stream]:
    screen = pyte.Screen(*size)
    for y in range(size[1]):
        for x in range(size[0]):
            screen.buffer[y][x] = screen.default_char._replace(data=fill)
    return screen, pyte.Stream(screen)


def _written(sequences: str, size: tuple[int, int]) -> Cells:
    """The cells that `sequences` writes on a screen, each with its character and attributes."""
    screen, stream = _screen(size, UNWRITTEN)
    stream.feed(sequences)
    return {
        (x, y): cell
        for y in range(size[1])
        for x, cell in screen.buffer[y].items()
        if cell.data != UNWRITTEN
    }


def _cells(screen: pyte.Screen, size: tuple[int, int]) -> list[list[Any]]:
    return [[screen.buffer[y][x] for x in range(size[0])] for y in range(size[1])]


@pytest.mark.parametrize("size", [(160, 48), (80, 24)])
async def test_partial_updates_write_what_stock_writes_and_no_more(
    monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    app = CutoverApp(str(GP), load_path, FixedClock(AT), initial=load_path(GP))
    compared: list[tuple[str, str, list[tuple[int, int, int]]]] = []
    terminal, terminal_stream = _screen(size)  # what every update written so far shows
    lean_update = LeanCompositor.render_partial_update
    full_update = LeanCompositor.render_full_update

    def both(self: LeanCompositor) -> ChopsUpdate | None:
        # The same changed regions rendered first as stock Textual does, then as ours.
        changed = set(self._dirty_regions)
        stock = Compositor.render_partial_update(self)
        self._dirty_regions.update(changed)
        lean = lean_update(self)
        if stock is not None:
            assert lean is not None
            console: Any = app.console
            written = lean.render_segments(console)
            compared.append((stock.render_segments(console), written, lean.spans))
            terminal_stream.feed(written)
        return lean

    def full(self: LeanCompositor, simplify: bool = False) -> Any:
        update = full_update(self, simplify)
        terminal_stream.feed(update.render_segments(app.console))
        return update

    def repainted() -> list[list[Any]]:
        screen, stream = _screen(size)
        stream.feed(full_update(app.screen._compositor).render_segments(app.console))
        return _cells(screen, size)

    monkeypatch.setattr(LeanCompositor, "render_partial_update", both)
    monkeypatch.setattr(LeanCompositor, "render_full_update", full)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        # Ticks across final data production and a minute: the countdown turns into
        # "cutover elapsed", and the panels read to the minute change as well.
        for second in range(0, 100, 3):
            app.now = AT + timedelta(seconds=second)
            await pilot.pause()
            assert _cells(terminal, size) == repainted()
        for key in "21":  # another screen and back: a whole new layout, then ticks again
            await pilot.press(key)
            await pilot.pause()
        for second in range(100, 110):
            app.now = AT + timedelta(seconds=second)
            await pilot.pause()
            assert _cells(terminal, size) == repainted()
    assert len(compared) > 20
    for stock, lean, spans in compared:
        stock_cells, lean_cells = _written(stock, size), _written(lean, size)
        assert all(stock_cells[position] == cell for position, cell in lean_cells.items())
        assert all((x, y) in lean_cells for y, x1, x2 in spans for x in range(x1, x2))
    assert sum(map(len, (lean for _, lean, _ in compared))) < sum(
        map(len, (stock for stock, _, _ in compared))
    )


def test_a_cut_never_splits_a_double_width_character() -> None:
    strip = Strip([Segment("ab"), Segment("界界", None), Segment("cd")])  # cells a b 界. 界. c d
    update = CroppedChopsUpdate([{0: strip}], [(0, 3, 4)], [[strip.cell_length]])
    assert update.render_segments(_console()).endswith("界")
    update = CroppedChopsUpdate([{0: strip}], [(0, 5, 7)], [[strip.cell_length]])
    assert "界c" in update.render_segments(_console())


def _console() -> Any:
    return Console(force_terminal=True, color_system=None)
