"""The command line: exit codes, messages, and each command's behaviour."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from cutover_tui import cli as cli_module
from cutover_tui.cli import CutoverGroup, cli
from cutover_tui.model import load_bytes, load_path, warnings
from cutover_tui.starter import final_data_production_day, plan_id_for, render_starter

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_PLANS = sorted((ROOT / "sample_plans").glob("*.toml"))
NOW = "2026-12-04T15:00:00Z"

PLAN = """\
schema_version = 1
revision = 3

[plan]
id = "mini"
title = "Mini cutover"
timezone = "Europe/London"
final_data_production = 2026-12-04T17:00:00Z
go_live = 2026-12-07T08:00:00Z
cutover_sla = "72h"

[[tasks]]
id = "T1"
title = "Tell the users"
phase = "pre-cutover"
party = "customer"
owner = "Practice manager"
planned_start = 2026-12-04T09:00:00Z
duration = "2h"

[[tasks]]
id = "T2"
title = "Final extract"
phase = "cutover"
party = "provider"
owner = "Old supplier"
planned_start = 2026-12-04T17:00:00Z
duration = "4h"
depends_on = ["T1"]

[[tasks]]
id = "T3"
title = "Load the extract"
phase = "cutover"
party = "provider"
owner = "New supplier"
planned_start = 2026-12-04T21:00:00Z
duration = "10h"
depends_on = ["T2"]

[[tasks]]
id = "R1"
title = "Reopen the old system"
phase = "contingency"
owner = "Old supplier"
duration = "2h"

[[blockers]]
id = "B1"
title = "Extract server disk nearly full"
severity = "high"
tasks = ["T2"]
owner = "Infrastructure"
raised_at = 2026-12-04T13:00:00Z

[[checkpoints]]
id = "GNG"
title = "Go/No-Go for the extract"
kind = "go-no-go"
at = 2026-12-04T14:00:00Z
criteria = [{ text = "Trial load reconciled", state = "met" }, { text = "Staff briefed" }]
contingency = ["R1"]
"""

BROKEN = """\
schema_version = 1

[plan]
id = "broken"
title = "Broken"
final_data_production = 2026-12-04T17:00:00Z
go_live = 2026-12-01T17:00:00Z

[[tasks]]
id = "T1"
titel = "typo in a key"
phase = "cutover"
planned_start = 2026-12-04T18:00:00Z

[[tasks]]
id = "T2"
title = "Ends before it starts"
phase = "cutover"
planned_start = 2026-12-04T18:00:00Z
planned_end = 2026-12-04T17:00:00Z

[[tasks]]
id = "T3"
title = "Depends on nothing known"
phase = "cutover"
depends_on = ["T9"]

[[tasks]]
id = "T4"
title = "Typo in its phase"
phase = "cutovr"
owner = "Someone"

[[blockers]]
id = "B1"
title = "Bad severity, no raised_at"
severity = "urgent"
"""

STATUS_KEYS = {
    "plan_id",
    "title",
    "revision",
    "now",
    "phase",
    "countdown",
    "sla",
    "tasks",
    "progress",
    "blockers",
    "next_checkpoint",
    "critical_path",
    "forecast",
}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner(env={"CUTOVER_TUI_DEBUG": None})


@pytest.fixture
def invoke(runner: CliRunner) -> Callable[..., Result]:
    def run(*args: str | Path, stdin: str | None = None) -> Result:
        return runner.invoke(cli, [str(arg) for arg in args], input=stdin)

    return run


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.toml"
    path.write_text(PLAN, encoding="utf-8")
    return path


@pytest.fixture
def broken_file(tmp_path: Path) -> Path:
    path = tmp_path / "broken.toml"
    path.write_text(BROKEN, encoding="utf-8")
    return path


def without_owner(text: str, task_id: str) -> str:
    """`text` with the owner of task `task_id` removed (a warning, not an error)."""
    head, tail = text.split(f'id = "{task_id}"', 1)
    before, after = tail.split("owner = ", 1)
    return head + f'id = "{task_id}"' + before + after.split("\n", 1)[1]


# --- the group and exit codes ---------------------------------------------------------------------


def test_version(invoke: Callable[..., Result]) -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("cutover-tui ")


def test_help_lists_the_commands(invoke: Callable[..., Result]) -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    for command in ("validate", "status", "convert", "schema", "init"):
        assert command in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["no-such-command"],
        ["validate"],
        ["status", "plan.toml", "--no-such-option"],
        ["convert", "a.toml"],
    ],
)
def test_usage_errors_exit_2(invoke: Callable[..., Result], args: list[str]) -> None:
    result = invoke(*args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_unexpected_failure_is_one_line_and_exit_1(
    invoke: Callable[..., Result], plan_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(source: str) -> Any:
        raise RuntimeError("the flux capacitor\nfailed")

    monkeypatch.setattr(cli_module, "read_plan", explode)
    result = invoke("status", plan_file)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "cutover-tui: unexpected error: RuntimeError: the flux capacitor failed "
        "(run with --debug for details)\n"
    )
    assert not isinstance(result.exception, RuntimeError)


def test_debug_shows_the_traceback(
    invoke: Callable[..., Result], plan_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(source: str) -> Any:
        raise KeyError("boom")

    monkeypatch.setattr(cli_module, "read_plan", explode)
    result = invoke("--debug", "validate", plan_file)
    assert result.exit_code == 1
    assert "Traceback (most recent call last)" in result.stderr
    assert "cutover-tui: unexpected error: KeyError: 'boom'" in result.stderr
    assert "--debug for details" not in result.stderr


def test_keyboard_interrupt_is_quiet(
    invoke: Callable[..., Result], plan_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(source: str) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_module, "read_plan", interrupted)
    result = invoke("status", plan_file)
    assert result.exit_code == 130
    assert "Traceback" not in result.output
    assert "unexpected" not in result.stderr


def test_broken_pipe_is_quiet(
    invoke: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    def reader_gone(*args: Any, **kwargs: Any) -> Any:
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(cli_module, "schema_document", reader_gone)
    result = invoke("schema")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "unexpected" not in result.output


def test_default_command_can_be_added() -> None:
    """The group can take a default command (the dashboard, later) without breaking the rest."""

    @click.group(cls=CutoverGroup)
    @click.option("--debug", is_flag=True)
    def group(debug: bool) -> None:
        pass

    @group.command()
    @click.argument("source")
    @click.option("--theme")
    def show(source: str, theme: str | None) -> None:
        click.echo(f"show {source} {theme}")

    @group.command()
    @click.argument("source")
    def check(source: str) -> None:
        click.echo(f"check {source}")

    group.default_command = "show"
    runner = CliRunner()
    assert runner.invoke(group, ["plan.toml"]).stdout == "show plan.toml None\n"
    assert runner.invoke(group, ["--debug", "plan.toml"]).stdout == "show plan.toml None\n"
    assert runner.invoke(group, ["--theme", "x", "plan.toml"]).stdout == "show plan.toml x\n"
    assert runner.invoke(group, ["check", "plan.toml"]).stdout == "check plan.toml\n"
    assert runner.invoke(group, ["show", "plan.toml"]).stdout == "show plan.toml None\n"


def test_the_dashboard_is_the_default_command() -> None:
    assert isinstance(cli, CutoverGroup)
    assert cli.default_command == "dashboard"


def test_dashboard_refuses_a_bad_plan_before_taking_the_screen(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('schema_version = 1\n[plan]\nid = "x"\n')
    result = CliRunner().invoke(cli, [str(bad)])
    assert result.exit_code == 2
    assert f"{bad}: plan.title: is required" in result.output
    assert "Traceback" not in result.output


def test_dashboard_refuses_an_unknown_theme(sample_plans: Path) -> None:
    plan = sample_plans / "gp-practice-migration.toml"
    result = CliRunner().invoke(cli, [str(plan), "--theme", "no-such-theme"])
    assert result.exit_code == 2
    assert "no theme called 'no-such-theme'" in result.output


# --- validate -------------------------------------------------------------------------------------


def test_validate_a_valid_plan(invoke: Callable[..., Result], plan_file: Path) -> None:
    result = invoke("validate", plan_file)
    assert result.exit_code == 0, result.output
    assert result.stdout == (f"{plan_file}: valid — 4 tasks, 1 blocker, 1 checkpoint, 0 warnings\n")


def test_validate_lists_every_mistake_with_its_path(
    invoke: Callable[..., Result], broken_file: Path
) -> None:
    result = invoke("validate", broken_file)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    lines = result.stdout.splitlines()
    name = str(broken_file)
    for expected in (
        f"{name}: plan.go_live: is before final_data_production",
        f"{name}: tasks[0] (T1).title: is required",
        f"{name}: tasks[0] (T1).titel: unknown key (did you mean 'title'?)",
        f"{name}: tasks[3] (T4).phase: must be 'pre-cutover', 'cutover'",
        f"{name}: tasks[1] (T2).planned_end: is before planned_start",
        f"{name}: tasks[2] (T3).depends_on[0]: unknown task 'T9'",
        f"{name}: blockers[0] (B1).severity: must be 'critical', 'high', 'medium' or 'low'",
        f"{name}: blockers[0] (B1).raised_at: is required",
    ):
        assert any(line.startswith(expected) for line in lines), (expected, lines)
    assert lines[-1].startswith(f"{name}: invalid — ")


def test_validate_several_files_reports_each(
    invoke: Callable[..., Result], plan_file: Path, broken_file: Path
) -> None:
    result = invoke("validate", plan_file, broken_file)
    assert result.exit_code == 2
    assert f"{plan_file}: valid" in result.stdout
    assert f"{broken_file}: plan.go_live:" in result.stdout


def test_validate_caps_the_listing(invoke: Callable[..., Result], tmp_path: Path) -> None:
    tasks = "".join(
        f'[[tasks]]\nid = "T{i}"\ntitle = "t"\nphase = "cutover"\nbogus = 1\n' for i in range(250)
    )
    header = PLAN.split("[[tasks]]", 1)[0]
    path = tmp_path / "many.toml"
    path.write_text(header + tasks, encoding="utf-8")
    result = invoke("validate", "--quiet", path)
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert len(lines) == 201
    assert lines[-1] == f"{path}: … and 50 more"


def test_validate_missing_file(invoke: Callable[..., Result], tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    result = invoke("validate", missing)
    assert result.exit_code == 2
    assert result.stdout == f"{missing}: no such file\n"


def test_warnings_are_shown_but_do_not_fail(invoke: Callable[..., Result], tmp_path: Path) -> None:
    path = tmp_path / "warned.toml"
    path.write_text(without_owner(PLAN, "T3"), encoding="utf-8")
    result = invoke("validate", path)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"{path}: tasks[2] (T3).owner: warning: has no owner: who does this on the night?",
        f"{path}: valid — 4 tasks, 1 blocker, 1 checkpoint, 1 warning",
    ]


def test_quiet_prints_nothing_for_a_plan_with_warnings(
    invoke: Callable[..., Result], tmp_path: Path
) -> None:
    path = tmp_path / "warned.toml"
    path.write_text(without_owner(PLAN, "T3"), encoding="utf-8")
    result = invoke("validate", "-q", path)
    assert result.exit_code == 0
    assert result.stdout == ""


def test_strict_fails_on_warnings(invoke: Callable[..., Result], tmp_path: Path) -> None:
    path = tmp_path / "warned.toml"
    path.write_text(without_owner(PLAN, "T3"), encoding="utf-8")
    result = invoke("validate", "--strict", path)
    assert result.exit_code == 2
    assert "T3).owner: warning: has no owner" in result.stdout
    assert f"{path}: not valid with --strict — " in result.stdout
    quiet = invoke("validate", "--strict", "--quiet", path)
    assert quiet.exit_code == 2
    assert "warning: has no owner" in quiet.stdout


def test_strict_passes_a_clean_plan(invoke: Callable[..., Result], plan_file: Path) -> None:
    assert invoke("validate", "--strict", plan_file).exit_code == 0


def test_unreachable_url_source_is_reported_clearly(invoke: Callable[..., Result]) -> None:
    # A port bound but not listening: connections to it are refused. (Fetching URLs that
    # answer is tested against a real server in test_http_source.py.)
    with socket.socket() as reserved:
        reserved.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{reserved.getsockname()[1]}/plan.json"
        for args in (["validate", url], ["status", url]):
            result = invoke(*args)
            assert result.exit_code == 2
            assert "Traceback" not in result.output
            assert f"{url}: connection refused" in result.output


def test_other_url_schemes_are_refused(invoke: Callable[..., Result]) -> None:
    result = invoke("validate", "ftp://example.invalid/plan.toml")
    assert result.exit_code == 2
    assert "'ftp' URLs are not supported" in result.stdout


def test_validate_reads_standard_input(invoke: Callable[..., Result]) -> None:
    result = invoke("validate", "-", stdin=PLAN)
    assert result.exit_code == 0
    assert result.stdout.startswith("<stdin>: valid")


@pytest.mark.parametrize("sample", SAMPLE_PLANS, ids=lambda path: path.name)
def test_sample_plans_validate_and_report(invoke: Callable[..., Result], sample: Path) -> None:
    result = invoke("validate", "--strict", sample)
    assert result.exit_code == 0, result.output
    report = invoke("status", "--json", sample)
    assert report.exit_code == 0, report.output
    assert json.loads(report.stdout).keys() >= STATUS_KEYS
    assert invoke("status", sample).exit_code == 0


# --- status ---------------------------------------------------------------------------------------


def test_status_json_has_the_contract_keys(invoke: Callable[..., Result], plan_file: Path) -> None:
    result = invoke("status", plan_file, "--json", "--now", NOW)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report.keys() >= STATUS_KEYS
    assert report["now"] == NOW
    assert report["plan_id"] == "mini"
    assert report["phase"] == "pre-cutover"
    assert report["countdown"] == {
        "target": "final_data_production",
        "at": "2026-12-04T17:00:00Z",
        "seconds": 7200,
    }
    assert report["tasks"]["late"] == ["T1"]
    assert report["blockers"]["open"] == ["B1"]
    assert report["next_checkpoint"]["id"] == "GNG"


def test_status_text(invoke: Callable[..., Result], plan_file: Path) -> None:
    result = invoke("status", plan_file, "--now", NOW)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith("Mini cutover  (mini, revision 3)\n")
    assert "Fri 04 Dec 2026 15:00 GMT (Europe/London)" in text
    assert "Phase:                 pre-cutover" in text
    assert "Final data production: Fri 04 Dec 17:00 GMT — in 2h 00m" in text
    assert "T1  Tell the users — Practice manager (customer)" in text
    assert "B1  high" in text
    assert "Extract server disk nearly full — Infrastructure  STALE" in text
    assert "GNG  Go/No-Go for the extract" in text
    assert "OVERDUE" in text
    assert "criteria met 1/2, decision pending" in text
    assert "Critical path: T1 → T2 → T3" in text
    assert "Forecast: cutover ends " in text
    assert "Rollback: started now, it would end Fri 04 Dec 17:00 GMT" in text


def test_status_after_final_data_production_in_utc(
    invoke: Callable[..., Result], plan_file: Path
) -> None:
    result = invoke("status", plan_file, "--now", "2026-12-04T20:12:00Z", "--utc")
    assert result.exit_code == 0, result.output
    assert "Now:                   Fri 04 Dec 2026 20:12 UTC\n" in result.stdout
    assert "started 3h 12m ago" in result.stdout
    assert "Phase:                 cutover" in result.stdout


def test_status_rejects_a_bad_now(invoke: Callable[..., Result], plan_file: Path) -> None:
    result = invoke("status", plan_file, "--now", "tomorrowish")
    assert result.exit_code == 2
    assert "not an ISO 8601 date and time" in result.stderr
    assert "Traceback" not in result.output


def test_status_of_an_invalid_plan_exits_2(
    invoke: Callable[..., Result], broken_file: Path
) -> None:
    result = invoke("status", broken_file)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"{broken_file}: plan.go_live:" in result.stderr


# --- convert --------------------------------------------------------------------------------------


def test_convert_round_trip(invoke: Callable[..., Result], plan_file: Path, tmp_path: Path) -> None:
    as_json = tmp_path / "plan.json"
    back = tmp_path / "back.toml"
    first = invoke("convert", plan_file, as_json)
    assert first.exit_code == 0, first.output
    assert json.loads(as_json.read_text(encoding="utf-8"))["plan"]["id"] == "mini"
    second = invoke("convert", as_json, back)
    assert second.exit_code == 0, second.output
    assert load_path(plan_file) == load_path(back)
    assert load_path(plan_file) == load_path(as_json)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_convert_to_stdout_needs_to(invoke: Callable[..., Result], plan_file: Path) -> None:
    refused = invoke("convert", plan_file, "-")
    assert refused.exit_code == 2
    assert "--to" in refused.stderr
    result = invoke("convert", plan_file, "-", "--to", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["schema_version"] == 1


def test_convert_forced_format(
    invoke: Callable[..., Result], plan_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "plan.txt"
    assert invoke("convert", plan_file, out).exit_code == 2
    result = invoke("convert", plan_file, out, "--to", "json")
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("{")
    assert cli_module.read_plan(str(out)) == load_path(plan_file)  # sniffed: not a .toml/.json


def test_convert_refuses_to_overwrite_its_input(
    invoke: Callable[..., Result], plan_file: Path
) -> None:
    before = plan_file.read_bytes()
    for args in (["--force"], []):
        result = invoke("convert", plan_file, plan_file.parent / "." / plan_file.name, *args)
        assert result.exit_code == 2
        assert "is the input file" in result.stderr
    assert plan_file.read_bytes() == before


def test_convert_refuses_an_existing_output_without_force(
    invoke: Callable[..., Result], plan_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.json"
    out.write_text("keep me", encoding="utf-8")
    result = invoke("convert", plan_file, out)
    assert result.exit_code == 2
    assert "already exists; use --force" in result.stderr
    assert out.read_text(encoding="utf-8") == "keep me"
    forced = invoke("convert", plan_file, out, "--force")
    assert forced.exit_code == 0, forced.output
    assert load_path(out) == load_path(plan_file)


def test_convert_validates_its_input_first(
    invoke: Callable[..., Result], broken_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.json"
    result = invoke("convert", broken_file, out)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"{broken_file}: tasks[0] (T1).titel: unknown key" in result.stderr
    assert not out.exists()


def test_convert_into_a_missing_folder(
    invoke: Callable[..., Result], plan_file: Path, tmp_path: Path
) -> None:
    result = invoke("convert", plan_file, tmp_path / "missing" / "out.json")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


# --- schema ---------------------------------------------------------------------------------------


def test_schema(invoke: Callable[..., Result]) -> None:
    result = invoke("schema")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert document["title"]
    assert {"plan", "tasks", "schema_version"} <= document["properties"].keys()
    assert "$id" not in document


def test_schema_to_a_file(invoke: Callable[..., Result], tmp_path: Path) -> None:
    out = tmp_path / "plan.schema.json"
    result = invoke("schema", "--out", out)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "properties" in json.loads(out.read_text(encoding="utf-8"))


# --- init -----------------------------------------------------------------------------------------


def test_init_writes_a_plan_without_warnings(
    invoke: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("init")
    assert result.exit_code == 0, result.output
    path = tmp_path / "cutover-plan.toml"
    plan = load_path(path)
    assert warnings(plan) == []
    assert plan.header.timezone == "Europe/London"
    assert plan.header.id == "cutover-plan"
    check = invoke("validate", "--strict", path)
    assert check.exit_code == 0, check.output
    assert check.stdout.endswith(", 0 warnings\n")


def test_init_starts_final_data_production_on_a_friday_ahead(
    invoke: Callable[..., Result], tmp_path: Path
) -> None:
    path = tmp_path / "rehearsal.toml"
    result = invoke("init", path, "--timezone", "America/New_York", "--now", "2026-03-04T12:00:00Z")
    assert result.exit_code == 0, result.output
    header = load_path(path).header
    fdp = header.final_data_production.astimezone(header.zone)
    assert (fdp.year, fdp.month, fdp.day, fdp.hour) == (2026, 3, 13, 17)
    assert header.id == "rehearsal"


def test_init_refuses_to_overwrite(invoke: Callable[..., Result], tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text("# my precious plan\n", encoding="utf-8")
    result = invoke("init", path)
    assert result.exit_code == 2
    assert "already exists; use --force" in result.stderr
    assert path.read_text(encoding="utf-8") == "# my precious plan\n"
    forced = invoke("init", path, "--force")
    assert forced.exit_code == 0, forced.output
    assert load_path(path).header.id == "mine"


def test_init_rejects_an_unknown_zone(invoke: Callable[..., Result], tmp_path: Path) -> None:
    result = invoke("init", tmp_path / "p.toml", "--timezone", "Mars/Olympus_Mons")
    assert result.exit_code == 2
    assert "not a known IANA time zone" in result.stderr
    assert not (tmp_path / "p.toml").exists()


def test_init_to_stdout(invoke: Callable[..., Result]) -> None:
    result = invoke("init", "-", "--now", NOW)
    assert result.exit_code == 0, result.output
    assert warnings(load_bytes(result.stdout.encode(), "stdout", "toml")) == []


@pytest.mark.parametrize(
    "zone",
    [
        "Europe/London",
        "America/New_York",
        "America/Santiago",
        "Asia/Kolkata",
        "Asia/Jerusalem",
        "Australia/Lord_Howe",
        "Pacific/Chatham",
        "UTC",
    ],
)
def test_starter_is_clean_all_year(zone: str) -> None:
    """Every week of a year, clock changes included: no errors, no warnings."""
    start = datetime(2026, 1, 1, 6, 30, tzinfo=UTC)
    for day in range(0, 371, 3):
        now = start + timedelta(days=day, hours=day % 24)
        text = render_starter(now, zone)
        plan = load_bytes(text.encode("utf-8"), f"{zone} {now}", "toml")
        assert warnings(plan) == [], (zone, now)
        assert plan.header.final_data_production > now + timedelta(days=6)
        assert plan.header.final_data_production.astimezone(plan.header.zone).weekday() == 4


def test_starter_blocker_example_is_valid() -> None:
    """The commented-out blocker, uncommented, is a valid blocker."""
    text = render_starter(datetime(2026, 6, 1, tzinfo=UTC), "Europe/London")
    lines = text.splitlines()
    start = lines.index("# [[blockers]]")
    end = lines.index("", start)
    for index in range(start, end):
        lines[index] = lines[index].removeprefix("# ")
    plan = load_bytes("\n".join(lines).encode("utf-8"), "starter", "toml")
    assert [blocker.id for blocker in plan.blockers] == ["B01"]
    assert warnings(plan) == []


def test_starter_helpers() -> None:
    assert final_data_production_day(date(2026, 12, 4)).isoformat() == "2026-12-11"
    assert final_data_production_day(date(2026, 12, 5)).isoformat() == "2026-12-18"
    assert plan_id_for("my cutover plan.toml") == "my-cutover-plan"
    assert plan_id_for("dir/---.toml") == "cutover-plan"
    assert plan_id_for("ünïcode") == "n-code"


# --- the installed command ------------------------------------------------------------------------


def installed_command() -> list[str]:
    script = Path(sys.executable).with_name("cutover-tui")
    found = str(script) if script.exists() else shutil.which("cutover-tui")
    if found is None:
        pytest.fail("the cutover-tui console script is not installed (pip install -e .)")
    return [found]


def run_installed(*args: str | Path, module: bool = False) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "cutover_tui"] if module else installed_command()
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("CUTOVER_TUI_DEBUG", None)
    return subprocess.run(
        [*command, *(str(arg) for arg in args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        env=env,
        check=False,
    )


def test_console_script_exit_codes(plan_file: Path, broken_file: Path) -> None:
    ok = run_installed("validate", plan_file)
    assert ok.returncode == 0, ok.stderr
    assert "valid — 4 tasks" in ok.stdout
    bad = run_installed("validate", broken_file)
    assert bad.returncode == 2
    assert "tasks[0] (T1).titel: unknown key" in bad.stdout
    assert "Traceback" not in bad.stdout + bad.stderr
    usage = run_installed("status")
    assert usage.returncode == 2
    assert "Traceback" not in usage.stderr


def test_python_dash_m(plan_file: Path) -> None:
    result = run_installed("status", plan_file, "--json", "--now", NOW, module=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout).keys() >= STATUS_KEYS


def test_output_into_a_closed_pipe_is_quiet(tmp_path: Path) -> None:
    """`cutover-tui convert big.toml - --to json | head -1`: quiet when the reader goes away."""
    tasks = "".join(
        f'[[tasks]]\nid = "T{i}"\ntitle = "Task number {i}"\nphase = "pre-cutover"\n'
        f'owner = "Someone"\n'
        for i in range(3000)
    )
    big = tmp_path / "big.toml"
    big.write_text(PLAN.split("[[tasks]]", 1)[0] + tasks, encoding="utf-8")
    with subprocess.Popen(
        [*installed_command(), "convert", str(big), "-", "--to", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        assert process.stdout.readline() == b"{\n"
        process.stdout.close()  # far more than a pipe buffer is still to come
        stderr = process.stderr.read().decode()
        process.wait(timeout=60)
    assert "Traceback" not in stderr
    assert "unexpected" not in stderr
    assert "Exception ignored" not in stderr
