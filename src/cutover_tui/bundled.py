"""Folders shipped with the package: `sample_plans/` and `themes/`.

They live at the top of the source tree; the wheel force-includes them into the package. An
editable development install has only the top-level folders, so look in both places.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parents[2]


def bundled_dir(name: str) -> Path:
    """The shipped folder `name`: inside the installed package, else in the source checkout."""
    packaged = Path(str(files("cutover_tui") / name))
    return packaged if packaged.is_dir() else _CHECKOUT / name
