"""The countdown's digits: one widget that repaints only the characters that change."""

from __future__ import annotations

from typing import Any

from rich.style import Style
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.renderables.digits import Digits

from cutover_tui.widgets.digit_clock import DigitClock


class ClockApp(App[None]):
    def compose(self) -> ComposeResult:
        yield DigitClock("00:00:09")


def _spied(clock: DigitClock) -> list[tuple[tuple[Region, ...], dict[str, Any]]]:
    calls: list[tuple[tuple[Region, ...], dict[str, Any]]] = []
    original = clock.refresh

    def spy(*regions: Region, **kw: Any) -> Any:
        calls.append((regions, kw))
        return original(*regions, **kw)

    clock.refresh = spy  # type: ignore[method-assign]
    return calls


async def test_a_tick_repaints_the_cells_of_the_changed_digits() -> None:
    app = ClockApp()
    async with app.run_test(size=(40, 5)) as pilot:
        clock = app.query_one(DigitClock)
        await pilot.pause()
        calls = _spied(clock)
        clock.show("00:00:10")  # the last two digits change: cells 18-23 (three a character)
        assert calls == [((Region(18, 0, 6, 3),), {})]
        calls.clear()
        clock.show("00:00:10")
        assert calls == []


async def test_the_hours_gaining_a_digit_lay_the_clock_out_again() -> None:
    app = ClockApp()
    async with app.run_test(size=(40, 5)) as pilot:
        clock = app.query_one(DigitClock)
        clock.show("100:00:00")
        await pilot.pause()
        assert clock.size.width == Digits.get_width("100:00:00")
        clock.show("99:59:59")
        await pilot.pause()
        assert clock.size.width == Digits.get_width("99:59:59")
        rows = [line.text.rstrip() for line in app.screen._compositor.render_strips()[:3]]
        drawn = "".join(segment.text for segment in Digits("99:59:59").render(Style()))
        assert rows == drawn.splitlines()  # nothing left of the third digit
