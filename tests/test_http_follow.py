"""The dashboard follows a plan URL served by a real uvicorn: changes show, trouble is said."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest

from cutover_tui.app import CutoverApp, DashboardOptions
from cutover_tui.clock import FixedClock
from cutover_tui.model import PlanError, load_bytes
from cutover_tui.sync.http_settings import HttpSettings
from cutover_tui.sync.http_source import HttpSource, fetch_plan
from cutover_tui.widgets.sync_banner import SyncBanner
from cutover_tui.widgets.value_label import ValueLabel
from fault_server import FaultServer, Running, document


@pytest.fixture
def served() -> Iterator[tuple[FaultServer, Running]]:
    faults = FaultServer(title="Riverside")
    running = Running(faults.app())
    try:
        yield faults, running
    finally:
        running.stop()


def label(app: CutoverApp, selector: str) -> str:
    return str(app.screen.query_one(selector, ValueLabel).render())


async def until(check: Callable[[], bool], pilot: object, within: float = 8.0) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not check():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await pilot.pause(0.05)  # type: ignore[attr-defined]


async def test_the_dashboard_follows_a_url_through_an_outage(
    served: tuple[FaultServer, Running],
) -> None:
    faults, running = served
    url = f"{running.base}/plan.json"
    http = HttpSettings(poll=0.2, deadline=1.0, heartbeat=1.0)
    initial = await asyncio.to_thread(fetch_plan, url, http)
    options = DashboardOptions(follow=True, http=http)
    clock = FixedClock(datetime(2026, 12, 4, 15, 0, tzinfo=UTC))
    app = CutoverApp(url, lambda source: fetch_plan(source, http), clock, options, initial=initial)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await until(lambda: label(app, "#plan-title") == "Riverside", pilot)
        assert label(app, "#sync").startswith("● LIVE · ")

        faults.set_plan(2, "Riverside (revision 2)")
        await until(lambda: label(app, "#plan-title") == "Riverside (revision 2)", pilot)

        faults.fail("status", status=503)
        await until(lambda: "OFFLINE" in label(app, "#sync"), pilot)
        banner = app.screen.query_one(SyncBanner)
        assert str(banner.render()).startswith("▲ OFFLINE: ")
        assert "503" in str(banner.render())
        assert label(app, "#plan-title") == "Riverside (revision 2)"  # the last good plan stays

        faults.heal()
        await until(lambda: label(app, "#sync").startswith("● LIVE · "), pilot)
        assert not banner.has_class("-shown")


def test_a_token_is_never_sent_unencrypted_to_another_machine() -> None:
    http = HttpSettings(token="secret-token-value")
    with pytest.raises(ValueError, match="refusing to send the bearer token unencrypted"):
        HttpSource("http://cutover.example/plan.json", http)
    with pytest.raises(PlanError, match=r"unencrypted to cutover\.example; use an https URL"):
        fetch_plan("http://cutover.example/plan.json", http)
    HttpSource("https://cutover.example/plan.json", http)
    HttpSource("http://127.0.0.1:8080/plan.json", http)  # this machine: allowed


def test_the_document_helper_matches_the_format() -> None:
    # The fault server's plan is a valid plan document (guards the tests above).
    load_bytes(json.dumps(document(1)).encode(), "served.json")


TOKEN = "tkn-5e4d3c2b1a-NEVER-SHOWN"


async def test_auth_failure_is_said_on_screen_without_the_token(
    served: tuple[FaultServer, Running],
) -> None:
    faults, running = served
    url = f"{running.base}/plan.json"
    http = HttpSettings(token=TOKEN, poll=0.2, deadline=1.0, heartbeat=1.0)
    initial = await asyncio.to_thread(fetch_plan, url, http)
    assert faults.seen()[-1].headers["authorization"] == f"Bearer {TOKEN}"
    options = DashboardOptions(follow=True, http=http)
    clock = FixedClock(datetime(2026, 12, 4, 15, 0, tzinfo=UTC))
    app = CutoverApp(url, lambda source: fetch_plan(source, http), clock, options, initial=initial)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        faults.fail("status", status=401)
        await until(lambda: "AUTH FAILED" in label(app, "#sync"), pilot)
        await pilot.pause(0.2)
        screen = app.export_screenshot().replace("&#160;", " ")
        assert "AUTH FAILED" in screen
        shown = [screen, *(f"{n.title} {n.message}" for n in app._notifications)]
        assert app._notifications, "the failure was toasted"
        assert not any(TOKEN in text for text in shown)
        assert TOKEN not in repr(options)
