"""How long the event loop goes without running a task: the measure of "the UI is blocked"."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator


@contextlib.asynccontextmanager
async def loop_gaps(settle: float = 0.02) -> AsyncIterator[list[float]]:
    """Within the block, a task that sleeps 1 ms records each gap (seconds) between its runs
    into the list yielded; the longest is how long the loop was blocked."""
    gaps: list[float] = []
    running = True

    async def tick() -> None:
        last = time.perf_counter()
        while running:
            await asyncio.sleep(0.001)
            moment = time.perf_counter()
            gaps.append(moment - last)
            last = moment

    ticker = asyncio.create_task(tick())
    await asyncio.sleep(settle)
    gaps.clear()
    try:
        yield gaps
    finally:
        running = False
        await ticker
