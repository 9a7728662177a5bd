"""Laying a widget out again after what it shows changed size (Textual 8.2.8 internals)."""

from __future__ import annotations

from textual.widget import Widget


def relayout(widget: Widget) -> None:
    """`widget.refresh(layout=True)`, measuring what the widget shows now.

    Textual keys its cache of a widget's size on a count that `refresh(layout=True)` moves on
    only when no layout is pending; a pending layout may already have measured the old content
    (the first frame, a resize), so the count moves on here. Without it an 80x24 checkpoint
    panel kept the height of its first text.
    """
    widget._layout_updates += 1
    widget.refresh(layout=True)
