"""Themes: the project's own in Python, user themes as TOML files.

Colours in the app's CSS are theme variables (``$status-late``), so a theme can restyle every
state. Colour is never the only signal: every state also carries a word or a symbol.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator
from textual.color import Color, ColorParseError
from textual.theme import Theme

from .bundled import bundled_dir

if TYPE_CHECKING:
    from textual.app import App

DEFAULT_THEME = "command-centre"

VARIABLE_ROLES = {
    "status-done": "success",
    "status-in-progress": "accent",
    "status-late": "warning",
    "status-blocked": "error",
    "status-failed": "error",
    "severity-critical": "error",
    "severity-high": "warning",
    "severity-medium": "accent",
    "severity-low": "foreground-muted",
    "countdown-warning": "warning",
    "countdown-breached": "error",
    "sync-live": "success",
    "sync-stale": "warning",
    "sync-failed": "error",
    "simulated": "accent",
}
"""The app's own theme variables, each defaulting to a base colour of the current theme."""


def variable_defaults(app: App[Any]) -> dict[str, str]:
    """Values for the app's variables that the current theme does not set itself."""
    base = app.current_theme.to_color_system().generate()
    return {name: base[role] for name, role in VARIABLE_ROLES.items()}


BUILTIN_THEMES = (
    Theme(
        name="command-centre",
        primary="#4EA1FF",
        secondary="#7AA2C8",
        accent="#D98CFF",
        warning="#FFB000",
        error="#FF4F4F",
        success="#3DDC84",
        foreground="#E8EEF4",
        background="#0B1118",
        surface="#131C26",
        panel="#1B2836",
        dark=True,
    ),
    Theme(
        name="command-centre-light",
        primary="#0B5CAD",
        secondary="#335C85",
        accent="#8A2BB3",
        warning="#A35F00",
        error="#C4141B",
        success="#117A3E",
        foreground="#10161C",
        background="#F7F9FB",
        surface="#ECF0F4",
        panel="#DDE4EB",
        dark=False,
    ),
)


class ThemeFile(BaseModel):
    """A user theme: the same fields as Textual's `Theme`, colours checked on load."""

    model_config = ConfigDict(extra="forbid")

    name: str
    primary: str
    secondary: str | None = None
    warning: str | None = None
    error: str | None = None
    success: str | None = None
    accent: str | None = None
    foreground: str | None = None
    background: str | None = None
    surface: str | None = None
    panel: str | None = None
    dark: bool = True
    variables: dict[str, str] = {}

    @field_validator(
        "primary", "secondary", "warning", "error", "success", "accent",
        "foreground", "background", "surface", "panel",
    )  # fmt: skip
    @classmethod
    def _colour(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                Color.parse(value)
            except ColorParseError:
                raise ValueError(f"{value!r} is not a colour") from None
        return value

    def to_theme(self) -> Theme:
        return Theme(**self.model_dump())


@dataclass
class ThemeLoadResult:
    loaded: list[Theme] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    """One readable line per file that could not be used."""


def user_theme_dirs() -> list[Path]:
    """Where themes are looked for: the shipped ``themes/`` and the user's config folder."""
    return [
        bundled_dir("themes"),
        platformdirs.user_config_path("cutover-tui", appauthor=False) / "themes",
    ]


def load_theme_files(folders: list[Path]) -> ThemeLoadResult:
    result = ThemeLoadResult()
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                result.loaded.append(ThemeFile(**tomllib.loads(path.read_text())).to_theme())
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
                result.failed.append(f"{path.name}: {error}")
            except ValidationError as error:
                first = error.errors()[0]
                where = ".".join(str(part) for part in first["loc"])
                result.failed.append(f"{path.name}: {where}: {first['msg']}")
    return result


def register_themes(app: App[Any]) -> ThemeLoadResult:
    """Register the project's themes and every readable theme file; report the others."""
    for theme in BUILTIN_THEMES:
        app.register_theme(theme)
    result = load_theme_files(user_theme_dirs())
    for theme in result.loaded:
        app.register_theme(theme)
    return result
