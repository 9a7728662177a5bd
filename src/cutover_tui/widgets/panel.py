"""A bordered panel of text for the overview that repaints only the rows that change.

A whole-panel `Static.update` repaints the panel's region, borders and all (several KB for one
changed count). This panel is one widget that marks only the cells whose text changed as dirty
(`changed_span`), so just those rows are rendered and those cells written; only a change of
shape (a row more or less, a line that wraps) lays the panel out again. One widget rather than
a widget per line also keeps the overview light to build and to repaint each second.

A panel of set height can show a list made for its size (`Fit`): the columns and entries that
fit, and a line saying how many more. It is made again when the panel's size changes.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import zip_longest
from typing import TYPE_CHECKING, TypeAlias, cast

from rich.cells import cell_len
from textual.content import Content
from textual.geometry import Region, Size
from textual.visual import VisualType
from textual.widget import Widget

from .changed_span import changed_span, counts_cells_from_left
from .relayout import relayout

if TYPE_CHECKING:
    from textual.css.styles import RulesMap

Fit: TypeAlias = Callable[[Size], "Content | str"]
"""Content made for a size: columns that fit its width, entries that fit its rows."""


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
        self._fit: Fit | None = None
        self._fitted_size = Size(0, 0)

    @property
    def text(self) -> str:
        """What the panel shows, as plain text."""
        return _plain(self._shown)

    def render(self) -> VisualType:
        if self._fit is not None and self.content_size != self._fitted_size:
            self._shown = self._fitted(self._fit)  # resized: what fits now
            self._lines = _lines(self._shown)
        # Plan text is untrusted: a `str` is shown literally, never read as markup.
        return _content(self._shown)

    def show(self, content: Content | str | Fit, title: str | None = None) -> None:
        """Show `content`, or what a `Fit` makes for the panel's size."""
        if title is not None and title != self.border_title:
            self.border_title = title
        if callable(content):
            self._fit = content
            content = self._fitted(content)
        else:
            self._fit = None
        if content == self._shown:
            return
        old, new = self._lines, _lines(content)
        self._shown, self._lines = content, new
        width, height = self.content_size
        rows = (self._rows(old, width), self._rows(new, width)) if width > 0 else None
        cells = counts_cells_from_left(self)
        rule = self.styles.height
        grows = rule is None or rule.is_auto  # its height is its number of rows
        # A panel of set height keeps its size whatever it shows (rows past it are cut off).
        if rows and (sum(rows[1]) == height or not grows):
            # Rows past a set height are cut off: repainting them would rewrite the border.
            inside = Region(0, 0, width, height).intersection
            changed = (inside(region) for region in _changed_rows(old, new, *rows, width, cells))
            self.refresh(*(region for region in changed if region))
        else:  # not laid out yet, or its size changes
            relayout(self)

    def _fitted(self, fit: Fit) -> Content | str:
        # Before its first layout the panel has no size yet: the screen's bounds it.
        self._fitted_size = size = self.content_size
        return fit(size if size.area else self.app.size)

    def _rows(self, lines: list[Content | str], width: int) -> list[int]:
        """How many rows each line takes at `width` (a long line wraps)."""
        styles = cast("RulesMap", self.styles)  # what `Content.get_height` reads of them
        return [
            1 if cell_len(_plain(line)) <= width else _content(line).get_height(styles, width)
            for line in lines
        ]


def _changed_rows(
    old: list[Content | str],
    new: list[Content | str],
    before: list[int],
    after: list[int],
    width: int,
    cells: bool = True,
) -> list[Region]:
    """The regions to repaint for `new` lines in place of `old`, with the rows each line takes
    (`before`, `after`): the cells that change of a one-row line, the rows of a changed line
    that wraps, and every row from the first line whose number of rows differs (the lines
    under it move). Without `cells` (text not aligned left) a changed line's rows, whole."""
    regions: list[Region] = []
    y = 0
    end = max(sum(before), sum(after))
    for a, b, rows_a, rows_b in zip_longest(old, new, before, after, fillvalue=None):
        if rows_a != rows_b:
            return [*regions, Region(0, y, width, end - y)]
        if a != b:
            assert a is not None  # the same number of rows: both lines are there
            assert b is not None
            if rows_b == 1 and cells:
                span = changed_span(a, b)
                if span is not None:
                    regions.append(Region(span[0], y, span[1] - span[0], 1))
            else:
                regions.append(Region(0, y, width, rows_b or 0))
        y += rows_b or 0
    return regions


def _content(text: Content | str) -> Content:
    return text if isinstance(text, Content) else Content(text)


def _lines(content: Content | str) -> list[Content | str]:
    if isinstance(content, Content):
        return list(content.split("\n", allow_blank=True))
    return list(content.split("\n"))


def _plain(text: str | Content) -> str:
    return text.plain if isinstance(text, Content) else text
