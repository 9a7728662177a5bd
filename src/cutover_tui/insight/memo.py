"""Figures computed once per plan: a plan never changes, so every screen can share them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, cast

from ..model import Plan

T = TypeVar("T")


def memo(plan: Plan, key: str, compute: Callable[[], T]) -> T:
    """`compute()` for `plan`, worked out the first time it is asked for and kept with the plan."""
    store = plan.derived
    if key not in store:
        store[key] = compute()
    return cast(T, store[key])
