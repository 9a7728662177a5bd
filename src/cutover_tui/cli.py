"""The `cutover-tui` command line.

Exit codes are part of the interface: 0 ok, 2 bad input (an invalid plan, a bad option, a missing
file), 1 an unexpected failure, reported in one line on stderr (the traceback only with --debug).
Commands report bad input by raising `PlanError` or `BadInput`; anything else that escapes a
command is unexpected.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import functools
import json
import os
import re
import sys
import tempfile
import traceback
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal, NoReturn

import click

from . import __version__, insight, model
from .clock import Clock, make_clock, parse_instant
from .model import Format, Plan, PlanError, Problem
from .model.load import MAX_BYTES, problems_of
from .model.times import parse_zone
from .starter import render_starter
from .status_text import status_lines

if TYPE_CHECKING:
    from .app import DashboardOptions
    from .sync.http_settings import HttpSettings

EXIT_OK = 0
EXIT_UNEXPECTED = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130
MAX_PROBLEMS_SHOWN = 200
"""Problems listed per file; the rest are counted."""
STDIN = "-"
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

SourceKind = Literal["file", "stdin", "http"]


# --- errors ---------------------------------------------------------------------------------------


class BadInput(click.ClickException):
    """Input a command cannot use: its lines go to stderr and the exit code is 2."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, *lines: str) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines

    @classmethod
    def of(cls, error: PlanError) -> BadInput:
        return cls(*problem_lines(error.problems))

    def show(self, file: IO[Any] | None = None) -> None:
        for line in self.lines:
            click.echo(line, file=file, err=file is None)


class UnexpectedError(click.ClickException):
    """A failure that is not the user's input: one line, or a traceback too with --debug."""

    exit_code = EXIT_UNEXPECTED

    def __init__(self, error: BaseException, *, debug: bool) -> None:
        reason = " ".join(str(error).split())[:300]
        super().__init__(f"{type(error).__name__}: {reason}" if reason else type(error).__name__)
        self.error = error
        self.debug = debug

    def show(self, file: IO[Any] | None = None) -> None:
        stream = file or sys.stderr
        if self.debug:
            traceback.print_exception(self.error, file=stream)
        hint = "" if self.debug else " (run with --debug for details)"
        click.echo(f"cutover-tui: unexpected error: {self.message}{hint}", file=stream)


# --- the group ------------------------------------------------------------------------------------


class CutoverGroup(click.Group):
    """A group that can fall back to a default command, and owns the exit-code policy.

    With `default_command` set, ``cutover-tui ARGS`` runs ``cutover-tui DEFAULT ARGS`` when ARGS
    (after the group's own options) does not start with a command name.
    """

    default_command: str | None = None

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, self._with_default_command(ctx, args))

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = self.default_command
        if name is not None and args and self.get_command(ctx, args[0]) is None:
            args = [name, *args]
        return super().resolve_command(ctx, args)

    def _with_default_command(self, ctx: click.Context, args: list[str]) -> list[str]:
        """`args` with the default command's name inserted after the group's own options."""
        name = self.default_command
        if name is None or self.get_command(ctx, name) is None:
            return args
        takes_value: dict[str, bool] = {}
        for param in self.get_params(ctx):
            if isinstance(param, click.Option):
                for flag in (*param.opts, *param.secondary_opts):
                    takes_value[flag] = not (param.is_flag or param.count)
        position = 0
        while position < len(args) and args[position] in takes_value:
            position += 2 if takes_value[args[position]] else 1
        if position >= len(args) or self.get_command(ctx, args[position]) is not None:
            return args
        return [*args[:position], name, *args[position:]]

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PlanError as error:
            raise BadInput.of(error) from error
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except OSError as error:
            if error.errno == errno.EPIPE:
                raise  # the reader went away (`cutover-tui schema | head`): click exits quietly
            raise UnexpectedError(error, debug=bool(ctx.params.get("debug"))) from error
        except Exception as error:
            raise UnexpectedError(error, debug=bool(ctx.params.get("debug"))) from error

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the command line; exit (or return, with ``standalone_mode=False``) its exit code."""
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            code = result if isinstance(result, int) else EXIT_OK
        except click.ClickException as error:  # UsageError and BadParameter exit 2
            error.show()
            code = error.exit_code
        except click.Abort:  # Ctrl-C: click has already ended the line on stderr
            code = EXIT_INTERRUPTED
        if standalone_mode:
            sys.exit(code)
        return code


@click.group(
    cls=CutoverGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(
    __version__, "--version", prog_name="cutover-tui", message="%(prog)s %(version)s"
)
@click.option(
    "--debug",
    is_flag=True,
    envvar="CUTOVER_TUI_DEBUG",
    help="Show the traceback of an unexpected error.",
)
def cli(debug: bool) -> None:
    """A terminal dashboard for live system-cutover monitoring.

    SOURCE is a plan file (.toml or .json; other names are sniffed), '-' for standard input, or
    an http(s) URL (a bearer token comes from CUTOVER_TUI_TOKEN or --token-file).
    Exit codes: 0 ok, 2 bad input, 1 unexpected failure.
    """


cli.default_command = "dashboard"


def main(args: Sequence[str] | None = None) -> NoReturn:
    """The console script's entry point."""
    cli.main(args=args, prog_name="cutover-tui")
    raise AssertionError("unreachable: main exits")  # pragma: no cover


# --- reading and writing --------------------------------------------------------------------------


def source_kind(source: str) -> SourceKind:
    """What SOURCE names: a file, standard input (``-``), or an HTTP(S) URL."""
    if source == STDIN:
        return "stdin"
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*)://", source)
    if scheme and scheme.group(1).lower() in ("http", "https"):
        return "http"
    return "file"


def read_plan(source: str, http: HttpSettings | None = None) -> Plan:
    """The plan SOURCE names, validated; `PlanError` (naming SOURCE as given) if unusable.

    An http(s) URL is fetched once with `http` (by default: no CA file, the token from
    CUTOVER_TUI_TOKEN).
    """
    kind = source_kind(source)
    if kind == "http":
        from .sync.http_source import fetch_plan

        return fetch_plan(source, http or http_settings())
    if kind == "stdin":
        return model.load_bytes(sys.stdin.buffer.read(MAX_BYTES + 1), source_name(source))
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*)://", source)
    if scheme:
        raise PlanError.single(source, f"'{scheme.group(1)}' URLs are not supported")
    data = model.read_path(source, source)
    return model.load_bytes(data, source, model.format_for(source, data))


def _read(source: str, http: HttpSettings | None) -> Plan:
    """`read_plan`, with the HTTP settings for a URL."""
    if http is not None and source_kind(source) == "http":
        return read_plan(source, http)
    return read_plan(source)


def source_name(source: str) -> str:
    """SOURCE as messages name it."""
    return "<stdin>" if source == STDIN else source


def http_settings(
    token_file: Path | None = None, ca_file: Path | None = None, poll: float | None = None
) -> HttpSettings:
    """How to reach http(s) sources: the token (--token-file, else CUTOVER_TUI_TOKEN), the CA.

    A token file others can read, a missing or empty one, is bad input (exit 2).
    """
    from .sync.auth import load_token
    from .sync.http_settings import DEFAULT_POLL, HttpSettings

    try:
        token = load_token(os.environ, token_file)
        return HttpSettings(token=token, ca_file=ca_file, poll=poll or DEFAULT_POLL)
    except ValueError as error:  # TokenError, or a setting out of range
        raise BadInput(str(error)) from None


def _http_options(func: Any) -> Any:
    """--token-file and --ca-file, for commands that read a SOURCE (never a token in argv)."""
    options = [
        click.option(
            "--token-file",
            type=click.Path(dir_okay=False, path_type=Path),
            metavar="PATH",
            help="Read the bearer token for an http(s) SOURCE from PATH (chmod 600); "
            "otherwise CUTOVER_TUI_TOKEN is used.",
        ),
        click.option(
            "--ca-file",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            metavar="PATH",
            help="Trust the CA certificates in PATH (PEM) for an https SOURCE.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` whole or not at all: a temp file in its folder, then a rename."""
    folder = path.parent
    if not folder.is_dir():
        raise BadInput(f"{path}: the folder {folder} does not exist")
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    try:
        handle, temp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise BadInput(f"{path}: cannot be written: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp_name, mode)
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise


def refuse_overwrite(path: Path, force: bool) -> None:
    if path.is_dir():
        raise BadInput(f"{path}: is a folder")
    if path.exists() and not force:
        raise BadInput(f"{path}: already exists; use --force to replace it")


def problem_lines(
    problems: Sequence[Problem], *, label: str = "", limit: int = MAX_PROBLEMS_SHOWN
) -> list[str]:
    """``FILE: path: [label: ]message`` lines, at most `limit`, then how many more there are."""
    lines = []
    for problem in problems[:limit]:
        message = f"{label}: {problem.message}" if label else problem.message
        lines.append(str(Problem(problem.source, problem.path, message)))
    if len(problems) > limit:
        lines.append(f"{problems[0].source}: … and {len(problems) - limit} more")
    return lines


def plan_warnings(plan: Plan, source: str) -> list[Problem]:
    """The plan's warnings (allowed, but worth knowing), located like errors."""
    return problems_of(model.warnings(plan), model.to_data(plan), source)


def _parse_now(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime | None:
    """`--now` as an instant (ISO 8601; without an offset it is UTC)."""
    if value is None:
        return None
    try:
        return parse_instant(value)
    except ValueError as error:
        raise click.BadParameter(str(error).removeprefix("--now: ")) from None


NOW_OPTION = click.option(
    "--now",
    metavar="ISO-8601",
    callback=_parse_now,
    help="Pretend it is this instant (ISO 8601, e.g. 2026-12-04T15:00:00Z; no offset means UTC).",
)


def _now(fixed: datetime | None) -> datetime:
    return make_clock(fixed).now()


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


# --- dashboard ------------------------------------------------------------------------------------


def _dashboard_options(func: Any) -> Any:
    """Options shared by the dashboard and the demo."""
    options = [
        click.option(
            "--speed",
            type=click.FloatRange(min=0, min_open=True),
            help="Run the clock N times faster (rehearsals); starts at --now or the real time.",
        ),
        click.option("--theme", metavar="NAME", help="Colour theme (also in the command palette)."),
        click.option(
            "--kiosk",
            "kiosk_seconds",
            type=click.FloatRange(min=2),
            is_flag=False,
            flag_value=20.0,
            default=None,
            metavar="[SECONDS]",
            help="Wall display: read-only, no footer, screens rotate every SECONDS (20).",
        ),
        click.option(
            "--kiosk-exit-key",
            metavar="KEY",
            help="The one key that quits a kiosk (e.g. ctrl+x); without it a kiosk cannot be quit.",
        ),
        click.option("--utc", is_flag=True, help="Show every time in UTC."),
        click.option("--live", is_flag=True, help="Hide rehearsal-only tasks."),
        NOW_OPTION,
    ]
    for option in reversed(options):
        func = option(func)
    return func


@cli.command()
@click.argument("source")
@_dashboard_options
@click.option(
    "--poll",
    type=click.FloatRange(min=0.1),
    metavar="SECONDS",
    help="Check the file every SECONDS instead of waiting for change events (network shares); "
    "for a URL, ask every SECONDS (default 2) when the server pushes no events.",
)
@_http_options
def dashboard(
    source: str,
    poll: float | None,
    token_file: Path | None,
    ca_file: Path | None,
    **settings: Any,
) -> int:
    """The live dashboard (the default command: `cutover-tui SOURCE` runs it).

    A plan file or URL is followed live: every good change shows at once; a source that goes
    missing or stops parsing keeps the last good plan on screen, marked in the header.
    """
    kind = source_kind(source)
    http = None
    if token_file or ca_file or kind == "http":
        http = http_settings(token_file, ca_file, poll)
    reader = functools.partial(_read, http=http)
    from .sync.file_source import file_signature

    # Taken before the read: should the file change meanwhile, following reads it again.
    signature = file_signature(Path(source)) if kind == "file" else None
    plan = reader(source)  # a bad plan exits 2 here, before the screen is taken over
    from .app import CutoverApp, UnknownTheme

    clock, options = _dashboard_settings(**settings)
    options = dataclasses.replace(options, follow=kind in ("file", "http"), poll=poll)
    if http is not None:
        options = dataclasses.replace(options, http=http)
    try:
        app = CutoverApp(source, reader, clock, options, initial=plan, initial_signature=signature)
    except UnknownTheme as error:
        raise BadInput(str(error)) from None
    app.run()
    return app.return_code or EXIT_OK


@cli.command()
@_dashboard_options
@click.option("--keep", is_flag=True, help="Keep the demo's state file when it ends.")
def demo(keep: bool, **settings: Any) -> int:
    """The dashboard on the bundled GP-practice plan, shifted so final data production is ten
    minutes away, with a simulator moving the cutover on. No network; writes only to a temp
    folder. --speed 10 runs it ten times faster.
    """
    from .app import UnknownTheme
    from .demo import run_demo

    now, speed = settings.pop("now"), settings.pop("speed")
    _, options = _dashboard_settings(now=None, speed=None, **settings)
    try:
        return run_demo(speed=speed, now=now, options=options, keep=keep)
    except UnknownTheme as error:
        raise BadInput(str(error)) from None


def _dashboard_settings(
    now: datetime | None,
    speed: float | None,
    theme: str | None,
    kiosk_seconds: float | None,
    kiosk_exit_key: str | None,
    utc: bool,
    live: bool,
) -> tuple[Clock, DashboardOptions]:
    from .app import DashboardOptions

    options = DashboardOptions(
        kiosk_seconds=kiosk_seconds, kiosk_exit_key=kiosk_exit_key, utc=utc, live=live, theme=theme
    )
    return make_clock(now, speed), options


# --- validate -------------------------------------------------------------------------------------


@cli.command()
@click.argument("sources", metavar="SOURCE...", nargs=-1, required=True)
@click.option("--quiet", "-q", is_flag=True, help="Print only errors (and failing warnings).")
@click.option("--strict", is_flag=True, help="Fail (exit 2) on warnings too.")
@_http_options
def validate(
    sources: tuple[str, ...],
    quiet: bool,
    strict: bool,
    token_file: Path | None,
    ca_file: Path | None,
) -> None:
    """Check plan files, listing every error as FILE: field.path: message.

    Warnings (allowed, but worth fixing before the night) are listed too and fail only with
    --strict. Exit 0 when every SOURCE is valid, 2 otherwise.
    """
    failed = False
    http = None
    if token_file or ca_file or any(source_kind(source) == "http" for source in sources):
        http = http_settings(token_file, ca_file)
    for source in sources:
        name = source_name(source)
        try:
            plan = _read(source, http)
        except PlanError as error:
            failed = True
            for line in problem_lines(error.problems):
                click.echo(line)
            if not quiet and any(problem.path for problem in error.problems):
                click.echo(f"{name}: invalid — {_plural(len(error.problems), 'error')}")
            continue
        warned = plan_warnings(plan, name)
        failed = failed or (strict and bool(warned))
        if warned and (strict or not quiet):
            for line in problem_lines(warned, label="warning"):
                click.echo(line)
        if not quiet:
            verdict = "not valid with --strict" if strict and warned else "valid"
            figures = [
                _plural(len(plan.tasks), "task"),
                _plural(len(plan.blockers), "blocker"),
                _plural(len(plan.checkpoints), "checkpoint"),
                _plural(len(warned), "warning"),
            ]
            click.echo(f"{name}: {verdict} — {', '.join(figures)}")
    if failed:
        click.get_current_context().exit(EXIT_BAD_INPUT)


# --- status ---------------------------------------------------------------------------------------


@cli.command()
@click.argument("source")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON (times in UTC).")
@NOW_OPTION
@click.option("--utc", is_flag=True, help="Show times in UTC instead of the plan's time zone.")
@_http_options
def status(
    source: str,
    as_json: bool,
    now: datetime | None,
    utc: bool,
    token_file: Path | None,
    ca_file: Path | None,
) -> None:
    """Where the cutover stands: countdown, phase, SLA, late tasks, blockers, next checkpoint.

    --json prints the report scripts and bots rely on (keys are added, never renamed).
    """
    http = None
    if token_file or ca_file or source_kind(source) == "http":
        http = http_settings(token_file, ca_file)
    plan = _read(source, http)
    report = insight.summary(plan, _now(now))
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
        return
    zone = parse_zone("UTC") if utc else plan.header.zone
    click.echo("\n".join(status_lines(plan, report, zone)))


# --- convert --------------------------------------------------------------------------------------


@cli.command()
@click.argument("source", metavar="IN")
@click.argument("target", metavar="OUT")
@click.option("--to", "fmt", type=click.Choice(["toml", "json"]), help="Format of OUT.")
@click.option("--force", is_flag=True, help="Replace OUT if it exists.")
def convert(source: str, target: str, fmt: Format | None, force: bool) -> None:
    """Convert a plan between TOML and JSON.

    The format of OUT comes from its extension, or from --to (required when OUT is '-', standard
    output). IN is validated first; OUT is replaced atomically, and only with --force.
    """
    if fmt is None:
        if target == STDIN:
            raise click.UsageError("writing to standard output (OUT '-') needs --to toml or json")
        if not target.lower().endswith((".toml", ".json")):
            raise click.UsageError(f"cannot tell the format of {target!r}: add --to toml or json")
        fmt = model.format_for(target)
    plan = read_plan(source)
    out = None if target == STDIN else Path(target)
    if out is not None:
        if source_kind(source) == "file" and _same_file(Path(source), out):
            raise BadInput(f"{target}: is the input file; write the conversion somewhere else")
        refuse_overwrite(out, force)
    text = _dumped(plan, fmt, source)
    if out is None:
        click.echo(text, nl=False)
        return
    write_atomic(out, text)
    click.echo(f"{source} → {target} ({fmt.upper()})")


def _dumped(plan: Plan, fmt: Format, source: str) -> str:
    """`plan` as `fmt`, proven to read back to the same plan."""
    try:
        text = model.dump(plan, fmt)
    except PlanError as error:  # data TOML cannot hold, such as a null in an `extra` table
        raise BadInput(
            *(f"{source}: cannot be written as {fmt.upper()}: {p}" for p in error.problems)
        ) from None
    if model.load_bytes(text.encode("utf-8"), f"{source} as {fmt}", fmt) != plan:
        raise RuntimeError(f"the {fmt.upper()} written would not read back as the same plan")
    return text


def _same_file(first: Path, second: Path) -> bool:
    try:
        return os.path.samefile(first, second)
    except OSError:
        return first.resolve() == second.resolve()


# --- schema ---------------------------------------------------------------------------------------


def schema_document() -> dict[str, Any]:
    """The JSON Schema of the plan document."""
    body = Plan.model_json_schema(by_alias=True)
    body.pop("title", None)
    title = f"cutover-tui plan document (schema_version {model.SCHEMA_VERSION})"
    return {"$schema": SCHEMA_DIALECT, "title": title, **body}


@cli.command()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the schema to this file (replacing it) instead of standard output.",
)
def schema(out: Path | None) -> None:
    """Print the JSON Schema of the plan document."""
    text = json.dumps(schema_document(), indent=2, ensure_ascii=False) + "\n"
    if out is None:
        click.echo(text, nl=False)
    else:
        write_atomic(out, text)
        click.echo(f"wrote {out}", err=True)


# --- init -----------------------------------------------------------------------------------------


@cli.command()
@click.argument("path", default="cutover-plan.toml")
@click.option(
    "--timezone",
    "zone_name",
    metavar="ZONE",
    default="Europe/London",
    show_default=True,
    help="IANA time zone of the plan.",
)
@NOW_OPTION
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
def init(path: str, zone_name: str, now: datetime | None, force: bool) -> None:
    """Write a commented starter plan to PATH (default cutover-plan.toml; '-' for stdout).

    Final data production is a Friday 17:00 at least a week from now, in the plan's time zone.
    """
    try:
        parse_zone(zone_name)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="'--timezone'") from None
    target = None if path == STDIN else Path(path)
    if target is not None:
        refuse_overwrite(target, force)
    name = "cutover-plan.toml" if target is None else target.name
    text = render_starter(_now(now), zone_name, name)
    plan = model.load_bytes(text.encode("utf-8"), "starter plan", "toml")
    if model.warnings(plan):  # the starter teaches by example: it must be spotless
        raise RuntimeError("the starter plan has warnings: " + "; ".join(_finding_texts(plan)))
    if target is None:
        click.echo(text, nl=False)
        return
    write_atomic(target, text)
    click.echo(
        f"wrote {path}: a starter plan ({zone_name}); check it with: cutover-tui validate {path}"
    )


def _finding_texts(plan: Plan) -> Iterable[str]:
    return (str(problem) for problem in plan_warnings(plan, "starter plan"))
