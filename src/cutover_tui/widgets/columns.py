"""Aligned one-line entries for the overview's lists.

On a wall display a list is read down its columns: every entry takes one line, its short facts
(state, id, timing, whose) in aligned columns and its title last, where the panel cuts it with
an ellipsis (`text-wrap: nowrap`). A long title then never wraps a fact onto a line of its own
or pushes it off the panel.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from rich.cells import cell_len, set_cell_size
from textual.content import Content


class Cell(NamedTuple):
    """A column's text in one entry, and its style (a theme variable or a Rich style)."""

    text: str
    style: str = ""


MIN_LAST = 24
"""Cells the last column (a title) keeps, where `aligned` may leave columns out for it."""


def aligned(
    rows: Sequence[Sequence[Cell]],
    caps: Sequence[int],
    gap: int = 2,
    *,
    width: int | None = None,
    droppable: Sequence[int] = (),
) -> list[Content]:
    """One line per row: every column but the last padded to its widest cell (at most its
    cap, past which a cell is cut with an ellipsis), the last column as it is. A column empty
    in every row takes no room. With `width`, the columns in `droppable` are left out, in that
    order, while the last column would have fewer than `MIN_LAST` cells."""
    if not rows:
        return []
    widths = [
        min(max(cell_len(row[column].text) for row in rows), cap) for column, cap in enumerate(caps)
    ]
    for column in droppable:
        if width is None or width - sum(used + gap for used in widths if used) >= MIN_LAST:
            break
        widths[column] = 0
    space = " " * gap
    lines: list[Content] = []
    for row in rows:
        parts: list[tuple[str, str] | str] = []
        for cell, cells in zip(row, widths, strict=False):
            if not cells:
                continue
            text = _fit(cell.text, cells)
            # Fewer style changes to send the terminal: the gap takes the cell's style where a
            # space does not show it, and neighbours of one style are one part.
            if not _VISIBLE_ON_SPACES.isdisjoint(cell.style.split()):
                parts += [(text, cell.style), space]
            elif parts and isinstance(parts[-1], tuple) and parts[-1][1] == cell.style:
                parts[-1] = (parts[-1][0] + text + space, cell.style)
            else:
                parts.append((text + space, cell.style))
        last = row[-1]
        parts.append((last.text, last.style))
        lines.append(Content.assemble(*parts))
    return lines


_VISIBLE_ON_SPACES = frozenset({"reverse", "underline", "strike", "overline", "on"})
"""Style words that show on a space (a background among them)."""


def share_rows(counts: list[int], rows: int) -> list[int]:
    """How many of each kind to list in `rows` rows: all if they fit; else one of each in turn,
    leaving a row to say how many more."""
    if sum(counts) <= rows:
        return counts
    shown = [0] * len(counts)
    room = max(rows - 1, 0)
    while room:
        for kind, count in enumerate(counts):
            if room and shown[kind] < count:
                shown[kind] += 1
                room -= 1
    return shown


def _fit(text: str, width: int) -> str:
    """`text` in exactly `width` cells: padded, or cut with an ellipsis."""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…"
