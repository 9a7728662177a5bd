"""`cutover-tui demo`: the GP-practice sample, shifted to now, with simulated progress.

The sample plan is moved in time so that final data production is ten minutes away, written as
JSON into a fresh temp folder, and shown. A scripted cutover team (`DemoScript`) then works
through the last minutes before final data production and the first of the cutover, every step
a `Change` applied with `changes.apply` by the actor ``demo simulator`` and written back to the
file atomically, exactly as a real writer would. Time comes from the app's clock, so ``--speed``
runs the script faster and a given start always produces the same documents.

No network; nothing is written outside the temp folder. Only `DemoApp` touches Textual.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from textual import on, work
from textual.events import Mount

from . import clock as clocks
from .app import CutoverApp, DashboardOptions
from .bundled import bundled_dir
from .changes import (
    AddTaskNote,
    Change,
    ChangeRejected,
    RaiseBlocker,
    RecordDecision,
    SetCriterion,
    SetTaskStatus,
    UpdateBlocker,
    apply,
)
from .messages import SnapshotReceived
from .model import Plan, dump_json, load_bytes, load_path, validate
from .sync import Snapshot

DEMO_PLAN = "gp-practice-migration.toml"
LEAD_TIME = timedelta(minutes=10)
"""How far ahead of the demo's start final data production is put."""
ACTOR = "demo simulator"
POLL_SECONDS = 0.25
"""How often (real time) the simulator looks at the clock for due steps."""


# --- the sample, shifted ----------------------------------------------------------------------


def sample_plan_path(name: str) -> Path:
    """A shipped sample plan, from the installed package or the source checkout."""
    if not name or name != Path(name).name or name.startswith("."):
        raise ValueError(f"not a sample plan's file name: {name!r}")
    path = bundled_dir("sample_plans") / name
    if not path.is_file():
        raise FileNotFoundError(f"sample plan {name!r} is not installed (looked in {path.parent})")
    return path


def read_sample_plan(name: str = DEMO_PLAN) -> Plan:
    resource = sample_plan_path(name)
    return load_bytes(resource.read_bytes(), name)


def shift_plan(plan: Plan, start: datetime, lead: timedelta = LEAD_TIME) -> Plan:
    """`plan` with every datetime in it moved by one delta, so that final data production is
    `lead` after `start`. Everything keeps its place relative to everything else (what was done
    stays done, in the past); the plan's time zone is kept."""
    delta = start + lead - plan.header.final_data_production
    data = plan.model_dump(mode="python", by_alias=True, exclude_unset=True, exclude_none=True)
    shifted = _shifted(data, delta)
    assert isinstance(shifted, dict)
    return validate(shifted, plan.header.id)


def _shifted(value: Any, delta: timedelta) -> Any:
    if isinstance(value, datetime):
        return value + delta
    if isinstance(value, dict):
        return {key: _shifted(item, delta) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_shifted(item, delta) for item in value]
    return value


# --- the script -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScriptStep:
    """One scripted change, `offset` after (negative: before) final data production."""

    offset: timedelta
    change: Change


@dataclass(frozen=True)
class TimedChange:
    at: datetime
    change: Change


def _m(minutes: int, seconds: int = 0) -> timedelta:
    sign = -1 if minutes < 0 else 1
    return sign * timedelta(minutes=abs(minutes), seconds=seconds)


PM = "Practice Manager"
PROJECT = "Project Manager"

GP_PRACTICE_SCRIPT: tuple[ScriptStep, ...] = (
    # Ten minutes to go: the Go/No-Go for final data production is running late.
    ScriptStep(
        _m(-9, 45),
        UpdateBlocker(
            blocker="B-04",
            status="resolved",
            note="Courier delivered 10 FP10 pads to Elm Road; the 40 from ICB stock follow.",
        ),
    ),
    ScriptStep(
        _m(-9, 15),
        AddTaskNote(task="PRE-12", text="Dr Okafor acknowledged his manual-process pack by phone."),
    ),
    ScriptStep(_m(-8, 50), SetTaskStatus(task="PRE-12", status="done")),
    ScriptStep(
        _m(-8, 30),
        SetCriterion(
            checkpoint="GNG-FDP",
            criterion=2,
            state="met",
            by=PM,
            note="Every clinician acknowledged, remote ones included; Elm Road has pads (B-04).",
        ),
    ),
    ScriptStep(
        _m(-8),
        UpdateBlocker(
            blocker="B-01",
            status="mitigated",
            severity="medium",
            note=(
                "No fix from the national service desk before the Go/No-Go. Fallback agreed: "
                "Dr Okafor works from the paper pack this weekend and on site on Monday."
            ),
        ),
    ),
    ScriptStep(
        _m(-7, 30),
        SetCriterion(
            checkpoint="GNG-FDP",
            criterion=3,
            state="waived",
            by=PROJECT,
            note="Dr Okafor works on site on Monday until his card is renewed (B-01).",
        ),
    ),
    ScriptStep(_m(-7), RecordDecision(checkpoint="GNG-FDP", decision="go", decided_by=PROJECT)),
    ScriptStep(_m(-6, 30), SetTaskStatus(task="PRE-11", status="done")),
    # Log-off: the current supplier cannot start the extract while anyone is still on.
    ScriptStep(_m(-6), SetTaskStatus(task="PRE-15", status="in-progress")),
    ScriptStep(
        _m(-5),
        RaiseBlocker(
            id="B-05",
            title="Two sessions at Elm Road still logged on to the old system",
            severity="high",
            tasks=("PRE-15",),
            owner=PM,
            notes="Consulting room 2 and branch reception; the extract cannot start until "
            "every user is off.",
        ),
    ),
    ScriptStep(
        _m(-3, 30),
        UpdateBlocker(
            blocker="B-05",
            status="resolved",
            note="Elm Road practice nurse logged both sessions off; the current supplier "
            "confirms no active users.",
        ),
    ),
    ScriptStep(_m(-3), SetTaskStatus(task="PRE-15", status="done")),
    ScriptStep(
        _m(-2),
        AddTaskNote(
            task="CUT-01",
            text="Current supplier on the bridge: extract job queued for final data production.",
        ),
    ),
    # Zero: final data production. The cutover begins.
    ScriptStep(_m(0), SetTaskStatus(task="CUT-01", status="done")),
    ScriptStep(_m(0, 5), SetTaskStatus(task="CUT-02", status="in-progress")),
    ScriptStep(_m(0, 10), SetTaskStatus(task="CUT-03", status="in-progress")),
    ScriptStep(
        _m(1),
        AddTaskNote(task="CUT-03", text="Extract running: demographics and registrations done."),
    ),
    ScriptStep(_m(2), SetTaskStatus(task="CUT-03", status="done")),
    ScriptStep(_m(2, 15), SetTaskStatus(task="CUT-04", status="in-progress")),
    ScriptStep(
        _m(3),
        AddTaskNote(task="CUT-04", text="Extract received by the new supplier; checksums match."),
    ),
    ScriptStep(_m(3, 5), SetTaskStatus(task="CUT-04", status="done")),
    ScriptStep(_m(3, 15), SetTaskStatus(task="CUT-05", status="in-progress")),
    ScriptStep(
        _m(3, 30),
        AddTaskNote(
            task="CUT-05",
            text="Kolkata data team started the import; hourly updates on the bridge.",
        ),
    ),
)
"""The simulated cutover team's work around final data production of the GP-practice sample."""


class DemoScript:
    """The script's steps on the clock: which are due by a given time. Textual-free, no IO."""

    def __init__(
        self, final_data_production: datetime, steps: Sequence[ScriptStep] = GP_PRACTICE_SCRIPT
    ) -> None:
        timed = [TimedChange(final_data_production + step.offset, step.change) for step in steps]
        self.steps: tuple[TimedChange, ...] = tuple(sorted(timed, key=lambda step: step.at))
        self._next = 0

    @property
    def finished(self) -> bool:
        return self._next >= len(self.steps)

    @property
    def next_at(self) -> datetime | None:
        """When the next step is due (None once the script is over)."""
        return None if self.finished else self.steps[self._next].at

    def due(self, now: datetime) -> list[TimedChange]:
        """The steps due by `now` not handed out before, in order."""
        start = self._next
        while self._next < len(self.steps) and self.steps[self._next].at <= now:
            self._next += 1
        return list(self.steps[start : self._next])

    def due_changes(self, now: datetime) -> list[Change]:
        return [step.change for step in self.due(now)]


@dataclass
class DemoSimulator:
    """Plays a `DemoScript` against a plan file: applies the due steps, writes the new state."""

    plan: Plan
    path: Path
    script: DemoScript
    actor: str = ACTOR
    rejected: list[tuple[TimedChange, str]] = field(default_factory=list)
    """Steps the plan refused (none for the shipped sample), with the reason; the demo goes on."""

    @property
    def finished(self) -> bool:
        return self.script.finished

    def advance(self, now: datetime) -> Plan | None:
        """Apply every step due by `now`, each at its own scheduled time (so the documents depend
        only on the start); write and return the new plan, or None when nothing was due."""
        plan = self.plan
        for step in self.script.due(now):
            try:
                plan = apply(plan, step.change, self.actor, step.at)
            except ChangeRejected as error:
                self.rejected.append((step, error.reason))
        if plan is self.plan:
            return None
        write_atomic(self.path, dump_json(plan))
        self.plan = plan
        return plan


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` whole: a temp file in the same folder, then a rename."""
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise


def prepare_demo(
    start: datetime, steps: Iterable[ScriptStep] = GP_PRACTICE_SCRIPT
) -> DemoSimulator:
    """The shifted sample written into a fresh temp folder, and the simulator to play it."""
    plan = shift_plan(read_sample_plan(DEMO_PLAN), start)
    folder = Path(tempfile.mkdtemp(prefix="cutover-tui-demo-"))
    path = folder / f"{plan.header.id}.json"
    write_atomic(path, dump_json(plan))
    script = DemoScript(plan.header.final_data_production, tuple(steps))
    return DemoSimulator(plan, path, script)


# --- the app ----------------------------------------------------------------------------------


class DemoApp(CutoverApp):
    """The dashboard on the demo's plan file, with the simulator running in a worker."""

    def __init__(
        self, simulator: DemoSimulator, clock: clocks.Clock, options: DashboardOptions | None
    ) -> None:
        source = str(simulator.path)
        super().__init__(source, _read_plan, clock, options, initial=simulator.plan)
        self.simulator = simulator

    @on(Mount)
    def start_simulator(self) -> None:
        self.notify(
            f"Simulated progress, written to {self.simulator.path}",
            title="cutover-tui demo",
            markup=False,
        )
        self.run_simulation()

    @work(exclusive=True, group="demo", exit_on_error=False)
    async def run_simulation(self) -> None:
        """Look at the clock a few times a second; hand each new state to the screen."""
        simulator = self.simulator
        while not simulator.finished:
            plan = await asyncio.to_thread(simulator.advance, self.clock.now())
            if plan is not None:
                snapshot = Snapshot(plan, self.source, clocks.wall_now(), clocks.monotonic())
                self.post_message(SnapshotReceived(snapshot))
            await asyncio.sleep(POLL_SECONDS)


def _read_plan(source: str) -> Plan:
    return load_path(source)


def demo_clock(speed: float | None = None, now: datetime | None = None) -> clocks.Clock:
    """The demo's clock: real time, or from `now`, at `speed` (a demo never stands still)."""
    if now is not None and speed is None:
        speed = 1.0
    return clocks.make_clock(now, speed)


def make_demo_app(
    speed: float | None = None,
    now: datetime | None = None,
    options: DashboardOptions | None = None,
    clock: clocks.Clock | None = None,
) -> DemoApp:
    """The demo dashboard, its plan file already written; `clock` overrides `speed` and `now`."""
    clock = clock or demo_clock(speed, now)
    start = clock.now().replace(microsecond=0)
    return DemoApp(prepare_demo(start), clock, options)


def run_demo(
    speed: float | None = None,
    now: datetime | None = None,
    options: DashboardOptions | None = None,
    *,
    keep: bool = False,
) -> int:
    """Run the demo until the user quits; remove its temp folder unless `keep`. The exit code."""
    app = make_demo_app(speed, now, options)
    try:
        app.run()
    finally:
        if not keep:
            shutil.rmtree(app.simulator.path.parent, ignore_errors=True)
    return app.return_code or 0
