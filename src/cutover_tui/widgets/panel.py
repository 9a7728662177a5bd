"""A bordered panel of text for the overview that repaints only the rows that change.

A whole-panel `Static.update` repaints the panel's region, borders and all (several KB for one
changed count). This panel is one widget that marks only the rows whose text changed as dirty,
so Textual renders and writes just those; only a change of shape (a row more or less, a line
that wraps) lays the panel out again. One widget rather than a widget per line also keeps the
overview light to build and to repaint each second.
"""

from __future__ import annotations

from itertools import zip_longest

from rich.cells import cell_len
from textual.content import Content
from textual.geometry import Region
from textual.visual import VisualType
from textual.widget import Widget


class Panel(Widget):
    """A titled, bordered block of lines; `show()` repaints only the lines that differ."""

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
        super().__init__(id=id, classes=classes)
        self.border_title = title
        self._shown: Content | str = ""
        self._lines: list[Content | str] = [""]

    @property
    def text(self) -> str:
        """What the panel shows, as plain text."""
        return _plain(self._shown)

    def render(self) -> VisualType:
        # Plan text is untrusted: a `str` is shown literally, never read as markup.
        shown = self._shown
        return shown if isinstance(shown, Content) else Content(shown)

    def show(self, content: Content | str, title: str | None = None) -> None:
        if title is not None and title != self.border_title:
            self.border_title = title
        if content == self._shown:
            return
        old, new = self._lines, _lines(content)
        self._shown, self._lines = content, new
        width, height = self.content_size
        rule = self.styles.height
        grows = rule is None or rule.is_auto  # its height is its number of lines
        same_size = (
            width > 0
            and (len(new) == height if grows else len(new) <= height)
            and all(cell_len(_plain(line)) <= width for line in (*old, *new))
        )
        if same_size:
            changed = [
                y
                for y, (a, b) in enumerate(zip_longest(old, new))  # a row past the end: None
                if a != b
            ]
            self.refresh(*(Region(0, y, width, 1) for y in changed))
        else:
            # As in `ValueLabel.show`: a pending layout may have measured the old text.
            self._layout_updates += 1
            self.refresh(layout=True)


def _lines(content: Content | str) -> list[Content | str]:
    if isinstance(content, Content):
        return list(content.split("\n", allow_blank=True))
    return list(content.split("\n"))


def _plain(text: str | Content) -> str:
    return text.plain if isinstance(text, Content) else text
