"""The Windows bundle, built here as on a Windows build machine: PyInstaller's one-folder build
of both programs, then the bundled ``regul`` run as a user would (``--version``, a small demo
day imported and planned, the console's picture off screen). Takes two to three minutes on
two cores; ``-m "not bundle"`` leaves it out of a quick run."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from regul import __version__

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.bundle
def test_the_bundle_builds_and_its_programs_run(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    result = subprocess.run(
        [sys.executable, str(ROOT / "installer" / "build.py"), "--verify", "--skip-setup",
         "--dist", str(dist), "--report", str(tmp_path / "build.json")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    assert f"regul {__version__}" in output
    bundle = dist / "Regul"
    for program in ("regul", "regul-gui"):
        assert (bundle / (program + (".exe" if sys.platform == "win32" else ""))).is_file()
    assert (bundle / "THIRD-PARTY-LICENSES.txt").is_file()
    assert (bundle / "_internal" / "models" / "migrations" / "env.py").is_file()
    figures = json.loads((tmp_path / "build.json").read_text(encoding="utf-8"))
    assert {"pyinstaller", "contents", "verify --version", "verify demo"} <= set(figures["steps_s"])
    assert {"verify regul-gui", "verify gui --screenshot"} <= set(figures["steps_s"])
