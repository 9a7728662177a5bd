"""The dashboard's screens, one per file, imported only when first shown (fast start-up)."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from importlib.util import find_spec

from textual.screen import Screen

from .base import DashboardScreen
from .help import HelpScreen

SCREEN_CLASSES = {
    "overview": "overview:OverviewScreen",
    "tasks": "tasks:TasksScreen",
    "blockers": "blockers:BlockersScreen",
    "checkpoints": "checkpoints:CheckpointsScreen",
    "timeline": "timeline:TimelineScreen",
    "log": "log:LogScreen",
    "contacts": "contacts:ContactsScreen",
}
"""Mode name → ``module:Class`` within this package, in the order of the number keys."""


def _factory(target: str) -> Callable[[], Screen[None]]:
    module_name, class_name = target.split(":")

    def make() -> Screen[None]:
        screen_class = getattr(import_module(f".{module_name}", __name__), class_name)
        return screen_class()  # type: ignore[no-any-return]

    return make


SCREENS: dict[str, Callable[[], Screen[None]]] = {
    name: _factory(target)
    for name, target in SCREEN_CLASSES.items()
    if find_spec(f"{__name__}.{target.split(':')[0]}") is not None
}
"""The modes of the app: every screen whose module is present."""

__all__ = ["SCREENS", "DashboardScreen", "HelpScreen"]
