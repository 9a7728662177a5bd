"""A corpus of malformed plans: each file's full list of problems, compared exactly.

The expected lines live in `malformed/expected.toml`, one entry per file, so a change to any message
shows up as a readable diff of that one file.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from cutover_tui.model import PlanError, load_path

MALFORMED = Path(__file__).parent / "malformed"
EXPECTED: dict[str, list[str]] = tomllib.loads(
    (MALFORMED / "expected.toml").read_text(encoding="utf-8")
)
PLANS = sorted(path.name for path in MALFORMED.iterdir() if path.name != "expected.toml")


def test_every_malformed_plan_has_expected_problems() -> None:
    assert sorted(EXPECTED) == PLANS


@pytest.mark.parametrize("name", PLANS)
def test_malformed_plan_reports_exactly_its_problems(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(MALFORMED)  # so the file name is passed as a user would type it
    with pytest.raises(PlanError) as caught:
        load_path(name)
    assert [str(problem) for problem in caught.value.problems] == EXPECTED[name]
    assert str(caught.value) == "\n".join(EXPECTED[name])


def test_twenty_mistakes_are_all_reported_at_once() -> None:
    with pytest.raises(PlanError) as caught:
        load_path(MALFORMED / "twenty-mistakes.toml", source="twenty-mistakes.toml")
    found = caught.value.problems
    assert len(found) == 20
    # Twenty different mistakes: no field is reported twice.
    assert len({problem.path for problem in found}) == 20
    messages = "\n".join(problem.message for problem in found)
    for fragment in [
        "must be at least 0",
        "is not a known IANA time zone",
        "must be shorter than cutover_sla",
        "unknown key (did you mean 'owner'?)",
        "not 'cut-over'",
        "is not a duration: '4 hours'",
        "is required",
        "is not an ISO 8601 date and time",
        "has no UTC offset",
        "unknown task 'T99'",
        "dependency cycle: T08 → T09 → T08",
        "is already used by tasks[9]",
        "is before planned_start",
        "is set but status is 'in-progress'",
        "must be true or false, not 'yes'",
        "the limit is 300",
        "is required when status is 'resolved'",
        "is required with decision 'go-with-conditions'",
        "only contingency-phase tasks run on No-Go",
        "only a go-no-go checkpoint takes a decision",
    ]:
        assert fragment in messages


@pytest.mark.parametrize("name", PLANS)
def test_malformed_plan_problems_are_printable(name: str) -> None:
    for line in EXPECTED[name]:
        assert line.isprintable(), line
