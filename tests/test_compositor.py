"""The dashboard's compositor writes, for every partial update, exactly what Textual's writes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual._compositor import ChopsUpdate, Compositor

from cutover_tui.app import CutoverApp
from cutover_tui.clock import FixedClock
from cutover_tui.model import load_path
from cutover_tui.screens.compositor import LeanCompositor

GP = Path(__file__).parents[1] / "sample_plans" / "gp-practice-migration.toml"
AT = datetime(2026, 12, 4, 14, 58, 30, tzinfo=UTC)


@pytest.mark.parametrize("size", [(160, 48), (80, 24)])
async def test_partial_updates_write_the_same_bytes_as_stock(
    monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    app = CutoverApp(str(GP), load_path, FixedClock(AT), initial=load_path(GP))
    compared: list[tuple[str, str]] = []
    lean_update = LeanCompositor.render_partial_update

    def both(self: LeanCompositor) -> ChopsUpdate | None:
        # The same changed regions rendered first as stock Textual does, then as ours.
        changed = set(self._dirty_regions)
        stock = Compositor.render_partial_update(self)
        self._dirty_regions.update(changed)
        lean = lean_update(self)
        if stock is not None:
            assert lean is not None
            console: Any = app.console
            compared.append((stock.render_segments(console), lean.render_segments(console)))
        return lean

    monkeypatch.setattr(LeanCompositor, "render_partial_update", both)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        # Ticks across final data production and a minute: the countdown turns into
        # "cutover elapsed", and the panels read to the minute change as well.
        for second in range(0, 100, 3):
            app.now = AT + timedelta(seconds=second)
            await pilot.pause()
        for key in "21":  # another screen and back: a whole new layout, then ticks again
            await pilot.press(key)
            await pilot.pause()
        for second in range(100, 110):
            app.now = AT + timedelta(seconds=second)
            await pilot.pause()
    assert len(compared) > 20
    for stock, lean in compared:
        assert lean == stock
