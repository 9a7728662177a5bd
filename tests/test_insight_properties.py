"""Invariants of the derived figures over generated valid plans, at any moment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from cutover_tui import insight
from cutover_tui.model import TaskStatus, validate
from test_properties import valid_plans

# Hypothesis takes naive bounds and attaches the zone itself.
moments = st.datetimes(
    min_value=datetime(2026, 1, 1),  # noqa: DTZ001
    max_value=datetime(2027, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)


@settings(max_examples=60, deadline=None)
@given(document=valid_plans(), now=moments)
def test_figures_keep_their_invariants(document: dict[str, Any], now: datetime) -> None:
    plan = validate(document, "plan.toml")
    for share in insight.progress(plan).values():
        assert 0.0 <= share <= 1.0
    late = insight.late_tasks(plan, now)
    assert all(task.status not in (TaskStatus.DONE, TaskStatus.SKIPPED) for task in late)
    index = insight.PlanIndex(plan)
    assert {t.id for t in index.late(now)} == {t.id for t in late}
    assert index.late_count(now) == len(late)
    path = insight.critical_path(plan)
    for earlier, later in pairwise(path):
        assert earlier.id in later.depends_on  # a chain through depends_on
    assert len({task.id for task in path}) == len(path)
    report = insight.summary(plan, now)
    assert set(report["tasks"]["late"]) == {task.id for task in late}
    if report["sla"] is not None:
        sla = report["sla"]
        assert sla["elapsed_seconds"] >= 0
        assert sla["remaining_seconds"] == sla["limit_seconds"] - sla["elapsed_seconds"]


@settings(max_examples=40, deadline=None)
@given(document=valid_plans(), now=moments, step=st.integers(1, 10_000))
def test_lateness_only_grows_as_time_passes(
    document: dict[str, Any], now: datetime, step: int
) -> None:
    plan = validate(document, "plan.toml")
    before = {task.id for task in insight.late_tasks(plan, now)}
    after = {task.id for task in insight.late_tasks(plan, now + timedelta(seconds=step))}
    assert before <= after
