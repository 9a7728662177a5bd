"""Blockers as cards: open first by severity then age, then mitigated, then resolved (dimmed).

Each card says everything a manager needs to act without opening it: severity and status in
words, ages, STALE, the linked tasks and their state, the owner and the contact to call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from textual.content import Content

from .. import display, insight
from ..insight.contacts import ContactMatch, MatchKind, contacts_to_call
from ..model import Blocker, BlockerStatus, Contact, Plan, Severity
from .card_list import Card, PlanCardList
from .labelled_text import Row, full, labelled
from .marks import BLOCKER_STATUS_MARK, SEVERITY_MARK, STALE_MARK, ago, mark, task_line

_STATUS_RANK = {BlockerStatus.OPEN: 0, BlockerStatus.MITIGATED: 1, BlockerStatus.RESOLVED: 2}


def blockers_in_order(plan: Plan) -> list[Blocker]:
    """Open by severity then age, then mitigated likewise, then resolved, latest first."""
    ranked = insight.open_blockers_ranked(plan)  # open and mitigated, severity then age
    ranked.sort(key=lambda blocker: _STATUS_RANK[blocker.status])  # stable: keeps the ranking
    resolved = [blocker for blocker in plan.blockers if not blocker.is_open]
    resolved.sort(key=lambda b: b.resolved_at or b.last_update, reverse=True)
    return ranked + resolved


def contact_line(contact: Contact, *, email: bool = False) -> Content:
    """``☎ Name — Role (party) · phone · channel · ON CALL``."""
    parts: list[Content | str | tuple[str, str]] = [("☎ ", "bold"), (contact.name, "bold")]
    if contact.role:
        parts += [" — ", contact.role]
    if contact.party:
        parts.append((f" ({contact.party})", "$text-muted"))
    for value in (contact.phone, contact.email if email else None, contact.channel):
        if value:
            parts += [(" · ", "$text-muted"), value]
    if contact.on_call:
        parts += [(" · ", "$text-muted"), ("● ON CALL", "bold $status-done")]
    return Content.assemble(*parts)


def contact_rows(match: ContactMatch, *, email: bool = False) -> list[Row]:
    """Who to call, each on a line, the first saying how they were found if not by the owner."""
    if match.kind is MatchKind.NONE:
        return labelled("Call", [Content.styled("no contact found", "$text-muted")])
    note = {
        MatchKind.OWNER: "",
        MatchKind.OWNER_PART: "  (closest match to the owner)",
        MatchKind.ON_CALL: f"  (no contact matches the owner; on call for {match.party})",
    }[match.kind]
    lines = [contact_line(contact, email=email) for contact in match.contacts]
    lines[0] = Content.assemble(lines[0], (note, "italic $text-muted"))
    return labelled("Call", lines)


def blocker_title(blocker: Blocker, stale: bool) -> Content:
    """The card's border title: severity, id, status, STALE."""
    parts: list[Content | str | tuple[str, str]] = [
        " ",
        mark(SEVERITY_MARK[blocker.severity]),
        (f"  {blocker.id}  ", "bold"),
        mark(BLOCKER_STATUS_MARK[blocker.status]),
    ]
    if stale:
        parts += ["  ", mark(STALE_MARK)]
    parts.append(" ")
    return Content.assemble(*parts)


def blocker_times(blocker: Blocker, now: datetime, zone: ZoneInfo, stale: bool) -> list[Row]:
    """When it was raised, last updated or resolved, to the minute."""
    raised_at = f"raised {display.day_time(blocker.raised_at, zone)}"
    if blocker.status is BlockerStatus.RESOLVED:
        resolved_at = blocker.resolved_at or blocker.last_update
        resolved = display.delta_seconds(now, resolved_at)
        return labelled(
            "Resolved",
            [
                Content.assemble(
                    (display.day_time(resolved_at, zone), "bold"),
                    f" ({ago(resolved)} ago)",
                    (f" · {raised_at}", "$text-muted"),
                )
            ],
        )
    raised = display.delta_seconds(now, blocker.raised_at)
    updated = display.delta_seconds(now, blocker.last_update)
    return labelled(
        "Age",
        [
            Content.assemble(
                (ago(raised), "bold"),
                (f" · {raised_at}", "$text-muted"),
                " · last update ",
                (f"{ago(updated)} ago", "bold"),
                *(("  ", mark(STALE_MARK)) if stale else ()),
            )
        ],
    )


def blocker_rows(
    plan: Plan, blocker: Blocker, match: ContactMatch, now: datetime, zone: ZoneInfo, stale: bool
) -> list[Row]:
    """The card's rows: title, times, owner, who to call, linked tasks."""
    rows = [
        *full(Content.styled(blocker.title, "bold")),
        *blocker_times(blocker, now, zone, stale),
        *labelled("Owner", [Content(blocker.owner or "no owner")]),
    ]
    if blocker.is_open:
        rows += contact_rows(match)
    rows += labelled(
        "Tasks",
        [task_line(task_id, plan.task_by_id.get(task_id)) for task_id in blocker.tasks]
        or [Content.styled("none linked", "$text-muted")],
    )
    return rows


@dataclass
class _Shown:
    blocker: Blocker
    match: ContactMatch
    signature: tuple[object, ...] = ()


class BlockerCard(Card):
    """One blocker; marked `-stale`, `-mitigated` or `-resolved` for the stylesheet."""


class BlockerList(PlanCardList):
    """Every blocker of the plan, in the order a manager works through them."""

    DEFAULT_CSS = """
    BlockerList {
        & > BlockerCard.-stale { border: round $status-late; }
        & > BlockerCard.-critical.-open { border: heavy $severity-critical; }
        & > BlockerCard.-mitigated { border: round $panel; }
        & > BlockerCard.-resolved { border: round $panel; text-opacity: 60%; }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._plan: Plan | None = None
        self._zone = ZoneInfo("UTC")
        self._shown: dict[str, _Shown] = {}

    def show_plan(self, plan: Plan, now: datetime, zone: ZoneInfo) -> None:
        """Follow a new snapshot (or zone): cards added, removed, moved and updated in place.

        Cards that a new snapshot changed (they would read differently at this same moment)
        are marked as changed for a moment.
        """
        previous, was_shown = self._plan, self._shown
        self._plan, self._zone = plan, zone
        ordered = blockers_in_order(plan)
        self._shown = {
            blocker.id: _Shown(blocker, contacts_to_call(plan, blocker)) for blocker in ordered
        }
        self.sync([blocker.id for blocker in ordered], lambda key: BlockerCard(key))
        for key in self._shown:
            self._show_card(key, now, force=True)
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
        blocker = shown.blocker
        stale = insight.is_stale(blocker, plan, now)
        return (
            blocker_title(blocker, stale),
            blocker_rows(plan, blocker, shown.match, now, self._zone, stale),
        )

    def show_time(self, now: datetime) -> None:
        """Ages and STALE flags: a card is repainted only when its minute or flag changes."""
        for key in self._shown:
            self._show_card(key, now)

    def blocker(self, key: str) -> Blocker | None:
        shown = self._shown.get(key)
        return shown.blocker if shown else None

    def _show_card(self, key: str, now: datetime, *, force: bool = False) -> None:
        shown, card, plan = self._shown[key], self.cards[key], self._plan
        if plan is None:
            return
        blocker = shown.blocker
        stale = insight.is_stale(blocker, plan, now)
        signature = (
            stale,
            ago(display.delta_seconds(now, blocker.raised_at)),
            ago(display.delta_seconds(now, blocker.last_update)),
            ago(display.delta_seconds(now, blocker.resolved_at or blocker.last_update)),
        )
        if signature == shown.signature and not force:
            return
        shown.signature = signature
        card.set_class(stale, "-stale")
        card.set_class(blocker.severity is Severity.CRITICAL, "-critical")
        for status in BlockerStatus:
            card.set_class(blocker.status is status, f"-{status}")
        card.show(
            blocker_rows(plan, blocker, shown.match, now, self._zone, stale),
            blocker_title(blocker, stale),
        )
