"""The wheel ships the sample plans, themes and stylesheet, found with importlib.resources."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(ROOT)],
        check=True,
    )  # fmt: skip
    return next(out.glob("cutover_tui-*.whl"))


def test_wheel_holds_package_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "cutover_tui/sample_plans/gp-practice-migration.toml",
        "cutover_tui/sample_plans/agency-go-live.toml",
        "cutover_tui/themes/wall-amber.toml",
        "cutover_tui/app.tcss",
        "cutover_tui/py.typed",
    ):
        assert expected in names


def test_installed_wheel_finds_its_sample_plans(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "venv"
    venv.create(target, with_pip=True)
    python = target / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
    )
    script = (
        "from importlib.resources import files; "
        "print(sorted(p.name for p in (files('cutover_tui') / 'sample_plans').iterdir()))"
    )
    listed = subprocess.run(
        [str(python), "-I", "-c", script], check=True, capture_output=True, text=True, cwd=tmp_path
    ).stdout
    assert "gp-practice-migration.toml" in listed
    assert "agency-go-live.toml" in listed
