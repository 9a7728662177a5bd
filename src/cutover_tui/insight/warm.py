"""Figures worked out where a plan is loaded (a source's thread), not on the screen's event loop."""

from __future__ import annotations

from ..model import Plan
from .figures import open_blockers_ranked, progress, status_counts
from .index import plan_index
from .schedule import critical_path


def warm(plan: Plan) -> None:
    """Work out the figures the screens ask for that do not depend on the time.

    Each is memoised on `plan`, so a screen showing it only reads them. For a plan loaded as an
    edit of the last, most are patched in a few milliseconds; a task added or removed costs tens
    of milliseconds at 10,000 tasks (the critical path's graph is rebuilt), which must not stall
    the screen.
    """
    plan_index(plan)
    critical_path(plan)
    status_counts(plan)
    progress(plan)
    open_blockers_ranked(plan)
