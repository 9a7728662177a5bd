"""What changed since the last look (`insight.since`), on the GP sample plan."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from cutover_tui import insight
from cutover_tui.changes import (
    Change,
    RaiseBlocker,
    RecordDecision,
    SetTaskStatus,
    UpdateBlocker,
    apply,
)
from cutover_tui.insight.since import SECTION_HEADINGS, Changed, ChangeSummary, what_changed
from cutover_tui.model import (
    BlockerStatus,
    Plan,
    Severity,
    TaskStatus,
    load_path,
    to_data,
    validate,
)

GP = Path(__file__).parents[1] / "sample_plans" / "gp-practice-migration.toml"
AT_15 = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
LATER = AT_15 + timedelta(minutes=5)


@pytest.fixture(scope="module")
def plan() -> Plan:
    return load_path(GP)


def changed(plan: Plan, *changes: Change, at: datetime = LATER) -> Plan:
    for change in changes:
        plan = apply(plan, change, "Duty manager", at)
    return plan


def edited(plan: Plan, edit: Callable[[dict[str, Any]], None]) -> Plan:
    data = to_data(plan)
    edit(data)
    return validate(data, "test")


def ids(entries: tuple[Changed, ...]) -> list[str]:
    return [entry.id for entry in entries]


def only(summary: ChangeSummary) -> dict[str, list[str]]:
    """The non-empty sections, by field name: what a test expects and nothing else."""
    return {name: ids(entries) for name, _, entries in summary.sections() if entries}


def test_the_same_plan_a_moment_later_is_nothing_new(plan: Plan) -> None:
    summary = what_changed(plan, AT_15, plan, LATER)
    assert summary.is_empty
    assert only(summary) == {}
    assert (summary.before_at, summary.after_at) == (AT_15, LATER)
    assert [section.heading for section in summary.sections()] == list(SECTION_HEADINGS.values())


def test_tasks_finished_started_blocked_and_failed(plan: Plan) -> None:
    after = changed(
        plan,
        SetTaskStatus(task="PRE-11", status=TaskStatus.DONE),
        SetTaskStatus(task="PRE-15", status=TaskStatus.IN_PROGRESS),
        SetTaskStatus(task="PRE-12", status=TaskStatus.FAILED),
        SetTaskStatus(task="CUT-02", status=TaskStatus.BLOCKED),
        SetTaskStatus(task="CUT-03", status=TaskStatus.SKIPPED),
    )
    summary = what_changed(plan, AT_15, after, LATER)
    assert only(summary) == {
        "finished": ["PRE-11", "CUT-03"],
        "started": ["PRE-15"],
        "blocked": ["PRE-12", "CUT-02"],
    }
    assert summary.finished[0] == Changed("PRE-11", plan.task_by_id["PRE-11"].title, "done")
    assert summary.finished[1].detail == "skipped"
    assert [entry.detail for entry in summary.blocked] == ["failed", "blocked"]
    assert not summary.is_empty


def test_a_blocked_task_that_resumes_is_not_started_again(plan: Plan) -> None:
    assert plan.task_by_id["PRE-13"].status is TaskStatus.BLOCKED
    after = changed(plan, SetTaskStatus(task="PRE-13", status=TaskStatus.IN_PROGRESS))
    assert what_changed(plan, AT_15, after, LATER).is_empty


def test_newly_late_follows_the_insight_rules_as_time_passes(plan: Plan) -> None:
    at_1631 = datetime(2026, 12, 4, 16, 31, tzinfo=UTC)
    summary = what_changed(plan, AT_15, plan, at_1631)
    late_before = {task.id for task in insight.late_tasks(plan, AT_15)}
    late_after = [task.id for task in insight.late_tasks(plan, at_1631)]
    assert late_before  # PRE-13 was late already: not news
    assert ids(summary.newly_late) == [t for t in late_after if t not in late_before]
    assert "PRE-11" in ids(summary.newly_late)  # in progress, due 16:30
    assert "PRE-15" in ids(summary.newly_late)  # not started, due to start 16:30
    assert only(summary).keys() == {"newly_late"}


def test_a_task_finished_in_time_is_not_newly_late(plan: Plan) -> None:
    at_1631 = datetime(2026, 12, 4, 16, 31, tzinfo=UTC)
    after = changed(plan, SetTaskStatus(task="PRE-11", status=TaskStatus.DONE), at=at_1631)
    summary = what_changed(plan, AT_15, after, at_1631)
    assert "PRE-11" not in ids(summary.newly_late)
    assert ids(summary.finished) == ["PRE-11"]


def test_late_is_judged_in_each_plan_at_its_own_time(plan: Plan) -> None:
    # PRE-13 is late at 15:00; moved to "not started" with a start in the future it is not, and
    # late again once that start passes: the late rule of `figures` decides both times.
    def replan(data: dict[str, Any]) -> None:
        task = next(t for t in data["tasks"] if t["id"] == "PRE-13")
        task.update(status="not-started", planned_start="2026-12-04T15:10:00Z")
        task.update(planned_end="2026-12-04T16:00:00Z")
        data["blockers"] = [b for b in data["blockers"] if "PRE-13" not in b.get("tasks", [])]

    before = edited(plan, replan)
    assert not insight.is_late(before.task_by_id["PRE-13"], AT_15)
    summary = what_changed(before, AT_15, before, AT_15 + timedelta(minutes=11))
    assert ids(summary.newly_late) == ["PRE-13"]


def test_blockers_raised_resolved_and_reopened(plan: Plan) -> None:
    assert plan.blocker_by_id["B-03"].status is BlockerStatus.RESOLVED
    after = changed(
        plan,
        RaiseBlocker(id="B-09", title="[red]Server room[/] flooded", severity=Severity.CRITICAL),
        UpdateBlocker(blocker="B-01", status=BlockerStatus.RESOLVED),
        UpdateBlocker(blocker="B-03", status=BlockerStatus.OPEN),
        UpdateBlocker(blocker="B-04", note="Pads ordered"),  # an update is not news here
    )
    summary = what_changed(plan, AT_15, after, LATER)
    assert only(summary) == {"blockers_raised": ["B-03", "B-09"], "blockers_resolved": ["B-01"]}
    raised = {entry.id: entry for entry in summary.blockers_raised}
    assert raised["B-09"] == Changed("B-09", "[red]Server room[/] flooded", "critical")
    assert raised["B-03"].detail == "medium, reopened"


def test_a_blocker_raised_and_resolved_between_looks_is_both(plan: Plan) -> None:
    after = changed(
        plan,
        RaiseBlocker(id="B-10", title="Printer jam"),
        UpdateBlocker(blocker="B-10", status=BlockerStatus.RESOLVED),
    )
    summary = what_changed(plan, AT_15, after, LATER)
    assert only(summary) == {"blockers_raised": ["B-10"], "blockers_resolved": ["B-10"]}


def test_decisions_made_say_what_and_who(plan: Plan) -> None:
    after = changed(plan, RecordDecision(checkpoint="GNG-FDP", decision="go", decided_by="Dr Shah"))
    summary = what_changed(plan, AT_15, after, LATER)
    assert only(summary) == {"decisions": ["GNG-FDP"]}
    assert summary.decisions[0] == Changed(
        "GNG-FDP", "Go/No-Go for final data production", "Go by Dr Shah"
    )
    # Changing a decision already made is a decision made too; repeating nothing is not.
    later = changed(
        after,
        RecordDecision(
            checkpoint="GNG-FDP",
            decision="go-with-conditions",
            conditions="Pads at Elm Road by 17:00",
            decided_by="Dr Shah",
        ),
    )
    again = what_changed(after, LATER, later, LATER)
    assert again.decisions[0].detail == "Go with conditions by Dr Shah"
    assert what_changed(later, LATER, later, LATER).is_empty


def test_tasks_added_and_removed_in_plan_order(plan: Plan) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["tasks"] = [t for t in data["tasks"] if t["id"] != "POST-06"]
        data["tasks"].append(
            {"id": "POST-07", "title": "[b]Thank[/b] the team", "phase": "post-cutover"}
        )

    after = edited(plan, edit)
    summary = what_changed(plan, AT_15, after, LATER)
    assert only(summary) == {"tasks_added": ["POST-07"], "tasks_removed": ["POST-06"]}
    assert summary.tasks_added[0] == Changed("POST-07", "[b]Thank[/b] the team", "not-started")
    assert summary.tasks_removed[0].title == plan.task_by_id["POST-06"].title


def test_an_added_task_already_late_is_added_and_newly_late(plan: Plan) -> None:
    def add(data: dict[str, Any]) -> None:
        data["tasks"].append(
            {
                "id": "PRE-99",
                "title": "Forgotten step",
                "phase": "pre-cutover",
                "planned_start": "2026-12-04T14:00:00Z",
                "duration": "30m",
            }
        )

    after = edited(plan, add)
    summary = what_changed(plan, AT_15, after, LATER)
    assert only(summary) == {"newly_late": ["PRE-99"], "tasks_added": ["PRE-99"]}
