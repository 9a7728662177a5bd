"""A compositor that, for a partial update, renders only the widgets under what changed.

Textual's compositor renders every widget that overlaps the box around all the regions that
changed. A 1 Hz tick changes the header clock at the top, a digit of the countdown and a few
clock lines: the box around them covers most of the overview, so ~30 widgets were asked for
their lines every second to repaint ~10 small regions, most of an idle dashboard's CPU. This
one asks only the widgets that overlap a changed region, and only for their lines that
changed (their cached strips, unless they changed themselves).

The chops it hands on are the same where they are written: every cell of a changed region is
covered by the same widgets, front to back, as before, so the same strip wins each cut. What
is never written (cuts outside the changed spans) may hold another widget's strip or nothing.
And it writes only the cells of the changed spans (`CroppedChopsUpdate`), where Textual's
update writes each strip a span touches from the strip's start. Tests check that it writes a
subset of what stock Textual writes, the same cells the same way, and that the screen it
leaves is the one a full repaint paints.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.control import Control
from rich.segment import Segment
from textual._compositor import ChopsUpdate, Compositor
from textual.geometry import Region
from textual.strip import Strip


class LeanCompositor(Compositor):
    """`Compositor` that renders a partial update only where it changed."""

    def __init__(self) -> None:
        super().__init__()
        self._changed: list[Region] | None = None
        """The changed regions of the partial update being rendered (None: render as stock)."""

    def render_partial_update(self) -> ChopsUpdate | None:
        regions = self._dirty_regions.copy()
        self._dirty_regions.clear()
        if not regions:
            return None
        crop = Region.from_union(list(regions)).intersection(self.size.region)
        spans = list(self._regions_to_spans(regions))
        is_rendered_line = {y for y, _, _ in spans}.__contains__
        self._changed = [region for region in regions if region]
        try:
            chops = self._render_chops(crop, is_rendered_line)
        finally:
            self._changed = None
        chop_ends = [cut_set[1:] for cut_set in self.cuts]
        return CroppedChopsUpdate(chops, spans, chop_ends)

    def _get_renders(
        self, crop: Region | None = None
    ) -> Iterable[tuple[Region, Region, list[Strip]]]:
        changed = self._changed
        if changed is None or crop is None:
            yield from super()._get_renders(crop)
            return
        for widget, (region, clip) in self.visible_widgets.items():
            shown = region.intersection(clip)
            if not shown.overlaps(crop):
                continue
            under = [part for part in changed if part.overlaps(shown)]
            if not under:
                continue
            # The widget's lines under the changes, each whole: a changed span is written
            # from the strips at the cuts it crosses, which start at the widget's edges.
            top = max(shown.y, min(part.y for part in under))
            bottom = min(shown.bottom, max(part.bottom for part in under))
            lines = Region(shown.x, top, shown.width, bottom - top)
            yield region, lines, widget.render_lines(lines.translate((-region.x, -region.y)))


class CroppedChopsUpdate(ChopsUpdate):
    """`ChopsUpdate` that writes only the cells of each changed span.

    Textual's writes every widget strip a changed span touches from the strip's start: a panel
    row whose last characters changed is written from its left border. This one crops each
    strip to the span, widened only so as not to cut a double-width character in two.
    """

    def render_segments(self, console: Console) -> str:
        move_to = Control.move_to
        return "".join(
            "\n"
            if piece is None
            else move_to(piece[0], piece[1]).segment.text + piece[2].render(console)
            for piece in self._pieces()
        )

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        move_to = Control.move_to
        for piece in self._pieces():
            if piece is None:
                yield Segment.line()
            else:
                yield move_to(piece[0], piece[1]).segment
                yield from piece[2]

    def _pieces(self) -> Iterator[tuple[int, int, Strip] | None]:
        """Where to write what: (x, y, cells) for each piece, None between two lines."""
        last_y = self.spans[-1][0]
        for y, x1, x2 in self.spans:
            for end, (x, strip) in zip(self.chop_ends[y], self.chops[y].items(), strict=False):
                if strip is None or x >= x2 or end <= x1:
                    continue
                left, right = _whole_characters(strip, max(x1 - x, 0), min(x2, end) - x)
                yield x + left, y, strip.crop(left, right)
            if y != last_y:
                yield None


def _whole_characters(strip: Strip, left: int, right: int) -> tuple[int, int]:
    """Cells ``[left, right)`` of `strip`, widened to whole characters."""
    if left == 0 and right >= strip.cell_length:
        return left, right
    position = 0
    for segment in strip:
        if position >= right:
            break
        text = segment.text
        width = cell_len(text)
        if width == len(text) or position + width <= left:  # nothing to widen in it
            position += width
            continue
        for character in text:
            size = cell_len(character)
            if position < left < position + size:
                left = position
            if position < right < position + size:
                right = position + size
            position += size
    return left, right
