"""A compositor that, for a partial update, renders only the widgets under what changed.

Textual's compositor renders every widget that overlaps the box around all the regions that
changed. A 1 Hz tick changes the header clock at the top, a digit of the countdown and a few
clock lines: the box around them covers most of the overview, so ~30 widgets were asked for
their lines every second to repaint ~10 small regions, most of an idle dashboard's CPU. This
one asks only the widgets that overlap a changed region, and only for their lines that
changed (their cached strips, unless they changed themselves).

The chops it hands on are the same where they are written: every cell of a changed region is
covered by the same widgets, front to back, as before, so the same strip wins each cut. What
is never written (cuts outside the changed spans) may hold another widget's strip or nothing;
`ChopsUpdate` writes only the spans. Tests compare the screen it paints with stock Textual's.
"""

from __future__ import annotations

from collections.abc import Iterable

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
        return ChopsUpdate(chops, spans, chop_ends)

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
