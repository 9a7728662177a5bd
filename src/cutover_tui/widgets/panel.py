"""A bordered panel of text for the overview that repaints only when its content changes."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


class Panel(Static):
    """`Static` with a title, markup off, and `show()` that skips repaints of equal content."""

    DEFAULT_CSS = """
    Panel {
        border: round $panel-lighten-2;
        border-title-color: $text-muted;
        border-title-style: bold;
        padding: 0 1;
        height: auto;
    }
    """

    def __init__(self, title: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes, markup=False)
        self.border_title = title
        self._shown: Content | str = ""

    def show(self, content: Content | str, title: str | None = None) -> None:
        if title is not None and title != self.border_title:
            self.border_title = title
        if content != self._shown:
            self._shown = content
            self.update(content)
