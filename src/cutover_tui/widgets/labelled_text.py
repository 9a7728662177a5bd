"""Text in labelled rows with hanging indents: each value wraps within its own column.

A `Static` wraps a long value back to the left edge, which makes a narrow (80-column) card hard to
scan; this widget wraps each value within its own column instead. Rows are `Content`, never
markup, and the widget repaints only when its rows (or its width) change.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

LABEL_WIDTH = 11
"""Width of the labels (``Owner``, ``Call``, ``Conditions``) that start a row."""

Row = tuple[str | Content | None, Content]
"""One row: (label, text). Label None: the text spans the width; "": indented, no label.

A label given as `Content` keeps its own style (a status mark); a string label is bold."""


def labelled(label: str | Content, lines: Sequence[Content]) -> list[Row]:
    """Rows for `lines` under one label: the first carries it, the rest are indented under it."""
    return [(label if position == 0 else "", line) for position, line in enumerate(lines)]


def full(*lines: Content) -> list[Row]:
    """Rows that span the width (no label column)."""
    return [(None, line) for line in lines]


def layout_rows(rows: Sequence[Row], width: int) -> list[Content]:
    """The rows wrapped to `width`, values in their own column after the label."""
    lines: list[Content] = []
    value_width = max(width - LABEL_WIDTH, 10)
    blank = Content(" " * LABEL_WIDTH)
    for label, text in rows:
        if label is None:
            lines.extend(text.wrap(max(width, 1)))
            continue
        prefix = _label(label)
        for line in text.wrap(value_width) or [Content("")]:
            lines.append(Content.assemble(prefix, line))
            prefix = blank
    return lines


def _label(label: str | Content) -> Content:
    content = Content.styled(label, "bold") if isinstance(label, str) else label
    return content.pad_right(max(LABEL_WIDTH - content.cell_length, 1))


class LabelledText(Widget):
    """Labelled rows of text, each value wrapping within its column."""

    DEFAULT_CSS = """
    LabelledText { height: auto; }
    """

    def __init__(
        self, rows: Sequence[Row] = (), *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._rows: tuple[Row, ...] = tuple(rows)
        self._laid_out: tuple[int, list[Content]] | None = None

    @property
    def rows(self) -> tuple[Row, ...]:
        return self._rows

    @property
    def plain(self) -> str:
        """The text shown, without styles and before wrapping (for tests and copying)."""
        return "\n".join(
            text.plain if label is None else f"{_label(label).plain}{text.plain}"
            for label, text in self._rows
        )

    def show_rows(self, rows: Sequence[Row]) -> None:
        """Show `rows`, doing nothing when they are already shown."""
        new_rows = tuple(rows)
        if new_rows != self._rows:
            self._rows = new_rows
            self._laid_out = None
            self.refresh(layout=True)

    def _lines(self, width: int) -> list[Content]:
        if self._laid_out is None or self._laid_out[0] != width:
            self._laid_out = (width, layout_rows(self._rows, width))
        return self._laid_out[1]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width)) if width else 0

    def render(self) -> Content:
        return Content("\n").join(self._lines(self.size.width))
