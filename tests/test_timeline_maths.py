"""The timeline's pure maths: times to columns, tick labels, label placement, rows and cells."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from cutover_tui import insight
from cutover_tui.insight.timeline import (
    SCALES,
    Marker,
    TimeAxis,
    TimelineLayout,
    TimelineRow,
    build_axis,
    build_layout,
    floor_local,
    label_interval,
    rollback,
    scale_label,
    ticks,
)
from cutover_tui.insight.timeline_cells import Frame, place_labels, row_state, status_tag
from cutover_tui.model import Phase, Task, TaskStatus, load_path, validate

ROOT = Path(__file__).parents[1]
GP = ROOT / "sample_plans" / "gp-practice-migration.toml"
LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")
AT_15 = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def text_of(runs: list[tuple[str, str]]) -> str:
    return "".join(text for text, _ in runs)


QUARTER_AXIS = TimeAxis(utc("2026-12-04T10:00"), timedelta(minutes=15), 96)


@pytest.mark.parametrize(
    ("moment", "column"),
    [
        ("2026-12-04T10:00", 0),
        ("2026-12-04T10:14:59", 0),
        ("2026-12-04T10:15", 1),
        ("2026-12-04T09:59", -1),
        ("2026-12-05T10:00", 96),
    ],
)
def test_column_is_the_floor_of_time_over_the_unit(moment: str, column: int) -> None:
    assert QUARTER_AXIS.column(utc(moment)) == column


def test_moment_is_the_start_of_its_column() -> None:
    assert QUARTER_AXIS.moment(3) == utc("2026-12-04T10:45")
    assert QUARTER_AXIS.column(QUARTER_AXIS.moment(57)) == 57


@pytest.mark.parametrize(
    ("start", "end", "span"),
    [
        ("2026-12-04T10:00", "2026-12-04T10:30", (0, 2)),
        ("2026-12-04T10:00", "2026-12-04T10:31", (0, 3)),
        ("2026-12-04T10:05", "2026-12-04T10:05", (0, 1)),  # zero length still shows a cell
        ("2026-12-04T10:20", "2026-12-04T10:40", (1, 3)),
    ],
)
def test_span_covers_every_column_the_bar_touches(
    start: str, end: str, span: tuple[int, int]
) -> None:
    assert QUARTER_AXIS.span(utc(start), utc(end)) == span


def test_on_axis_and_reaching() -> None:
    assert QUARTER_AXIS.on_axis(utc("2026-12-04T09:00")) is None
    assert QUARTER_AXIS.on_axis(utc("2026-12-05T10:00")) is None
    assert QUARTER_AXIS.on_axis(utc("2026-12-04T11:00")) == 4
    longer = QUARTER_AXIS.reaching(utc("2026-12-05T12:00"), margin=2)
    assert longer.columns == 96 + 8 + 1 + 2
    assert longer.origin == QUARTER_AXIS.origin
    assert QUARTER_AXIS.reaching(utc("2026-12-04T12:00")) is QUARTER_AXIS


@pytest.mark.parametrize(
    ("unit", "interval", "label"),
    [
        (SCALES[0], 60, "5m"),
        (SCALES[1], 120, "15m"),
        (SCALES[2], 720, "1h"),
        (SCALES[3], 1440, "3h"),
        (SCALES[4], 10080, "1d"),
    ],
)
def test_each_scale_labels_sparsely_enough_to_read(
    unit: timedelta, interval: int, label: str
) -> None:
    assert label_interval(unit) == interval
    assert timedelta(minutes=interval) / unit >= 7
    assert scale_label(unit) == label


def test_floor_local_follows_the_zone_wall_clock() -> None:
    summer = utc("2026-07-01T10:37")  # 11:37 BST
    assert floor_local(summer, 60, LONDON) == utc("2026-07-01T10:00")
    assert floor_local(summer, 1440, LONDON) == utc("2026-06-30T23:00")  # BST midnight
    assert floor_local(summer, 60, KOLKATA) == utc("2026-07-01T10:30")  # 16:00 IST
    assert floor_local(utc("2026-12-04T15:00"), 10080, LONDON) == utc("2026-11-30T00:00")  # Mon


def test_build_axis_starts_on_a_label_and_covers_the_range() -> None:
    earliest, latest = utc("2026-12-04T15:07"), utc("2026-12-07T08:00")
    axis = build_axis(earliest, latest, SCALES[2], LONDON)
    assert axis.origin == utc("2026-12-04T12:00")  # the 12-hourly label before 13:07
    assert axis.on_axis(earliest) is not None
    assert axis.on_axis(latest + 2 * SCALES[2]) is not None


def test_ticks_label_hours_and_days() -> None:
    axis = TimeAxis(utc("2026-12-04T00:00"), SCALES[2], 48)
    found = [(tick.column, tick.label, tick.midnight) for tick in ticks(axis, 0, 48, LONDON)]
    assert found == [
        (0, "Fri 04", True),
        (12, "12:00", False),
        (24, "Sat 05", True),
        (36, "12:00", False),
    ]
    assert [tick.column for tick in ticks(axis, 10, 30, LONDON)] == [12, 24]


def test_ticks_find_midnight_across_a_clock_change() -> None:
    # Britain springs forward at 01:00 UTC on 29 March 2026: Monday's midnight is 23:00 UTC.
    axis = TimeAxis(utc("2026-03-28T00:00"), SCALES[3], 24)
    labels = {tick.label: tick.column for tick in ticks(axis, 0, 24, LONDON)}
    assert labels == {"Sat 28": 0, "Sun 29": 8, "Mon 30": 15, "Tue 31": 23}


def test_weekly_ticks_fall_on_mondays() -> None:
    axis = TimeAxis(utc("2026-11-16T00:00"), SCALES[4], 35)
    assert [tick.label for tick in ticks(axis, 0, 35, LONDON)] == [
        "16 Nov", "23 Nov", "30 Nov", "07 Dec", "14 Dec",
    ]  # fmt: skip


def test_place_labels_prefers_the_right_then_the_left() -> None:
    starts = place_labels([(30, "NOW 15:00 GMT"), (32, "FINAL DATA"), (60, "GO-LIVE")])
    # NOW cannot go right (the FINAL DATA arrow is at 32), so it ends at its arrow.
    assert starts == [30 - len("NOW 15:00 GMT"), 33, 61]
    # An arrow inside the way of a label and no room on the left: no label, only the arrow.
    assert place_labels([(30, "NOW"), (40, "FINAL DATA"), (45, "X")])[1:] == [None, 46]
    assert place_labels([(5, "NOW"), (40, "GO-LIVE")]) == [6, 41]
    # Near the start of the axis NOW keeps its label on the right, over the other arrow.
    assert place_labels([(2, "NOW 15:00 GMT"), (4, "FINAL DATA")]) == [3, None]


def gp_layout(*, hide_rehearsal: bool = False) -> TimelineLayout:
    return build_layout(load_path(GP), hide_rehearsal=hide_rehearsal)


def test_layout_puts_contingency_last_under_a_heading() -> None:
    plan = load_path(GP)
    layout = gp_layout()
    assert len(layout.rows) == len(plan.tasks) + 1
    heading = next(index for index, row in enumerate(layout.rows) if row.task is None)
    assert layout.heading_row == heading
    assert all(row.contingency for row in layout.rows[heading + 1 :])
    assert not any(row.contingency for row in layout.rows[:heading])
    # A rollback decided now follows the next Go/No-Go: GNG-FDP lists CON-01 and CON-02.
    assert [task.id for task in layout.rollback_tasks] == ["CON-01", "CON-02"]
    assert layout.row_by_id["CON-01"] == heading + 1


def test_layout_marks_the_critical_path_and_the_phase_markers() -> None:
    plan = load_path(GP)
    layout = gp_layout()
    critical = {task.id for task in insight.critical_path(plan)}
    assert critical
    assert {row.task.id for row in layout.rows if row.critical and row.task} == critical
    assert [marker.label for marker in layout.markers] == [
        "FINAL DATA", "NO RETURN", "GO-LIVE", "SLA END",
    ]  # fmt: skip
    assert layout.earliest == plan.task_by_id["PRE-01"].planned_start


def test_layout_rows_carry_planned_and_actual_times() -> None:
    layout = gp_layout()
    row = layout.rows[layout.row_by_id["PRE-12"]]  # in progress since 10:15, planned 10-14
    assert row.planned == (utc("2026-12-04T10:00"), utc("2026-12-04T14:00"))
    assert row.actual == (utc("2026-12-04T10:15"), None)
    milestone = layout.rows[layout.row_by_id["CUT-01"]]
    assert milestone.planned == (utc("2026-12-04T17:00"), utc("2026-12-04T17:00"))


def test_unscheduled_and_rehearsal_only_tasks(minimal_plan: Callable[[], dict[str, Any]]) -> None:
    data = minimal_plan()
    data["tasks"] = [
        {"id": "A", "title": "No times", "phase": "cutover"},
        {"id": "B", "title": "Dry run", "phase": "cutover", "rehearsal_only": True},
    ]
    plan = validate(data, "test")
    assert build_layout(plan).rows[0].unscheduled
    assert "B" in build_layout(plan).row_by_id
    assert "B" not in build_layout(plan, hide_rehearsal=True).row_by_id


def test_rollback_runs_contingency_from_now_along_its_chain() -> None:
    plan = load_path(GP)
    layout = gp_layout()
    result = rollback(layout.rollback_tasks, AT_15)
    assert result.bars["CON-01"] == (AT_15, AT_15 + timedelta(minutes=30))
    assert result.bars["CON-02"] == (AT_15 + timedelta(minutes=30), AT_15 + timedelta(minutes=90))
    assert result.ends_at == insight.rollback_now_end(plan, AT_15)


def test_row_state_and_tag_read_without_colour() -> None:
    def task(status: TaskStatus) -> Task:
        return Task(id="T", title="t", phase=Phase.CUTOVER, status=status)

    assert row_state(task(TaskStatus.IN_PROGRESS), late=True) == "late"
    assert row_state(task(TaskStatus.BLOCKED), late=True) == "blocked"
    assert status_tag(task(TaskStatus.BLOCKED), late=True) == "■ BLOCKED ⚠ LATE"
    assert status_tag(task(TaskStatus.NOT_STARTED), late=True) == "⚠ LATE"
    assert status_tag(task(TaskStatus.NOT_STARTED), late=False) == ""
    assert status_tag(task(TaskStatus.DONE), late=False) == "✔ done"


HOUR_AXIS = TimeAxis(utc("2026-12-04T10:00"), SCALES[2], 24)


def test_task_line_draws_planned_actual_and_both_by_glyph() -> None:
    task = Task(id="T", title="t", phase=Phase.CUTOVER, status=TaskStatus.DONE)
    row = TimelineRow(
        task,
        (utc("2026-12-04T10:00"), utc("2026-12-04T12:00")),
        (utc("2026-12-04T11:00"), utc("2026-12-04T13:00")),
    )
    frame = Frame(HOUR_AXIS, 0, 20, utc("2026-12-04T20:30"))
    text = text_of(frame.task_runs(row, "done", "✔ done", None))
    assert text.startswith("▀█▄ ✔ done")
    assert text[10] == "│"  # the now line at 20:30
    crossing = Frame(HOUR_AXIS, 0, 20, utc("2026-12-04T16:30"))  # the tag steps over it
    assert text_of(crossing.task_runs(row, "done", "✔ done", None)).startswith("▀█▄   │✔ done")


def test_running_work_is_drawn_up_to_now_and_the_now_line_sits_behind_bars() -> None:
    task = Task(id="T", title="t", phase=Phase.CUTOVER, status=TaskStatus.IN_PROGRESS)
    row = TimelineRow(
        task, (utc("2026-12-04T10:00"), utc("2026-12-04T16:00")), (utc("2026-12-04T11:00"), None)
    )
    frame = Frame(HOUR_AXIS, 0, 20, utc("2026-12-04T13:30"))
    runs = frame.task_runs(row, "in-progress", "▶ in progress", None)
    assert text_of(runs).startswith("▀███▀▀ ▶ in progress")  # actual up to now (13:30)
    assert ("│", "now") not in runs


def test_milestones_and_markers_and_rollback_shading() -> None:
    milestone = Task(
        id="M", title="m", phase=Phase.CUTOVER, milestone=True,
        planned_start=utc("2026-12-04T12:00"),
    )  # fmt: skip
    row = TimelineRow(milestone, (utc("2026-12-04T12:00"), utc("2026-12-04T12:00")))
    frame = Frame(HOUR_AXIS, 0, 12, utc("2026-12-04T10:30"), marker_columns=(5,))
    assert text_of(frame.task_runs(row, "not-started", "", None)) == "│ ◆  ┊      "
    contingency = Task(id="C", title="c", phase=Phase.CONTINGENCY, duration=timedelta(hours=2))
    bar = (utc("2026-12-04T10:30"), utc("2026-12-04T12:30"))
    shaded = text_of(frame.task_runs(TimelineRow(contingency), "not-started", "", bar))
    assert shaded.startswith("░░░")


def test_the_visible_window_is_all_that_is_painted() -> None:
    task = Task(id="T", title="t", phase=Phase.CUTOVER)
    row = TimelineRow(task, (utc("2026-12-04T10:00"), utc("2026-12-05T10:00")))
    frame = Frame(HOUR_AXIS.reaching(utc("2026-12-06T00:00")), 5, 8, utc("2026-12-01T00:00"))
    assert text_of(frame.task_runs(row, "not-started", "", None)) == "▀" * 8


def test_header_shows_now_with_its_zone_and_the_markers() -> None:
    frame = Frame(HOUR_AXIS, 0, 24, utc("2026-12-04T11:20"))
    times, marks = frame.header_runs(LONDON, [Marker("GO-LIVE", utc("2026-12-05T06:00"))])
    assert text_of(times)[2:].startswith("12:00")
    assert text_of(times)[14:].startswith("Sat 05")
    line = text_of(marks)
    assert line[1:].startswith("▼NOW 11:20 GMT")
    assert line[20:] == "▼GO-"  # cut at the edge of the screen
    crowded = Frame(HOUR_AXIS, 0, 24, utc("2026-12-04T10:20"))
    _, marks = crowded.header_runs(LONDON, [Marker("FINAL DATA", utc("2026-12-04T12:00"))])
    assert text_of(marks).startswith("▼NOW 10:20 GMT")  # NOW keeps its words, unbroken
