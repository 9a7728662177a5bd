"""Dashboard benchmarks in a real pseudo-terminal (160x48, TERM=xterm-256color), whole processes.

    python bench/bench_tui.py [--window 15] [--soak 72]

Reports, for the GP sample plan and a generated 10,000-task plan:
- launch → first complete overview (the countdown and the clocks panel on screen), and beside it
  the launch of a stock Textual app (`stock_app.py`) and, for each plan, of that app reading the
  plan first (`floor_app.py`): the floor of any dashboard on this stack, on this machine;
- bytes written to the terminal per second while only the clocks tick (real clock);
- CPU of the process tree over that idle window, in % of one core;
- resident memory at start and after an accelerated run through the 72 hours of a cutover.
Targets are in the dashboard issue; these are figures, not pass/fail tests.
"""

from __future__ import annotations

import argparse
import compileall
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from floor_app import READY as FLOOR_READY
from make_plan import make_plan, render
from stock_app import READY as STOCK_READY
from terminal import Terminal

ROOT = Path(__file__).parents[1]
EXECUTABLE = str(Path(sys.executable).with_name("cutover-tui"))
READY = "Clocks"


def compile_bytecode() -> None:
    """Byte-compile the package, as installing it from a wheel does: an editable install run
    with PYTHONDONTWRITEBYTECODE set would compile every module at each launch (~0.15 s)."""
    import cutover_tui

    compileall.compile_dir(Path(cutover_tui.__file__).parent, quiet=1)


def launch(plan: Path, runs: int) -> tuple[float, float]:
    """(best, median) seconds from exec to a complete overview."""
    times = []
    for _ in range(runs):
        with Terminal([EXECUTABLE, str(plan)]) as terminal:
            terminal.wait_for("Final data production", timeout=30)
            times.append(terminal.wait_for(READY, timeout=30))
    return min(times), statistics.median(times)


def launch_stock(runs: int, plan: Path | None = None) -> tuple[float, float]:
    """(best, median) seconds from exec to a stock Textual app's first screen; with `plan`,
    the app reads it through the format's loader first (`floor_app.py`)."""
    if plan is None:
        argv, ready = [sys.executable, str(Path(__file__).with_name("stock_app.py"))], STOCK_READY
    else:
        argv = [sys.executable, str(Path(__file__).with_name("floor_app.py")), str(plan)]
        ready = FLOOR_READY
    times = []
    for _ in range(runs):
        with Terminal(argv) as terminal:
            times.append(terminal.wait_for(ready, timeout=30))
    return min(times), statistics.median(times)


def idle(plan: Path, window: float) -> dict[str, float]:
    """Bytes per second and CPU while the overview only ticks its clocks."""
    with Terminal([EXECUTABLE, str(plan)]) as terminal:
        terminal.wait_for(READY, timeout=30)
        terminal.wait_quiet(1.0)
        start_bytes, start_cpu, start = (
            terminal.bytes_written,
            terminal.cpu_seconds(),
            time.monotonic(),
        )
        terminal.pump(window, parse=False)
        elapsed = time.monotonic() - start
        return {
            "bytes_per_s": (terminal.bytes_written - start_bytes) / elapsed,
            "cpu_pct": 100 * (terminal.cpu_seconds() - start_cpu) / elapsed,
            "rss_mb": terminal.rss_kb() / 1024,
        }


def soak(plan: Path, hours: int) -> tuple[float, float]:
    """RSS (MB) after the first simulated hour and after `hours`, at one hour per second."""
    argv = [EXECUTABLE, str(plan), "--speed", "3600", "--now", "2026-12-04T16:00:00Z"]
    with Terminal(argv) as terminal:
        terminal.wait_for(READY, timeout=30)
        terminal.pump(1.0, parse=False)
        first = terminal.rss_kb() / 1024
        terminal.pump(hours - 1, parse=False)
        return first, terminal.rss_kb() / 1024


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--window",
        type=float,
        default=60.0,
        help="idle window, seconds (60 holds one minute change)",
    )
    parser.add_argument("--runs", type=int, default=5, help="launches to time")
    parser.add_argument("--soak", type=int, default=72, help="simulated hours (one per second)")
    args = parser.parse_args(argv)
    compile_bytecode()
    folder = Path(tempfile.mkdtemp(prefix="cutover-bench-"))
    big = folder / "plan-10000.json"
    big.write_text(render(make_plan(10_000, seed=1), "json"))
    plans = {"GP sample": ROOT / "sample_plans" / "gp-practice-migration.toml", "10,000 tasks": big}
    print(
        "| plan | launch to overview (best / median) | idle B/s | idle CPU | RSS "
        "| RSS 1st h → 72nd h |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    best, median = launch_stock(args.runs)
    print(f"| stock Textual app (no plan) | {best:.2f} / {median:.2f} s | | | | |")
    for name, plan in plans.items():
        best, median = launch_stock(args.runs, plan)
        print(f"| {name}: the stock app reading it (floor) | {best:.2f} / {median:.2f} s | | | | |")
        best, median = launch(plan, args.runs)
        quiet = idle(plan, args.window)
        first, last = soak(plan, args.soak)
        print(
            f"| {name} | {best:.2f} / {median:.2f} s | {quiet['bytes_per_s']:.0f} "
            f"| {quiet['cpu_pct']:.1f} % | {quiet['rss_mb']:.0f} MB | {first:.0f} → {last:.0f} MB |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
