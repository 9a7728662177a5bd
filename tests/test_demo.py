"""The demo: the sample shifted to now, the scripted cutover team, and the dashboard running it."""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from cutover_tui import demo
from cutover_tui.changes import RecordDecision, SetTaskStatus
from cutover_tui.clock import AcceleratedClock, SystemClock
from cutover_tui.demo import (
    ACTOR,
    DEMO_PLAN,
    GP_PRACTICE_SCRIPT,
    DemoScript,
    make_demo_app,
    prepare_demo,
    read_sample_plan,
    sample_plan_path,
    shift_plan,
)
from cutover_tui.model import (
    BlockerStatus,
    CriterionState,
    Decision,
    Plan,
    TaskStatus,
    dump_json,
    load_bytes,
    load_path,
)

ROOT = Path(__file__).resolve().parents[1]
START = datetime(2026, 6, 10, 9, 0, tzinfo=UTC)
FDP = START + timedelta(minutes=10)


@dataclass
class ManualClock:
    """A clock the test moves by hand."""

    at: datetime
    simulated = True

    def now(self) -> datetime:
        return self.at


@pytest.fixture(autouse=True)
def temp_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every temp folder the demo makes lands under this test's own folder."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


def _datetimes(value: Any) -> list[datetime]:
    if isinstance(value, datetime):
        return [value]
    if isinstance(value, dict):
        return [moment for item in value.values() for moment in _datetimes(item)]
    if isinstance(value, list | tuple):
        return [moment for item in value for moment in _datetimes(item)]
    return []


def _python_data(plan: Plan) -> dict[str, Any]:
    return plan.model_dump(mode="python", by_alias=True, exclude_unset=True, exclude_none=True)


def _without_datetimes(value: Any) -> Any:
    if isinstance(value, datetime):
        return None
    if isinstance(value, dict):
        return {key: _without_datetimes(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_without_datetimes(item) for item in value]
    return value


# --- the sample, shifted ----------------------------------------------------------------------


def test_the_sample_plan_is_found() -> None:
    path = sample_plan_path(DEMO_PLAN)
    assert path.read_bytes() == (ROOT / "sample_plans" / DEMO_PLAN).read_bytes()


@pytest.mark.parametrize("name", ["", "../pyproject.toml", "sub/plan.toml", ".hidden.toml"])
def test_a_sample_name_is_a_plain_file_name(name: str) -> None:
    with pytest.raises(ValueError, match="not a sample plan's file name"):
        sample_plan_path(name)


def test_a_missing_sample_is_reported() -> None:
    with pytest.raises(FileNotFoundError, match=r"no-such-plan\.toml"):
        sample_plan_path("no-such-plan.toml")


def test_the_shift_puts_final_data_production_ten_minutes_ahead() -> None:
    original = read_sample_plan()
    shifted = shift_plan(original, START)
    assert shifted.header.final_data_production == FDP
    assert shifted.header.timezone == original.header.timezone == "Europe/London"


def test_the_shift_moves_every_datetime_by_the_same_delta_and_nothing_else() -> None:
    original = read_sample_plan()
    shifted = shift_plan(original, START)
    delta = FDP - original.header.final_data_production
    before, after = _datetimes(_python_data(original)), _datetimes(_python_data(shifted))
    assert len(before) == len(after) > 100
    assert all(new - old == delta for old, new in zip(before, after, strict=True))
    assert _without_datetimes(_python_data(shifted)) == _without_datetimes(_python_data(original))


def test_the_shifted_plan_is_valid_and_keeps_its_state() -> None:
    original = read_sample_plan()
    shifted = shift_plan(original, START)
    assert load_bytes(dump_json(shifted).encode(), "shifted.json") == shifted
    assert [task.status for task in shifted.tasks] == [task.status for task in original.tasks]
    done = [task for task in shifted.tasks if task.status is TaskStatus.DONE]
    assert done
    assert all(task.actual_end is not None and task.actual_end < START for task in done)


# --- the script -------------------------------------------------------------------------------


def test_the_script_hands_out_steps_in_order_as_time_passes() -> None:
    script = DemoScript(FDP)
    assert script.next_at == FDP + GP_PRACTICE_SCRIPT[0].offset
    assert script.due_changes(START) == []
    seen: list[datetime] = []
    moment = START
    while not script.finished:
        moment += timedelta(seconds=7)
        steps = script.due(moment)
        assert all(step.at <= moment for step in steps)
        seen += [step.at for step in steps]
    assert seen == sorted(seen)
    assert len(seen) == len(GP_PRACTICE_SCRIPT)
    assert script.next_at is None
    assert script.due_changes(moment + timedelta(days=1)) == []


def test_the_script_decides_go_before_final_data_production_and_starts_the_import_after() -> None:
    steps = DemoScript(FDP).steps
    at = {
        (type(step.change).__name__, getattr(step.change, "task", None)): step.at for step in steps
    }
    decision = next(step for step in steps if isinstance(step.change, RecordDecision))
    assert decision.change == RecordDecision(
        checkpoint="GNG-FDP", decision="go", decided_by="Project Manager"
    )
    assert START < decision.at < at[("SetTaskStatus", "PRE-15")] < FDP
    assert at[("SetTaskStatus", "CUT-01")] == FDP
    started_import = SetTaskStatus(task="CUT-05", status="in-progress")
    assert next(step.at for step in steps if step.change == started_import) > FDP
    assert steps[-1].at - START < timedelta(minutes=15)


def test_a_whole_run_applies_every_step_and_writes_each_state(temp_root: Path) -> None:
    simulator = prepare_demo(START)
    assert simulator.path.parent.parent == temp_root
    assert simulator.path.parent.name.startswith("cutover-tui-demo-")
    first = simulator.plan
    assert load_path(simulator.path) == first
    assert simulator.advance(START) is None
    revisions = [first.revision]
    moment = START
    while not simulator.finished:
        moment += timedelta(seconds=30)
        plan = simulator.advance(moment)
        if plan is not None:
            revisions.append(plan.revision)
            assert load_path(simulator.path) == plan
            assert plan.updated_at is not None
            assert plan.updated_at <= moment
    assert simulator.rejected == []
    final = simulator.plan
    assert final.revision == first.revision + len(GP_PRACTICE_SCRIPT)
    assert revisions == sorted(revisions)
    new_log = final.log[len(first.log) :]
    assert [entry.actor for entry in new_log] == [ACTOR] * len(GP_PRACTICE_SCRIPT)
    assert [entry.at for entry in new_log] == [FDP + step.offset for step in GP_PRACTICE_SCRIPT]
    tasks, blockers = final.task_by_id, final.blocker_by_id
    gng = final.checkpoint_by_id["GNG-FDP"]
    assert gng.decision is Decision.GO
    assert [criterion.state for criterion in gng.criteria] == [
        CriterionState.MET,
        CriterionState.MET,
        CriterionState.MET,
        CriterionState.WAIVED,
    ]
    assert tasks["PRE-15"].status is TaskStatus.DONE
    assert tasks["CUT-01"].status is TaskStatus.DONE
    assert tasks["CUT-01"].actual_start == tasks["CUT-01"].actual_end == FDP
    assert [tasks[task].status for task in ("CUT-03", "CUT-04")] == [TaskStatus.DONE] * 2
    assert [tasks[task].status for task in ("CUT-02", "CUT-05")] == [TaskStatus.IN_PROGRESS] * 2
    assert blockers["B-05"].status is BlockerStatus.RESOLVED
    assert blockers["B-04"].status is BlockerStatus.RESOLVED
    assert blockers["B-01"].status is BlockerStatus.MITIGATED
    assert list(simulator.path.parent.iterdir()) == [simulator.path]


def test_the_state_at_each_moment(temp_root: Path) -> None:
    simulator = prepare_demo(START)
    plan = simulator.advance(FDP - timedelta(minutes=7, seconds=1))
    assert plan is not None
    assert plan.checkpoint_by_id["GNG-FDP"].decision is Decision.PENDING
    plan = simulator.advance(FDP - timedelta(minutes=7))
    assert plan is not None
    gng = plan.checkpoint_by_id["GNG-FDP"]
    assert (gng.decision, gng.decided_at) == (Decision.GO, FDP - timedelta(minutes=7))
    plan = simulator.advance(FDP - timedelta(minutes=4))
    assert plan is not None
    assert plan.blocker_by_id["B-05"].status is BlockerStatus.OPEN
    assert plan.task_by_id["CUT-01"].status is TaskStatus.NOT_STARTED
    plan = simulator.advance(FDP)
    assert plan is not None
    assert plan.task_by_id["PRE-15"].status is TaskStatus.DONE
    assert plan.task_by_id["CUT-01"].status is TaskStatus.DONE
    assert plan.task_by_id["CUT-03"].status is TaskStatus.NOT_STARTED


def test_a_run_depends_only_on_its_start() -> None:
    by_second, at_once = prepare_demo(START), prepare_demo(START)
    assert by_second.path != at_once.path
    end = FDP + timedelta(minutes=5)
    moment = START
    while moment < end:
        moment += timedelta(seconds=1)
        by_second.advance(moment)
    at_once.advance(end)
    assert by_second.path.read_bytes() == at_once.path.read_bytes()


def test_the_demo_writes_nothing_outside_its_temp_folder(
    tmp_path: Path, temp_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    sample = ROOT / "sample_plans" / DEMO_PLAN
    sample_digest = hashlib.sha256(sample.read_bytes()).hexdigest()
    simulator = prepare_demo(START)
    simulator.advance(FDP + timedelta(hours=1))
    assert list(work.iterdir()) == []
    assert [path.name for path in temp_root.iterdir()] == [simulator.path.parent.name]
    assert list(simulator.path.parent.iterdir()) == [simulator.path]
    assert hashlib.sha256(sample.read_bytes()).hexdigest() == sample_digest


def test_a_refused_step_is_recorded_and_the_run_goes_on(temp_root: Path) -> None:
    steps = (
        demo.ScriptStep(timedelta(minutes=-9), SetTaskStatus(task="NOPE", status="done")),
        demo.ScriptStep(timedelta(minutes=-8), SetTaskStatus(task="PRE-11", status="done")),
    )
    simulator = prepare_demo(START, steps)
    plan = simulator.advance(FDP)
    assert plan is not None
    assert plan.task_by_id["PRE-11"].status is TaskStatus.DONE
    assert [reason for _, reason in simulator.rejected] == ["unknown task 'NOPE'"]


# --- the clock --------------------------------------------------------------------------------


def test_the_demo_clock_always_runs() -> None:
    assert isinstance(demo.demo_clock(), SystemClock)
    from_now = demo.demo_clock(now=START)
    assert isinstance(from_now, AcceleratedClock)
    assert from_now.speed == 1
    fast = demo.demo_clock(speed=60, now=START)
    assert isinstance(fast, AcceleratedClock)
    assert fast.speed == 60
    with pytest.raises(ValueError, match="greater than zero"):
        demo.demo_clock(speed=0)


# --- the dashboard ----------------------------------------------------------------------------


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.iterdir())


async def _wait_for_revision(app: demo.DemoApp, pilot: Pilot[None], revision: int) -> None:
    for _ in range(100):
        await pilot.pause(0.05)
        snapshot = app.snapshot
        if snapshot is not None and snapshot.plan.revision >= revision:
            return
    raise AssertionError(f"revision {revision} never reached the screen")


async def test_the_dashboard_follows_the_simulator(temp_root: Path) -> None:
    clock = ManualClock(START)
    app = make_demo_app(clock=clock)
    first = app.simulator.plan
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.snapshot is not None
        assert app.snapshot.plan == first
        clock.at = FDP - timedelta(minutes=7)
        await _wait_for_revision(app, pilot, first.revision + 7)
        assert app.snapshot is not None
        shown = app.snapshot.plan
        assert shown.checkpoint_by_id["GNG-FDP"].decision is Decision.GO
        assert load_path(app.simulator.path) == shown
        clock.at = FDP + timedelta(minutes=20)
        await _wait_for_revision(app, pilot, first.revision + len(GP_PRACTICE_SCRIPT))
        await app.workers.wait_for_complete()
        assert app.simulator.finished
        assert app.snapshot is not None
        assert app.snapshot.plan.task_by_id["CUT-05"].status is TaskStatus.IN_PROGRESS
        assert app.snapshot.plan == load_path(app.simulator.path)
        assert app.is_running  # the script is over; the dashboard and its clock go on
    assert _entries(temp_root) == [app.simulator.path.parent]
    assert _entries(app.simulator.path.parent) == [app.simulator.path]


async def test_at_high_speed_the_revision_climbs_on_its_own(temp_root: Path) -> None:
    app = make_demo_app(speed=600, now=START)
    first = app.simulator.plan
    assert app.simulator.script.steps[0].at == FDP - timedelta(minutes=9, seconds=45)
    async with app.run_test(size=(120, 40)) as pilot:
        await _wait_for_revision(app, pilot, first.revision + 3)
        assert load_path(app.simulator.path).revision > first.revision
