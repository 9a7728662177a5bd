"""Reloading a large plan after a small edit: where the time goes, and how long the UI stalls.

    python bench/bench_reload.py [--sizes 1000 10000] [--repeat 7]

A reload is what `FileSource` does when the plan file changes: read the bytes, parse and validate
them (`model.load_bytes`, given the last good plan as `previous`), then the screens ask `insight`
for the figures of the new plan. Two edits of a generated JSON plan (`bench/make_plan.py`,
seed 1) are timed:

- **one task**: one task in the middle gets a new title (nothing else changes);
- **live update**: what `cutover-tui update` / a bot writes: a task in the middle starts
  (status and actual start), ``revision`` and ``updated_at`` move on, and a log line is appended;
- **add a task**: an ad hoc task is inserted in the middle (every later task moves).

Reported, best and median of `--repeat` runs in one process:

1. the whole-document path, step by step (JSON parse, string cleaning, pydantic validation,
   cross-table rules) and in total, as every reload paid before loading became incremental;
2. a reload with and without `previous`;
3. the figures the overview and the tasks screen compute for the new plan, the previous plan's
   figures already computed (as they are on screen);
4. the longest stall of the event loop while the reload runs in a thread (an asyncio task that
   sleeps 1 ms in a loop records the largest gap between its wake-ups; its baseline, with nothing
   running, is shown beside it). A whole load allocates enough to set off the cyclic garbage
   collector's full pass, which holds the interpreter lock throughout; the row with the
   collector paused shows what the load's own steps hold it for.

Figures, not a test: run it on a quiet machine and compare runs made on the same one.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import gc
import inspect
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from cutover_tui import insight
from cutover_tui.model import Plan, load_bytes
from cutover_tui.model import load as model_load
from cutover_tui.model.rules import Records, check
from loop_gaps import loop_gaps
from make_plan import make_plan, render

NOW = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
INCREMENTAL = "previous" in inspect.signature(load_bytes).parameters


def timed(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(best, median) milliseconds of `repeat` runs of `action`."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        runs.append(time.perf_counter() - start)
    return min(runs) * 1000, statistics.median(runs) * 1000


def timed_fresh(
    make: Callable[[], Any], action: Callable[[Any], object], repeat: int
) -> tuple[float, float]:
    """Like `timed`, on a new object from `make()` each run (so nothing is memoized yet)."""
    runs = []
    for _ in range(repeat):
        subject = make()
        start = time.perf_counter()
        action(subject)
        runs.append(time.perf_counter() - start)
    return min(runs) * 1000, statistics.median(runs) * 1000


def show(label: str, figures: tuple[float, float]) -> None:
    best, median = figures
    print(f"| {label} | {best:,.1f} | {median:,.1f} |")


# --- the edits ----------------------------------------------------------------------------------


def edit_one_task(document: dict[str, Any]) -> dict[str, Any]:
    edited = copy.deepcopy(document)
    task = edited["tasks"][len(edited["tasks"]) // 2]
    task["title"] = task["title"] + " (edited)"
    return edited


def edit_live_update(document: dict[str, Any]) -> dict[str, Any]:
    edited = copy.deepcopy(document)
    tasks = edited["tasks"]
    middle = len(tasks) // 2
    task = next(t for t in tasks[middle:] + tasks if t.get("status") in (None, "not-started"))
    task["status"] = "in-progress"
    task["actual_start"] = "2026-12-04T14:58:00Z"
    edited["revision"] = edited.get("revision", 0) + 1
    edited["updated_at"] = "2026-12-04T15:00:00Z"
    edited.setdefault("log", []).append(
        {"at": "2026-12-04T15:00:00Z", "actor": "bench", "text": f"{task['id']} started"}
    )
    return edited


def edit_add_task(document: dict[str, Any]) -> dict[str, Any]:
    edited = copy.deepcopy(document)
    tasks = edited["tasks"]
    middle = len(tasks) // 2
    tasks.insert(middle, {**tasks[middle], "id": "ADHOC-1", "title": "Ad hoc", "depends_on": []})
    edited["revision"] = edited.get("revision", 0) + 1
    return edited


EDITS = {"one task": edit_one_task, "live update": edit_live_update, "add a task": edit_add_task}


def load(data: bytes, previous: Plan | None = None) -> Plan:
    if INCREMENTAL and previous is not None:
        return load_bytes(data, "plan.json", "json", previous=previous)
    return load_bytes(data, "plan.json", "json")


# --- the screens' figures -----------------------------------------------------------------------


def overview_figures(plan: Plan, now: datetime) -> None:
    """What the overview computes for a new plan on its first tick (`screens/overview.py`)."""
    index = insight.plan_index(plan)
    insight.progress(plan)
    insight.next_checkpoint(plan, now)
    index.late_count(now)
    insight.status_counts(plan)
    insight.phase_now(plan, now)
    insight.sla(plan, now)
    insight.open_blockers_ranked(plan)
    index.late(now)
    index.starting_within(now, timedelta(hours=1))
    insight.forecast_cutover_end(plan, now)
    insight.rollback_now_end(plan, now)


def tasks_figures(plan: Plan, now: datetime) -> None:
    """What the tasks screen asks `insight` for when a new plan arrives (`screens/tasks.py`)."""
    index = insight.plan_index(plan)
    index.late_count(now)
    {task.id for task in index.late(now)}
    {task.id for task in insight.critical_path(plan)}


FIGURES: dict[str, Callable[[Plan], object]] = {
    "plan_index": insight.plan_index,
    "status_counts + progress": lambda p: (insight.status_counts(p), insight.progress(p)),
    "critical_path": insight.critical_path,
    "forecast_cutover_end": lambda p: insight.forecast_cutover_end(p, NOW),
    "rollback_now_end": lambda p: insight.rollback_now_end(p, NOW),
    "overview, all figures": lambda p: overview_figures(p, NOW),
    "tasks screen, all figures": lambda p: tasks_figures(p, NOW),
    "summary (status --json)": lambda p: insight.summary(p, NOW),
}


# --- stalls -------------------------------------------------------------------------------------


async def _longest_stall(work: Callable[[], object] | None) -> float:
    """The largest gap (ms) between 1 ms ticks of the event loop while `work` runs in a thread."""
    async with loop_gaps() as gaps:
        if work is None:
            await asyncio.sleep(0.3)
        else:
            await asyncio.to_thread(work)
    return max(gaps) * 1000


def longest_stall(work: Callable[[], object] | None, repeat: int) -> tuple[float, float]:
    runs = [asyncio.run(_longest_stall(work)) for _ in range(repeat)]
    return min(runs), statistics.median(runs)


# --- the report ---------------------------------------------------------------------------------


def report(size: int, repeat: int) -> None:
    document = make_plan(size, seed=1, now=NOW)
    data = render(document, "json").encode()
    print(f"\n### {size:,} tasks ({len(data) / 1024:,.0f} KiB of JSON)\n")
    print("| step | best ms | median ms |")
    print("| --- | ---: | ---: |")

    # 1. The whole-document path, step by step.
    text = data.decode()
    parsed = model_load._parse_json(text)
    raw = model_load.parse_bytes(data, "plan.json", "json")
    context = {"zone": model_load._declared_zone(raw)}
    plan = Plan.model_validate(raw, context=context)
    records = Records.of(plan)
    show("full: decode + json.loads (with the input-limit hooks)", timed(
        lambda: model_load._parse_json(data.decode()), repeat))  # fmt: skip
    show("full: clean every string", timed(
        lambda: model_load._clean(parsed, depth=1, multiline=False), repeat))  # fmt: skip
    show("full: pydantic validation (`Plan.model_validate`)", timed(
        lambda: Plan.model_validate(raw, context=context), repeat))  # fmt: skip
    show("full: cross-table rules (`rules.check`)", timed(lambda: check(records), repeat))
    show("full: `load_bytes` in total", timed(lambda: load(data), repeat))

    # 2. Reloads after an edit.
    old = load(data)
    for name, edit in EDITS.items():
        new_data = render(edit(document), "json").encode()
        if INCREMENTAL:
            incremental = load(new_data, old)
            assert incremental == load(new_data), "an incremental load differs from a full one"
        show(f"reload, {name}: `load_bytes` without `previous`", timed(
            lambda d=new_data: load(d), repeat))  # fmt: skip
        if INCREMENTAL:
            show(f"reload, {name}: `load_bytes(previous=…)`", timed(
                lambda d=new_data: load(d, old), repeat))  # fmt: skip

    # 3. Figures for a new plan, those of the previous plan already computed.
    def after_edit(edited: bytes) -> Callable[[], Plan]:
        """A maker of the plan after `edited`, loaded from a previous plan with its figures."""

        def make() -> Plan:
            previous = load(data)
            for figure in FIGURES.values():
                figure(previous)
            return load(edited, previous)

        return make

    new_data = render(edit_live_update(document), "json").encode()
    for label, figure in FIGURES.items():
        show(f"live update, figures: {label}", timed_fresh(after_edit(new_data), figure, repeat))
    added = render(edit_add_task(document), "json").encode()
    for label in ("overview, all figures", "tasks screen, all figures"):
        show(
            f"add a task, figures: {label}", timed_fresh(after_edit(added), FIGURES[label], repeat)
        )

    # 4. Event-loop stalls while a reload runs in a thread.
    show("loop stall: baseline (nothing running)", longest_stall(None, 3))
    show("loop stall: full `load_bytes` in a thread", longest_stall(lambda: load(new_data), 3))
    gc.disable()  # what is left once the cyclic collector's full pass is out of the way
    try:
        show("loop stall: full `load_bytes`, collector paused", longest_stall(
            lambda: load(new_data), 3))  # fmt: skip
    finally:
        gc.enable()
    if INCREMENTAL:
        show("loop stall: `load_bytes(previous=…)` in a thread", longest_stall(
            lambda: load(new_data, old), repeat))  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args(argv)
    print(f"incremental load: {'yes' if INCREMENTAL else 'no'}")
    for size in args.sizes:
        report(size, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
