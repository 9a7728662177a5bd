"""Generate large, realistic cutover plans for benchmarks and load tests.

    python bench/make_plan.py --tasks 10000 --seed 1 [--out PATH] [--format toml|json] [--now ISO]

Writes JSON to stdout by default; with ``--out`` the format follows the file's extension unless
``--format`` says otherwise. Importable too: ``make_plan(10_000, seed=1)`` returns the plain
document (datetimes as ISO 8601 strings with ``Z``), ready for ``json.dumps``.

The output is a pure function of (tasks, seed, now, final data production): it uses its own
``random.Random(seed)`` and never reads the clock. The plan follows PLAN_FORMAT.md:

- phases in cutover proportions (35% pre-cutover, 45% cutover, 15% post-cutover, 5% contingency),
  laid out on a Friday-evening-to-Monday-morning cutover with a 72-hour SLA;
- each task depends on 0-3 earlier tasks of the same or an earlier phase and starts no earlier
  than its predecessors end; contingency tasks depend only on other contingency tasks;
- statuses agree with ``now``: the past is mostly done (with actual times), a few tasks are late,
  in progress, blocked, skipped or failed, and nothing has started before its predecessors finished;
- blockers, checkpoints (Go/No-Go decisions with criteria and contingency lists), contacts and a
  log in proportion to the plan's size.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

DEFAULT_NOW = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
"""Two hours before the default final data production: late pre-cutover work, a pending Go/No-Go."""
DEFAULT_FINAL_DATA_PRODUCTION = datetime(2026, 12, 4, 17, 0, tzinfo=UTC)
"""A Friday, 17:00 UK time."""

GO_LIVE_AFTER = timedelta(hours=63)  # Friday 17:00 to Monday 08:00
NO_RETURN_BEFORE_GO_LIVE = timedelta(hours=14)  # Sunday 18:00
PRE_CUTOVER_WINDOW = timedelta(days=14)
POST_CUTOVER_WINDOW = timedelta(days=10)

PHASE_SHARES = {"pre-cutover": 0.35, "cutover": 0.45, "post-cutover": 0.15, "contingency": 0.05}
"""Share of tasks per phase; cutover takes whatever rounding leaves."""

DURATION_MINUTES = (15, 30, 45, 60, 90, 120, 180, 240, 360, 480)
DURATION_WEIGHTS = (10, 16, 10, 16, 10, 12, 9, 8, 5, 4)
DEPENDENCY_COUNTS = (0, 1, 2, 3)
DEPENDENCY_WEIGHTS = (15, 45, 28, 12)
DEPENDENCY_LOOKBACK = 300
"""Predecessors come from the last this-many tasks: chains stay local, as in a real runbook."""

DATETIME_KEYS = frozenset(
    {
        "updated_at",
        "final_data_production",
        "go_live",
        "point_of_no_return",
        "planned_start",
        "planned_end",
        "actual_start",
        "actual_end",
        "raised_at",
        "resolved_at",
        "at",
        "decided_at",
    }
)
"""Keys whose values are datetimes, wherever they appear in the document."""
FINISHED = frozenset({"done", "skipped"})
STARTED = frozenset({"done", "in-progress"})


@dataclass(frozen=True)
class Workstream:
    """A team's slice of the runbook: who owns its tasks and what they say."""

    name: str
    owners: tuple[tuple[str, str], ...]
    """(role, party) pairs."""
    verbs: tuple[str, ...]
    objects: tuple[str, ...]

    @classmethod
    def parse(cls, name: str, owners: str, verbs: str, objects: str) -> Workstream:
        """A workstream from comma-separated lists; owners are written ``Role:party``."""
        pairs = tuple((role, party) for role, party in (o.split(":") for o in _words(owners)))
        return cls(name, pairs, _words(verbs), _words(objects))


def _words(text: str) -> tuple[str, ...]:
    return tuple(word.strip() for word in text.split(","))


# name, owners (role:party), verbs, objects
_VOCABULARY = (
    (
        "Data migration",
        "Data Migration Lead:provider, DBA:provider, Data Owner:customer",
        "Extract, Transform, Load, Reconcile, Validate, Purge",
        "patient demographics, appointment history, medication records, document store, "
        "audit trail, reference data, open referrals, billing ledger",
    ),
    (
        "Infrastructure",
        "Infrastructure Engineer:provider, Platform Lead:provider",
        "Provision, Patch, Snapshot, Fail over, Scale out, Verify",
        "database cluster, application servers, storage volumes, backup jobs, load balancers, "
        "virtual desktops",
    ),
    (
        "Network",
        "Network Engineer:provider, Site IT Lead:customer",
        "Open, Switch, Test, Update",
        "firewall rules, DNS records, VPN tunnels, site links, proxy allow-lists, Wi-Fi profiles",
    ),
    (
        "Application",
        "Application Lead:provider, Configuration Analyst:provider",
        "Deploy, Configure, Enable, Smoke test, Restart",
        "release package, user roles, workflow rules, report templates, print queues, "
        "scheduler jobs",
    ),
    (
        "Integration",
        "Integration Lead:provider, Interface Analyst:shared",
        "Repoint, Test, Enable, Drain, Replay",
        "lab results interface, messaging mailbox, payments gateway, HL7 feeds, identity service, "
        "e-prescribing link",
    ),
    (
        "Testing",
        "Test Lead:shared, Business Tester:customer",
        "Run, Sign off, Retest, Triage",
        "smoke tests, regression pack, end-to-end scenarios, performance checks, defect backlog",
    ),
    (
        "Security",
        "Security Officer:customer, Identity Admin:provider",
        "Review, Rotate, Enable, Revoke, Scan",
        "privileged accounts, service credentials, smartcard roles, audit logging, legacy access",
    ),
    (
        "Comms",
        "Comms Lead:customer, Cutover Manager:shared",
        "Send, Publish, Brief, Confirm",
        "staff bulletin, patient notice, partner notification, status page update, "
        "go-live announcement",
    ),
    (
        "Training",
        "Training Lead:customer, Trainer:provider",
        "Deliver, Schedule, Record, Refresh",
        "super-user session, quick reference cards, floorwalker rota, e-learning module",
    ),
    (
        "Service desk",
        "Service Desk Manager:customer, Support Analyst:provider",
        "Brief, Staff, Publish, Test",
        "hypercare rota, known-error articles, escalation paths, call scripts",
    ),
    (
        "Business readiness",
        "Business Lead:customer, Site Lead:customer",
        "Confirm, Prepare, Rehearse, Sign off",
        "manual fallback, paper forms, site readiness, business continuity plan",
    ),
    (
        "Hardware",
        "Field Engineer:provider, Site IT Lead:customer",
        "Install, Swap, Test, Label",
        "label printers, scanners, check-in kiosks, call-waiting screens, card readers",
    ),
    (
        "Reporting",
        "BI Lead:provider, Data Owner:customer",
        "Rebuild, Validate, Schedule, Publish",
        "operational dashboards, statutory returns, data warehouse feed, KPI extracts",
    ),
    (
        "Clinical safety",
        "Clinical Safety Officer:customer, Clinical Lead:customer",
        "Review, Sample, Approve, Update",
        "hazard log, record sample, safety case, degraded codes",
    ),
    (
        "Governance",  # always chosen: it owns the milestones
        "Cutover Manager:shared, Programme Manager:customer",
        "Chair, Record, Approve, Escalate",
        "readiness review, decision log, risk register, change request",
    ),
)
WORKSTREAMS: tuple[Workstream, ...] = tuple(Workstream.parse(*row) for row in _VOCABULARY)

QUALIFIERS = ("site", "batch", "wave", "region", "cluster", "ward")
ROLLBACK_VERBS = ("Revert", "Restore", "Re-enable", "Roll back", "Re-point", "Reopen", "Re-run")
TASK_NOTES = (
    "Needs two people: one runs the step, one checks it.",
    "Took {minutes} minutes in the last rehearsal.",
    "Out-of-hours call-out agreed with the supplier.",
    "Check the reconciliation report before marking done.",
    "Evidence (screenshots, counts) goes to the cutover log.",
    "Run only after the previous step's owner confirms on the bridge.",
)
BLOCKER_PROBLEMS = (
    "failing validation",
    "not reachable from the new platform",
    "credentials expired",
    "missing a vendor patch",
    "slower than rehearsed",
    "waiting on a supplier response",
    "giving mismatched counts",
)
GO_NO_GO_CRITERIA = (
    "All pre-cutover tasks complete or accepted",
    "No open critical blockers",
    "Rollback owners on call and the contingency plan rehearsed",
    "Data reconciliation within tolerance",
    "Supplier teams confirmed on shift",
    "Business sign-off received",
    "Service desk briefed for hypercare",
    "Backups verified and restorable",
    "Smoke tests passed",
)
CHECKPOINT_CRITERIA = (
    "Tasks on schedule for the next window",
    "Every open blocker has an owner and a next update time",
    "Next shift briefed at handover",
    "Reconciliation figures reviewed",
)
FIRST_NAMES = ("Alex", "Sam", "Priya", "Tom", "Grace", "Omar", "Hannah", "Li", "Ruth", "Kwame")
LAST_NAMES = ("Shah", "Reed", "Okafor", "Evans", "Novak", "Chen", "Murphy", "Khan", "Price")


@dataclass(eq=False)  # compared by identity: tasks are unique objects
class _Task:
    """A task while the plan is being built; `_Builder._task_record` makes it a document record."""

    id: str
    title: str
    phase: str
    owner: str
    party: str
    workstream: str
    minutes: int
    start: datetime | None = None
    milestone: bool = False
    depends_on: list[int] = field(default_factory=list)
    notes: str | None = None
    write_end: bool = False
    """Give `planned_end` instead of `duration` (both forms appear in real plans)."""
    rehearsal_only: bool = False
    status: str = "not-started"
    late: bool = False
    """Behind plan at `now`: due to end (or start) before it and not finished."""
    started_when_blocked: bool = False
    actual_start: datetime | None = None
    actual_end: datetime | None = None

    @property
    def end(self) -> datetime | None:
        return None if self.start is None else self.start + timedelta(minutes=self.minutes)


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def make_plan(
    tasks: int,
    seed: int = 1,
    now: datetime | None = None,
    final_data_production: datetime | None = None,
) -> dict[str, Any]:
    """A plan document with `tasks` tasks, as plain JSON-ready data (datetimes as ``…Z`` strings).

    `now` (default 2026-12-04T15:00:00Z) decides the state: what is done, late, in progress.
    `final_data_production` (default 2026-12-04T17:00:00Z) anchors the schedule.
    """
    document: dict[str, Any] = _jsonable(build_document(tasks, seed, now, final_data_production))
    return document


def build_document(
    tasks: int,
    seed: int = 1,
    now: datetime | None = None,
    final_data_production: datetime | None = None,
) -> dict[str, Any]:
    """Like `make_plan`, but with `datetime` values, as TOML writers want them."""
    if tasks < 0:
        raise ValueError("tasks must be zero or more")
    now = _aware(now or DEFAULT_NOW)
    fdp = _aware(final_data_production or DEFAULT_FINAL_DATA_PRODUCTION)
    return _Builder(tasks, seed, now, fdp).build()


# ---------------------------------------------------------------------------------------------
# The builder
# ---------------------------------------------------------------------------------------------


class _Builder:
    def __init__(self, count: int, seed: int, now: datetime, fdp: datetime) -> None:
        self.count = count
        self.rng = random.Random(seed)
        self.seed = seed
        self.now = now
        self.fdp = fdp
        self.go_live = fdp + GO_LIVE_AFTER
        self.point_of_no_return = self.go_live - NO_RETURN_BEFORE_GO_LIVE
        self.id_width = max(4, len(str(count)))
        # 8-15 workstreams; Governance always, since it owns the milestones.
        governance = WORKSTREAMS[-1]
        others = self.rng.sample(WORKSTREAMS[:-1], self.rng.randint(7, 14))
        self.workstreams = [*others, governance]
        self.tasks: list[_Task] = []
        self.contingency_groups: list[list[str]] = []

    def build(self) -> dict[str, Any]:
        self._lay_out_tasks()
        self._mark_rehearsal_only()
        self._assign_statuses()
        blockers = self._blockers()
        self._fill_actual_times()
        checkpoints = self._checkpoints()
        log, updated_at = self._log(blockers, checkpoints)
        return {
            "schema_version": 1,
            "revision": len(log) + self.rng.randint(10, 200),
            "updated_at": updated_at,
            "plan": self._header(),
            "tasks": [self._task_record(task) for task in self.tasks],
            "blockers": blockers,
            "checkpoints": checkpoints,
            "contacts": self._contacts(),
            "log": log,
        }

    def _header(self) -> dict[str, Any]:
        return {
            "id": f"bench-{self.count}-seed{self.seed}",
            "title": f"Synthetic cutover — {self.count:,} tasks (seed {self.seed})",
            "timezone": "Europe/London",
            "final_data_production": self.fdp,
            "go_live": self.go_live,
            "cutover_sla": "72h",
            "sla_warning": "12h",
            "point_of_no_return": self.point_of_no_return,
            "blocker_update_interval": "30m",
            "clocks": ["Asia/Kolkata", "America/New_York"],
            "description": (
                "Generated by `bench/make_plan.py` for benchmarks and load tests.\n\n"
                f"- {self.count:,} tasks across {len(self.workstreams)} workstreams\n"
                "- Friday-evening final data production, Monday-morning go-live, 72-hour SLA\n"
            ),
        }

    # -- tasks --------------------------------------------------------------------------------

    def _phase_counts(self) -> dict[str, int]:
        counts = {
            phase: round(self.count * share)
            for phase, share in PHASE_SHARES.items()
            if phase != "cutover"
        }
        counts["cutover"] = max(0, self.count - sum(counts.values()))
        if counts["cutover"] == 0 and counts["pre-cutover"] > 0:  # tiny plans: keep a cutover
            counts["pre-cutover"] -= 1
            counts["cutover"] = 1
        return counts

    def _lay_out_tasks(self) -> None:
        counts = self._phase_counts()
        pre_start = self.fdp - PRE_CUTOVER_WINDOW
        post_end = self.go_live + POST_CUTOVER_WINDOW
        self._lay_out_phase("pre-cutover", counts["pre-cutover"], pre_start, self.fdp)

        cutover = counts["cutover"]
        if cutover >= 1:
            self._milestone("Final data production", self.fdp, self._recent(3))
        middle = max(0, cutover - 2)
        self._lay_out_phase("cutover", middle, self.fdp, self.go_live)
        if cutover >= 2:
            self._milestone("Go-live", self.go_live, self._recent(3, lookback=50))

        self._lay_out_phase("post-cutover", counts["post-cutover"], self.go_live, post_end)
        self._lay_out_contingency(counts["contingency"])

    def _new_id(self) -> str:
        return f"T{len(self.tasks) + 1:0{self.id_width}d}"

    def _recent(self, most: int, lookback: int = 10) -> list[int]:
        """Up to `most` of the last `lookback` scheduled tasks, as predecessors of a milestone."""
        scheduled = list(range(len(self.tasks)))[-lookback:]
        return sorted(self.rng.sample(scheduled, min(most, len(scheduled))))

    def _milestone(self, title: str, at: datetime, depends_on: list[int]) -> None:
        owner, party = "Cutover Manager", "shared"
        self.tasks.append(
            _Task(
                id=self._new_id(),
                title=title,
                phase="cutover",
                owner=owner,
                party=party,
                workstream="Governance",
                minutes=0,
                start=at,
                milestone=True,
                depends_on=[i for i in depends_on if (self.tasks[i].end or at) <= at],
            )
        )

    def _lay_out_phase(self, phase: str, count: int, start: datetime, end: datetime) -> None:
        """Spread `count` tasks over [start, end]; each starts after the predecessors it picks."""
        last_of_stream: dict[str, int] = {}
        for position in range(count):
            stream = self.rng.choice(self.workstreams)
            minutes = self.rng.choices(DURATION_MINUTES, DURATION_WEIGHTS)[0]
            room = (end - start) - timedelta(minutes=minutes)
            offset = room * ((position + self.rng.random()) / count)
            planned_start = _floor_minutes(start + offset, 5)
            task = self._new_task(phase, stream, minutes, planned_start)
            previous_in_stream = last_of_stream.get(stream.name)
            task.depends_on = self._pick_predecessors(planned_start, previous_in_stream)
            last_of_stream[stream.name] = len(self.tasks)
            self.tasks.append(task)

    def _new_task(
        self, phase: str, stream: Workstream, minutes: int, start: datetime | None
    ) -> _Task:
        owner, party = self.rng.choice(stream.owners)
        verbs = ROLLBACK_VERBS if phase == "contingency" else stream.verbs
        title = f"{self.rng.choice(verbs)} {self.rng.choice(stream.objects)}"
        if self.rng.random() < 0.6:
            title += f" ({self.rng.choice(QUALIFIERS)} {self.rng.randint(1, 40)})"
        notes = None
        if self.rng.random() < 0.08:
            notes = self.rng.choice(TASK_NOTES).format(minutes=int(minutes * 1.1))
        return _Task(
            id=self._new_id(),
            title=title,
            phase=phase,
            owner=owner,
            party=party,
            workstream=stream.name,
            minutes=minutes,
            start=start,
            notes=notes,
            write_end=start is not None and self.rng.random() < 0.2,
        )

    def _pick_predecessors(self, start: datetime, same_stream: int | None) -> list[int]:
        """0-3 earlier scheduled tasks that end by `start`, favouring the workstream's last one."""
        wanted = self.rng.choices(DEPENDENCY_COUNTS, DEPENDENCY_WEIGHTS)[0]
        chosen: set[int] = set()
        if wanted and same_stream is not None and self.rng.random() < 0.5:
            end = self.tasks[same_stream].end
            if end is not None and end <= start:
                chosen.add(same_stream)
        first = max(0, len(self.tasks) - DEPENDENCY_LOOKBACK)
        attempts = 0
        while len(chosen) < wanted and attempts < wanted * 4 and first < len(self.tasks):
            attempts += 1
            index = self.rng.randrange(first, len(self.tasks))
            end = self.tasks[index].end
            if end is not None and end <= start:
                chosen.add(index)
        return sorted(chosen)

    def _lay_out_contingency(self, count: int) -> None:
        """Rollback procedures: short chains run only after a No-Go, so no planned times."""
        group: list[int] = []  # indices of the current procedure's tasks
        for position in range(count):
            stream = self.rng.choice(self.workstreams)
            minutes = self.rng.choice((15, 30, 45, 60, 90, 120, 180, 240))
            task = self._new_task("contingency", stream, minutes, None)
            if group:  # a chain within the procedure, sometimes joining two branches
                recent = group[-3:]
                joins = 2 if len(recent) > 1 and self.rng.random() < 0.3 else 1
                task.depends_on = sorted(self.rng.sample(recent, joins))
            group.append(len(self.tasks))
            self.tasks.append(task)
            if len(group) >= self.rng.randint(3, 8) or position == count - 1:
                self.contingency_groups.append([self.tasks[i].id for i in group])
                group = []

    def _mark_rehearsal_only(self) -> None:
        """A few leaf cutover tasks that run only in rehearsals (resetting test environments)."""
        has_successor = {d for task in self.tasks for d in task.depends_on}
        for index, task in enumerate(self.tasks):
            leaf = index not in has_successor
            if task.phase == "cutover" and not task.milestone and leaf and self.rng.random() < 0.02:
                task.rehearsal_only = True
                task.title = f"Reset rehearsal environment: {task.title[0].lower()}{task.title[1:]}"

    # -- state ----------------------------------------------------------------------------------

    def _assign_statuses(self) -> None:
        """Statuses from where each task sits relative to `now`, then made consistent."""
        for task in self.tasks:
            if task.start is None or task.end is None:
                continue  # contingency: not started unless a No-Go happens
            if task.end <= self.now - timedelta(minutes=30):
                since = self.now - task.end
                # Recent work runs late far more often than work that was due days ago.
                late_chance = (
                    0.15
                    if since < timedelta(hours=6)
                    else (0.04 if since < timedelta(hours=48) else 0.006)
                )
                roll = self.rng.random()
                if roll < late_chance:
                    task.late = True
                elif roll < late_chance + 0.02 and not task.milestone:
                    task.status = "skipped"
                else:
                    task.status = "done"
            elif task.start <= self.now:
                roll = self.rng.random()
                if task.milestone or roll < 0.15:
                    task.status = "done"
                elif roll < 0.8:
                    task.status = "in-progress"
                else:
                    task.late = True
        # Nothing starts before its predecessors finish: a started task's predecessors are done.
        for task in reversed(self.tasks):
            if task.status in STARTED:
                for index in task.depends_on:
                    predecessor = self.tasks[index]
                    if predecessor.status not in FINISHED:
                        predecessor.status, predecessor.late = "done", False
        self._ensure_some_late()
        # What is still late has no started successor: running late, not started, or failed.
        # It can only have started if its own predecessors have finished (plan order suffices).
        for task in self.tasks:
            if task.late:
                roll = self.rng.random()
                ready = all(self.tasks[i].status in FINISHED for i in task.depends_on)
                if task.milestone or not ready or 0.6 <= roll < 0.93:
                    task.status = "not-started"
                else:
                    task.status = "in-progress" if roll < 0.6 else "failed"

    def _ensure_some_late(self) -> None:
        """Every plan with a past has a few late tasks: recent ones that nothing has built on."""
        due = self.now - timedelta(minutes=30)
        past = [t for t in self.tasks if t.end is not None and t.end <= due and not t.milestone]
        wanted = max(3, len(past) // 150) - sum(task.late for task in self.tasks)
        if wanted <= 0:
            return
        built_on = {
            index for task in self.tasks if task.status in STARTED for index in task.depends_on
        }
        frontier = [
            task
            for index, task in enumerate(self.tasks)
            if task.status == "done"
            and not task.milestone
            and task.end is not None
            and task.end <= due
            and index not in built_on
        ]
        frontier.sort(key=lambda task: task.end or self.now, reverse=True)
        for task in self.rng.sample(frontier[:50], min(wanted, len(frontier[:50]))):
            task.late = True

    def _fill_actual_times(self) -> None:
        """Actual times in plan order: after the predecessors' actual ends, never after `now`."""
        for task in self.tasks:
            if task.start is None or task.status in ("not-started", "skipped"):
                continue
            if task.status == "blocked" and not task.started_when_blocked:
                continue
            previous = [self.tasks[i].actual_end for i in task.depends_on]
            earliest = max((moment for moment in previous if moment is not None), default=None)
            drift = timedelta(minutes=self.rng.randint(-10, 25))
            if task.late:
                drift += timedelta(minutes=self.rng.randint(10, 90))
            begin = task.start + drift
            if earliest is not None:
                begin = max(begin, earliest)
            begin = min(begin, self.now)
            if task.milestone:
                begin = max(task.start, earliest or task.start)
                begin = min(begin, self.now)
            task.actual_start = begin
            if task.status in ("done", "failed"):
                factor = self.rng.uniform(0.7, 1.35) if task.status == "done" else 0.5
                finish = begin + timedelta(minutes=round(task.minutes * factor))
                task.actual_end = min(finish, self.now)

    def _task_record(self, task: _Task) -> dict[str, Any]:
        record: dict[str, Any] = {
            "id": task.id,
            "title": task.title,
            "phase": task.phase,
            "status": task.status,
            "party": task.party,
            "owner": task.owner,
            "workstream": task.workstream,
        }
        if task.milestone:
            record["milestone"] = True
        if task.rehearsal_only:
            record["rehearsal_only"] = True
        if task.depends_on:
            record["depends_on"] = [self.tasks[i].id for i in task.depends_on]
        if task.start is not None:
            record["planned_start"] = task.start
        if task.write_end and task.end is not None:
            record["planned_end"] = task.end
        elif not task.milestone:
            record["duration"] = _duration_text(task.minutes)
        if task.actual_start is not None:
            record["actual_start"] = task.actual_start
        if task.actual_end is not None:
            record["actual_end"] = task.actual_end
        if task.notes:
            record["notes"] = task.notes
        return record

    # -- blockers -------------------------------------------------------------------------------

    def _blockers(self) -> list[dict[str, Any]]:
        """One per 200 tasks, at least 3: open ones block tasks; resolved ones are history."""
        total = max(3, self.count // 200)
        open_count = max(1, round(total * 0.45))
        mitigated_count = max(1, round(total * 0.2))
        resolved_count = max(1, total - open_count - mitigated_count)
        late, upcoming = self._blockable_tasks()
        working = [t for t in self.tasks if t.status == "in-progress"]
        done = [t for t in self.tasks if t.status == "done"]
        blockers: list[dict[str, Any]] = []
        for number in range(1, open_count + mitigated_count + resolved_count + 1):
            if number <= open_count:  # mostly what is already late, else what is coming up
                prefer_late = bool(late) and (not upcoming or self.rng.random() < 0.7)
                status, pool = "open", late if prefer_late else upcoming
            elif number <= open_count + mitigated_count:
                status, pool = "mitigated", working or upcoming
            else:
                status, pool = "resolved", done
            linked = self._take(pool, self.rng.randint(1, 3), remove=status == "open")
            if status == "open":
                for task in linked:
                    task.started_when_blocked = task.status == "in-progress"
                    task.status = "blocked"
            blockers.append(self._blocker(number, status, linked))
        return blockers

    def _blockable_tasks(self) -> tuple[list[_Task], list[_Task]]:
        """Tasks that may turn `blocked` (unfinished, no started successor): late, and upcoming."""
        late = [t for t in self.tasks if t.late and t.status in ("in-progress", "not-started")]
        upcoming = [
            t
            for t in self.tasks
            if t.status == "not-started"
            and not t.late
            and not t.milestone
            and t.start is not None
            and t.start > self.now
        ]
        return late, upcoming[:200]

    def _take(self, pool: list[_Task], count: int, *, remove: bool) -> list[_Task]:
        picked = self.rng.sample(pool, min(count, len(pool)))
        if remove:
            for task in picked:
                pool.remove(task)
        return sorted(picked, key=lambda task: task.id)

    def _blocker(self, number: int, status: str, linked: Sequence[_Task]) -> dict[str, Any]:
        stream = next(
            (s for s in self.workstreams if linked and s.name == linked[0].workstream),
            self.rng.choice(self.workstreams),
        )
        subject = self.rng.choice(stream.objects)
        title = f"{subject[0].upper()}{subject[1:]} {self.rng.choice(BLOCKER_PROBLEMS)}"
        severity = self.rng.choices(
            ("critical", "high", "medium", "low"),
            (1, 3, 4, 2) if status != "resolved" else (1, 2, 4, 3),
        )[0]
        owner = self.rng.choice(stream.owners)[0]
        record: dict[str, Any] = {
            "id": f"B{number:03d}",
            "title": title,
            "severity": severity,
            "status": status,
        }
        if linked:
            record["tasks"] = [task.id for task in linked]
        record["owner"] = owner
        if status == "resolved":
            raised = self.now - timedelta(minutes=self.rng.randint(12 * 60, 7 * 24 * 60))
            resolved = raised + timedelta(minutes=self.rng.randint(30, 12 * 60))
            resolved = min(resolved, self.now)
            record |= {"raised_at": raised, "updated_at": resolved, "resolved_at": resolved}
        else:
            raised = self.now - timedelta(minutes=self.rng.randint(20, 8 * 60))
            # About a third have gone quiet for longer than the 30-minute update interval.
            stale = self.rng.random() < 0.35
            quiet = self.rng.randint(35, 120) if stale else self.rng.randint(0, 25)
            updated = max(raised, self.now - timedelta(minutes=quiet))
            record |= {"raised_at": raised, "updated_at": updated}
            if status == "mitigated":
                record["notes"] = "Workaround in place; fix scheduled with the supplier."
        return record

    # -- checkpoints ----------------------------------------------------------------------------

    def _checkpoints(self) -> list[dict[str, Any]]:
        """About one per 500 tasks (at least 3): the fixed Go/No-Gos plus regular reviews."""
        total = max(3, self.count // 500)
        fixed = [
            ("go-no-go", "Go/No-Go for final data production", self.fdp - timedelta(hours=1)),
            ("go-no-go", "Go/No-Go for go-live", self.point_of_no_return - timedelta(hours=1)),
            ("checkpoint", "Go-live readiness huddle", self.go_live - timedelta(minutes=30)),
        ]
        extra = self._checkpoint_slots(total - len(fixed))
        slots = sorted(fixed + extra, key=lambda slot: slot[2])
        rollback_groups = list(self.contingency_groups)
        records: list[dict[str, Any]] = []
        for number, (kind, title, at) in enumerate(slots, start=1):
            records.append(self._checkpoint(number, kind, title, at, rollback_groups))
        return records

    def _checkpoint_slots(self, count: int) -> list[tuple[str, str, datetime]]:
        """Daily reviews before and after the cutover, every four hours during it."""
        slots: list[tuple[str, str, datetime]] = []
        day = _floor_minutes(self.fdp - PRE_CUTOVER_WINDOW, 24 * 60) + timedelta(hours=9)
        while day < self.fdp - timedelta(hours=3):
            slots.append(("checkpoint", "Daily readiness stand-up", day))
            day += timedelta(days=1)
        moment = self.fdp + timedelta(hours=4)
        while moment < self.go_live - timedelta(hours=2):
            kind = "go-no-go" if self.rng.random() < 0.2 else "checkpoint"
            title = "Go/No-Go: continue the cutover" if kind == "go-no-go" else "Cutover checkpoint"
            slots.append((kind, title, moment))
            moment += timedelta(hours=4)
        day = _floor_minutes(self.go_live, 24 * 60) + timedelta(days=1, hours=9)
        while day < self.go_live + POST_CUTOVER_WINDOW:
            slots.append(("checkpoint", "Hypercare daily review", day))
            day += timedelta(days=1)
        if count <= len(slots):
            return sorted(self.rng.sample(slots, max(0, count)), key=lambda slot: slot[2])
        span = (self.go_live + POST_CUTOVER_WINDOW) - (self.fdp - PRE_CUTOVER_WINDOW)
        while len(slots) < count:  # very large plans: more reviews at random quarter-hours
            offset = timedelta(minutes=15 * self.rng.randrange(int(span.total_seconds()) // 900))
            slots.append(("checkpoint", "Progress review", self.fdp - PRE_CUTOVER_WINDOW + offset))
        return slots

    def _checkpoint(
        self, number: int, kind: str, title: str, at: datetime, groups: list[list[str]]
    ) -> dict[str, Any]:
        prefix = "GNG" if kind == "go-no-go" else "CP"
        record: dict[str, Any] = {"id": f"{prefix}-{number:03d}", "title": title, "at": at}
        record["kind"] = kind
        past = at <= self.now
        pool = GO_NO_GO_CRITERIA if kind == "go-no-go" else CHECKPOINT_CRITERIA
        size = self.rng.randint(3, 6) if kind == "go-no-go" else self.rng.randint(0, 3)
        criteria = []
        for text in self.rng.sample(pool, min(size, len(pool))):
            criterion: dict[str, Any] = {"text": text, "state": "unmet"}
            soon = at - self.now < timedelta(hours=24)
            if past or (soon and self.rng.random() < 0.5):
                criterion["state"] = "waived" if past and self.rng.random() < 0.1 else "met"
                criterion["by"] = self.rng.choice(self.rng.choice(self.workstreams).owners)[0]
            if criterion["state"] == "waived":
                criterion["note"] = "Accepted risk; tracked on the risk register."
            criteria.append(criterion)
        if criteria:
            record["criteria"] = criteria
        if kind != "go-no-go":
            return record
        if past:
            decision = "go-with-conditions" if self.rng.random() < 0.25 else "go"
            record["decision"] = decision
            if decision == "go-with-conditions":
                record["conditions"] = "Open high blockers reviewed again at the next checkpoint."
            record["decided_by"] = "Cutover Manager"
            record["decided_at"] = min(at + timedelta(minutes=self.rng.randint(5, 40)), self.now)
        else:
            record["decision"] = "pending"
        if groups:
            group = groups[(number - 1) % len(groups)]
            record["contingency"] = list(group)
        return record

    # -- people and history ---------------------------------------------------------------------

    def _contacts(self) -> list[dict[str, Any]]:
        roles = sorted({owner for stream in self.workstreams for owner in stream.owners})
        contacts = []
        for role, party in self.rng.sample(roles, min(len(roles), self.rng.randint(6, 10))):
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            mobile = self.rng.random() < 0.6
            number = self.rng.randint(0, 999)
            contacts.append(
                {
                    "name": f"{first} {last}",
                    "role": role,
                    "party": party,
                    "phone": f"07700 900{number:03d}" if mobile else f"01632 960{number:03d}",
                    "email": f"{first.lower()}.{last.lower()}@example.org",
                    "channel": "Cutover bridge",
                    "on_call": self.rng.random() < 0.5,
                }
            )
        return contacts

    def _log(
        self, blockers: list[dict[str, Any]], checkpoints: list[dict[str, Any]]
    ) -> tuple[list[dict[str, Any]], datetime]:
        """About one entry per 50 tasks, drawn from what has happened by `now`, in time order;
        and the time of the latest change (the document's `updated_at`)."""
        events: list[dict[str, Any]] = []
        for task in self.tasks:
            if task.actual_end is not None and task.status == "done":
                events.append(_entry(task.actual_end, task.owner, f"Done: {task.title}", task.id))
            elif task.actual_end is not None:
                events.append(_entry(task.actual_end, task.owner, f"Failed: {task.title}", task.id))
            elif task.actual_start is not None:
                events.append(
                    _entry(task.actual_start, task.owner, f"Started: {task.title}", task.id)
                )
        for blocker in blockers:
            text = f"Raised {blocker['id']}: {blocker['title']}"
            events.append(_entry(blocker["raised_at"], blocker["owner"], text, blocker["id"]))
            if "resolved_at" in blocker:
                text = f"Resolved {blocker['id']}"
                events.append(_entry(blocker["resolved_at"], blocker["owner"], text, blocker["id"]))
        for checkpoint in checkpoints:
            if "decided_at" in checkpoint:
                text = f"{checkpoint['title']}: {checkpoint['decision']}"
                events.append(
                    _entry(checkpoint["decided_at"], "Cutover Manager", text, checkpoint["id"])
                )
        wanted = max(5, self.count // 50)
        chosen = self.rng.sample(events, min(wanted, len(events)))
        changes = [event["at"] for event in events]
        changes += [blocker["updated_at"] for blocker in blockers]
        latest = max(changes, default=self.now)
        return sorted(chosen, key=lambda entry: (entry["at"], entry["ref"])), latest


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _entry(at: datetime, actor: str, text: str, ref: str) -> dict[str, Any]:
    return {"at": at, "actor": actor, "text": text, "ref": ref}


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("datetimes must carry a UTC offset (e.g. 2026-12-04T15:00:00Z)")
    return moment.astimezone(UTC)


def _floor_minutes(moment: datetime, step: int) -> datetime:
    """`moment` rounded down to a multiple of `step` minutes since midnight (seconds dropped)."""
    minutes = moment.hour * 60 + moment.minute
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    return day + timedelta(minutes=minutes - minutes % step)


def _duration_text(minutes: int) -> str:
    """``"90m"`` as people write it: ``"1h 30m"``, ``"4h"``, ``"45m"``, ``"0m"``."""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours}h {rest}m"
    return f"{hours}h" if hours else f"{rest}m"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _jsonable(value: Any) -> Any:
    """The same data with every datetime as an ISO 8601 string in UTC with ``Z``."""
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    return value


def _parse_moment(text: str) -> datetime:
    """An ISO 8601 datetime with an offset, for --now and --fdp."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 datetime: {text!r}") from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"needs a UTC offset, e.g. {text}Z")
    return moment


def _with_datetimes(value: Any, key: str | None = None) -> Any:
    """The same data with ISO strings under datetime keys turned back into `datetime`s."""
    if isinstance(value, str) and key in DATETIME_KEYS:
        return datetime.fromisoformat(value)
    if isinstance(value, dict):
        return {name: _with_datetimes(item, name) for name, item in value.items()}
    if isinstance(value, list):
        return [_with_datetimes(item, key) for item in value]
    return value


def render(document: dict[str, Any], fmt: str) -> str:
    """A document from `make_plan` or `build_document` as TOML or JSON text.

    TOML gets real datetimes (``2026-12-04 17:00:00+00:00``), not strings that look like them.
    """
    if fmt == "toml":
        import tomli_w  # only needed for TOML: JSON output works with the standard library alone

        return tomli_w.dumps(_with_datetimes(document))
    return json.dumps(_jsonable(document), ensure_ascii=False, indent=1) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate a large, realistic cutover plan.")
    parser.add_argument("--tasks", type=int, default=1000, help="number of tasks (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--out", type=Path, help="output file (default: standard output)")
    parser.add_argument("--format", choices=("toml", "json"), help="default: from --out, or json")
    parser.add_argument(
        "--now",
        type=_parse_moment,
        default=DEFAULT_NOW,
        help="the moment the state describes (default 2026-12-04T15:00:00Z)",
    )
    parser.add_argument(
        "--fdp",
        type=_parse_moment,
        default=DEFAULT_FINAL_DATA_PRODUCTION,
        help="final data production (default 2026-12-04T17:00:00Z)",
    )
    args = parser.parse_args(argv)
    if args.tasks < 0:
        parser.error("--tasks must be zero or more")
    fmt = args.format
    if fmt is None:
        fmt = "toml" if args.out is not None and args.out.suffix.lower() == ".toml" else "json"
    text = render(build_document(args.tasks, args.seed, args.now, args.fdp), fmt)
    if args.out is None:
        sys.stdout.write(text)
    else:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
