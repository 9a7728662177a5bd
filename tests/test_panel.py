"""The overview's panels change only the lines that differ, and show plan text literally."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.content import Content

from cutover_tui.widgets.panel import Panel, PanelLine


class PanelApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Panel("Now and next", id="panel")


def _lines(panel: Panel) -> list[tuple[str, bool]]:
    return [(str(line.value), bool(line.display)) for line in panel.query(PanelLine)]


async def test_a_changed_line_repaints_alone_without_layout() -> None:
    app = PanelApp()
    async with app.run_test(size=(60, 12)) as pilot:
        panel = app.query_one(Panel)
        panel.show("first\nsecond\nthird")
        await pilot.pause()
        lines = list(panel.query(PanelLine))
        refreshed: list[tuple[str, bool]] = []
        for line in lines:
            original = line.refresh

            def spy(*args: Any, _line: Any = line, _original: Any = original, **kw: Any) -> Any:
                refreshed.append((str(_line.value), bool(kw.get("layout", False))))
                return _original(*args, **kw)

            line.refresh = spy  # type: ignore[method-assign]
        panel.show("first\nSECOND, longer\nthird")
        assert refreshed == [("SECOND, longer", False)]
        refreshed.clear()
        panel.show("first\nSECOND, longer\nthird")  # the same again: nothing at all
        assert refreshed == []
        await pilot.pause()
        assert panel.text == "first\nSECOND, longer\nthird"


async def test_lines_are_hidden_and_reused_as_a_list_shrinks_and_grows() -> None:
    app = PanelApp()
    async with app.run_test(size=(60, 12)) as pilot:
        panel = app.query_one(Panel)
        panel.show("a\nb\nc")
        await pilot.pause()
        widgets = list(panel.query(PanelLine))
        panel.show("a")
        await pilot.pause()
        assert _lines(panel) == [("a", True), ("b", False), ("c", False)]
        panel.show("x\ny\nz\nw")
        await pilot.pause()
        assert _lines(panel) == [("x", True), ("y", True), ("z", True), ("w", True)]
        assert list(panel.query(PanelLine))[:3] == widgets  # the same widgets, one added


async def test_plan_text_is_literal_and_styles_survive_the_split() -> None:
    app = PanelApp()
    async with app.run_test(size=(60, 12)) as pilot:
        panel = app.query_one(Panel)
        hostile = "[red]DONE[/] [@click=app.quit]x[/]"
        panel.show(Content.assemble(("⚠ LATE ", "bold"), hostile, "\n", "[b]second[/b]"))
        await pilot.pause()
        first, _ = panel.query(PanelLine)
        assert isinstance(first.value, Content)
        assert first.value.plain == f"⚠ LATE {hostile}"
        assert [span.style for span in first.value.spans] == ["bold"]
        assert panel.text.split("\n")[1] == "[b]second[/b]"
        assert app.is_running
