"""Load + validate + summary time for generated plans of 1,000 and 10,000 tasks.

    python bench/bench_core.py [--repeat 5] [--sizes 1000 10000]

Each figure is the best of `--repeat` runs in this process (the least disturbed by other load),
with the median beside it. Target (issue: foundation): under 1 s for 10,000 tasks.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from cutover_tui.insight import summary
from cutover_tui.model import load_bytes
from make_plan import make_plan, render

NOW = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)


def timed(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(best, median) seconds of `repeat` runs of `action`."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        runs.append(time.perf_counter() - start)
    return min(runs), statistics.median(runs)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args(argv)
    print("| tasks | format | size | load + validate | summary | total (best / median) |")
    print("| ---: | --- | ---: | ---: | ---: | ---: |")
    for size in args.sizes:
        document = make_plan(size, seed=1, now=NOW)
        for fmt in ("json", "toml"):
            data = render(document, fmt).encode()
            plan = load_bytes(data, f"plan.{fmt}", fmt)  # type: ignore[arg-type]
            load_best, _ = timed(lambda d=data, f=fmt: load_bytes(d, f"plan.{f}", f), args.repeat)
            summary_best, _ = timed(lambda p=plan: summary(p, NOW), args.repeat)
            total_best, total_median = timed(
                lambda d=data, f=fmt: json.dumps(summary(load_bytes(d, f"plan.{f}", f), NOW)),
                args.repeat,
            )
            print(
                f"| {size:,} | {fmt} | {len(data) / 1024:,.0f} KiB | {load_best * 1000:,.0f} ms "
                f"| {summary_best * 1000:,.0f} ms "
                f"| {total_best * 1000:,.0f} / {total_median * 1000:,.0f} ms |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
