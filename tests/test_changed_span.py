"""`changed_span`: the cells of a line that change when another is shown in its place."""

from __future__ import annotations

from textual.content import Content

from cutover_tui.widgets.changed_span import changed_span


def test_the_same_line_changes_nothing() -> None:
    assert changed_span("in 8m 00s", "in 8m 00s") is None
    assert changed_span(Content("plain"), "plain") is None  # a str is plain Content


def test_only_the_cells_between_the_first_and_last_difference() -> None:
    assert changed_span("in 8m 00s", "in 7m 59s") == (3, 8)
    assert changed_span("10d 23h ago", "10d 22h ago") == (5, 6)


def test_a_change_of_style_alone_is_a_change() -> None:
    assert changed_span(Content("⚠ late"), Content.styled("⚠ late", "bold")) == (0, 6)
    line = Content.assemble("B-01 ", ("OPEN", "bold"), " Jo")
    assert changed_span(line, Content.assemble("B-01 ", ("OPEN", "italic"), " Jo")) == (5, 9)


def test_a_line_that_grows_or_shrinks_changes_to_the_end_of_the_longer() -> None:
    assert changed_span("in 10m", "in 9m") == (3, 6)
    assert changed_span("ab", "abcd") == (2, 4)


def test_cells_not_characters() -> None:
    assert changed_span("界界 1", "界界 2") == (5, 6)  # each 界 takes two cells
    assert changed_span("a界b", "a界c") == (3, 4)


def test_a_combining_accent_changes_the_cell_of_its_letter() -> None:
    assert changed_span("José", "Jose\u0301") == (3, 4)  # é, then e and a combining accent
    assert changed_span("Jose\u0301", "Jose") == (3, 4)
