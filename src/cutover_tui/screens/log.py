"""Log: the audit trail newest first, filtered by kind of ref, by one ref, or by words."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup
from textual.content import Content
from textual.widgets import DataTable, Input

from .. import display
from ..model import LogEntry, Plan
from ..sync import Snapshot
from ..widgets.labelled_text import LabelledText, Row, labelled
from ..widgets.log_table import KIND_CYCLE, LogFilter, LogTable, ref_kind
from ..widgets.value_label import ValueLabel
from .base import DashboardScreen


class LogScreen(DashboardScreen):
    """Every log entry, newest first; new entries appear on top as snapshots arrive."""

    BINDINGS = [
        Binding("f", "cycle_kind", "Filter by kind", id="log-filter-kind"),
        Binding("slash", "search", "Search", key_display="/", id="log-search"),
        Binding("x", "clear_filters", "Clear filters", id="log-clear"),
        Binding("escape", "leave_search", "Done searching", show=False),
    ]

    AUTO_FOCUS = "#log-table"

    DEFAULT_CSS = """
    LogScreen {
        #log-bar { height: auto; background: $boost; }
        #log-filter { width: auto; max-width: 100%; padding: 0 1; }
        #log-search-input { width: 1fr; max-width: 40; height: 1; border: none; padding: 0 1; }
        #log-empty { padding: 1 2; color: $text-muted; }
        #log-detail {
            height: auto; max-height: 8; padding: 0 1;
            border-top: solid $panel-lighten-2;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.log_filter = LogFilter()
        """What the table shows: a kind of ref, one ref, words."""

    def compose_body(self) -> ComposeResult:
        with HorizontalGroup(id="log-bar"):
            yield ValueLabel(id="log-filter")
            search = Input(placeholder="search the log", id="log-search-input")
            search.display = False
            search.disabled = True  # out of the focus chain until / opens it
            yield search
        yield ValueLabel("No log entries yet.", id="log-empty")
        yield LogTable(id="log-table")
        yield LabelledText(id="log-detail")

    def show_snapshot(self, snapshot: Snapshot) -> None:
        self._apply()

    def show_time(self, now: datetime) -> None:
        """Nothing in the log changes with time."""

    def _apply(self) -> None:
        snapshot = self.cutover_app.snapshot
        if snapshot is None:
            return
        plan = snapshot.plan
        table = self.query_one(LogTable)
        table.show_log(plan, self.cutover_app.zone, self.log_filter)
        empty = self.query_one("#log-empty", ValueLabel)
        if not plan.log:
            empty.show("No log entries yet.")
        elif not table.shown_count:
            empty.show("No log entries match the filter (x clears it).")
        empty.display = not table.shown_count
        table.display = bool(table.shown_count)
        self.query_one("#log-filter", ValueLabel).show(
            _filter_text(self.log_filter, table.shown_count, len(plan.log))
        )
        self._show_detail()

    def _show_detail(self) -> None:
        snapshot = self.cutover_app.snapshot
        table = self.query_one(LogTable)
        entry = table.entry_at_cursor() if table.shown_count else None
        detail = self.query_one("#log-detail", LabelledText)
        detail.display = entry is not None
        if entry is not None and snapshot is not None:
            detail.show_rows(_entry_rows(snapshot.plan, entry, self.cutover_app.zone))

    @on(DataTable.RowHighlighted, "#log-table")
    def show_highlighted_entry(self) -> None:
        self._show_detail()

    @on(DataTable.RowSelected, "#log-table")
    def filter_to_selected_ref(self) -> None:
        """Enter: only entries about this entry's task, blocker or checkpoint (again: all)."""
        entry = self.query_one(LogTable).entry_at_cursor()
        if entry is None or entry.ref is None:
            return
        same = self.log_filter.ref == entry.ref
        self.log_filter = replace(self.log_filter, ref=None if same else entry.ref)
        self._apply()

    def action_cycle_kind(self) -> None:
        position = KIND_CYCLE.index(self.log_filter.kind)
        kind = KIND_CYCLE[(position + 1) % len(KIND_CYCLE)]
        self.log_filter = replace(self.log_filter, kind=kind)
        self._apply()

    def action_search(self) -> None:
        search = self.query_one("#log-search-input", Input)
        search.display, search.disabled = True, False
        search.focus()

    def action_leave_search(self) -> None:
        search = self.query_one("#log-search-input", Input)
        if search.has_focus:
            self.query_one(LogTable).focus()
            if not search.value:
                search.display, search.disabled = False, True

    def action_clear_filters(self) -> None:
        search = self.query_one("#log-search-input", Input)
        search.value = ""
        search.display, search.disabled = False, True
        self.log_filter = LogFilter()
        self._apply()
        self.query_one(LogTable).focus()

    @on(Input.Changed, "#log-search-input")
    def search_as_typed(self, event: Input.Changed) -> None:
        if event.value != self.log_filter.search:
            self.log_filter = replace(self.log_filter, search=event.value)
            self._apply()

    @on(Input.Submitted, "#log-search-input")
    def finish_search(self) -> None:
        self.action_leave_search()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("cycle_kind", "clear_filters") and self.focused is not None:
            # Typing f or x into the search box is text, not a command.
            return not isinstance(self.focused, Input)
        return True


def _filter_text(log_filter: LogFilter, shown: int, total: int) -> Content:
    """``Showing 4 of 10 · kind: blockers · ref: B-01 · search: "card"``."""
    parts: list[Content | str | tuple[str, str]] = [(f"Showing {shown} of {total}", "bold")]
    if log_filter.kind is not None:
        parts += [" · kind: ", (f"{log_filter.kind}s", "bold $accent")]
    if log_filter.ref is not None:
        parts += [" · ref: ", (log_filter.ref, "bold $accent")]
    if log_filter.search.strip():
        parts += [" · search: ", (repr(log_filter.search.strip()), "bold $accent")]
    if not log_filter.active:
        parts.append((" · newest first · f kind · Enter one ref · / search", "$text-muted"))
    else:
        parts.append((" · x clears", "$text-muted"))
    return Content.assemble(*parts)


def _entry_rows(plan: Plan, entry: LogEntry, zone: ZoneInfo) -> list[Row]:
    """The highlighted entry in full, with what its ref names."""
    rows = labelled("When", [Content(display.day_time(entry.at, zone))])
    rows += labelled("Actor", [Content(entry.actor or "—")])
    if entry.ref is not None:
        kind = ref_kind(plan, entry.ref)
        title = _ref_title(plan, entry.ref)
        rows += labelled(
            "Ref",
            [
                Content.assemble(
                    (entry.ref, "bold"),
                    (f" ({kind})" if kind else "", "$text-muted"),
                    f"  {title}" if title else "",
                )
            ],
        )
    rows += labelled("Text", [Content(entry.text)])
    return rows


def _ref_title(plan: Plan, ref: str) -> str:
    for table in (plan.task_by_id, plan.blocker_by_id, plan.checkpoint_by_id):
        if ref in table:
            return table[ref].title
    return ""
