"""Pure tests of the plan model: durations, datetimes, the consistency rules, and error messages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from cutover_tui import model
from cutover_tui.model import PlanError, Problem, format_duration, parse_duration, validate

PlanData = dict[str, Any]
MinimalPlan = Callable[[], PlanData]

SOURCE = "plan.toml"
FDP = "2026-12-04T17:00:00Z"


def task(ident: str, **fields: Any) -> PlanData:
    return {"id": ident, "title": f"Task {ident}", "phase": "cutover", **fields}


def blocker(ident: str, **fields: Any) -> PlanData:
    return {"id": ident, "title": f"Blocker {ident}", "raised_at": FDP, **fields}


def checkpoint(ident: str, **fields: Any) -> PlanData:
    return {"id": ident, "title": f"Checkpoint {ident}", "at": FDP, **fields}


def problems(document: PlanData, source: str = SOURCE) -> list[str]:
    """The rendered problems of an invalid document (fails the test if it is valid)."""
    with pytest.raises(PlanError) as caught:
        validate(document, source)
    return [str(problem) for problem in caught.value.problems]


def with_tasks(minimal_plan: MinimalPlan, *tasks: PlanData, **sections: Any) -> PlanData:
    document = minimal_plan()
    document["tasks"] = list(tasks)
    document.update(sections)
    return document


# --- durations ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90m", timedelta(minutes=90)),
        ("4h", timedelta(hours=4)),
        ("1d 2h", timedelta(hours=26)),
        ("72h", timedelta(hours=72)),
        ("PT4H30M", timedelta(hours=4, minutes=30)),
        ("P1DT2H", timedelta(hours=26)),
        ("P1D", timedelta(days=1)),
        ("PT45S", timedelta(seconds=45)),
        ("P1W", timedelta(days=7)),
        ("1h 30m", timedelta(minutes=90)),
        ("1h30m", timedelta(minutes=90)),
        ("2d 3h 4m 5s", timedelta(days=2, hours=3, minutes=4, seconds=5)),
        ("  4h  ", timedelta(hours=4)),
        ("4H", timedelta(hours=4)),
        ("pt4h30m", timedelta(hours=4, minutes=30)),
        ("0m", timedelta(0)),
        ("366d", timedelta(days=366)),
    ],
)
def test_parse_duration_reads_every_documented_form(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "   ", "4x", "-1h", "1h1h", "1h 2m 1h", "P", "PT", "P1DT", "4", "h", "1.5h", "P-1D"],
)
def test_parse_duration_rejects_malformed_text(text: str) -> None:
    with pytest.raises(ValueError, match="is not a duration"):
        parse_duration(text)


def test_parse_duration_rejects_more_than_a_year() -> None:
    with pytest.raises(ValueError, match="is longer than 366 days"):
        parse_duration("367d")


@pytest.mark.parametrize(
    ("span", "text"),
    [
        (timedelta(0), "0m"),
        (timedelta(seconds=90), "1m 30s"),
        (timedelta(minutes=90), "1h 30m"),
        (timedelta(hours=26, minutes=30), "26h 30m"),
        (timedelta(hours=72), "72h"),
        (timedelta(days=7), "7d"),
        (timedelta(days=8, hours=1), "8d 1h"),
        (timedelta(days=366), "366d"),
    ],
)
def test_format_duration_is_compact_and_reads_back(span: timedelta, text: str) -> None:
    assert format_duration(span) == text
    assert parse_duration(text) == span


@pytest.mark.parametrize("text", ["90m", "4h", "1d 2h", "72h", "PT4H30M", "P1DT2H", "P2W"])
def test_format_duration_round_trips_documented_forms(text: str) -> None:
    span = parse_duration(text)
    assert parse_duration(format_duration(span)) == span


def test_bad_duration_in_a_plan_names_task_and_field(minimal_plan: MinimalPlan) -> None:
    document = with_tasks(minimal_plan, task("A", duration="4x"), task("B", duration=90))
    assert problems(document) == [
        "plan.toml: tasks[0] (A).duration: is not a duration: '4x' "
        "(write e.g. '90m', '4h', '1d 2h' or 'PT4H30M')",
        "plan.toml: tasks[1] (B).duration: must be a duration string such as '90m', '4h' "
        "or 'PT4H30M'",
    ]


# --- datetimes ----------------------------------------------------------------------------------


def test_datetime_keeps_its_offset(minimal_plan: MinimalPlan) -> None:
    document = minimal_plan()
    document["plan"]["final_data_production"] = "2026-12-04T17:00:00+01:00"
    moment = validate(document, SOURCE).header.final_data_production
    assert moment.utcoffset() == timedelta(hours=1)
    assert moment == datetime(2026, 12, 4, 16, tzinfo=UTC)
    assert moment.isoformat() == "2026-12-04T17:00:00+01:00"


def test_datetime_with_z_is_utc(minimal_plan: MinimalPlan) -> None:
    moment = validate(minimal_plan(), SOURCE).header.final_data_production
    assert moment.utcoffset() == timedelta(0)
    assert moment == datetime(2026, 12, 4, 17, tzinfo=UTC)


@pytest.mark.parametrize(
    ("local", "utc"),
    [
        ("2026-12-04T17:00:00", datetime(2026, 12, 4, 17, tzinfo=UTC)),  # GMT, +00:00
        ("2026-07-01T12:00:00", datetime(2026, 7, 1, 11, tzinfo=UTC)),  # BST, +01:00
    ],
)
def test_local_datetime_is_read_in_plan_timezone(
    minimal_plan: MinimalPlan, local: str, utc: datetime
) -> None:
    document = minimal_plan()
    document["plan"]["timezone"] = "Europe/London"
    document["plan"]["final_data_production"] = local
    assert validate(document, SOURCE).header.final_data_production == utc


def test_local_datetime_applies_to_every_record(minimal_plan: MinimalPlan) -> None:
    document = with_tasks(
        minimal_plan,
        task("A", planned_start="2026-07-01T09:00:00"),
        blockers=[blocker("B1", raised_at="2026-07-01T10:00:00")],
        checkpoints=[checkpoint("C1", at="2026-07-01T11:00:00")],
        log=[{"at": "2026-07-01T12:00:00", "text": "started"}],
    )
    document["plan"]["timezone"] = "America/New_York"
    plan = validate(document, SOURCE)
    assert plan.tasks[0].planned_start == datetime(2026, 7, 1, 13, tzinfo=UTC)
    assert plan.blockers[0].raised_at == datetime(2026, 7, 1, 14, tzinfo=UTC)
    assert plan.checkpoints[0].at == datetime(2026, 7, 1, 15, tzinfo=UTC)
    assert plan.log[0].at == datetime(2026, 7, 1, 16, tzinfo=UTC)


def test_toml_local_datetime_is_read_in_plan_timezone() -> None:
    text = (
        "schema_version = 1\ntasks = []\n[plan]\nid = 'p'\ntitle = 'P'\n"
        "timezone = 'Asia/Kolkata'\nfinal_data_production = 2026-12-04T17:00:00\n"
    )
    plan = model.load_bytes(text.encode(), "plan.toml")
    assert plan.header.final_data_production == datetime(2026, 12, 4, 11, 30, tzinfo=UTC)


def test_offset_datetime_ignores_plan_timezone(minimal_plan: MinimalPlan) -> None:
    document = minimal_plan()
    document["plan"]["timezone"] = "Europe/London"
    document["plan"]["final_data_production"] = "2026-07-01T12:00:00Z"
    assert validate(document, SOURCE).header.final_data_production == datetime(
        2026, 7, 1, 12, tzinfo=UTC
    )


def test_local_datetime_without_timezone_is_an_error(minimal_plan: MinimalPlan) -> None:
    document = minimal_plan()
    document["plan"]["final_data_production"] = "2026-12-04T17:00:00"
    assert problems(document) == [
        "plan.toml: plan.final_data_production: has no UTC offset: add one (e.g. 'Z' or "
        "'+01:00') or set plan.timezone"
    ]


def test_local_time_that_does_not_exist_is_an_error(minimal_plan: MinimalPlan) -> None:
    document = minimal_plan()
    document["plan"]["timezone"] = "Europe/London"
    document["plan"]["final_data_production"] = "2026-03-29T01:30:00"
    assert problems(document) == [
        "plan.toml: plan.final_data_production: 2026-03-29T01:30:00 does not exist in "
        "Europe/London (the clocks go forward); give an offset"
    ]


def test_local_time_that_happens_twice_is_an_error(minimal_plan: MinimalPlan) -> None:
    document = minimal_plan()
    document["plan"]["timezone"] = "Europe/London"
    document["plan"]["final_data_production"] = "2026-10-25T01:30:00"
    assert problems(document) == [
        "plan.toml: plan.final_data_production: 2026-10-25T01:30:00 happens twice in "
        "Europe/London (the clocks go back); give an offset"
    ]


def test_ambiguous_local_time_with_an_offset_is_fine(minimal_plan: MinimalPlan) -> None:
    document = minimal_plan()
    document["plan"]["timezone"] = "Europe/London"
    document["plan"]["final_data_production"] = "2026-10-25T01:30:00+00:00"
    assert validate(document, SOURCE).header.final_data_production == datetime(
        2026, 10, 25, 1, 30, tzinfo=UTC
    )


def test_span_across_a_dst_change_is_measured_in_real_time(minimal_plan: MinimalPlan) -> None:
    """00:30 GMT to 03:30 BST on the night the clocks go forward is two hours, not three."""
    two_hours = task(
        "A",
        planned_start="2026-03-29T00:30:00",
        planned_end="2026-03-29T03:30:00",
        duration="2h",
    )
    document = with_tasks(minimal_plan, two_hours)
    document["plan"]["timezone"] = "Europe/London"
    plan = validate(document, SOURCE)
    assert plan.tasks[0].planned_duration == timedelta(hours=2)
    # Written out with offsets and read back, it is still the same valid plan.
    assert model.load_bytes(model.dump_json(plan).encode(), "plan.json") == plan
    assert model.load_bytes(model.dump_toml(plan).encode(), "plan.toml") == plan

    two_hours["duration"] = "3h"
    assert problems(document) == [
        "plan.toml: tasks[0] (A).duration: disagrees with planned_end minus planned_start (2h)"
    ]


def test_duration_added_across_a_dst_change_is_real_time(minimal_plan: MinimalPlan) -> None:
    document = with_tasks(
        minimal_plan, task("A", planned_start="2026-10-25T00:30:00", duration="2h")
    )
    document["plan"]["timezone"] = "Europe/London"
    finish = validate(document, SOURCE).tasks[0].planned_finish
    assert finish == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 01:30 GMT, the second 01:30


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-12-04", "is not an ISO 8601 date and time: '2026-12-04'"),
        ("17:00:00", "is not an ISO 8601 date and time: '17:00:00'"),
        ("tomorrow", "is not an ISO 8601 date and time: 'tomorrow'"),
        ("2026-02-30T10:00:00Z", "is not an ISO 8601 date and time: '2026-02-30T10:00:00Z'"),
        (1764867600, "must be a date and time, such as 2026-12-04T17:00:00Z"),
    ],
)
def test_bad_datetime_is_an_error(minimal_plan: MinimalPlan, value: Any, message: str) -> None:
    document = minimal_plan()
    document["plan"]["final_data_production"] = value
    assert problems(document) == [f"plan.toml: plan.final_data_production: {message}"]


@pytest.mark.parametrize(
    ("toml_value", "message"),
    [
        ("2026-12-04", "is a date without a time of day"),
        ("17:00:00", "must be a date and time, such as 2026-12-04T17:00:00Z"),
    ],
)
def test_toml_date_or_time_alone_is_an_error(toml_value: str, message: str) -> None:
    text = (
        "schema_version = 1\ntasks = []\n[plan]\nid = 'p'\ntitle = 'P'\n"
        f"final_data_production = {toml_value}\n"
    )
    with pytest.raises(PlanError) as caught:
        model.load_bytes(text.encode(), "plan.toml")
    assert str(caught.value) == f"plan.toml: plan.final_data_production: {message}"


# --- consistency rules --------------------------------------------------------------------------


def test_planned_end_before_planned_start(minimal_plan: MinimalPlan) -> None:
    document = with_tasks(
        minimal_plan,
        task("A", planned_start="2026-12-04T18:00:00Z", planned_end="2026-12-04T17:59:59Z"),
    )
    assert problems(document) == ["plan.toml: tasks[0] (A).planned_end: is before planned_start"]


def test_planned_end_equal_to_start_is_fine(minimal_plan: MinimalPlan) -> None:
    document = with_tasks(
        minimal_plan, task("A", planned_start=FDP, planned_end=FDP, milestone=True)
    )
    assert validate(document, SOURCE).tasks[0].planned_duration == timedelta(0)


def test_actual_end_before_actual_start(minimal_plan: MinimalPlan) -> None:
    document = with_tasks(
        minimal_plan,
        task(
            "A",
            status="done",
            actual_start="2026-12-04T18:00:00Z",
            actual_end="2026-12-04T17:00:00Z",
        ),
    )
    assert problems(document) == ["plan.toml: tasks[0] (A).actual_end: is before actual_start"]


@pytest.mark.parametrize("status", ["not-started", "in-progress", "blocked"])
def test_actual_end_on_a_task_that_has_not_ended(minimal_plan: MinimalPlan, status: str) -> None:
    document = with_tasks(minimal_plan, task("A", status=status, actual_end=FDP))
    assert problems(document) == [
        f"plan.toml: tasks[0] (A).actual_end: is set but status is '{status}' "
        "(only a done, failed or skipped task has ended)"
    ]


@pytest.mark.parametrize("status", ["done", "failed", "skipped"])
def test_actual_end_on_an_ended_task_is_fine(minimal_plan: MinimalPlan, status: str) -> None:
    validate(with_tasks(minimal_plan, task("A", status=status, actual_end=FDP)), SOURCE)


def test_done_task_needs_no_actual_times(minimal_plan: MinimalPlan) -> None:
    validate(with_tasks(minimal_plan, task("A", status="done")), SOURCE)


def test_planned_end_and_duration_that_disagree(minimal_plan: MinimalPlan) -> None:
    document = with_tasks(
        minimal_plan,
        task("A", planned_start=FDP, planned_end="2026-12-04T19:00:00Z", duration="90m"),
        task("B", planned_start=FDP, planned_end="2026-12-04T19:00:00Z", duration="2h"),
    )
    assert problems(document) == [
        "plan.toml: tasks[0] (A).duration: disagrees with planned_end minus planned_start (2h)"
    ]


def test_milestone_with_a_length(minimal_plan: MinimalPlan) -> None:
    document = with_tasks(minimal_plan, task("M", milestone=True, duration="1h"))
    assert problems(document) == [
        "plan.toml: tasks[0] (M).milestone: a milestone has no length, but this task has one"
    ]


def test_depends_on_unknown_duplicate_and_self(minimal_plan: MinimalPlan) -> None:
    document = with_tasks(
        minimal_plan,
        task("A"),
        task("B", depends_on=["A", "nope", "A"]),
        task("C", depends_on=["C"]),
    )
    assert problems(document) == [
        "plan.toml: tasks[1] (B).depends_on[1]: unknown task 'nope'",
        "plan.toml: tasks[1] (B).depends_on[2]: lists 'A' twice",
        "plan.toml: tasks[2] (C).depends_on: a task cannot depend on itself",
    ]


def test_dependency_on_an_invalid_task_is_not_unknown(minimal_plan: MinimalPlan) -> None:
    document = with_tasks(minimal_plan, task("A", phase="later"), task("B", depends_on=["A"]))
    assert problems(document) == [
        "plan.toml: tasks[0] (A).phase: must be 'pre-cutover', 'cutover', 'post-cutover' or "
        "'contingency', not 'later'"
    ]


def test_blocker_tasks_unknown_and_duplicate(minimal_plan: MinimalPlan) -> None:
    document = with_tasks(
        minimal_plan, task("A"), blockers=[blocker("B1", tasks=["A", "ghost", "A"])]
    )
    assert problems(document) == [
        "plan.toml: blockers[0] (B1).tasks[1]: unknown task 'ghost'",
        "plan.toml: blockers[0] (B1).tasks[2]: lists 'A' twice",
    ]


def test_checkpoint_contingency_unknown_and_duplicate(minimal_plan: MinimalPlan) -> None:
    document = with_tasks(
        minimal_plan,
        task("R1", phase="contingency"),
        checkpoints=[checkpoint("G", kind="go-no-go", contingency=["R1", "R9", "R1"])],
    )
    assert problems(document) == [
        "plan.toml: checkpoints[0] (G).contingency[1]: unknown task 'R9'",
        "plan.toml: checkpoints[0] (G).contingency[2]: lists 'R1' twice",
    ]


def test_contingency_naming_a_task_of_another_phase(minimal_plan: MinimalPlan) -> None:
    document = with_tasks(
        minimal_plan,
        task("R1", phase="contingency"),
        task("C1", phase="cutover"),
        checkpoints=[checkpoint("G", kind="go-no-go", contingency=["R1", "C1"])],
    )
    assert problems(document) == [
        "plan.toml: checkpoints[0] (G).contingency[1]: task 'C1' is in phase 'cutover'; "
        "only contingency-phase tasks run on No-Go"
    ]


def test_duplicate_ids_in_each_section(minimal_plan: MinimalPlan) -> None:
    document = with_tasks(
        minimal_plan,
        task("A"),
        task("B"),
        task("A"),
        blockers=[blocker("X"), blocker("X")],
        checkpoints=[checkpoint("Y"), checkpoint("Z"), checkpoint("Y")],
    )
    assert problems(document) == [
        "plan.toml: tasks[2] (A).id: 'A' is already used by tasks[0]",
        "plan.toml: blockers[1] (X).id: 'X' is already used by blockers[0]",
        "plan.toml: checkpoints[2] (Y).id: 'Y' is already used by checkpoints[0]",
    ]


def test_same_id_in_different_sections_is_fine(minimal_plan: MinimalPlan) -> None:
    document = with_tasks(
        minimal_plan, task("X"), blockers=[blocker("X")], checkpoints=[checkpoint("X")]
    )
    validate(document, SOURCE)


def test_dependency_cycles_are_each_reported_once(minimal_plan: MinimalPlan) -> None:
    document = with_tasks(
        minimal_plan,
        task("A", depends_on=["B"]),
        task("B", depends_on=["C"]),
        task("C", depends_on=["A"]),
        task("D", depends_on=["E"]),
        task("E", depends_on=["D"]),
        task("F", depends_on=["A", "E"]),
    )
    assert problems(document) == [
        "plan.toml: tasks[0] (A).depends_on: dependency cycle: A → B → C → A",
        "plan.toml: tasks[3] (D).depends_on: dependency cycle: D → E → D",
    ]


def test_diamond_is_not_a_cycle(minimal_plan: MinimalPlan) -> None:
    document = with_tasks(
        minimal_plan,
        task("A"),
        task("B", depends_on=["A"]),
        task("C", depends_on=["A"]),
        task("D", depends_on=["B", "C"]),
    )
    validate(document, SOURCE)


def test_cycle_of_five_thousand_tasks(minimal_plan: MinimalPlan) -> None:
    """An iterative search: a recursive one would hit Python's recursion limit here."""
    count = 5000
    tasks = [task(f"T{i}", depends_on=[f"T{(i + 1) % count}"]) for i in range(count)]
    found = problems(with_tasks(minimal_plan, *tasks))
    assert len(found) == 1
    prefix = "plan.toml: tasks[0] (T0).depends_on: dependency cycle: "
    assert found[0].startswith(prefix)
    chain = found[0].removeprefix(prefix).split(" → ")
    assert chain == [f"T{i}" for i in range(count)] + ["T0"]


def test_chain_of_five_thousand_tasks_is_valid(minimal_plan: MinimalPlan) -> None:
    count = 5000
    tasks = [task(f"T{i}", depends_on=[f"T{i - 1}"] if i else []) for i in range(count)]
    plan = validate(with_tasks(minimal_plan, *reversed(tasks)), SOURCE)
    assert len(plan.tasks) == count


def test_resolved_blocker_without_resolved_at(minimal_plan: MinimalPlan) -> None:
    document = with_tasks(minimal_plan, blockers=[blocker("B1", status="resolved")])
    assert problems(document) == [
        "plan.toml: blockers[0] (B1).resolved_at: is required when status is 'resolved'"
    ]


def test_blocker_times_out_of_order(minimal_plan: MinimalPlan) -> None:
    document = with_tasks(
        minimal_plan,
        blockers=[
            blocker("B1", status="open", resolved_at="2026-12-04T18:00:00Z"),
            blocker(
                "B2",
                status="resolved",
                updated_at="2026-12-04T16:00:00Z",
                resolved_at="2026-12-04T16:30:00Z",
            ),
        ],
    )
    assert problems(document) == [
        "plan.toml: blockers[0] (B1).resolved_at: is set but status is 'open'",
        "plan.toml: blockers[1] (B2).updated_at: is before raised_at",
        "plan.toml: blockers[1] (B2).resolved_at: is before raised_at",
    ]


def test_go_with_conditions_without_conditions(minimal_plan: MinimalPlan) -> None:
    gng = checkpoint(
        "G", kind="go-no-go", decision="go-with-conditions", decided_by="SRO", decided_at=FDP
    )
    assert problems(with_tasks(minimal_plan, checkpoints=[gng])) == [
        "plan.toml: checkpoints[0] (G).conditions: is required with decision 'go-with-conditions'"
    ]
    gng["conditions"] = "Rollback rehearsed by 18:00"
    validate(with_tasks(minimal_plan, checkpoints=[gng]), SOURCE)


@pytest.mark.parametrize("decision", ["go", "no-go"])
def test_decision_without_decided_by_and_decided_at(
    minimal_plan: MinimalPlan, decision: str
) -> None:
    gng = checkpoint("G", kind="go-no-go", decision=decision)
    assert problems(with_tasks(minimal_plan, checkpoints=[gng])) == [
        f"plan.toml: checkpoints[0] (G).decided_by: is required once the decision is '{decision}'",
        f"plan.toml: checkpoints[0] (G).decided_at: is required once the decision is '{decision}'",
    ]


def test_pending_go_no_go_needs_no_decider(minimal_plan: MinimalPlan) -> None:
    validate(with_tasks(minimal_plan, checkpoints=[checkpoint("G", kind="go-no-go")]), SOURCE)


def test_decision_on_a_plain_checkpoint(minimal_plan: MinimalPlan) -> None:
    review = checkpoint("C", decision="go", decided_by="SRO", decided_at=FDP)
    assert problems(with_tasks(minimal_plan, checkpoints=[review])) == [
        "plan.toml: checkpoints[0] (C).decision: only a go-no-go checkpoint takes a decision"
    ]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            {"go_live": "2026-12-04T16:59:59Z"},
            ["plan.toml: plan.go_live: is before final_data_production"],
        ),
        (
            {"cutover_sla": "72h", "sla_warning": "72h"},
            ["plan.toml: plan.sla_warning: must be shorter than cutover_sla"],
        ),
        (
            {"sla_warning": "12h"},
            ["plan.toml: plan.sla_warning: is set but there is no cutover_sla to warn of"],
        ),
        ({"cutover_sla": "0m"}, ["plan.toml: plan.cutover_sla: must be longer than zero"]),
        (
            {"blocker_update_interval": "PT0S"},
            ["plan.toml: plan.blocker_update_interval: must be longer than zero"],
        ),
        (
            {"timezone": "Europe/Lundon"},
            ["plan.toml: plan.timezone: is not a known IANA time zone: 'Europe/Lundon'"],
        ),
        (
            {"clocks": ["Asia/Kolkata", "Mars/Olympus"]},
            ["plan.toml: plan.clocks[1]: is not a known IANA time zone: 'Mars/Olympus'"],
        ),
    ],
)
def test_header_rules(
    minimal_plan: MinimalPlan, header: dict[str, Any], expected: list[str]
) -> None:
    document = minimal_plan()
    document["plan"].update(header)
    assert problems(document) == expected


def test_header_defaults(minimal_plan: MinimalPlan) -> None:
    document = minimal_plan()
    document["plan"]["cutover_sla"] = "72h"
    header = validate(document, SOURCE).header
    assert header.sla_warning_span == timedelta(hours=12)
    assert header.stale_after == timedelta(minutes=15)
    assert header.zone.key == "UTC"


# --- unknown keys and `extra` -------------------------------------------------------------------


def test_unknown_keys_are_errors_with_a_suggestion(minimal_plan: MinimalPlan) -> None:
    document = with_tasks(
        minimal_plan,
        task("A", titel="typo"),
        blockers=[blocker("B1", severety="high")],
        checkpoints=[checkpoint("G", criteria=[{"text": "Backups verified", "stat": "met"}])],
        contacts=[{"name": "Ops", "emial": "ops@example.com"}],
        log=[{"at": FDP, "text": "hi", "actr": "me"}],
    )
    document["plan"]["timezon"] = "UTC"
    document["revison"] = 2
    assert problems(document) == [
        "plan.toml: plan.timezon: unknown key (did you mean 'timezone'?)",
        "plan.toml: tasks[0] (A).titel: unknown key (did you mean 'title'?)",
        "plan.toml: blockers[0] (B1).severety: unknown key (did you mean 'severity'?)",
        "plan.toml: checkpoints[0] (G).criteria[0].stat: unknown key (did you mean 'state'?)",
        "plan.toml: contacts[0].emial: unknown key (did you mean 'email'?)",
        "plan.toml: log[0].actr: unknown key (did you mean 'actor'?)",
        "plan.toml: revison: unknown key (did you mean 'revision'?)",
    ]


def test_unknown_key_without_a_close_match_lists_allowed_keys(minimal_plan: MinimalPlan) -> None:
    document = minimal_plan()
    document["contacts"] = [{"name": "Ops", "zzz": 1}]
    assert problems(document) == [
        "plan.toml: contacts[0].zzz: unknown key (allowed: name, role, party, phone, email, "
        "channel, on_call, extra)"
    ]


def test_anything_goes_under_extra_at_every_level(minimal_plan: MinimalPlan) -> None:
    anything = {"whatever": {"deeply": [1, "two", {"three": 3.0}]}, "bogus": True}
    document = with_tasks(
        minimal_plan,
        task("A", extra=anything),
        blockers=[blocker("B1", extra=anything)],
        checkpoints=[checkpoint("G", extra=anything, criteria=[{"text": "t", "extra": anything}])],
        contacts=[{"name": "Ops", "extra": anything}],
        log=[{"at": FDP, "text": "hi", "extra": anything}],
        extra=anything,
    )
    document["plan"]["extra"] = anything
    plan = validate(document, SOURCE)
    assert plan.extra == anything
    assert plan.tasks[0].extra == anything
    assert plan.checkpoints[0].criteria[0].extra == anything


def test_extra_must_be_a_table(minimal_plan: MinimalPlan) -> None:
    document = with_tasks(minimal_plan, task("A", extra=["not", "a", "table"]))
    assert problems(document) == [
        "plan.toml: tasks[0] (A).extra: must be a table (an object of keys), not a list"
    ]


# --- schema_version -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "shown"), [(2, "2"), (0, "0"), ("1", "'1'"), (1.0, "1.0"), (True, "true")]
)
def test_other_schema_version_is_one_clear_error(
    minimal_plan: MinimalPlan, version: Any, shown: str
) -> None:
    document = minimal_plan()
    document["schema_version"] = version
    document["tasks"] = [{"id": "bad id", "phase": "?"}]  # not reported: the version decides
    assert problems(document) == [
        f"plan.toml: schema_version: unsupported version {shown}: this cutover-tui reads version 1"
    ]


def test_missing_schema_version_is_required(minimal_plan: MinimalPlan) -> None:
    document = minimal_plan()
    del document["schema_version"]
    assert problems(document) == ["plan.toml: schema_version: is required"]


# --- rendering and collecting -------------------------------------------------------------------


def test_problem_rendering_names_file_record_and_field(minimal_plan: MinimalPlan) -> None:
    document = with_tasks(
        minimal_plan,
        task("A"),
        task("B"),
        task("C1"),
        task("C2", planned_start="2026-12-04T18:00:00Z", planned_end="2026-12-04T17:00:00Z"),
    )
    assert problems(document) == ["plan.toml: tasks[3] (C2).planned_end: is before planned_start"]


def test_problem_source_is_the_name_as_given(minimal_plan: MinimalPlan, write_plan: Any) -> None:
    document = with_tasks(
        minimal_plan, task("A", planned_start=FDP, planned_end="2026-12-04T16:00:00Z")
    )
    path: Path = write_plan(document, "night.json")
    with pytest.raises(PlanError) as caught:
        model.load_path(path, source="plans/night.json")
    assert (
        str(caught.value) == "plans/night.json: tasks[0] (A).planned_end: is before planned_start"
    )
    with pytest.raises(PlanError) as caught:
        model.load_path(path)
    assert str(caught.value).startswith(f"{path}: tasks[0] (A).planned_end: ")


def test_record_without_a_usable_id_is_located_by_index(minimal_plan: MinimalPlan) -> None:
    document = with_tasks(
        minimal_plan, task("has space", title=""), {"title": "t", "phase": "cutover"}
    )
    assert problems(document) == [
        "plan.toml: tasks[0].id: must use only letters, digits, '-', '_' and '.' (no spaces)",
        "plan.toml: tasks[0].title: must not be empty",
        "plan.toml: tasks[1].id: is required",
    ]


def test_problem_str_without_a_path() -> None:
    assert str(Problem("plan.toml", "", "is empty (0 bytes)")) == "plan.toml: is empty (0 bytes)"
    error = PlanError.single("x.json", "no such file")
    assert str(error) == "x.json: no such file"
    assert error.problems == [Problem("x.json", "", "no such file")]


def test_plan_error_needs_a_problem() -> None:
    with pytest.raises(ValueError, match="at least one problem"):
        PlanError([])


def test_every_problem_is_collected_in_document_order(minimal_plan: MinimalPlan) -> None:
    document = with_tasks(
        minimal_plan,
        task("A", status="finished"),
        task("B", depends_on=["Z"], planned_start=FDP, planned_end="2026-12-04T16:00:00Z"),
        task("C", milestone="yes"),
        blockers=[blocker("B1", severity="urgent"), blocker("B2", status="resolved")],
        checkpoints=[checkpoint("G", decision="go")],
        contacts=[{"role": "DBA"}],
        log=[{"text": "no time"}],
    )
    document["revision"] = -1
    document["plan"]["title"] = ""
    assert problems(document) == [
        "plan.toml: revision: must be at least 0",
        "plan.toml: plan.title: must not be empty",
        "plan.toml: tasks[0] (A).status: must be 'not-started', 'in-progress', 'done', "
        "'blocked', 'skipped' or 'failed', not 'finished'",
        "plan.toml: tasks[1] (B).planned_end: is before planned_start",
        "plan.toml: tasks[1] (B).depends_on[0]: unknown task 'Z'",
        "plan.toml: tasks[2] (C).milestone: must be true or false, not 'yes'",
        "plan.toml: blockers[0] (B1).severity: must be 'critical', 'high', 'medium' or 'low', "
        "not 'urgent'",
        "plan.toml: blockers[1] (B2).resolved_at: is required when status is 'resolved'",
        "plan.toml: checkpoints[0] (G).decision: only a go-no-go checkpoint takes a decision",
        "plan.toml: checkpoints[0] (G).decided_by: is required once the decision is 'go'",
        "plan.toml: checkpoints[0] (G).decided_at: is required once the decision is 'go'",
        "plan.toml: contacts[0].name: is required",
        "plan.toml: log[0].at: is required",
    ]


def test_rules_still_run_on_records_with_broken_fields(minimal_plan: MinimalPlan) -> None:
    document = with_tasks(
        minimal_plan,
        task(
            "A",
            phase="later",
            planned_start=FDP,
            planned_end="2026-12-04T16:00:00Z",
            actual_end=FDP,
        ),
        task("B", depends_on=["A"]),
        checkpoints=[
            checkpoint("G", kind="gonogo", decision="go", contingency=["B"]),
        ],
    )
    document["plan"].update(id="bad id", go_live="2026-12-01T00:00:00Z")
    assert problems(document) == [
        "plan.toml: plan.id: must use only letters, digits, '-', '_' and '.' (no spaces)",
        "plan.toml: plan.go_live: is before final_data_production",
        "plan.toml: tasks[0] (A).phase: must be 'pre-cutover', 'cutover', 'post-cutover' or "
        "'contingency', not 'later'",
        "plan.toml: tasks[0] (A).planned_end: is before planned_start",
        "plan.toml: tasks[0] (A).actual_end: is set but status is 'not-started' "
        "(only a done, failed or skipped task has ended)",
        "plan.toml: checkpoints[0] (G).kind: must be 'checkpoint' or 'go-no-go', not 'gonogo'",
        "plan.toml: checkpoints[0] (G).decided_by: is required once the decision is 'go'",
        "plan.toml: checkpoints[0] (G).decided_at: is required once the decision is 'go'",
        "plan.toml: checkpoints[0] (G).contingency[0]: task 'B' is in phase 'cutover'; "
        "only contingency-phase tasks run on No-Go",
    ]


def test_wrong_types_are_named(minimal_plan: MinimalPlan) -> None:
    document = with_tasks(
        minimal_plan,
        task("A", depends_on="B", title=7, rehearsal_only=1),
        contacts=[{"name": "Ops", "on_call": "true"}],
    )
    document["revision"] = "3"
    document["blockers"] = {"B1": {}}
    assert problems(document) == [
        "plan.toml: revision: must be a whole number, not '3'",
        "plan.toml: tasks[0] (A).title: must be text, not 7",
        "plan.toml: tasks[0] (A).depends_on: must be a list, not 'B'",
        "plan.toml: tasks[0] (A).rehearsal_only: must be true or false, not 1",
        "plan.toml: blockers: must be a list, not a table",
        "plan.toml: contacts[0].on_call: must be true or false, not 'true'",
    ]


def test_valid_document_gives_a_frozen_plan(minimal_plan: MinimalPlan) -> None:
    document = with_tasks(minimal_plan, task("A", duration="1h"), task("B", depends_on=["A"]))
    plan = validate(document, SOURCE)
    assert plan.task_by_id["B"].depends_on == ("A",)
    assert plan.tasks[0].status is model.TaskStatus.NOT_STARTED
    with pytest.raises(ValueError, match="frozen"):
        plan.tasks[0].title = "changed"  # type: ignore[misc]
