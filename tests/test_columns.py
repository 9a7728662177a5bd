"""The overview's list entries: aligned columns on one line, and lists shared out by rows."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from cutover_tui.widgets.columns import Cell, aligned, share_rows


def test_columns_line_up_and_the_last_is_left_whole() -> None:
    lines = aligned(
        [
            [Cell("⚠ LATE 2h 00m", "bold"), Cell("PRE-12"), Cell("A long title, left whole")],
            [Cell("▶ in progress"), Cell("CUT-3"), Cell("Short")],
        ],
        caps=(20, 10),
    )
    assert [line.plain for line in lines] == [
        "⚠ LATE 2h 00m  PRE-12  A long title, left whole",
        "▶ in progress  CUT-3   Short",
    ]


def test_a_cell_past_its_cap_is_cut_with_an_ellipsis() -> None:
    [line] = aligned([[Cell("Delivery Partner (CCG)"), Cell("Title")]], caps=(10,))
    assert line.plain == "Delivery …  Title"


def test_a_column_empty_in_every_row_takes_no_room() -> None:
    lines = aligned([[Cell("B-1"), Cell(""), Cell("Title")]] * 2, caps=(5, 7), gap=1)
    assert [line.plain for line in lines] == ["B-1 Title", "B-1 Title"]


def test_wide_characters_are_measured_in_cells_and_markup_is_text() -> None:
    lines = aligned([[Cell("日本語"), Cell("[red]x[/]")], [Cell("ab"), Cell("y")]], caps=(10,))
    assert [line.plain for line in lines] == ["日本語  [red]x[/]", "ab      y"]
    # Both titles start 8 cells in: 日本語 is 6 cells wide.
    assert cell_len(lines[0].plain) - len("[red]x[/]") == cell_len(lines[1].plain) - 1 == 8


def test_styles_stay_on_their_cells_and_the_gap_after_takes_one_only_if_unseen() -> None:
    [line] = aligned(
        [
            [
                Cell("LATE", "bold"),
                Cell("STALE", "bold reverse"),
                Cell("T1", "$text-muted"),
                Cell("x"),
            ]
        ],
        caps=(4, 5, 2),
    )
    styled = [(line.plain[span.start : span.end], str(span.style)) for span in line.spans]
    # A reversed gap would show as a block; bold or coloured spaces look like any space.
    assert styled == [("LATE  ", "bold"), ("STALE", "bold reverse"), ("T1  ", "$text-muted")]


def test_neighbours_of_one_style_are_one_span() -> None:
    [line] = aligned([[Cell("shared", "dim"), Cell("Ops", "dim"), Cell("Title")]], caps=(6, 3))
    assert [(line.plain[s.start : s.end], str(s.style)) for s in line.spans] == [
        ("shared  Ops  ", "dim")
    ]


def test_lists_that_fit_are_shown_whole() -> None:
    assert share_rows([3, 2, 1], rows=6) == [3, 2, 1]


def test_lists_that_do_not_fit_take_turns_and_leave_a_row_for_the_rest() -> None:
    assert share_rows([1236, 14, 60], rows=13) == [4, 4, 4]
    assert share_rows([1236, 1, 60], rows=13) == [6, 1, 5]
    assert share_rows([5, 0, 0], rows=3) == [2, 0, 0]
    assert share_rows([5, 5], rows=1) == [0, 0]


@given(st.lists(st.integers(0, 50), max_size=4), st.integers(0, 60))
def test_shares_never_exceed_the_rows_or_the_lists(counts: list[int], rows: int) -> None:
    shown = share_rows(counts, rows)
    assert all(0 <= shown_count <= count for shown_count, count in zip(shown, counts, strict=True))
    if sum(counts) <= rows:
        assert shown == counts
    else:  # every row used, one kept to say how many more
        assert sum(shown) == max(rows - 1, 0)


def test_a_narrow_width_gives_up_droppable_columns_in_order_for_the_title() -> None:
    rows = [[Cell("LATE"), Cell("customer"), Cell("Programme Manager"), Cell("A title")]]

    def shown(width: int) -> str:
        [line] = aligned(rows, caps=(4, 8, 17), width=width, droppable=(2, 1))
        return line.plain

    # The columns before the title take 6 + 10 + 19 cells; the title keeps MIN_LAST (24).
    assert shown(59) == "LATE  customer  Programme Manager  A title"
    assert shown(58) == "LATE  customer  A title"  # the owner goes first
    assert shown(40) == "LATE  customer  A title"
    assert shown(39) == "LATE  A title"  # then the party
    assert shown(10) == "LATE  A title"  # the rest stays, however narrow
