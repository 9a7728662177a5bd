"""Which tasks the Tasks screen shows: the filter itself, and the bar of controls that edits it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.message import Message
from textual.widgets import Checkbox, Select

from ..model import Party, Phase, Task, TaskStatus

STATUS_MARK = {
    TaskStatus.IN_PROGRESS: "▶ in progress",
    TaskStatus.BLOCKED: "■ blocked",
    TaskStatus.DONE: "✔ done",
    TaskStatus.FAILED: "✖ failed",
    TaskStatus.SKIPPED: "– skipped",  # noqa: RUF001 (an en dash, as drawn)
    TaskStatus.NOT_STARTED: "· not started",
}
"""Every status as symbol and word, so colour is never the only signal."""


def search_text(task: Task) -> str:
    """What `/` searches in a task: id, title, owner, workstream and notes, case-folded.

    Fields are joined by a character no field contains, so a query never spans two fields.
    """
    fields = (task.id, task.title, task.owner or "", task.workstream or "", task.notes or "")
    return "\x00".join(fields).casefold()


@dataclass(frozen=True, slots=True)
class TaskFilter:
    """The filters in force on the Tasks screen; the default shows every task."""

    phase: Phase | None = None
    party: Party | None = None
    owner: str | None = None
    workstream: str | None = None
    status: TaskStatus | None = None
    late_only: bool = False
    search: str = ""
    """Text to find (case-insensitive) in the id, title, owner, workstream or notes."""

    @property
    def active(self) -> bool:
        return self != TaskFilter()

    def matches(self, task: Task, *, late: bool, searched: str) -> bool:
        """Whether `task` passes; `late` is its lateness now, `searched` its `search_text`."""
        if self.late_only and not late:
            return False
        if self.phase is not None and task.phase is not self.phase:
            return False
        if self.party is not None and task.party is not self.party:
            return False
        if self.status is not None and task.status is not self.status:
            return False
        if self.owner is not None and task.owner != self.owner:
            return False
        if self.workstream is not None and task.workstream != self.workstream:
            return False
        needle = self.search.strip().casefold()
        return not needle or needle in searched

    def terms(self) -> list[tuple[str, str]]:
        """The filters in force as (name, value) pairs, for the line above the table."""
        found: list[tuple[str, str]] = []
        for name, value in (
            ("phase", self.phase),
            ("party", self.party),
            ("owner", self.owner),
            ("workstream", self.workstream),
            ("status", STATUS_MARK[self.status] if self.status else None),
        ):
            if value is not None:
                found.append((name, str(value)))
        if self.late_only:
            found.append(("late only", ""))
        if self.search.strip():
            found.append(("search", self.search.strip()))
        return found


class TaskFilters(HorizontalGroup):
    """A row of compact selects (phase, party, owner, workstream, status) and a late-only box.

    Owner and workstream choices come from the plan; every label is plan text shown literally.
    """

    DEFAULT_CSS = """
    TaskFilters {
        height: auto;
        background: $panel;
        & > Select { width: 1fr; margin: 0 1 0 0; }
        & > Checkbox { width: auto; }
    }
    """

    @dataclass
    class Changed(Message):
        """The user changed a filter in the bar."""

        task_filter: TaskFilter

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._filter = TaskFilter()
        self._owners: tuple[str, ...] = ()
        self._workstreams: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        phases, parties = _choices(str(p) for p in Phase), _choices(str(p) for p in Party)
        yield Select(phases, prompt="Phase", id="filter-phase", compact=True)
        yield Select(parties, prompt="Party", id="filter-party", compact=True)
        yield Select[str]([], prompt="Owner", id="filter-owner", compact=True)
        yield Select[str]([], prompt="Workstream", id="filter-workstream", compact=True)
        yield Select(
            [(Text(mark), str(status)) for status, mark in STATUS_MARK.items()],
            prompt="Status",
            id="filter-status",
            compact=True,
        )
        yield Checkbox(_late_label(False), id="filter-late", compact=True)

    def show(
        self, task_filter: TaskFilter, owners: Sequence[str], workstreams: Sequence[str]
    ) -> None:
        """Reflect `task_filter`, offering the plan's `owners` and `workstreams` as choices."""
        self._filter = task_filter
        # A chosen value the new plan no longer has stays offered, so the filter stays visible.
        owners = _with(owners, task_filter.owner)
        workstreams = _with(workstreams, task_filter.workstream)
        for name, known, values in (
            ("owner", self._owners, owners),
            ("workstream", self._workstreams, workstreams),
        ):
            if values != known:
                self.query_one(f"#filter-{name}", Select).set_options(_choices(values))
        self._owners, self._workstreams = owners, workstreams
        for name, value in (
            ("phase", task_filter.phase),
            ("party", task_filter.party),
            ("owner", task_filter.owner),
            ("workstream", task_filter.workstream),
            ("status", task_filter.status),
        ):
            select: Select[str] = self.query_one(f"#filter-{name}", Select)
            wanted = Select.NULL if value is None else str(value)
            if select.value != wanted:
                select.value = wanted
        checkbox = self.query_one("#filter-late", Checkbox)
        if checkbox.value != task_filter.late_only:
            checkbox.value = task_filter.late_only
            checkbox.label = _late_label(task_filter.late_only)

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.value != event.select.value:
            return  # superseded: the select was set again after posting this
        value = None if event.value is Select.NULL else str(event.value)
        name = (event.select.id or "").removeprefix("filter-")
        current = self._filter
        if name == "phase":
            updated = replace(current, phase=Phase(value) if value else None)
        elif name == "party":
            updated = replace(current, party=Party(value) if value else None)
        elif name == "status":
            updated = replace(current, status=TaskStatus(value) if value else None)
        elif name == "owner":
            updated = replace(current, owner=value)
        elif name == "workstream":
            updated = replace(current, workstream=value)
        else:
            return
        self._announce(updated)

    @on(Checkbox.Changed, "#filter-late")
    def _late_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        event.checkbox.label = _late_label(event.value)
        self._announce(replace(self._filter, late_only=event.value))

    def _announce(self, updated: TaskFilter) -> None:
        # Setting a control from `show` also posts Changed; only a real change is announced.
        if updated != self._filter:
            self._filter = updated
            self.post_message(self.Changed(updated))


def _late_label(late_only: bool) -> str:
    # The box's mark differs only by colour; the words say it too.
    return "Late only: on" if late_only else "Late only: off"


def _with(values: Sequence[str], extra: str | None) -> tuple[str, ...]:
    return tuple(values) if extra is None or extra in values else (*values, extra)


def _choices(values: Iterable[str]) -> list[tuple[Text, str]]:
    """Select options whose labels are plain text, never markup."""
    return [(Text(value), value) for value in values]
