"""Tasks: the runbook as a table, filtered, searched and sorted, with a detail view per task.

Each snapshot is turned into rows once (`RowMaker`) and the table applies them as a diff. The
once-a-second tick does nothing unless a task crosses into (or out of) lateness, which the
snapshot's `PlanIndex` answers by bisection; then only those tasks' late flags change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable, Input

from .. import insight
from ..model import Party, Phase, Task, TaskStatus
from ..sync import Snapshot
from ..widgets.task_board import LATE_INDEX, Row, RowMaker, TaskBoard, late_cell
from ..widgets.task_filters import TaskFilter, TaskFilters, search_text
from ..widgets.value_label import ValueLabel
from .base import DashboardScreen
from .task_detail import TaskDetailModal

SORTS = {
    "plan": "plan order",
    "critical": "critical path first",
    "id": "id",
    "title": "title",
    "status": "status",
    "late": "late first",
    "planned_start": "planned start",
    "planned_end": "planned end",
    "actual_start": "actual start",
    "actual_end": "actual end",
    "phase": "phase",
    "party": "party",
    "owner": "owner",
    "workstream": "workstream",
}
"""Orders the table can take (`s` cycles through them), by column key."""
ATTENTION_ORDER = (
    TaskStatus.FAILED,
    TaskStatus.BLOCKED,
    TaskStatus.IN_PROGRESS,
    TaskStatus.NOT_STARTED,
    TaskStatus.SKIPPED,
    TaskStatus.DONE,
)
STATUS_RANK = {status: rank for rank, status in enumerate(ATTENTION_ORDER)}
"""Status order when sorting: what needs attention first."""
PHASE_RANK = {phase: rank for rank, phase in enumerate(Phase)}
PARTY_RANK = {party: rank for rank, party in enumerate(Party)}


class TasksScreen(DashboardScreen):
    """Every task of the runbook, its status, times and lateness, filtered as the user asks."""

    AUTO_FOCUS = "TaskBoard"
    BINDINGS = [
        Binding("slash", "search", "Search", key_display="/", id="tasks.search"),
        Binding("f", "toggle_filters", "Filters", id="tasks.filters"),
        Binding("l", "toggle_late", "Late only", id="tasks.late"),
        Binding("s", "cycle_sort", "Sort", id="tasks.sort"),
        Binding("S", "reverse_sort", "Reverse sort", show=False, id="tasks.reverse"),
        Binding("x", "clear_filters", "Clear filters", show=False, id="tasks.clear"),
        Binding("enter", "open_detail", "Task details", show=False),
        Binding("escape", "close_bars", "Close search/filters", show=False),
    ]
    DEFAULT_CSS = """
    TasksScreen {
        #task-search { display: none; margin: 0 1; }
        #task-summary { width: 1fr; height: 1; padding: 0 1; background: $panel-darken-1; }
        #task-summary.-filtered { background: $warning-muted; }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._filter = TaskFilter()
        self._sort = "plan"
        self._reverse = False
        self._index: insight.PlanIndex | None = None
        self._tasks: list[Task] = []
        """The tasks that can be shown: the plan's, less rehearsal-only ones when live."""
        self._hidden = 0
        self._position: dict[str, int] = {}
        self._rows: dict[str, Row] = {}
        self._searched: dict[str, str] | None = None
        """Each task's `search_text`, made when a search first needs it (1 MB per 10k tasks)."""
        self._critical: set[str] = set()
        self._late_ids: set[str] = set()
        self._late_count = 0
        self._late_at: datetime | None = None
        self._shown_as: tuple[Snapshot, ZoneInfo] | None = None
        """The snapshot and zone the table last showed: a different snapshot flashes changes."""

    def compose_body(self) -> ComposeResult:
        # The filter bar (a dozen widgets) is mounted the first time `f` asks for it.
        yield Input(
            placeholder="Search id, title, owner, workstream, notes (Enter: keep, Esc: clear)",
            id="task-search",
            compact=True,
        )
        yield ValueLabel(id="task-summary")
        yield TaskBoard(id="task-board")

    @property
    def board(self) -> TaskBoard:
        return self.query_one(TaskBoard)

    # --- following the app ----------------------------------------------------------------

    def show_snapshot(self, snapshot: Snapshot) -> None:
        app = self.cutover_app
        plan, now = snapshot.plan, app.now
        live = app.options.live
        self._tasks = [task for task in plan.tasks if not (live and task.rehearsal_only)]
        self._hidden = len(plan.tasks) - len(self._tasks)
        self._position = {task.id: position for position, task in enumerate(self._tasks)}
        self._index = index = insight.plan_index(plan)
        self._late_count = index.late_count(now)
        self._late_ids = {task.id for task in index.late(now)}
        self._late_at = now
        self._critical = {task.id for task in insight.critical_path(plan)}
        self._searched = None
        make_row = RowMaker(self._tasks, app.zone, plan.header.final_data_production)
        late, critical = self._late_ids, self._critical
        self._rows = {
            task.id: make_row(task, late=task.id in late, critical=task.id in critical)
            for task in self._tasks
        }
        times = make_row.times
        board = self.board
        # A new snapshot flashes what it changed; the first one, or the same one shown again
        # in another zone (every time cell differs), does not.
        shown_as, self._shown_as = self._shown_as, (snapshot, app.zone)
        flash = shown_as is not None and shown_as[0] is not snapshot and shown_as[1] == app.zone
        with self.app.batch_update():
            board.fit_id_width(self._position)
            board.set_time_label(times.label, times.width)
            self._show_filters()
            self._show_rows(flash=flash)

    def show_time(self, now: datetime) -> None:
        index = self._index
        if index is None or self._late_at is None:
            return
        count = index.late_count(now)
        if count == self._late_count:
            return  # nobody crossed: touch nothing
        if count > self._late_count:
            crossed = index.late(now)[self._late_count :]
            self._late_ids.update(task.id for task in crossed)
        else:  # the clock went back (a rehearsal re-run)
            crossed = index.late(self._late_at)[count:]
            self._late_ids.difference_update(task.id for task in crossed)
        self._late_count, self._late_at = count, now
        changed: dict[str, Row] = {}
        for task in crossed:
            row = self._rows.get(task.id)
            if row is not None:
                flag = late_cell(task.id in self._late_ids)
                changed[task.id] = self._rows[task.id] = (
                    *row[:LATE_INDEX],
                    flag,
                    *row[LATE_INDEX + 1 :],
                )
        if not changed:
            return
        if self._filter.late_only or self._sort == "late" or self._late_first:
            self._show_rows()  # membership or order follows lateness
        else:
            with self.app.batch_update():
                self.board.update_rows(changed)

    # --- rows -----------------------------------------------------------------------------

    @property
    def _late_first(self) -> bool:
        """A wall display puts late tasks on top, whatever else the order."""
        return self.cutover_app.options.kiosk

    def _show_rows(self, *, flash: bool = False) -> None:
        task_filter, late = self._filter, self._late_ids
        searched: dict[str, str] = {}
        if task_filter.search.strip():
            if self._searched is None:
                self._searched = {task.id: search_text(task) for task in self._tasks}
            searched = self._searched
        matching = [
            task
            for task in self._tasks
            if task_filter.matches(task, late=task.id in late, searched=searched.get(task.id, ""))
        ]
        ordered = self._ordered(matching)
        with self.app.batch_update():
            self.board.show_rows([(task.id, self._rows[task.id]) for task in ordered], flash=flash)
            self._show_summary(len(ordered))

    def _ordered(self, tasks: list[Task]) -> list[Task]:
        position = self._position
        if self._sort != "plan":
            value = self._sort_value(self._sort)
            known = [(v, task) for task in tasks if (v := value(task)) is not None]
            known.sort(key=lambda pair: (pair[0], position[pair[1].id]))
            if self._reverse:
                known.reverse()
            # Tasks without a value (no owner, no time) go last whichever way the sort runs.
            tasks = [task for _, task in known] + [task for task in tasks if value(task) is None]
        elif self._reverse:
            tasks = tasks[::-1]
        if self._late_first:
            late = self._late_ids
            tasks = [t for t in tasks if t.id in late] + [t for t in tasks if t.id not in late]
        return tasks

    def _sort_value(self, key: str) -> Callable[[Task], Any]:
        late = self._late_ids
        if key == "critical":
            return lambda task: 0 if task.id in self._critical else 1
        if key == "status":
            return lambda task: STATUS_RANK[task.status]
        if key == "late":
            return lambda task: (0, insight.late_since(task)) if task.id in late else (1, None)
        if key == "phase":
            return lambda task: PHASE_RANK[task.phase]
        if key == "party":
            return lambda task: PARTY_RANK[task.party] if task.party else None
        if key == "planned_end":
            return lambda task: task.planned_finish
        if key in ("id", "title", "owner", "workstream"):
            return lambda task: text.casefold() if (text := getattr(task, key)) else None
        return lambda task: getattr(task, key)

    def _show_summary(self, shown: int) -> None:
        total = len(self._tasks)
        terms = self._filter.terms()
        parts: list[Content | str | tuple[str, str]] = []
        if terms:
            parts += [(" FILTERED ", "bold reverse"), f" showing {shown} of {total}"]
            for name, value in terms:
                parts += [("  ·  ", "$text-muted"), (name, "bold")]
                if value:
                    parts.append(f" {value}")  # plan text or what the user typed: literal
        else:
            parts.append(f"All {total} tasks")
        order = SORTS[self._sort]
        arrow = " ↓" if self._reverse else ""
        parts += [("  ·  ", "$text-muted"), f"sorted by {order}{arrow}"]
        if self._late_first:
            parts.append(", late first")
        if self._hidden:
            parts += [("  ·  ", "$text-muted"), f"{self._hidden} rehearsal-only hidden"]
        summary = self.query_one("#task-summary", ValueLabel)
        summary.show(Content.assemble(*parts))
        summary.set_class(bool(terms), "-filtered")

    def _set_filter(self, task_filter: TaskFilter) -> None:
        if task_filter != self._filter:
            self._filter = task_filter
            self._show_filters()
            self._show_rows()

    def _show_filters(self) -> None:
        for bar in self.query(TaskFilters):
            bar.show(
                self._filter,
                _distinct(task.owner for task in self._tasks),
                _distinct(task.workstream for task in self._tasks),
            )

    def _set_sort(self, key: str, reverse: bool) -> None:
        if (key, reverse) != (self._sort, self._reverse):
            self._sort, self._reverse = key, reverse
            self._show_rows()

    # --- user actions ---------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A kiosk is hands-off: no stray key may leave the wall display filtered.
        return not (self.cutover_app.options.kiosk and action in _OWN_ACTIONS)

    def action_search(self) -> None:
        search = self.query_one("#task-search", Input)
        search.display = True
        search.focus()

    async def action_toggle_filters(self) -> None:
        bar = self.query_one_optional(TaskFilters)
        if bar is None:
            bar = TaskFilters(id="task-filters")
            await self.mount(bar, before="#task-search")
            self._show_filters()
        else:
            bar.display = not bar.display
        if bar.display:
            bar.query_one("#filter-phase").focus()
        else:
            self.board.focus()

    def action_toggle_late(self) -> None:
        self._set_filter(replace(self._filter, late_only=not self._filter.late_only))

    def action_cycle_sort(self) -> None:
        keys = list(SORTS)
        self._set_sort(keys[(keys.index(self._sort) + 1) % len(keys)], False)

    def action_reverse_sort(self) -> None:
        self._set_sort(self._sort, not self._reverse)

    def action_clear_filters(self) -> None:
        search = self.query_one("#task-search", Input)
        search.value = ""
        search.display = False
        self._set_filter(TaskFilter())
        if not self.board.has_focus:
            self.board.focus()

    def action_close_bars(self) -> None:
        search = self.query_one("#task-search", Input)
        bar = self.query_one_optional(TaskFilters)
        if search.has_focus or (search.display and not (bar and bar.display)):
            search.value = ""
            search.display = False
            self._set_filter(replace(self._filter, search=""))
        elif bar is not None:
            bar.display = False
        self.board.focus()

    @on(Input.Changed, "#task-search")
    def search_tasks(self, event: Input.Changed) -> None:
        self._set_filter(replace(self._filter, search=event.value))

    @on(Input.Submitted, "#task-search")
    def keep_search(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            event.input.display = False
        self.board.focus()

    @on(TaskFilters.Changed)
    def filter_tasks(self, event: TaskFilters.Changed) -> None:
        self._set_filter(replace(event.task_filter, search=self._filter.search))

    @on(DataTable.HeaderSelected)
    def sort_by_column(self, event: DataTable.HeaderSelected) -> None:
        key = event.column_key.value or "plan"
        self._set_sort(key, not self._reverse if key == self._sort else False)

    def action_open_detail(self) -> None:
        """Enter where the table has no focus: the highlighted task (the table handles its own)."""
        task_id = self.board.cursor_task_id
        if task_id is not None:
            self.app.push_screen(TaskDetailModal(task_id))

    @on(TaskBoard.TaskSelected)
    def open_task_detail(self, event: TaskBoard.TaskSelected) -> None:
        if not self.cutover_app.options.kiosk:
            self.app.push_screen(TaskDetailModal(event.task_id))


_OWN_ACTIONS = frozenset(
    binding.action for binding in TasksScreen.BINDINGS if isinstance(binding, Binding)
)


def _distinct(values: Any) -> list[str]:
    """The distinct non-empty values, sorted as people read them."""
    return sorted({value for value in values if value}, key=str.casefold)
