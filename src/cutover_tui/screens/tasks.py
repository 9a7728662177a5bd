"""Tasks: the runbook as a table, filtered, searched and sorted, with a detail view per task.

A new snapshot makes rows (`RowMaker`) only for the tasks that changed (tasks carried over from
the previous plan are the very same objects) and for those whose late flag or critical mark
flipped; every other row is kept as it is. When no row enters, leaves or moves, the changed rows
are updated in place; otherwise the new order is worked out from the one on display: the rows of
the tasks that went or were remade leave it, and those remade that pass the filter go back in
where the sort puts them, found by bisection. Only when many rows were remade, or the plan
re-ordered tasks it kept, is every task filtered and sorted again.
The once-a-second tick does nothing unless a task crosses into (or out of) lateness, which the
snapshot's `PlanIndex` answers by bisection; then only those tasks' late flags change, and
only their rows move when the filter or the order follows lateness.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from itertools import compress, filterfalse
from operator import is_not
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
from ..widgets.task_board import LATE_INDEX, Row, RowMaker, TaskBoard, TimeCells, late_cell
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
MOST_PLACED = 300
"""Most rows put back in the order one by one (`_place_again`); beyond, filtering and sorting
every task (`_show_rows`, some 50 ms at 10,000 tasks) costs about as much."""


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
        self._make_row: RowMaker | None = None
        """What made the rows, kept to make those of the next snapshot's changed tasks."""
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
        plan, now, zone = snapshot.plan, app.now, app.zone
        reference = plan.header.final_data_production
        live = app.options.live
        tasks = [task for task in plan.tasks if not task.rehearsal_only] if live else [*plan.tasks]
        old_late, old_critical, old_position = self._late_ids, self._critical, self._position
        changed, went, same_ids = _changes(self._tasks, self._position, tasks)
        self._tasks = tasks
        self._hidden = len(plan.tasks) - len(tasks)
        if not same_ids:
            self._position = {task.id: position for position, task in enumerate(tasks)}
        self._index = index = insight.plan_index(plan)  # both patched for an incremental load
        self._late_count = index.late_count(now)
        self._late_ids = late = {task.id for task in index.late(now)}
        self._late_at = now
        self._critical = critical = {task.id for task in insight.critical_path(plan)}
        # Rows made again: the changed tasks', and those whose late flag or critical mark
        # flipped. Every other row stays the same object, which the table skips at once.
        redo = dict(changed)
        for task_id in (late ^ old_late) | (critical ^ old_critical):
            if task_id not in redo and task_id in self._position:
                task = tasks[self._position[task_id]]
                redo[task_id] = (task, task)
        times = self._patch_rows(redo, went, zone, reference)
        remade = times is None
        if times is None:  # the time cells read differently: every row is made again
            make_row = self._make_row = RowMaker(tasks, zone, reference)
            times = make_row.times
            self._rows = {
                task.id: make_row(task, late=task.id in late, critical=task.id in critical)
                for task in tasks
            }
        self._patch_search(changed, went)
        # When no task came, went or moved, and no changed row enters or leaves the filter or
        # moves in the order, the changed rows are updated where they are.
        place_before, place = self._placer(old_late, old_critical), self._placer(late, critical)
        in_place = (
            same_ids
            and not remade
            and all(
                old is not None and place_before(old) == place(new) for old, new in redo.values()
            )
        )
        # A new snapshot flashes what it changed; the first one, or the same one shown again
        # in another zone (every time cell differs), does not.
        shown_as, self._shown_as = self._shown_as, (snapshot, zone)
        flash = shown_as is not None and shown_as[0] is not snapshot and shown_as[1] == zone
        board = self.board
        gone_ids = [task.id for task in went]
        with self.app.batch_update():
            if remade or not same_ids:
                board.fit_id_width(self._position)
            board.set_time_label(times.label, times.width)
            if not same_ids or any(
                old is None or (old.owner, old.workstream) != (new.owner, new.workstream)
                for old, new in changed.values()
            ):
                self._show_filters()  # the owners and workstreams to choose from
            if in_place:
                rows = self._rows
                board.update_rows({task_id: rows[task_id] for task_id in redo}, flash=flash)
                self._show_summary(board.row_count)
            elif self._in_plan_order and not remade and board.row_count:
                # Every task shown, as the plan lists them: tasks came or went; the table
                # takes just those rows and the plan's order, not a diff of every row.
                order = [task.id for task in tasks]
                board.show_changes(order, self._rows, redo, gone_ids, flash=flash)
                self._show_summary(len(order))
            else:
                # Filtered, or in another order: the rows not placed again keep their order,
                # unless the plan re-ordered tasks it kept (unchanged, so not placed again).
                placing = {*redo, *gone_ids}
                if (
                    remade
                    or len(redo) > MOST_PLACED
                    or not (same_ids or _kept_in_order(old_position, self._position, placing))
                ):
                    self._show_rows(flash=flash)
                else:
                    self._place_again(redo, gone_ids, flash=flash)

    @property
    def _in_plan_order(self) -> bool:
        """Every task is shown, in plan order: no filter or search, no other order."""
        unordered = self._sort != "plan" or self._reverse or self._late_first
        return not (self._filter.active or unordered)

    def _patch_rows(
        self,
        redo: dict[str, tuple[Task | None, Task]],
        went: list[Task],
        zone: ZoneInfo,
        reference: datetime,
    ) -> TimeCells | None:
        """Make the rows of `redo` again and drop those of `went`, or return None when every
        row must be made again (the first snapshot, another zone, times formatted otherwise).

        `redo` holds each task with the task it replaced (None: a new one), the same task for
        a row whose late flag or critical mark flipped; `went`, the tasks that are no more.
        """
        make_row = self._make_row
        if make_row is None:
            return None
        times = make_row.times
        replaced = [old for old, new in redo.values() if old is not new and old is not None]
        if (times.zone, times.reference) != (zone, reference) or not times.patch(
            TimeCells.moments([*replaced, *went]),
            TimeCells.moments(new for old, new in redo.values() if old is not new),
        ):
            return None
        rows, late, critical = self._rows, self._late_ids, self._critical
        for task in went:
            del rows[task.id]
        for task_id, (_, task) in redo.items():
            rows[task_id] = make_row(task, late=task_id in late, critical=task_id in critical)
        return times

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
        if not (self._filter.late_only or self._sort == "late" or self._late_first):
            with self.app.batch_update():
                self.board.update_rows(changed)
        elif len(changed) > MOST_PLACED:
            self._show_rows()  # membership or order follows lateness
        else:
            with self.app.batch_update():
                self._place_again(changed, [])

    # --- rows -----------------------------------------------------------------------------

    @property
    def _late_first(self) -> bool:
        """A wall display puts late tasks on top, whatever else the order."""
        return self.cutover_app.options.kiosk

    def _show_rows(self, *, flash: bool = False) -> None:
        task_filter, late = self._filter, self._late_ids
        searched = self._search_texts()
        matching = self._tasks
        if task_filter.active:  # the default filter passes every task: no need to ask
            matching = [
                task
                for task in self._tasks
                if task_filter.matches(
                    task, late=task.id in late, searched=searched.get(task.id, "")
                )
            ]
        ordered = self._ordered(matching)
        with self.app.batch_update():
            self.board.show_rows([(task.id, self._rows[task.id]) for task in ordered], flash=flash)
            self._show_summary(len(ordered))

    def _place_again(
        self, redo: Collection[str], gone: Collection[str], *, flash: bool = False
    ) -> None:
        """Show what `_show_rows` would, from the order on display: the tasks of `redo` (their
        rows made again) are placed again, those of `gone` (no more) are dropped.

        Every other task shown keeps its sort value, lateness and filter, and its place
        relative to the others in the plan (the caller makes sure of it), so their order
        holds; each task of `redo` that passes the filter goes in where `_rank` puts it.
        """
        board = self.board
        shown = board.shown_rows
        moving = {*redo, *gone}
        order = [task_id for task_id in shown if task_id not in moving]
        tasks, position = self._tasks, self._position
        passes, rank = self._passes(), self._rank()
        placed = [task for task in (tasks[position[task_id]] for task_id in redo) if passes(task)]

        def rank_of(task_id: str) -> tuple[Any, ...]:
            return rank(tasks[position[task_id]])

        for task in placed:
            order.insert(bisect_left(order, rank(task), key=rank_of), task.id)
        entered = {task.id for task in placed}
        left = [task_id for task_id in moving if task_id in shown and task_id not in entered]
        board.show_changes(order, self._rows, entered, left, flash=flash)
        self._show_summary(len(order))

    def _passes(self) -> Callable[[Task], bool]:
        """Whether a task passes the filter now (as `_show_rows` asks it)."""
        task_filter, late = self._filter, self._late_ids
        searched = self._search_texts()

        def passes(task: Task) -> bool:
            text = searched.get(task.id, "")
            return task_filter.matches(task, late=task.id in late, searched=text)

        return passes

    def _rank(self) -> Callable[[Task], tuple[Any, ...]]:
        """A key that sorts tasks exactly as `_ordered` does, so a task can be placed among
        those shown by bisection. Positions are unique, so no two tasks rank the same."""
        position, late, reverse = self._position, self._late_ids, self._reverse
        if self._sort == "plan":

            def place(task: Task) -> tuple[Any, ...]:
                at = position[task.id]
                return (-at if reverse else at,)

        else:
            value = self._sort_value(self._sort, late, self._critical)

            def place(task: Task) -> tuple[Any, ...]:
                at = position[task.id]
                if (known := value(task)) is None:
                    return (1, at)  # after every value, in plan order, either way
                return (0, _Descending((known, at)) if reverse else (known, at))

        if not self._late_first:
            return place
        return lambda task: (task.id not in late, *place(task))

    def _search_texts(self) -> dict[str, str]:
        """Each task's `search_text` while a search is on (made the first time it is needed)."""
        if not self._filter.search.strip():
            return {}
        if self._searched is None:
            self._searched = {task.id: search_text(task) for task in self._tasks}
        return self._searched

    def _patch_search(self, changed: dict[str, tuple[Task | None, Task]], went: list[Task]) -> None:
        """Bring the search texts up to a new snapshot's tasks."""
        searched = self._searched
        if searched is not None:
            for task in went:
                searched.pop(task.id, None)
            for task_id, (_, task) in changed.items():
                searched[task_id] = search_text(task)

    def _placer(self, late: set[str], critical: set[str]) -> Callable[[Task], tuple[Any, ...]]:
        """What decides whether a task is shown and where: whether it passes the filter, its
        sort value, and whether it goes first as late; given who is late and critical."""
        task_filter, late_first = self._filter, self._late_first
        search = bool(task_filter.search.strip())
        # In plan order a task's place is its position, which only a task coming, going or
        # moving changes.
        value = self._sort_value(self._sort, late, critical) if self._sort != "plan" else None

        def place(task: Task) -> tuple[Any, ...]:
            is_late = task.id in late
            searched = search_text(task) if search else ""
            shown = task_filter.matches(task, late=is_late, searched=searched)
            return shown, value(task) if value else None, late_first and is_late

        return place

    def _ordered(self, tasks: list[Task]) -> list[Task]:
        position = self._position
        if self._sort != "plan":
            value = self._sort_value(self._sort, self._late_ids, self._critical)
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

    def _sort_value(self, key: str, late: set[str], critical: set[str]) -> Callable[[Task], Any]:
        if key == "critical":
            return lambda task: 0 if task.id in critical else 1
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


def _changes(
    before: list[Task], position: dict[str, int], tasks: list[Task]
) -> tuple[dict[str, tuple[Task | None, Task]], list[Task], bool]:
    """What changed from the tasks `before` (at `position` by id) to `tasks`: each changed or
    new task by id, with the task it replaced (None: new); the tasks that went; and whether
    the ids are the same, in the same order.

    A task carried over from the previous plan is the very same object, so an identity test,
    cheap even over 10,000 tasks, finds what may have changed; only those are compared (all
    of them after a whole reload, which is still far cheaper than making their rows again).
    """
    if len(tasks) == len(before):
        replaced = compress(range(len(tasks)), map(is_not, before, tasks))  # at C speed
        changed: dict[str, tuple[Task | None, Task]] = {
            tasks[k].id: (before[k], tasks[k]) for k in replaced if before[k] != tasks[k]
        }
        if all(old is not None and old.id == task.id for old, task in changed.values()):
            return changed, [], True
    # Tasks came, went or moved. Still by identity first: only tasks that are not objects of
    # the list before are looked at, and only tasks of the list before that are not objects of
    # the new one can have gone.
    kept = set(map(id, before))
    came = [task for task in tasks if id(task) not in kept]
    changed = {}
    for task in came:
        at = position.get(task.id)
        old = before[at] if at is not None else None
        if old != task:
            changed[task.id] = (old, task)
    present = set(map(id, tasks))
    came_ids = {task.id for task in came}
    went = [old for old in before if id(old) not in present and old.id not in came_ids]
    return changed, went, False


def _kept_in_order(before: Iterable[str], ids: Iterable[str], placed: Collection[str]) -> bool:
    """Whether the task ids in both plan orders, less those of `placed`, come in the same
    order in each: tasks came or went, but the plan did not re-order those it kept."""
    placing = placed.__contains__  # at C speed: 10,000 ids cost a fraction of a millisecond
    return list(filterfalse(placing, before)) == list(filterfalse(placing, ids))


@dataclass(frozen=True, slots=True)
class _Descending:
    """A sort key of any kind (text, times, tuples) that sorts the other way round."""

    key: Any

    def __lt__(self, other: _Descending) -> bool:
        return bool(other.key < self.key)


def _distinct(values: Any) -> list[str]:
    """The distinct non-empty values, sorted as people read them."""
    return sorted({value for value in values if value}, key=str.casefold)
