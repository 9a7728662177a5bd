"""A bordered panel of text for the overview that repaints only the lines that change.

Each line is a widget of its own. A whole-panel `Static.update` repaints the panel's region,
borders and all (several KB for one changed count); a line that changes but keeps its size
repaints only itself.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.widget import Widget

from .value_label import ValueLabel


class PanelLine(ValueLabel):
    """One line of a panel, as wide as the panel; a long line wraps."""

    DEFAULT_CSS = """
    PanelLine { width: 1fr; }
    """

    def keeps_size(self, old: str | Content, new: str | Content) -> bool:
        # One row before and after: the widget's size is the panel's, whatever the text.
        width = self.content_size.width
        return self.size.height == 1 and cell_len(_plain(new)) <= width >= cell_len(_plain(old))


class Panel(Widget):
    """A titled, bordered block of lines; `show()` changes only the lines that differ."""

    DEFAULT_CSS = """
    Panel {
        border: round $panel-lighten-2;
        border-title-color: $text-muted;
        border-title-style: bold;
        padding: 0 1;
        height: auto;
        layout: vertical;
    }
    """

    def __init__(self, title: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.border_title = title
        self._shown: Content | str = ""
        self._lines: list[PanelLine] = []

    @property
    def text(self) -> str:
        """What the panel shows, as plain text."""
        return _plain(self._shown)

    def show(self, content: Content | str, title: str | None = None) -> None:
        if title is not None and title != self.border_title:
            self.border_title = title
        if content == self._shown:
            return
        self._shown = content
        lines: list[Content | str] = list(
            content.split("\n", allow_blank=True)
            if isinstance(content, Content)
            else content.split("\n")
        )
        # Lines are kept and hidden rather than removed, so a list that shrinks and grows
        # again (a task starting, then finishing) changes lines in place, in one frame.
        for line, text in zip(self._lines, lines, strict=False):
            line.show(text)
            if not line.display:  # setting `display` lays out again, even to the same value
                line.display = True
        for line in self._lines[len(lines) :]:
            if line.display:
                line.display = False
        if len(lines) > len(self._lines):
            added = [PanelLine(text) for text in lines[len(self._lines) :]]
            self._lines += added
            self.mount_all(added)


def _plain(text: str | Content) -> str:
    return text.plain if isinstance(text, Content) else text
