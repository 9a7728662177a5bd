"""Changes: each kind applied to a plan, the bookkeeping every change does, and refusals."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import ValidationError

from cutover_tui.changes import (
    CHANGE_KINDS,
    KIND_NAMES,
    AddTaskNote,
    Change,
    ChangeRejected,
    RaiseBlocker,
    RecordDecision,
    SetCriterion,
    SetTaskStatus,
    SetTaskTimes,
    UpdateBlocker,
    apply,
    change_to_data,
    change_to_json,
    parse_change,
)
from cutover_tui.model import (
    BlockerStatus,
    CriterionState,
    Decision,
    Plan,
    Severity,
    TaskStatus,
    dump_json,
    dump_toml,
    load_bytes,
    validate,
)

NOW = datetime(2026, 12, 4, 16, 52, tzinfo=UTC)
EARLIER = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)
ACTOR = "Practice Manager"


def _document() -> dict[str, Any]:
    return {
        "schema_version": 1,
        "revision": 4,
        "updated_at": "2026-12-04T14:00:00Z",
        "plan": {
            "id": "changes-test",
            "title": "Changes test",
            "timezone": "Europe/London",
            "final_data_production": "2026-12-04T17:00:00Z",
        },
        "tasks": [
            {"id": "T1", "title": "Log everyone off", "phase": "pre-cutover"},
            {
                "id": "T2",
                "title": "Clear the workflow",
                "phase": "pre-cutover",
                "status": "in-progress",
                "actual_start": "2026-12-04T09:00:00Z",
                "notes": "Started at nine.",
            },
            {
                "id": "T3",
                "title": "Print the day lists",
                "phase": "pre-cutover",
                "status": "done",
                "actual_start": "2026-12-04T12:00:00Z",
                "actual_end": "2026-12-04T13:00:00Z",
            },
            {
                "id": "FDP",
                "title": "Final data production",
                "phase": "cutover",
                "milestone": True,
                "planned_start": "2026-12-04T17:00:00Z",
            },
            {"id": "R1", "title": "Roll back", "phase": "contingency", "duration": "1h"},
        ],
        "blockers": [
            {
                "id": "B-01",
                "title": "Smartcard will not load the role",
                "severity": "high",
                "tasks": ["T2"],
                "raised_at": "2026-12-04T13:10:00Z",
                "notes": "Escalated.",
            },
            {
                "id": "B-02",
                "title": "Old printer",
                "status": "resolved",
                "raised_at": "2026-12-03T10:00:00Z",
                "resolved_at": "2026-12-03T11:00:00Z",
            },
        ],
        "checkpoints": [
            {
                "id": "GNG",
                "title": "Go/No-Go for final data production",
                "at": "2026-12-04T16:00:00Z",
                "kind": "go-no-go",
                "criteria": [
                    {"text": "Supplier confirmed the slot", "state": "met", "by": "PM"},
                    {"text": "Packs issued to every clinician"},
                ],
                "contingency": ["R1"],
            },
            {
                "id": "CP",
                "title": "Import check",
                "at": "2026-12-05T10:30:00Z",
                "criteria": [{"text": "Import finished"}],
            },
        ],
        "log": [{"at": "2026-12-04T14:00:00Z", "actor": "PM", "text": "Day started."}],
    }


@pytest.fixture
def plan() -> Plan:
    return validate(_document(), "test")


def _applied(plan: Plan, *changes: Change, now: datetime = NOW) -> Plan:
    for change in changes:
        plan = apply(plan, change, ACTOR, now)
    return plan


def _rejected(plan: Plan, change: Change, now: datetime = NOW) -> str:
    with pytest.raises(ChangeRejected) as caught:
        apply(plan, change, ACTOR, now)
    return caught.value.reason


def _reads_back(plan: Plan) -> None:
    assert load_bytes(dump_json(plan).encode(), "plan.json") == plan
    assert load_bytes(dump_toml(plan).encode(), "plan.toml") == plan


# --- what every change does -------------------------------------------------------------------


def test_a_change_bumps_the_revision_stamps_the_time_and_logs(plan: Plan) -> None:
    after = apply(plan, SetTaskStatus(task="T1", status="in-progress"), ACTOR, NOW)
    assert after.revision == plan.revision + 1
    assert after.updated_at == NOW
    assert after.log[:-1] == plan.log
    entry = after.log[-1]
    assert (entry.at, entry.actor, entry.ref) == (NOW, ACTOR, "T1")
    assert entry.text == "T1 started: Log everyone off"


def test_apply_returns_a_new_plan_and_leaves_the_old_one_alone(plan: Plan) -> None:
    before = dump_json(plan)
    after = apply(plan, SetTaskStatus(task="T1", status="in-progress"), ACTOR, NOW)
    assert after is not plan
    assert dump_json(plan) == before
    assert plan.task_by_id["T1"].status is TaskStatus.NOT_STARTED


def test_now_is_written_in_utc(plan: Plan) -> None:
    london_winter = timezone(timedelta(hours=5, minutes=30))
    after = apply(
        plan, SetTaskStatus(task="T1", status="in-progress"), ACTOR, NOW.astimezone(london_winter)
    )
    assert after.updated_at == NOW
    assert '"updated_at": "2026-12-04T16:52:00Z"' in dump_json(after)


def test_now_must_carry_an_offset(plan: Plan) -> None:
    with pytest.raises(ValueError, match="offset-aware"):
        apply(plan, SetTaskStatus(task="T1", status="done"), ACTOR, NOW.replace(tzinfo=None))


@pytest.mark.parametrize("actor", ["", "   ", "x" * 201])
def test_the_actor_must_be_named_within_limits(plan: Plan, actor: str) -> None:
    with pytest.raises(ChangeRejected, match="actor"):
        apply(plan, SetTaskStatus(task="T1", status="done"), actor, NOW)


def test_the_actor_is_one_line(plan: Plan) -> None:
    after = apply(plan, SetTaskStatus(task="T1", status="done"), "Sarah\nWhitfield", NOW)
    assert after.log[-1].actor == "Sarah Whitfield"


# --- tasks ------------------------------------------------------------------------------------


def test_starting_a_task_stamps_its_actual_start(plan: Plan) -> None:
    task = _applied(plan, SetTaskStatus(task="T1", status="in-progress")).task_by_id["T1"]
    assert (task.status, task.actual_start, task.actual_end) == (TaskStatus.IN_PROGRESS, NOW, None)


def test_a_given_actual_start_is_kept(plan: Plan) -> None:
    change = SetTaskStatus(task="T1", status="in-progress", actual_start=EARLIER)
    after = _applied(plan, change)
    assert after.task_by_id["T1"].actual_start == EARLIER
    assert after.log[-1].text == "T1 started: Log everyone off (started Fri 04 Dec 16:00 GMT)"


def test_finishing_a_task_stamps_its_end_and_keeps_its_start(plan: Plan) -> None:
    task = _applied(plan, SetTaskStatus(task="T2", status="done")).task_by_id["T2"]
    assert task.status is TaskStatus.DONE
    assert task.actual_start == datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
    assert task.actual_end == NOW


@pytest.mark.parametrize("status", ["failed", "skipped"])
def test_failing_or_skipping_stamps_the_end(plan: Plan, status: str) -> None:
    task = _applied(plan, SetTaskStatus(task="T1", status=status)).task_by_id["T1"]
    assert (task.status.value, task.actual_start, task.actual_end) == (status, None, NOW)


def test_a_milestone_is_reached_at_one_instant(plan: Plan) -> None:
    after = _applied(plan, SetTaskStatus(task="FDP", status="done"))
    milestone = after.task_by_id["FDP"]
    assert milestone.actual_start == milestone.actual_end == NOW
    assert after.log[-1].text == "FDP reached: Final data production"


def test_reopening_a_done_task_clears_its_end(plan: Plan) -> None:
    after = _applied(plan, SetTaskStatus(task="T3", status="in-progress"))
    task = after.task_by_id["T3"]
    assert (task.status, task.actual_end) == (TaskStatus.IN_PROGRESS, None)
    assert task.actual_start == datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
    assert after.log[-1].text.startswith("T3 reopened")


def test_resetting_a_task_clears_both_times(plan: Plan) -> None:
    task = _applied(plan, SetTaskStatus(task="T3", status="not-started")).task_by_id["T3"]
    assert (task.status, task.actual_start, task.actual_end) == (TaskStatus.NOT_STARTED, None, None)


def test_blocking_a_task_keeps_its_start(plan: Plan) -> None:
    task = _applied(plan, SetTaskStatus(task="T2", status="blocked")).task_by_id["T2"]
    assert (task.status, task.actual_start) == (
        TaskStatus.BLOCKED,
        plan.task_by_id["T2"].actual_start,
    )


def test_a_status_change_that_changes_nothing_is_refused(plan: Plan) -> None:
    assert _rejected(plan, SetTaskStatus(task="T3", status="done")) == "task 'T3' is already done"


def test_a_task_that_has_not_ended_has_no_end(plan: Plan) -> None:
    reason = _rejected(plan, SetTaskStatus(task="T1", status="in-progress", actual_end=NOW))
    assert "actual_end is not allowed" in reason
    reason = _rejected(plan, SetTaskStatus(task="T3", status="not-started", actual_start=NOW))
    assert reason == "a task that has not started has no actual times"


def test_an_unknown_task_is_refused(plan: Plan) -> None:
    assert _rejected(plan, SetTaskStatus(task="T9", status="done")) == "unknown task 'T9'"
    assert _rejected(plan, AddTaskNote(task="T9", text="x")) == "unknown task 'T9'"
    assert _rejected(plan, SetTaskTimes(task="T9", actual_start=NOW)) == "unknown task 'T9'"


def test_setting_actual_times(plan: Plan) -> None:
    after = _applied(
        plan, SetTaskTimes(task="T3", actual_end=datetime(2026, 12, 4, 13, 30, tzinfo=UTC))
    )
    task = after.task_by_id["T3"]
    assert task.actual_end == datetime(2026, 12, 4, 13, 30, tzinfo=UTC)
    assert task.actual_start == plan.task_by_id["T3"].actual_start
    assert after.log[-1].ref == "T3"
    assert "ended Fri 04 Dec 13:30 GMT" in after.log[-1].text


def test_actual_times_are_refused_where_they_make_no_sense(plan: Plan) -> None:
    assert "has not started" in _rejected(plan, SetTaskTimes(task="T1", actual_start=EARLIER))
    assert "only a done, failed or skipped task" in _rejected(
        plan, SetTaskTimes(task="T2", actual_end=NOW)
    )
    same = SetTaskTimes(task="T3", actual_end=datetime(2026, 12, 4, 13, 0, tzinfo=UTC))
    assert _rejected(plan, same) == "task 'T3' already has these actual times"


def test_set_task_times_needs_a_time() -> None:
    with pytest.raises(ValidationError, match="give actual_start, actual_end or both"):
        SetTaskTimes(task="T1")


def test_a_change_that_would_make_the_plan_invalid_is_refused_with_the_rule(plan: Plan) -> None:
    late_start = SetTaskTimes(task="T3", actual_start=datetime(2026, 12, 4, 14, 0, tzinfo=UTC))
    assert _rejected(plan, late_start) == (
        "the change would make the plan invalid: tasks[2] (T3).actual_end: is before actual_start"
    )


def test_appending_a_note_to_a_task(plan: Plan) -> None:
    after = _applied(plan, AddTaskNote(task="T2", text="Half the documents filed.\nResults next."))
    assert after.task_by_id["T2"].notes == (
        "Started at nine.\n\n[Fri 04 Dec 16:52 GMT, Practice Manager] Half the documents filed.\n"
        "Results next."
    )
    assert after.log[-1].text == "Note on T2: Half the documents filed. Results next."
    first = _applied(plan, AddTaskNote(task="T1", text="First note."))
    assert first.task_by_id["T1"].notes == "[Fri 04 Dec 16:52 GMT, Practice Manager] First note."


def test_a_note_too_long_for_the_plan_is_refused(plan: Plan) -> None:
    long_notes = _applied(plan, AddTaskNote(task="T1", text="x" * 19_950))
    reason = _rejected(long_notes, AddTaskNote(task="T1", text="one more line"))
    assert reason.startswith("the change would make the plan invalid: tasks[0] (T1).notes:")
    assert "the limit is 20000" in reason


# --- blockers ---------------------------------------------------------------------------------


def test_raising_a_blocker(plan: Plan) -> None:
    change = RaiseBlocker(
        id="B-07",
        title="Two sessions still logged on",
        severity="critical",
        tasks=("T1",),
        owner="Practice Manager",
        notes="Elm Road.",
    )
    after = _applied(plan, change)
    blocker = after.blocker_by_id["B-07"]
    assert blocker.status is BlockerStatus.OPEN
    assert blocker.severity is Severity.CRITICAL
    assert (blocker.raised_at, blocker.updated_at, blocker.resolved_at) == (NOW, None, None)
    assert (blocker.tasks, blocker.owner, blocker.notes) == (
        ("T1",),
        "Practice Manager",
        "Elm Road.",
    )
    assert after.log[-1].text == "Raised B-07 (critical): Two sessions still logged on — blocks T1"
    assert after.log[-1].ref == "B-07"
    _reads_back(after)


def test_a_raised_blocker_gets_the_next_free_id(plan: Plan) -> None:
    after = _applied(plan, RaiseBlocker(title="One"), RaiseBlocker(title="Two"))
    assert [blocker.id for blocker in after.blockers] == ["B-01", "B-02", "B-03", "B-04"]
    assert after.blocker_by_id["B-03"].severity is Severity.MEDIUM


def test_raising_a_blocker_is_refused_for_a_taken_id_or_an_unknown_task(plan: Plan) -> None:
    assert _rejected(plan, RaiseBlocker(id="B-01", title="x")) == "a blocker 'B-01' already exists"
    assert _rejected(plan, RaiseBlocker(title="x", tasks=("T9",))) == "unknown task 'T9'"


def test_updating_a_blocker(plan: Plan) -> None:
    change = UpdateBlocker(
        blocker="B-01",
        severity="medium",
        status="mitigated",
        owner="RA desk",
        note="Fallback agreed.",
    )
    after = _applied(plan, change)
    blocker = after.blocker_by_id["B-01"]
    assert (blocker.severity, blocker.status, blocker.owner) == (
        Severity.MEDIUM,
        BlockerStatus.MITIGATED,
        "RA desk",
    )
    assert blocker.updated_at == NOW
    assert blocker.resolved_at is None
    assert (
        blocker.notes == "Escalated.\n\n[Fri 04 Dec 16:52 GMT, Practice Manager] Fallback agreed."
    )
    assert after.log[-1].text == (
        "B-01 mitigated: Smartcard will not load the role "
        "(severity high → medium; owner now RA desk) — Fallback agreed."
    )


def test_resolving_a_blocker_stamps_resolved_at_and_reopening_clears_it(plan: Plan) -> None:
    resolved = _applied(plan, UpdateBlocker(blocker="B-01", status="resolved"))
    blocker = resolved.blocker_by_id["B-01"]
    assert (blocker.status, blocker.resolved_at, blocker.updated_at) == (
        BlockerStatus.RESOLVED,
        NOW,
        NOW,
    )
    assert resolved.log[-1].text == "B-01 resolved: Smartcard will not load the role"
    later = NOW + timedelta(minutes=5)
    reopened = _applied(resolved, UpdateBlocker(blocker="B-01", status="open"), now=later)
    blocker = reopened.blocker_by_id["B-01"]
    assert (blocker.status, blocker.resolved_at, blocker.updated_at) == (
        BlockerStatus.OPEN,
        None,
        later,
    )
    assert reopened.log[-1].text.startswith("B-01 reopened as open")


def test_an_update_that_changes_nothing_is_refused(plan: Plan) -> None:
    reason = _rejected(plan, UpdateBlocker(blocker="B-01", severity="high", status="open"))
    assert reason == "blocker 'B-01' already is as the change asks"
    with pytest.raises(ValidationError, match="give at least one"):
        UpdateBlocker(blocker="B-01")


def test_an_unknown_blocker_is_refused(plan: Plan) -> None:
    assert _rejected(plan, UpdateBlocker(blocker="B-99", note="x")) == "unknown blocker 'B-99'"


def test_an_update_before_the_blocker_was_raised_is_refused(plan: Plan) -> None:
    reason = _rejected(
        plan, UpdateBlocker(blocker="B-01", note="x"), now=EARLIER - timedelta(hours=5)
    )
    assert reason == (
        "the change would make the plan invalid: blockers[0] (B-01).updated_at: is before raised_at"
    )


# --- checkpoints ------------------------------------------------------------------------------


def test_setting_a_criterion(plan: Plan) -> None:
    after = _applied(
        plan, SetCriterion(checkpoint="GNG", criterion=1, state="met", note="All acknowledged.")
    )
    criterion = after.checkpoint_by_id["GNG"].criteria[1]
    assert (criterion.state, criterion.by, criterion.note) == (
        CriterionState.MET,
        ACTOR,
        "All acknowledged.",
    )
    assert after.log[-1].ref == "GNG"
    assert after.log[-1].text == (
        "GNG criterion 2 of 2 met (by Practice Manager): Packs issued to every clinician"
        " — All acknowledged."
    )


def test_a_criterion_names_who_confirmed_it(plan: Plan) -> None:
    after = _applied(
        plan, SetCriterion(checkpoint="GNG", criterion=1, state="waived", by="Lead GP")
    )
    assert after.checkpoint_by_id["GNG"].criteria[1].by == "Lead GP"
    assert after.checkpoint_by_id["GNG"].criteria[0] == plan.checkpoint_by_id["GNG"].criteria[0]


def test_setting_a_criterion_is_refused_when_it_does_not_exist_or_changes_nothing(
    plan: Plan,
) -> None:
    assert _rejected(plan, SetCriterion(checkpoint="NOPE", criterion=0, state="met")) == (
        "unknown checkpoint 'NOPE'"
    )
    assert _rejected(plan, SetCriterion(checkpoint="GNG", criterion=2, state="met")) == (
        "checkpoint 'GNG' has 2 criteria: there is no criterion 2 (counted from 0)"
    )
    assert _rejected(plan, SetCriterion(checkpoint="GNG", criterion=0, state="met", by="PM")) == (
        "criterion 0 of 'GNG' is already met"
    )
    with pytest.raises(ValidationError):
        SetCriterion(checkpoint="GNG", criterion=-1, state="met")


def test_recording_a_decision(plan: Plan) -> None:
    after = _applied(plan, RecordDecision(checkpoint="GNG", decision="go"))
    checkpoint = after.checkpoint_by_id["GNG"]
    assert (checkpoint.decision, checkpoint.decided_by, checkpoint.decided_at) == (
        Decision.GO,
        ACTOR,
        NOW,
    )
    assert checkpoint.conditions is None
    assert after.log[-1].text == (
        "GNG decided GO by Practice Manager: Go/No-Go for final data production"
    )
    assert after.log[-1].ref == "GNG"
    _reads_back(after)


def test_a_decision_can_name_who_decided_and_carry_conditions(plan: Plan) -> None:
    change = RecordDecision(
        checkpoint="GNG",
        decision="go-with-conditions",
        conditions="Dr Okafor on site on Monday",
        decided_by="Project board",
    )
    checkpoint = _applied(plan, change).checkpoint_by_id["GNG"]
    assert checkpoint.decision is Decision.GO_WITH_CONDITIONS
    assert (checkpoint.decided_by, checkpoint.conditions) == (
        "Project board",
        "Dr Okafor on site on Monday",
    )


def test_changing_a_decision_replaces_its_conditions_and_says_so(plan: Plan) -> None:
    conditional = RecordDecision(checkpoint="GNG", decision="go-with-conditions", conditions="x")
    later = NOW + timedelta(minutes=30)
    after = _applied(
        _applied(plan, conditional), RecordDecision(checkpoint="GNG", decision="no-go"), now=later
    )
    checkpoint = after.checkpoint_by_id["GNG"]
    assert (checkpoint.decision, checkpoint.conditions, checkpoint.decided_at) == (
        Decision.NO_GO,
        None,
        later,
    )
    assert "NO GO (changed from GO WITH CONDITIONS)" in after.log[-1].text


def test_a_decision_on_a_progress_checkpoint_is_refused(plan: Plan) -> None:
    assert _rejected(plan, RecordDecision(checkpoint="CP", decision="go")) == (
        "checkpoint 'CP' is a progress checkpoint, not a Go/No-Go: it takes no decision"
    )


def test_deciding_the_same_again_or_an_unknown_checkpoint_is_refused(plan: Plan) -> None:
    decided = _applied(plan, RecordDecision(checkpoint="GNG", decision="go"))
    assert _rejected(decided, RecordDecision(checkpoint="GNG", decision="go")) == (
        "'GNG' is already decided go"
    )
    assert (
        _rejected(plan, RecordDecision(checkpoint="X", decision="go")) == "unknown checkpoint 'X'"
    )


def test_a_decision_cannot_be_pending_and_conditions_come_with_go_with_conditions() -> None:
    with pytest.raises(ValidationError):
        RecordDecision(checkpoint="GNG", decision="pending")
    with pytest.raises(ValidationError, match="needs its conditions"):
        RecordDecision(checkpoint="GNG", decision="go-with-conditions")


# --- reading and writing changes --------------------------------------------------------------

EVERY_KIND: list[Change] = [
    SetTaskStatus(task="T1", status="in-progress", actual_start=EARLIER),
    SetTaskTimes(task="T3", actual_start=EARLIER - timedelta(hours=5)),
    RaiseBlocker(
        title="Sessions still logged on", severity="high", tasks=("T1",), owner="PM", notes="a\nb"
    ),
    UpdateBlocker(blocker="B-01", status="resolved", note="Fixed."),
    SetCriterion(checkpoint="GNG", criterion=1, state="waived", by="Lead GP", note="On site."),
    RecordDecision(checkpoint="GNG", decision="go-with-conditions", conditions="Paper only"),
    AddTaskNote(task="T2", text="Half done."),
]


def test_every_kind_is_covered() -> None:
    assert sorted(type(change).__name__ for change in EVERY_KIND) == sorted(
        kind.__name__ for kind in CHANGE_KINDS
    )
    assert KIND_NAMES == (
        "set-task-status",
        "set-task-times",
        "raise-blocker",
        "update-blocker",
        "set-criterion",
        "record-decision",
        "add-task-note",
    )


@pytest.mark.parametrize("change", EVERY_KIND, ids=lambda change: change.kind)
def test_a_change_reads_back_from_json(change: Change) -> None:
    text = change_to_json(change)
    assert json.loads(text)["kind"] == change.kind
    assert next(iter(change_to_data(change))) == "kind"
    assert parse_change(text) == change
    assert parse_change(text.encode()) == change
    assert parse_change(json.loads(text)) == change


@pytest.mark.parametrize("change", EVERY_KIND, ids=lambda change: change.kind)
def test_the_plan_after_each_kind_reads_back_the_same(plan: Plan, change: Change) -> None:
    after = apply(plan, change, ACTOR, NOW)
    _reads_back(after)
    assert load_bytes(dump_json(after).encode(), "plan.json").revision == plan.revision + 1


def test_the_plan_after_every_kind_in_turn_reads_back_the_same(plan: Plan) -> None:
    after = _applied(plan, *EVERY_KIND)
    assert after.revision == plan.revision + len(EVERY_KIND)
    assert len(after.log) == len(plan.log) + len(EVERY_KIND)
    _reads_back(after)


def test_a_change_from_json_with_an_offset() -> None:
    change = parse_change(
        '{"kind": "set-task-status", "task": "T1", "status": "done",'
        ' "actual_end": "2026-12-04T18:00:00+01:00"}'
    )
    assert isinstance(change, SetTaskStatus)
    assert change.actual_end == datetime(2026, 12, 4, 17, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"kind": "explode"}', "kind: unknown kind 'explode'; one of set-task-status, "),
        ('{"task": "T1"}', "kind: is required (one of set-task-status"),
        ("[1, 2]", "a change must be a JSON object with a 'kind'"),
        ("{not json", "the change is not valid JSON"),
        (
            '{"kind": "add-task-note", "task": "T1", "text": "x", "colour": "red"}',
            "colour: unknown key",
        ),
        ('{"kind": "add-task-note", "task": "T1"}', "text: is required"),
        (
            '{"kind": "add-task-note", "task": "T 1", "text": "x"}',
            "task: string should match pattern",
        ),
        ('{"kind": "add-task-note", "task": "T1", "text": "  "}', "text: must not be empty"),
        (
            '{"kind": "set-task-times", "task": "T1", "actual_end": "2026-12-04T10:00"}',
            "actual_end: has no UTC offset",
        ),
        (
            '{"kind": "set-criterion", "checkpoint": "G", "criterion": true, "state": "met"}',
            "criterion: input should be a valid integer",
        ),
        (
            '{"kind": "record-decision", "checkpoint": "G", "decision": "pending"}',
            "decision: input should be 'go', 'go-with-conditions' or 'no-go'",
        ),
        (
            '{"kind": "raise-blocker", "title": "x", "severity": NaN}',
            "NaN and Infinity are not allowed",
        ),
        ('{"kind": "add-task-note", "task": "T1", "text": "' + "x" * 70_000 + '"}', "64 KiB limit"),
    ],
)
def test_a_bad_change_is_refused_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(ChangeRejected) as caught:
        parse_change(text)
    assert reason in caught.value.reason


def test_untrusted_text_in_a_change_is_cleaned() -> None:
    change = RaiseBlocker(
        title="Disk\x1b[2J full\nagain", notes="line one\nline\x07 two", owner=" \u202eRA "
    )
    assert change.title == "Disk\ufffd[2J full again"
    assert change.notes == "line one\nline\ufffd two"
    assert change.owner == "\ufffdRA"


def test_a_log_line_stays_on_one_line_and_within_limits(plan: Plan) -> None:
    after = _applied(plan, AddTaskNote(task="T1", text="first\nsecond " + "y" * 5_000))
    text = after.log[-1].text
    assert "\n" not in text
    assert len(text) == 1_000
    assert text.endswith("…")
    _reads_back(after)


def test_control_characters_in_the_actor_are_made_visible(plan: Plan) -> None:
    after = apply(plan, SetTaskStatus(task="T1", status="done"), "PM\x1b[31m", NOW)
    assert after.log[-1].actor == "PM\ufffd[31m"
    _reads_back(after)
