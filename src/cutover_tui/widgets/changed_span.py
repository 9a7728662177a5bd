"""Which cells of a line of text change when it is shown in place of another.

A widget that marks only those cells dirty has only them written to the terminal (the
dashboard's compositor crops its updates to the dirty cells): a ticking "in 8m 00s" at the end of
a line rewrites "00s", not the line.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content

_Cell = tuple[str, tuple[object, ...]]
"""A character and the styles over it, innermost last."""


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
    start = cell_len("".join(char for char, _ in after[:first]))
    width_before = cell_len("".join(char for char, _ in before))
    width_after = cell_len("".join(char for char, _ in after))
    if width_before != width_after:
        return start, max(width_before, width_after)
    last = 0  # how many cells at the end are the same: the same width keeps them aligned
    while last < limit - first and before[-1 - last] == after[-1 - last]:
        last += 1
    tail = cell_len("".join(char for char, _ in after[len(after) - last :]))
    return start, width_after - tail


def _cells(line: Content | str) -> list[_Cell]:
    if isinstance(line, str):
        return [(char, ()) for char in line]
    plain = line.plain
    styles: list[tuple[object, ...]] = [()] * len(plain)
    for span_start, span_end, style in line.spans:
        for index in range(max(span_start, 0), min(span_end, len(plain))):
            styles[index] = (*styles[index], style)
    return list(zip(plain, styles, strict=True))
