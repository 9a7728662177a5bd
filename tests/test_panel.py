"""The overview's panels repaint only the rows that change, and show plan text literally."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.content import Content
from textual.geometry import Region, Size

from cutover_tui.widgets.panel import Panel


class PanelApp(App[None]):
    CSS = "#fixed { height: 8; }"

    def compose(self) -> ComposeResult:
        yield Panel("Now and next", id="panel")
        yield Panel("Clocks", id="fixed")


def _spy(panel: Panel) -> list[tuple[tuple[Region, ...], bool]]:
    """Record each `refresh` of `panel`: (regions, layout)."""
    calls: list[tuple[tuple[Region, ...], bool]] = []
    original = panel.refresh

    def spy(*regions: Region, **kw: Any) -> Any:
        calls.append((regions, bool(kw.get("layout", False))))
        return original(*regions, **kw)

    panel.refresh = spy  # type: ignore[method-assign]
    return calls


async def _shown_then_spied(
    pilot: Any, panel: Panel, content: str
) -> list[tuple[tuple[Region, ...], bool]]:
    """Show `content` and let it paint; then record the panel's refreshes from there on."""
    panel.show(content)
    await pilot.pause()
    return _spy(panel)


def _rows(app: App[None], panel: Panel) -> list[str]:
    """The panel's rows as the screen shows them, inside its border."""
    region = panel.content_region
    strips = app.screen._compositor.render_strips()
    return [strips[y].crop(region.x, region.right).text.rstrip() for y in region.line_range]


async def test_a_changed_line_repaints_its_changed_cells_alone_without_layout() -> None:
    app = PanelApp()
    async with app.run_test(size=(60, 20)) as pilot:
        panel = app.query_one("#panel", Panel)
        calls = await _shown_then_spied(pilot, panel, "first\nsecond\nthird")
        panel.show("first\nSECOND, longer\nthird")
        assert calls == [((Region(0, 1, 14, 1),), False)]
        calls.clear()
        panel.show("first\nSECOND, longer\nthird")  # the same again: nothing at all
        assert calls == []
        await pilot.pause()
        assert panel.text == "first\nSECOND, longer\nthird"
        assert _rows(app, panel) == ["first", "SECOND, longer", "third"]


async def test_a_ticking_countdown_repaints_its_changed_digits() -> None:
    app = PanelApp()
    async with app.run_test(size=(60, 20)) as pilot:
        panel = app.query_one("#panel", Panel)
        line = "Mon 23 Nov 09:00 GMT · in 8m {}s"
        calls = await _shown_then_spied(pilot, panel, "Stand-up\n" + line.format("00"))
        panel.show("Stand-up\n" + line.format("01"))
        start = len(line.format("01")) - 2  # the "1" of "01s"
        assert calls == [((Region(start, 1, 1, 1),), False)]
        await pilot.pause()
        assert _rows(app, panel) == ["Stand-up", line.format("01")]


async def test_a_panel_that_grows_is_laid_out_again() -> None:
    app = PanelApp()
    async with app.run_test(size=(60, 20)) as pilot:
        panel = app.query_one("#panel", Panel)
        calls = await _shown_then_spied(pilot, panel, "a\nb\nc")
        panel.show("a\nb\nc\nd")
        assert calls == [((), True)]
        await pilot.pause()
        assert _rows(app, panel) == ["a", "b", "c", "d"]
        panel.show("a")
        await pilot.pause()
        assert _rows(app, panel) == ["a"]


async def test_a_panel_of_fixed_height_repaints_rows_as_its_list_shrinks_and_grows() -> None:
    app = PanelApp()
    async with app.run_test(size=(60, 20)) as pilot:
        panel = app.query_one("#fixed", Panel)
        calls = await _shown_then_spied(pilot, panel, "a\nb\nc")
        panel.show("a\nx")
        width = panel.content_size.width
        assert calls == [((Region(0, 1, 1, 1), Region(0, 2, width, 1)), False)]
        await pilot.pause()
        assert _rows(app, panel)[:4] == ["a", "x", "", ""]
        panel.show("a\nx\ny\nz")
        await pilot.pause()
        assert _rows(app, panel)[:4] == ["a", "x", "y", "z"]


async def test_a_line_too_wide_to_fit_wraps_and_lays_out() -> None:
    app = PanelApp()
    async with app.run_test(size=(30, 20)) as pilot:
        panel = app.query_one("#panel", Panel)
        calls = await _shown_then_spied(pilot, panel, "short\nline")
        panel.show("short\n" + "word " * 12)
        assert calls == [((), True)]
        await pilot.pause()
        assert panel.content_size.height > 2  # the long line wrapped onto more rows


async def test_plan_text_is_literal_and_styles_survive() -> None:
    app = PanelApp()
    async with app.run_test(size=(60, 12)) as pilot:
        panel = app.query_one("#panel", Panel)
        hostile = "[red]DONE[/] [@click=app.quit]x[/]"
        panel.show(Content.assemble(("⚠ LATE ", "bold"), hostile, "\n", "[b]second[/b]"))
        await pilot.pause()
        assert _rows(app, panel) == [f"⚠ LATE {hostile}", "[b]second[/b]"]
        panel.show("[b]plain str[/b]")
        await pilot.pause()
        assert _rows(app, panel) == ["[b]plain str[/b]"]
        assert app.is_running


async def test_a_hidden_panel_takes_text_and_shows_it_when_shown_again() -> None:
    app = PanelApp()
    async with app.run_test(size=(60, 20)) as pilot:
        panel = app.query_one("#panel", Panel)
        panel.show("before")
        await pilot.pause()
        panel.display = False  # as a compact overview hides some panels
        await pilot.pause()
        assert panel.content_size.width == 0
        panel.show("a line longer than nothing\nand another")
        panel.display = True
        await pilot.pause()
        assert _rows(app, panel) == ["a line longer than nothing", "and another"]


async def test_a_panel_squeezed_to_its_border_draws_no_text() -> None:
    app = PanelApp()
    async with app.run_test(size=(4, 20)) as pilot:  # border and padding: no room for text
        app.query_one("#panel", Panel).show("pre-cutover  ████████████  98%")
        await pilot.pause()
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert _rows(app, app.query_one("#panel", Panel)) == ["pre-cutover  ████████████  98%"]


async def test_a_panel_of_fixed_height_that_overflows_still_repaints_only_rows() -> None:
    app = PanelApp()
    async with app.run_test(size=(60, 20)) as pilot:
        panel = app.query_one("#fixed", Panel)  # 8 rows high: 6 inside its border
        calls = await _shown_then_spied(pilot, panel, "\n".join(f"line {n}" for n in range(10)))
        panel.show("\n".join(f"line {n}" for n in (0, 1, 2, 4, 5, 6, 7, 8, 9)))  # one goes
        [(regions, layout)] = calls
        assert not layout  # its size does not depend on what it shows
        # Lines 3 on move up; only those inside its 6 rows repaint (not the border under them).
        assert [(region.y, region.height) for region in regions] == [(y, 1) for y in range(3, 6)]
        await pilot.pause()
        assert _rows(app, panel) == ["line 0", "line 1", "line 2", "line 4", "line 5", "line 6"]


def _fit(size: Size) -> str:
    """A list made for a size: what fits, and a last line that says for what size."""
    rows = size.height
    return "\n".join([*(f"entry {n}" for n in range(rows - 1)), f"made for {size.width}x{rows}"])


async def test_a_fitted_panel_shows_what_fits_its_size_and_fits_again_when_resized() -> None:
    app = PanelApp()
    async with app.run_test(size=(60, 20)) as pilot:
        panel = app.query_one("#fixed", Panel)  # 8 rows high: 6 inside its border
        panel.show(_fit)
        await pilot.pause()
        width = panel.content_size.width
        assert _rows(app, panel) == [*(f"entry {n}" for n in range(5)), f"made for {width}x6"]
        panel.styles.height = 10
        await pilot.pause()
        assert _rows(app, panel) == [*(f"entry {n}" for n in range(7)), f"made for {width}x8"]
        panel.styles.width = 30
        await pilot.pause()
        assert _rows(app, panel)[-1] == "made for 26x8"  # inside border and padding
        panel.show("plain text again")
        await pilot.pause()
        assert _rows(app, panel)[0] == "plain text again"
