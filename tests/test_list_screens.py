"""Pilot tests of the list screens: Blockers (3), Checkpoints (4), Log (6), Contacts (7)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text

from cutover_tui.app import CutoverApp, DashboardOptions
from cutover_tui.insight.contacts import MatchKind, contacts_to_call, owner_parts
from cutover_tui.model import Plan, load_path, to_data, validate
from cutover_tui.screens.blocker_detail import BlockerDetailModal
from cutover_tui.screens.blockers import BlockersScreen
from cutover_tui.screens.checkpoints import CheckpointsScreen
from cutover_tui.screens.contacts import ContactsScreen
from cutover_tui.screens.log import LogScreen
from cutover_tui.widgets.blocker_list import BlockerList
from cutover_tui.widgets.card_list import Card
from cutover_tui.widgets.checkpoint_schedule import CheckpointSchedule
from cutover_tui.widgets.contact_table import ContactTable
from cutover_tui.widgets.labelled_text import LabelledText
from cutover_tui.widgets.log_table import LogTable
from cutover_tui.widgets.value_label import ValueLabel

ROOT = Path(__file__).parents[1]
GP = ROOT / "sample_plans" / "gp-practice-migration.toml"
AGENCY = ROOT / "sample_plans" / "agency-go-live.toml"
AT_15 = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
AT_1630 = datetime(2026, 12, 4, 16, 30, tzinfo=UTC)
HOSTILE = ("[red]DONE[/]", "[/tmp] cleanup", "[bold]x", "[@click=app.quit]boom[/]")


@dataclass
class SettableClock:
    """A frozen clock the test can move (the app re-reads it every second)."""

    at: datetime
    simulated = True

    def now(self) -> datetime:
        return self.at


def make_app(plan: Plan, clock: SettableClock) -> CutoverApp:
    return CutoverApp(str(GP), load_path, clock, DashboardOptions(), initial=plan)


async def move_time(app: CutoverApp, clock: SettableClock, moment: datetime) -> None:
    clock.at = moment
    app.now = moment


def edited(plan: Plan, change: Callable[[dict[str, Any]], None]) -> Plan:
    """`plan` after `change` to its data, validated again like a new snapshot."""
    data = to_data(plan)
    change(data)
    return validate(data, "test")


def cards(app: CutoverApp, list_type: type[BlockerList | CheckpointSchedule]) -> list[Card]:
    return app.screen.query_one(list_type).ordered_cards()


def card(app: CutoverApp, list_type: type[BlockerList | CheckpointSchedule], key: str) -> Card:
    return app.screen.query_one(list_type).cards[key]


def rendered(widget: LabelledText) -> str:
    """What the widget paints, as plain text."""
    return widget.render().plain


# --- Blockers -------------------------------------------------------------------------------


async def test_blockers_open_first_by_severity_then_mitigated_then_resolved() -> None:
    app = make_app(load_path(GP), SettableClock(AT_15))
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.screen, BlockersScreen)
        assert [c.key for c in cards(app, BlockerList)] == ["B-01", "B-04", "B-02", "B-03"]
        b01 = card(app, BlockerList, "B-01")
        assert b01.has_class("-stale")
        assert not card(app, BlockerList, "B-04").has_class("-stale")
        assert card(app, BlockerList, "B-03").has_class("-resolved")
        text = b01.plain
        assert "⚠ STALE" in text
        assert "Age        1h 50m" in text
        assert "last update 55m ago" in text
        assert "PRE-13 ■ BLOCKED  Activate smartcards" in text
        assert "Registration Authority desk" in text
        assert "01632 960330" in text
        assert "▲ HIGH" in str(b01.border_title)
        assert "Resolved   Tue 01 Dec 15:30 GMT" in card(app, BlockerList, "B-03").plain
        summary = app.screen.query_one("#blockers-summary", ValueLabel)
        assert "2 open · ⚠ 1 STALE · 1 mitigated · 1 resolved" in str(summary.render())
        assert app.focused is b01


async def test_blocker_ages_tick_by_the_minute_and_stale_flags_cross() -> None:
    clock = SettableClock(AT_15)
    app = make_app(load_path(GP), clock)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        b04 = card(app, BlockerList, "B-04")
        rows_before = b04.rows
        await move_time(app, clock, AT_15 + timedelta(seconds=30))
        await pilot.pause()
        assert b04.rows is rows_before  # nothing changed within the minute: nothing rebuilt
        await move_time(app, clock, AT_15 + timedelta(minutes=1))
        await pilot.pause()
        assert "Age        41m" in b04.plain
        assert not b04.has_class("-stale")
        # B-04 was updated at 14:50 and the plan says 30m: stale from just after 15:20.
        await move_time(app, clock, datetime(2026, 12, 4, 15, 20, 1, tzinfo=UTC))
        await pilot.pause()
        assert b04.has_class("-stale")
        assert "⚠ STALE" in b04.plain


async def test_a_resolved_blocker_moves_down_in_place() -> None:
    plan = load_path(GP)
    app = make_app(plan, SettableClock(AT_15))
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        b01 = card(app, BlockerList, "B-01")

        def resolve_b01(data: dict[str, Any]) -> None:
            data["blockers"][0].update(
                status="resolved",
                updated_at="2026-12-04T14:58:00Z",
                resolved_at="2026-12-04T14:58:00Z",
            )

        app.accept(edited(plan, resolve_b01))
        await pilot.pause()
        assert [c.key for c in cards(app, BlockerList)] == ["B-04", "B-02", "B-01", "B-03"]
        assert card(app, BlockerList, "B-01") is b01  # moved, not recreated
        assert b01.has_class("-resolved")
        assert not b01.has_class("-stale")
        assert "Resolved   Fri 04 Dec 14:58 GMT (2m ago)" in b01.plain

        def replace_b04(data: dict[str, Any]) -> None:
            resolve_b01(data)
            data["blockers"][3] = {
                "id": "B-05",
                "title": "Extract job failed to start",
                "severity": "critical",
                "raised_at": "2026-12-04T14:59:00Z",
            }

        app.accept(edited(plan, replace_b04))
        await pilot.pause()
        assert [c.key for c in cards(app, BlockerList)] == ["B-05", "B-02", "B-01", "B-03"]
        assert card(app, BlockerList, "B-05").has_class("-critical")
        assert "▲▲ CRITICAL" in str(card(app, BlockerList, "B-05").border_title)


async def test_enter_opens_the_blocker_with_its_notes_and_log() -> None:
    app = make_app(load_path(GP), SettableClock(AT_15))
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BlockerDetailModal)
        text = app.screen.query_one(LabelledText).plain
        assert "Card certificate needs renewing" in text
        assert "ra.desk@delivery-partner.example.org" in text
        assert "RA escalated to the national service desk (INC-0041872)" in text
        assert text.index("RA escalated") < text.index("Raised B-01")  # newest first
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BlockersScreen)


# --- Checkpoints ----------------------------------------------------------------------------


async def test_checkpoints_in_time_order_with_the_next_one_picked_out() -> None:
    app = make_app(load_path(GP), SettableClock(AT_15))
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        assert isinstance(app.screen, CheckpointsScreen)
        keys = [c.key for c in cards(app, CheckpointSchedule)]
        assert keys == ["GNG-FDP", "CP-IMPORT", "CP-SUN-AM", "GNG-LIVE", "CP-GOLIVE", "CP-DAY1"]
        gng = card(app, CheckpointSchedule, "GNG-FDP")
        assert gng.has_class("-next")
        assert not gng.has_class("-overdue")
        assert app.focused is gng
        text = gng.plain
        assert "Fri 04 Dec 16:00 GMT · in 1h 00m" in text
        assert "Criteria   2/4 met" in text
        assert "✔ met" in text
        assert "✘ unmet" in text
        assert "— by Project Manager" in text
        assert "Decision   ? PENDING" in text
        assert "On No-Go   CON-01 ○ not started" in text
        assert "◆ GO/NO-GO" in str(gng.border_title)
        assert "OVERDUE" not in text


async def test_an_overdue_go_no_go_is_impossible_to_miss() -> None:
    app = make_app(load_path(GP), SettableClock(AT_1630))
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        gng = card(app, CheckpointSchedule, "GNG-FDP")
        assert gng.has_class("-overdue")
        assert "⚠ OVERDUE — DECISION NEEDED" in gng.plain
        assert "was due 30m ago" in gng.plain
        assert "OVERDUE — DECISION NEEDED" in str(gng.border_title)
        assert gng.styles.border_top[0] == "heavy"
        summary = app.screen.query_one("#checkpoints-summary", ValueLabel)
        assert "⚠ 1 OVERDUE DECISION" in str(summary.render())


async def test_countdowns_and_overdue_follow_the_clock() -> None:
    clock = SettableClock(datetime(2026, 12, 4, 15, 59, 30, tzinfo=UTC))
    app = make_app(load_path(GP), clock)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        gng = card(app, CheckpointSchedule, "GNG-FDP")
        assert "in <1m" in gng.plain
        await move_time(app, clock, datetime(2026, 12, 4, 16, 0, 1, tzinfo=UTC))
        await pilot.pause()
        assert gng.has_class("-overdue")
        assert "⚠ OVERDUE — DECISION NEEDED" in gng.plain


async def test_a_decision_shows_who_when_and_conditions() -> None:
    plan = load_path(GP)

    def decide(data: dict[str, Any]) -> None:
        data["checkpoints"][0].update(
            decision="go-with-conditions",
            decided_by="Priya Shah",
            decided_at="2026-12-04T16:05:00Z",
            conditions="Dr Okafor works on site on Monday.\nFP10 pads at Elm Road by 16:00.",
        )

    app = make_app(edited(plan, decide), SettableClock(AT_1630))
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        gng = card(app, CheckpointSchedule, "GNG-FDP")
        assert not gng.has_class("-overdue")
        assert gng.has_class("-past")
        text = gng.plain
        assert "◐ GO WITH CONDITIONS by Priya Shah at Fri 04 Dec 16:05 GMT" in text
        assert "Conditions Dr Okafor works on site on Monday.\nFP10 pads" in text
        assert card(app, CheckpointSchedule, "CP-IMPORT").has_class("-next")


# --- Log ------------------------------------------------------------------------------------


async def test_log_newest_first_and_a_new_entry_adds_one_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plan = load_path(GP)
    app = make_app(plan, SettableClock(AT_15))
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("6")
        await pilot.pause()
        assert isinstance(app.screen, LogScreen)
        table = app.screen.query_one(LogTable)
        assert table.row_count == 10
        assert table.get_row_at(0)[0] == 10
        assert table.get_row_at(0)[4] == Text(
            "B-04: main surgery couriering 10 FP10 pads to Elm Road, due by 16:00."
        )
        assert "Fri 04 Dec 14:50 GMT" in str(table.get_row_at(0)[1])
        added: list[object] = []
        original = table.add_row

        def counting_add_row(*cells: Any, **options: Any) -> Any:
            added.append(options.get("key"))
            return original(*cells, **options)

        monkeypatch.setattr(table, "add_row", counting_add_row)

        def append(data: dict[str, Any]) -> None:
            data["log"].append(
                {"at": "2026-12-04T15:00:00Z", "actor": "RA desk", "text": "Card renewed.",
                 "ref": "B-01"}
            )  # fmt: skip

        app.accept(edited(plan, append))
        await pilot.pause()
        assert added == ["10"]
        assert table.row_count == 11
        assert table.get_row_at(0)[4] == Text("Card renewed.")
        assert table.entry_at_cursor() is not None
        assert "Showing 11 of 11" in str(app.screen.query_one("#log-filter", ValueLabel).render())


async def test_log_filters_by_kind_ref_and_words() -> None:
    app = make_app(load_path(GP), SettableClock(AT_15))
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("6")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LogScreen)
        table = screen.query_one(LogTable)
        await pilot.press("f")  # tasks
        await pilot.pause()
        assert table.row_count == 3
        await pilot.press("f")  # blockers
        await pilot.pause()
        assert table.row_count == 7
        assert "kind: blockers" in str(screen.query_one("#log-filter", ValueLabel).render())
        await pilot.press("enter")  # only the highlighted entry's ref: B-04
        await pilot.pause()
        assert screen.log_filter.ref == "B-04"
        assert table.row_count == 2
        await pilot.press("x")
        await pilot.pause()
        assert table.row_count == 10
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*"smartcard")
        await pilot.pause()
        assert table.row_count == 2
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.focused, LogTable)
        assert table.row_count == 2


# --- Contacts -------------------------------------------------------------------------------


async def test_contacts_on_call_first_then_party_then_name() -> None:
    app = make_app(load_path(GP), SettableClock(AT_15))
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("7")
        await pilot.pause()
        assert isinstance(app.screen, ContactsScreen)
        table = app.screen.query_one(ContactTable)
        names = [str(table.get_row_at(row)[1]) for row in range(table.row_count)]
        assert names[:2] == ["Dr Helen Marsh", "Sarah Whitfield"]
        assert names[-1] == "Registration Authority desk"
        on_call = [str(table.get_row_at(row)[0]) for row in range(table.row_count)]
        assert on_call == ["● ON CALL"] * 7 + [""] * 4
        await pilot.press("down")
        await pilot.pause()
        detail = app.screen.query_one("#contact-detail", LabelledText).plain
        assert "Sarah Whitfield  ● ON CALL" in detail
        assert "Call for   B-04  Elm Road branch short of FP10" in detail


def test_contact_matching_by_owner_part_and_party() -> None:
    gp = load_path(GP)
    b01 = contacts_to_call(gp, gp.blocker_by_id["B-01"])
    assert b01.kind is MatchKind.OWNER_PART
    assert [c.name for c in b01.contacts] == ["Registration Authority desk"]
    b04 = contacts_to_call(gp, gp.blocker_by_id["B-04"])
    assert b04.kind is MatchKind.OWNER
    assert [c.name for c in b04.contacts] == ["Sarah Whitfield"]
    agency = load_path(AGENCY)
    both = contacts_to_call(agency, agency.blocker_by_id["B-01"])
    assert [c.role for c in both.contacts] == ["Interface Lead", "Interface Lead"]
    assert owner_parts("Delivery Partner (CCG) — Registration Authority") == [
        "delivery partner",
        "ccg",
        "registration authority",
    ]

    def unknown_owner(data: dict[str, Any]) -> None:
        data["blockers"][0]["owner"] = "Somebody else entirely"

    fallback = edited(gp, unknown_owner)
    by_party = contacts_to_call(fallback, fallback.blocker_by_id["B-01"])
    assert by_party.kind is MatchKind.ON_CALL
    assert str(by_party.party) == "shared"
    assert [c.name for c in by_party.contacts] == ["Priya Shah"]

    def no_party(data: dict[str, Any]) -> None:
        data["blockers"][0].update(owner="Nobody we know", tasks=[])

    nobody = edited(gp, no_party)
    assert contacts_to_call(nobody, nobody.blocker_by_id["B-01"]).kind is MatchKind.NONE


# --- Empty plans, hostile text, small terminals -----------------------------------------------


async def test_empty_lists_say_so(minimal_plan: Callable[[], dict[str, Any]]) -> None:
    plan = validate(minimal_plan(), "empty")
    app = make_app(plan, SettableClock(AT_15))
    async with app.run_test(size=(80, 24)) as pilot:
        for key, message in (
            ("3", "No blockers raised."),
            ("4", "No checkpoints scheduled."),
            ("6", "No log entries yet."),
            ("7", "No contacts in the plan."),
        ):
            await pilot.press(key)
            await pilot.pause()
            shown = [
                label
                for label in app.screen.query(ValueLabel)
                if label.display and str(label.render()) == message
            ]
            assert shown, f"{message!r} not shown on screen {key}"


def _hostile_plan(minimal_plan: Callable[[], dict[str, Any]]) -> Plan:
    red, tmp, bold, click = HOSTILE
    data = minimal_plan()
    data["tasks"] = [{"id": "T1", "title": bold, "phase": "contingency", "duration": "30m"}]
    data["blockers"] = [
        {
            "id": "B1",
            "title": red,
            "owner": tmp,
            "raised_at": "2026-12-04T14:00:00Z",
            "notes": f"{click}\n{bold}",
            "tasks": ["T1"],
        }
    ]
    data["checkpoints"] = [
        {
            "id": "G1",
            "title": red,
            "kind": "go-no-go",
            "at": "2026-12-04T16:00:00Z",
            "criteria": [{"text": tmp, "by": click, "note": bold}],
            "decision": "go-with-conditions",
            "decided_by": click,
            "decided_at": "2026-12-04T14:30:00Z",
            "conditions": red,
            "contingency": ["T1"],
        }
    ]
    data["contacts"] = [{"name": click, "role": tmp, "channel": red, "on_call": True}]
    data["log"] = [{"at": "2026-12-04T14:00:00Z", "actor": click, "text": red, "ref": "B1"}]
    return validate(data, "hostile")


async def test_hostile_text_is_shown_literally_on_every_list_screen(
    minimal_plan: Callable[[], dict[str, Any]],
) -> None:
    red, tmp, bold, click = HOSTILE
    app = make_app(_hostile_plan(minimal_plan), SettableClock(AT_15))
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        blocker_text = rendered(card(app, BlockerList, "B1"))
        for text in (red, tmp, bold):
            assert text in blocker_text
        await pilot.press("enter")
        await pilot.pause()
        detail = rendered(app.screen.query_one(LabelledText))
        assert f"{click}\n{bold}" in detail  # notes keep their lines
        assert f"{click}  {red}" in detail  # the log entry: actor, text
        await pilot.press("escape", "4")
        await pilot.pause()
        checkpoint_text = rendered(card(app, CheckpointSchedule, "G1"))
        for text in HOSTILE:
            assert text in checkpoint_text
        await pilot.press("6")
        await pilot.pause()
        log = app.screen.query_one(LogTable)
        assert log.get_row_at(0)[2] == Text(click)
        assert log.get_row_at(0)[4] == Text(red)
        assert red in rendered(app.screen.query_one("#log-detail", LabelledText))
        await pilot.press("7")
        await pilot.pause()
        contacts = app.screen.query_one(ContactTable)
        assert contacts.get_row_at(0)[1] == Text(click, style="bold")
        assert contacts.get_row_at(0)[2] == Text(tmp)
        contact_text = rendered(app.screen.query_one("#contact-detail", LabelledText))
        assert click in contact_text
        assert red in contact_text
        assert app.is_running


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_every_list_screen_fits_small_and_large_terminals(size: tuple[int, int]) -> None:
    app = make_app(load_path(GP), SettableClock(AT_1630))
    async with app.run_test(size=size) as pilot:
        for key, screen_type in (
            ("3", BlockersScreen),
            ("4", CheckpointsScreen),
            ("6", LogScreen),
            ("7", ContactsScreen),
        ):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, screen_type)
            assert app.screen.size == size
        await pilot.press("4", "down", "down", "up", "end", "home")
        await pilot.pause()
        assert isinstance(app.focused, Card)
        assert app.focused.key == "GNG-FDP"


async def test_the_schedule_follows_the_next_checkpoint_as_time_passes() -> None:
    plan = load_path(GP)

    def decide(data: dict[str, Any]) -> None:
        data["checkpoints"][0].update(
            decision="go", decided_by="Priya Shah", decided_at="2026-12-04T16:02:00Z"
        )

    clock = SettableClock(AT_15)
    app = make_app(edited(plan, decide), clock)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        assert isinstance(app.focused, Card)
        assert app.focused.key == "GNG-FDP"
        await move_time(app, clock, AT_1630)
        await pilot.pause()
        assert card(app, CheckpointSchedule, "GNG-FDP").has_class("-past")
        assert "✔ GO by Priya Shah" in card(app, CheckpointSchedule, "GNG-FDP").plain
        assert app.focused.key == "CP-IMPORT"
