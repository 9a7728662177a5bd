"""The Textual application: holds the latest snapshot and the time; screens follow both."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import var
from textual.screen import Screen

from . import clock as clocks
from .insight.since import Look, changes_since
from .messages import SnapshotReceived, SnapshotRejected
from .model import Plan, PlanError
from .screens import SCREENS, HelpScreen
from .sync import Contact, FileSource, Snapshot, SourceEvent, SourceProblem
from .sync.file_source import Signature
from .sync.health import Health, assess
from .sync.http_settings import HttpSettings
from .theming import DEFAULT_THEME, register_themes, variable_defaults

KIOSK_ROTATION = ("overview", "tasks", "blockers", "checkpoints")


@dataclass(frozen=True)
class DashboardOptions:
    """How the dashboard runs, from the command line."""

    kiosk_seconds: float | None = None
    """Rotate screens every this many seconds, read-only, no footer (None: interactive)."""
    kiosk_exit_key: str | None = None
    """The one key that quits a kiosk (None: a kiosk cannot be quit from the keyboard)."""
    utc: bool = False
    """Show every time in UTC instead of the plan's zone."""
    live: bool = False
    """Hide rehearsal-only tasks."""
    theme: str | None = None
    follow: bool = False
    """Follow the source file live (otherwise it is read at start and on `r`)."""
    poll: float | None = None
    """Poll the file every this many seconds instead of waiting for change events."""
    http: HttpSettings = field(default_factory=HttpSettings)
    """How to reach an http(s) SOURCE (token, CA, poll interval)."""

    @property
    def kiosk(self) -> bool:
        return self.kiosk_seconds is not None


class UnknownTheme(ValueError):
    """--theme names no theme we have."""

    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(f"--theme: no theme called {name!r}; themes: {', '.join(known)}")


PlanReader = Callable[[str], Plan]
"""Reads and validates the plan at a source (raises `PlanError`)."""


class CutoverApp(App[None]):
    """The cutover, live: one reactive snapshot and one reactive time that every screen follows."""

    CSS_PATH = "app.tcss"
    TITLE = "cutover-tui"
    MODES = {name: screen for name, screen in SCREENS.items()}
    DEFAULT_MODE = "overview"
    BINDINGS = [
        Binding("1", "show('overview')", "Overview", id="overview"),
        Binding("2", "show('tasks')", "Tasks", id="tasks"),
        Binding("3", "show('blockers')", "Blockers", id="blockers"),
        Binding("4", "show('checkpoints')", "Checkpoints", id="checkpoints"),
        Binding("5", "show('timeline')", "Timeline", id="timeline"),
        Binding("6", "show('log')", "Log", id="log"),
        Binding("7", "show('contacts')", "Contacts", id="contacts"),
        Binding("r", "reload", "Reload", id="reload"),
        Binding("u", "toggle_utc", "UTC", id="utc"),
        Binding("question_mark", "help", "Help", id="help", key_display="?"),
        Binding("q", "quit", "Quit", id="quit"),
        Binding("c", "since", "Changes", id="since", show=False),  # footer is full; ? lists it
    ]

    snapshot: var[Snapshot | None] = var(None)
    """The latest good snapshot; screens follow it and update their widgets in place."""
    now: var[datetime] = var(clocks.wall_now)
    """The dashboard's time (simulated with --now/--speed), ticked once a second."""
    zone: var[ZoneInfo] = var(ZoneInfo("UTC"))
    """The zone every time is shown in: the plan's, or UTC."""
    problem: var[SourceProblem | None] = var(None)
    """Why the source cannot be used right now (None: the data on screen is live)."""
    contact: Contact | None = None
    """The source's last sign of life; with no new one in time, the data on screen is STALE."""
    health: var[Health | None] = var(None)
    """What the header badge and banner say about the data on screen; reassessed every tick."""
    last_looked: Look | None = None
    """What the user last saw of "what changed" (at first, the first snapshot), in brief."""

    def __init__(
        self,
        source: str,
        reader: PlanReader,
        clock: clocks.Clock,
        options: DashboardOptions | None = None,
        initial: Plan | None = None,
        initial_signature: Signature | None = None,
    ) -> None:
        """`initial`: the plan to show from the first frame; `initial_signature`: the source
        file's `file_signature` from before it was read (following need not read it again)."""
        super().__init__()
        self.source = source
        self.reader = reader
        self.clock = clock
        self.options = options or DashboardOptions()
        self._initial: tuple[Plan | None, Signature | None] = initial, initial_signature
        self._kiosk_position = 0
        self._theme_failures = register_themes(self).failed
        theme = self.options.theme or DEFAULT_THEME
        if theme not in self.available_themes:
            raise UnknownTheme(theme, sorted(self.available_themes))
        if self.available_themes[theme].dark == self.current_theme.dark:
            # Assigning `theme` before the app runs makes Textual parse all its CSS a second
            # time at start-up; the first parse already reads this value, and light or dark
            # (the only class the theme sets that matters) stays as it is.
            self.set_reactive(App.theme, theme)
        else:
            self.theme = theme
        self.now = clock.now()
        if initial is not None:
            # Before the first screen is composed, so that its first frame shows the plan.
            self.accept(initial)

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return variable_defaults(self)

    def on_mount(self) -> None:
        if self._theme_failures:
            self.notify(
                "\n".join(self._theme_failures),
                title="Some theme files were not loaded",
                severity="warning",
                markup=False,
            )
        if self.options.kiosk_exit_key:
            self.bind(self.options.kiosk_exit_key, "kiosk_exit", show=False)
        if self.snapshot is None:
            self.action_reload()
        if self.options.follow:
            # After the first frame: the source's first read must not slow it down.
            self.call_after_refresh(self._follow)
        if not self.is_headless:  # tests run many apps in one process: freeze none of them
            self.call_after_refresh(self.freeze_startup)
        self._schedule_tick()
        if self.options.kiosk_seconds:
            self.set_interval(self.options.kiosk_seconds, self._rotate_kiosk)
            self.set_class(True, "-kiosk")

    def freeze_startup(self) -> None:
        """Move what start-up made (Textual, the first plan), which lives as long as the app,
        out of the garbage collector's reach: a full collection no longer walks it (at 10,000
        tasks that walk stalled the screen for a few hundred milliseconds now and then). Garbage
        is collected first so none is frozen; plans hold no reference cycles, so the first plan
        is still freed when a new one replaces it. The command line starts with the collector
        off (`launch.py`): from here on it runs."""
        gc.collect()
        gc.freeze()
        gc.enable()

    # --- time -----------------------------------------------------------------------------

    def _schedule_tick(self) -> None:
        # Re-armed every second against the wall clock, so ticks never drift apart.
        self.set_timer(clocks.until_next_wall_second() + 0.002, self._tick)

    def _tick(self) -> None:
        self.now = self.clock.now()
        self._assess_health()
        self._schedule_tick()

    # --- health of the data on screen -----------------------------------------------------

    def _assess_health(self) -> None:
        snapshot = self.snapshot
        if snapshot is None:
            return
        old = self.health
        new = assess(snapshot, self.problem, self.contact, clocks.monotonic(), self.zone)
        if old is not None and self.problem is None and new.level != old.level:
            # Problems toast where they are reported; silence is only seen here.
            if old.level == "live":
                self.notify(
                    new.banner or "",
                    title="The data on screen is stale",
                    severity="warning",
                    timeout=10,
                    markup=False,
                )
            elif new.level == "live":
                self.notify("The source answers again.", title="Live", markup=False)
        self.health = new

    def watch_problem(self) -> None:
        self._assess_health()

    # --- snapshots ------------------------------------------------------------------------

    def accept(self, plan: Plan) -> None:
        """Make `plan` the snapshot on screen."""
        self.snapshot = Snapshot(
            plan=plan,
            source=self.source,
            received_at=clocks.wall_now(),
            received_monotonic=clocks.monotonic(),
        )

    def watch_snapshot(self, snapshot: Snapshot | None) -> None:
        if snapshot is not None:
            self.zone = ZoneInfo("UTC") if self.options.utc else snapshot.plan.header.zone
            if self.last_looked is None:
                self.last_looked = Look.of(snapshot.plan, self.now)
        self._assess_health()

    def watch_zone(self) -> None:
        self._assess_health()

    @on(SnapshotReceived)
    def store_snapshot(self, message: SnapshotReceived) -> None:
        current = self.snapshot
        if current is None or message.snapshot.plan != current.plan:
            self.snapshot = message.snapshot

    @work(exclusive=True, group="follow", exit_on_error=False)
    async def _follow(self) -> None:
        """Follow the source: new snapshots, and its health, as they happen."""
        async for event in self._open_source():
            if isinstance(event, Contact):
                self.contact = event
                if self.health is not None and self.health.level != "live":
                    self._assess_health()
            elif isinstance(event, Snapshot):
                self.post_message(SnapshotReceived(event))
            elif isinstance(event, SourceProblem):
                self._report_problem(event)
            elif self.problem is not None:
                self.problem = None
                self.notify("The source is usable again.", title="Live", markup=False)

    def _open_source(self) -> AsyncIterator[SourceEvent]:
        shown = self.snapshot.plan if self.snapshot is not None else None
        initial, signature = self._initial
        self._initial = None, None  # the first plan is not held once a newer one replaces it
        if self.source.startswith(("http://", "https://")):
            from .sync.http_source import HttpSource  # the HTTP client only when it is needed

            return HttpSource(self.source, self.options.http, shown=shown).events()
        return FileSource(
            Path(self.source),
            poll=self.options.poll,
            shown=shown,
            shown_signature=signature if shown is initial else None,
        ).events()

    def _report_problem(self, problem: SourceProblem) -> None:
        # Toasts only on transitions; the header keeps saying it for as long as it lasts.
        if self.problem is None or self.problem.kind != problem.kind:
            self.notify(
                problem.reason,
                title="Kept the last good plan on screen",
                severity="error" if problem.kind == "invalid" else "warning",
                timeout=10,
                markup=False,
            )
        self.problem = problem

    @on(SnapshotRejected)
    def report_rejection(self, message: SnapshotRejected) -> None:
        self.notify(
            message.reason,
            title=f"Kept the last good plan: {message.source} was not usable",
            severity="error",
            timeout=10,
            markup=False,
        )

    @work(thread=True, exclusive=True, group="reload", exit_on_error=False)
    def action_reload(self) -> None:
        try:
            plan = self.reader(self.source)
        except PlanError as error:
            self.post_message(SnapshotRejected(self.source, str(error)))
            return
        current = self.snapshot
        if current is not None and plan == current.plan:
            # Nothing changed: keep the snapshot, so no widget repaints.
            self.call_from_thread(
                self.notify, "The plan has not changed.", title="Reloaded", markup=False
            )
            return
        self.post_message(
            SnapshotReceived(Snapshot(plan, self.source, clocks.wall_now(), clocks.monotonic()))
        )

    # --- navigation -----------------------------------------------------------------------

    def action_show(self, mode: str) -> None:
        if mode != self.current_mode:
            self.switch_mode(mode)

    def _rotate_kiosk(self) -> None:
        self._kiosk_position = (self._kiosk_position + 1) % len(KIOSK_ROTATION)
        self.action_show(KIOSK_ROTATION[self._kiosk_position])

    def action_toggle_utc(self) -> None:
        utc = self.zone.key != "UTC"
        if self.snapshot is not None and not utc:
            self.zone = self.snapshot.plan.header.zone
        else:
            self.zone = ZoneInfo("UTC")

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_since(self) -> None:
        """What changed since the last look; closing it makes this moment the last look."""
        from .screens.since import SinceScreen  # imported when first asked for (start-up)

        if isinstance(self.screen, SinceScreen):
            self.screen.dismiss()  # the opening key closes it, whatever key it is mapped to
            return
        snapshot, looked = self.snapshot, self.last_looked
        if snapshot is None or looked is None:
            return
        now = self.now
        summary = changes_since(looked, snapshot.plan, now)

        def looked_now(_: None) -> None:
            self.last_looked = Look.of(snapshot.plan, now)

        self.push_screen(SinceScreen(summary, self.zone), looked_now)

    async def action_quit(self) -> None:
        if self.options.kiosk:
            return  # a wall display is not quit by a stray key; see --kiosk-exit-key
        self.exit()

    async def action_kiosk_exit(self) -> None:
        self.exit()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.options.kiosk and action in ("reload", "help", "toggle_utc", "show", "since"):
            return False  # read-only and hands-off: the rotation drives the screens
        return not (action == "show" and parameters and parameters[0] not in self.MODES)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for binding in self.BINDINGS:
            if isinstance(binding, Binding) and binding.action.startswith("show("):
                mode = binding.action[6:-2]
                yield SystemCommand(
                    f"Show {binding.description}",
                    f"Switch to the {binding.description} screen (key {binding.key})",
                    lambda mode=mode: self.action_show(mode),
                )
        yield SystemCommand(
            "Reload plan", "Read the plan again from its source", self.action_reload
        )
        yield SystemCommand(
            "Toggle UTC", "Show times in UTC or the plan's zone", self.action_toggle_utc
        )
        yield SystemCommand(
            "What changed",
            "Since you last looked: tasks finished, started, late, blocked; blockers; decisions",
            self.action_since,
        )
