"""The checkpoint schedule as cards in time order: countdowns, criteria, decisions, contingency.

The next checkpoint is picked out; past ones are dimmed; an undecided Go/No-Go whose time has
passed gets a heavy failure border and ``⚠ OVERDUE — DECISION NEEDED`` in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from textual.content import Content

from .. import display, insight
from ..model import Checkpoint, CheckpointKind, CriterionState, Decision, Plan
from .card_list import Card, PlanCardList
from .labelled_text import Row, full, labelled
from .marks import CRITERION_MARK, DECISION_MARK, duration_text, mark, relative_minutes, task_line

OVERDUE_TEXT = "⚠ OVERDUE — DECISION NEEDED"
OVERDUE_STYLE = "bold reverse $status-failed"
NEXT_MARK = ("▶ NEXT", "bold reverse $accent")
KIND_MARK = {
    CheckpointKind.GO_NO_GO: ("◆ GO/NO-GO", "bold $accent"),
    CheckpointKind.CHECKPOINT: ("● Checkpoint", "bold"),
}


def checkpoints_in_order(plan: Plan) -> list[Checkpoint]:
    """Every checkpoint by time, plan order among equal times."""
    return sorted(plan.checkpoints, key=lambda checkpoint: checkpoint.at)


def is_overdue(checkpoint: Checkpoint, now: datetime) -> bool:
    """An undecided Go/No-Go whose time has passed."""
    return checkpoint.is_overdue_decision and checkpoint.at < now


def criteria_summary(checkpoint: Checkpoint) -> str:
    """``2/4 met`` (``, 1 waived``)."""
    met = checkpoint.criteria_in(CriterionState.MET)
    waived = checkpoint.criteria_in(CriterionState.WAIVED)
    extra = f", {waived} waived" if waived else ""
    return f"{met}/{len(checkpoint.criteria)} met{extra}"


def checkpoint_title(checkpoint: Checkpoint, overdue: bool, is_next: bool) -> Content:
    """The card's border title: kind, id, NEXT, OVERDUE."""
    parts: list[Content | str | tuple[str, str]] = [
        " ",
        mark(KIND_MARK[checkpoint.kind]),
        (f"  {checkpoint.id} ", "bold"),
    ]
    if is_next:
        parts += [" ", mark(NEXT_MARK)]
    if overdue:
        parts += [" ", (OVERDUE_TEXT, OVERDUE_STYLE)]
    parts.append(" ")
    return Content.assemble(*parts)


def _criteria(checkpoint: Checkpoint) -> list[Row]:
    rows: list[Row] = []
    for criterion in checkpoint.criteria:
        parts: list[Content | str | tuple[str, str]] = [criterion.text]
        if criterion.by:
            parts += [(" — by ", "$text-muted"), criterion.by]
        if criterion.note:
            parts += [(" — ", "$text-muted"), (criterion.note, "italic $text-muted")]
        rows.append(("  " + mark(CRITERION_MARK[criterion.state]), Content.assemble(*parts)))
    return rows


def _decision(checkpoint: Checkpoint, zone: ZoneInfo) -> list[Row]:
    parts: list[Content | str | tuple[str, str]] = [mark(DECISION_MARK[checkpoint.decision])]
    if checkpoint.decided_by:
        parts += [(" by ", "$text-muted"), checkpoint.decided_by]
    if checkpoint.decided_at:
        parts += [(" at ", "$text-muted"), display.day_time(checkpoint.decided_at, zone)]
    lines = labelled("Decision", [Content.assemble(*parts)])
    if checkpoint.decision is Decision.GO_WITH_CONDITIONS or checkpoint.conditions:
        conditions = checkpoint.conditions or "none written"
        lines += labelled("Conditions", [Content(conditions)])
    return lines


def _contingency(plan: Plan, checkpoint: Checkpoint) -> list[Row]:
    lines = []
    for task_id in checkpoint.contingency:
        task = plan.task_by_id.get(task_id)
        line = task_line(task_id, task)
        if task is not None:
            line = Content.assemble(
                line, (f" · {duration_text(task.planned_duration)}", "$text-muted")
            )
        lines.append(line)
    return labelled("On No-Go", lines)


def checkpoint_rows(
    plan: Plan, checkpoint: Checkpoint, now: datetime, zone: ZoneInfo, overdue: bool
) -> list[Row]:
    """The card's rows: title, when, criteria, decision, contingency."""
    seconds = display.delta_seconds(checkpoint.at, now)
    when = Content.assemble(
        (display.day_time(checkpoint.at, zone), "bold"), " · ", relative_minutes(seconds)
    )
    rows: list[Row] = []
    if overdue:
        rows += full(
            Content.assemble(
                (f" {OVERDUE_TEXT} ", OVERDUE_STYLE),
                (f"  was due {relative_minutes(seconds)}", "bold $status-failed"),
            )
        )
    rows += [*full(Content.styled(checkpoint.title, "bold")), *labelled("When", [when])]
    if checkpoint.criteria:
        rows += labelled("Criteria", [Content.styled(criteria_summary(checkpoint), "bold")])
        rows += _criteria(checkpoint)
    if checkpoint.kind is CheckpointKind.GO_NO_GO:
        rows += _decision(checkpoint, zone)
        if checkpoint.contingency:
            rows += _contingency(plan, checkpoint)
    return rows


@dataclass
class _Shown:
    checkpoint: Checkpoint
    signature: tuple[object, ...] = ()


class CheckpointCard(Card):
    """One checkpoint; marked `-next`, `-past` or `-overdue` for the stylesheet."""


class CheckpointSchedule(PlanCardList):
    """Every checkpoint of the plan in time order."""

    DEFAULT_CSS = """
    CheckpointSchedule {
        & > CheckpointCard.-go-no-go { border: round $accent 60%; }
        & > CheckpointCard.-past { border: round $panel; text-opacity: 60%; }
        & > CheckpointCard.-next { border: heavy $accent; }
        & > CheckpointCard.-overdue {
            border: heavy $status-failed;
            border-title-color: $status-failed;
            text-opacity: 100%;
        }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._plan: Plan | None = None
        self._zone = ZoneInfo("UTC")
        self._shown: dict[str, _Shown] = {}
        self.next_key: str | None = None
        """The key of the next checkpoint (an overdue decision first), as last shown."""

    def show_plan(self, plan: Plan, now: datetime, zone: ZoneInfo) -> None:
        """Follow a new snapshot (or zone): cards added, removed, moved and updated in place.

        Cards that a new snapshot changed (they would read differently at this same moment)
        are marked as changed for a moment.
        """
        previous, was_shown = self._plan, self._shown
        self._plan, self._zone = plan, zone
        ordered = checkpoints_in_order(plan)
        self._shown = {checkpoint.id: _Shown(checkpoint) for checkpoint in ordered}
        self.sync(list(self._shown), lambda key: CheckpointCard(key))
        self.show_time(now, force=True)
        if previous is not None and previous is not plan:
            self.flash(
                [
                    key
                    for key, shown in self._shown.items()
                    if self._reads(plan, shown, now)
                    != self._reads(previous, was_shown.get(key), now)
                ]
            )

    def _reads(self, plan: Plan, shown: _Shown | None, now: datetime) -> object:
        """What the card of `shown` would say at `now`, to compare two snapshots' cards."""
        if shown is None:
            return None
        checkpoint = shown.checkpoint
        return checkpoint_rows(plan, checkpoint, now, self._zone, is_overdue(checkpoint, now))

    def show_time(self, now: datetime, *, force: bool = False) -> None:
        """Countdowns and flags: a card is repainted only when its minute or a flag changes."""
        plan = self._plan
        if plan is None:
            return
        upcoming = insight.next_checkpoint(plan, now)
        self.next_key = upcoming.id if upcoming is not None else None
        for key, shown in self._shown.items():
            checkpoint = shown.checkpoint
            overdue = is_overdue(checkpoint, now)
            is_next = key == self.next_key
            past = checkpoint.at < now and not overdue
            signature = (
                overdue,
                is_next,
                past,
                relative_minutes(display.delta_seconds(checkpoint.at, now)),
            )
            if signature == shown.signature and not force:
                continue
            shown.signature = signature
            card = self.cards[key]
            card.set_class(overdue, "-overdue")
            card.set_class(is_next, "-next")
            card.set_class(past, "-past")
            card.set_class(checkpoint.kind is CheckpointKind.GO_NO_GO, "-go-no-go")
            card.show(
                checkpoint_rows(plan, checkpoint, now, self._zone, overdue),
                checkpoint_title(checkpoint, overdue, is_next),
            )
