"""Figures computed once per plan: a plan never changes, so every screen can share them.

A plan loaded as an edit of the previous one (`model.lineage`) shares most of its task records
with it; a figure can then be patched from the previous plan's instead of computed afresh
(`carried`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from ..model import Lineage, Plan, lineage

T = TypeVar("T")


def memo(plan: Plan, key: str, compute: Callable[[], T]) -> T:
    """`compute()` for `plan`, worked out the first time it is asked for and kept with the plan."""
    store = plan.derived
    if key not in store:
        store[key] = compute()
    return cast(T, store[key])


def carried(plan: Plan, key: str, *, moved: bool = False) -> tuple[Any, Lineage] | None:
    """The previous plan's figure `key`, when `plan` is that plan with a few tasks replaced.

    None unless `plan` was loaded as an edit of a plan that had computed the figure, with as
    many tasks, each carried-over task at its old position; then only the tasks at
    `Lineage.fresh_tasks` differ (``lineage.tasks[k]`` → ``plan.tasks[k]``). With `moved`, tasks
    may also have been added, removed or moved (`Lineage.moves`, `Lineage.removed_tasks`).
    """
    found = lineage(plan)
    if found is None or not (moved or found.same_positions):
        return None
    store = found.derived
    if key not in store:
        return None
    return store[key], found
