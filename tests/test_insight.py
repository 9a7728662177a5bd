"""Derived figures: the GP sample checked by hand at 15:00Z, and each rule on small plans."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from cutover_tui import insight
from cutover_tui.model import Phase, Plan, load_path, validate

AT_1500 = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def gp() -> Plan:
    return load_path(Path(__file__).parents[1] / "sample_plans" / "gp-practice-migration.toml")


def test_gp_sample_report_matches_figures_checked_by_hand(gp: Plan) -> None:
    """Worked out from the sample file by hand; see the comments for the arithmetic."""
    report = insight.summary(gp, AT_1500)
    assert report["now"] == "2026-12-04T15:00:00Z"
    assert report["phase"] == "pre-cutover"
    # Final data production Fri 17:00Z, two hours away.
    assert report["countdown"] == {
        "target": "final_data_production",
        "at": "2026-12-04T17:00:00Z",
        "seconds": 7200,
    }
    # 72h SLA, not started yet.
    assert report["sla"]["limit_seconds"] == 259200
    assert report["sla"]["elapsed_seconds"] == 0
    assert report["sla"]["remaining_seconds"] == 259200
    assert report["sla"]["state"] == "ok"
    # PRE-12 (in progress, 10:00 + 4h = 14:00) and PRE-13 (blocked, due 14:30) are late;
    # PRE-11 is due 16:30 and PRE-15 starts 16:30: not yet.
    assert report["tasks"]["late"] == ["PRE-12", "PRE-13"]
    assert report["tasks"]["in_progress"] == ["PRE-11", "PRE-12"]
    assert report["tasks"]["total"] == 46
    assert report["tasks"]["by_status"]["done"] == 11
    assert report["tasks"]["by_status"]["blocked"] == 1
    # 11 of 15 pre-cutover tasks done; 11 of 39 non-contingency tasks overall.
    assert report["progress"]["pre-cutover"] == round(11 / 15, 4)
    assert report["progress"]["cutover"] == 0.0
    assert report["progress"]["overall"] == round(11 / 39, 4)
    # B-01 last updated 14:05, 55 minutes before now, past the 30m interval: stale.
    # B-02 (mitigated, 14:40) and B-04 (14:50) are fresh; B-03 is resolved.
    assert report["blockers"]["open"] == ["B-01", "B-02", "B-04"]
    assert report["blockers"]["stale"] == ["B-01"]
    assert report["blockers"]["by_severity"] == {"critical": 0, "high": 1, "medium": 1, "low": 1}
    # The Go/No-Go for final data production at 16:00, two of four criteria met.
    checkpoint = report["next_checkpoint"]
    assert checkpoint["id"] == "GNG-FDP"
    assert checkpoint["seconds"] == 3600
    assert checkpoint["decision"] == "pending"
    assert (checkpoint["criteria_met"], checkpoint["criteria_total"]) == (2, 4)
    assert checkpoint["overdue"] is False
    # CUT-02 (manual processes, Fri 17:00 to Mon 08:00) ends last: on time for go-live,
    # 9h inside the SLA (Mon 17:00).
    assert report["forecast"]["cutover_end"] == "2026-12-07T08:00:00Z"
    assert report["forecast"]["go_live_slip_seconds"] == 0
    assert report["forecast"]["sla_margin_seconds"] == 9 * 3600
    # Rollback now is GNG-FDP's contingency: CON-01 30m → CON-02 1h, done by 16:30.
    assert report["forecast"]["rollback_now_end"] == "2026-12-04T16:30:00Z"


def test_overdue_go_no_go_comes_before_later_checkpoints(gp: Plan) -> None:
    later = datetime(2026, 12, 4, 16, 30, tzinfo=UTC)
    report = insight.summary(gp, later)
    assert report["next_checkpoint"]["id"] == "GNG-FDP"
    assert report["next_checkpoint"]["seconds"] == -1800
    assert report["next_checkpoint"]["overdue"] is True


def _plan(tasks: list[dict[str, Any]], **header: Any) -> Plan:
    document: dict[str, Any] = {
        "schema_version": 1,
        "plan": {
            "id": "p",
            "title": "P",
            "final_data_production": "2026-12-04T17:00:00Z",
            **header,
        },
        "tasks": tasks,
    }
    return validate(document, "p.toml")


def _task(task_id: str, **fields: Any) -> dict[str, Any]:
    return {"id": task_id, "title": task_id, "phase": "cutover", **fields}


FDP = datetime(2026, 12, 4, 17, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "header", "expected"),
    [
        (FDP - timedelta(seconds=1), {"go_live": "2026-12-07T08:00:00Z"}, Phase.PRE_CUTOVER),
        (FDP, {"go_live": "2026-12-07T08:00:00Z"}, Phase.CUTOVER),
        (
            datetime(2026, 12, 7, 8, tzinfo=UTC),
            {"go_live": "2026-12-07T08:00:00Z"},
            Phase.POST_CUTOVER,
        ),
        (FDP + timedelta(hours=1), {}, Phase.CUTOVER),
    ],
)
def test_phase_now(now: datetime, header: dict[str, Any], expected: Phase) -> None:
    plan = _plan([_task("A")], **header)
    assert insight.phase_now(plan, now) is expected


def test_phase_without_go_live_ends_when_cutover_tasks_are_done() -> None:
    plan = _plan([_task("A", status="done"), _task("B", status="skipped")])
    assert insight.phase_now(plan, FDP + timedelta(hours=1)) is Phase.POST_CUTOVER


@pytest.mark.parametrize(
    ("hours_in", "status", "state"),
    [(0, "not-started", "ok"), (61, "in-progress", "warning"), (73, "in-progress", "breached"),
     (61, "done", "ok")],
)  # fmt: skip
def test_sla_states(hours_in: int, status: str, state: str) -> None:
    plan = _plan([_task("A", status=status)], cutover_sla="72h", sla_warning="12h")
    clock = insight.sla(plan, FDP + timedelta(hours=hours_in))
    assert clock is not None
    assert clock.state == state
    assert clock.elapsed == timedelta(hours=hours_in)


def test_sla_clock_stops_when_the_cutover_finishes() -> None:
    on_time = _plan(
        [_task("A", status="done", actual_start="2026-12-04T17:00:00Z",
               actual_end="2026-12-06T17:00:00Z")],
        cutover_sla="72h",
    )  # fmt: skip
    clock = insight.sla(on_time, FDP + timedelta(hours=100))
    assert clock is not None
    assert (clock.state, clock.elapsed, clock.finished) == ("ok", timedelta(hours=48), True)
    late = _plan(
        [_task("A", status="done", actual_start="2026-12-04T17:00:00Z",
               actual_end="2026-12-08T17:00:00Z")],
        cutover_sla="72h",
    )  # fmt: skip
    clock = insight.sla(late, FDP + timedelta(hours=100))
    assert clock is not None
    assert (clock.state, clock.elapsed) == ("breached", timedelta(hours=96))


def test_sla_warning_defaults_to_a_sixth() -> None:
    plan = _plan([_task("A", status="in-progress")], cutover_sla="72h")
    assert insight.sla(plan, FDP + timedelta(hours=59, minutes=59)).state == "ok"  # type: ignore[union-attr]
    assert insight.sla(plan, FDP + timedelta(hours=60, minutes=1)).state == "warning"  # type: ignore[union-attr]


def test_late_rules() -> None:
    plan = _plan(
        [
            _task("ends", planned_start="2026-12-04T17:00:00Z", duration="1h",
                  status="in-progress"),
            _task("starts", planned_start="2026-12-04T17:00:00Z", duration="1h"),
            _task("done", planned_start="2026-12-04T10:00:00Z", duration="1h", status="done"),
            _task("untimed"),
            {**_task("rollback", planned_start="2026-12-04T10:00:00Z", duration="1h"),
             "phase": "contingency"},
        ]
    )  # fmt: skip
    assert [t.id for t in insight.late_tasks(plan, FDP + timedelta(minutes=1))] == ["starts"]
    late_later = insight.late_tasks(plan, FDP + timedelta(hours=1, minutes=1))
    assert [t.id for t in late_later] == ["ends", "starts"]
    index = insight.PlanIndex(plan)
    assert index.late_count(FDP + timedelta(minutes=1)) == 1
    assert index.next_change(FDP) == FDP


def test_critical_path_is_the_longest_chain_and_skips_contingency() -> None:
    plan = _plan(
        [
            _task("A", duration="1h"),
            _task("B", duration="5h", depends_on=["A"]),
            _task("C", duration="1h", depends_on=["A"]),
            _task("D", duration="1h", depends_on=["B", "C"]),
            {**_task("X", duration="50h"), "phase": "contingency"},
        ]
    )
    assert [t.id for t in insight.critical_path(plan)] == ["A", "B", "D"]


def test_forecast_pushes_slips_along_dependencies() -> None:
    plan = _plan(
        [
            _task("A", planned_start="2026-12-04T17:00:00Z", duration="2h", status="in-progress",
                  actual_start="2026-12-04T17:30:00Z"),
            _task("B", planned_start="2026-12-04T19:00:00Z", duration="1h", depends_on=["A"]),
        ],
        go_live="2026-12-04T20:00:00Z",
    )  # fmt: skip
    # A runs 17:30-19:30, so B runs 19:30-20:30: half an hour past go-live.
    report = insight.summary(plan, FDP + timedelta(minutes=45))
    assert report["forecast"]["cutover_end"] == "2026-12-04T20:30:00Z"
    assert report["forecast"]["go_live_slip_seconds"] == 1800
    # Seen from 21:00 with A still running, nothing finishes before now.
    report = insight.summary(plan, datetime(2026, 12, 4, 21, 0, tzinfo=UTC))
    assert report["forecast"]["cutover_end"] == "2026-12-04T22:00:00Z"


def test_rollback_without_a_pending_go_no_go_runs_every_contingency_task(gp: Plan) -> None:
    # Once every Go/No-Go is decided: CON-03 30m → CON-04 2h → CON-06 6h = 8h30.
    decided = gp.model_copy(update={"checkpoints": ()})
    assert insight.rollback_now_end(decided, AT_1500) == AT_1500 + timedelta(hours=8, minutes=30)


def test_forecast_is_null_without_durations() -> None:
    plan = _plan([_task("A")])
    assert insight.summary(plan, FDP)["forecast"]["cutover_end"] is None
    assert insight.summary(plan, FDP)["forecast"]["rollback_now_end"] is None


def test_empty_plan_report(minimal_plan: Callable[[], dict[str, Any]]) -> None:
    report = insight.summary(validate(minimal_plan(), "p.toml"), FDP)
    assert report["tasks"]["total"] == 0
    assert report["progress"]["overall"] == 0.0
    assert report["critical_path"] == []
    assert report["next_checkpoint"] is None
    assert report["sla"] is None
