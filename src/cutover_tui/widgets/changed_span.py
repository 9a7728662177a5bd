"""Which cells of a line of text change when it is shown in place of another.

A widget that marks only those cells dirty has only them written to the terminal (the
dashboard's compositor crops its updates to the dirty cells): a ticking "in 8m 00s" at the end of
a line rewrites "00s", not the line.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.widget import Widget

_Cell = tuple[str, tuple[object, ...]]
"""What one character position shows: a character with any zero-width ones after it (a
combining accent), and the styles over it, innermost last."""


def counts_cells_from_left(widget: Widget) -> bool:
    """Whether `widget` draws its text from the left of its content, where spans count from."""
    return widget.styles.text_align in ("start", "left")


def changed_span(old: Content | str, new: Content | str) -> tuple[int, int] | None:
    """The cells ``[start, end)`` of one line where `new` differs from `old`, in characters or
    styles; None where the two look the same. Cells past the shorter line count as changed."""
    before, after = _cells(old), _cells(new)
    first = 0
    limit = min(len(before), len(after))
    while first < limit and before[first] == after[first]:
        first += 1
    if first == len(before) == len(after):
        return None
    start = _width(after[:first])
    width_before, width_after = _width(before), _width(after)
    if width_before != width_after:
        return start, max(width_before, width_after)
    last = 0  # how many positions at the end are the same: the same width keeps them aligned
    while last < limit - first and before[-1 - last] == after[-1 - last]:
        last += 1
    return start, width_after - _width(after[len(after) - last :])


def _width(cells: list[_Cell]) -> int:
    return cell_len("".join(text for text, _ in cells))


def _cells(line: Content | str) -> list[_Cell]:
    content = Content(line) if isinstance(line, str) else line
    plain = content.plain
    styles: list[tuple[object, ...]] = [()] * len(plain)
    for span in content.spans:
        for index in range(max(span.start, 0), min(span.end, len(plain))):
            styles[index] = (*styles[index], span.style)
    cells: list[_Cell] = []
    for character, over in zip(plain, styles, strict=True):
        if cells and not cell_len(character):  # drawn in the cell of the character before
            text, before = cells[-1]
            cells[-1] = (text + character, (*before, *over))
        else:
            cells.append((character, over))
    return cells
