"""Code-level checks run with the tests, so one command proves the whole tree."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DOMAIN_PACKAGES = ("models", "planning", "importers", "maps", "regul")

pytestmark = pytest.mark.static


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_is_clean() -> None:
    """ruff finds nothing to report in the repository."""
    result = _run(str(BIN / "ruff"), "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_applied() -> None:
    """Every file is formatted as ruff formats it."""
    result = _run(str(BIN / "ruff"), "format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_domain_packages_type_check() -> None:
    """mypy --strict passes on models, planning, importers and the CLI."""
    result = _run(str(BIN / "mypy"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_contracts_hold() -> None:
    """import-linter: no Qt in the domain, no SQL in the planner."""
    result = _run(str(BIN / "lint-imports"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_domain_and_cli_run_without_qt(tmp_path: Path) -> None:
    """With PySide6 made unimportable, every domain module imports and the demo runs headless."""
    script = textwrap.dedent(
        f"""
        import importlib, pkgutil, sys

        class NoQt:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in ("PySide6", "shiboken6"):
                    raise ImportError("Qt is not available in this check")
                return None

        sys.meta_path.insert(0, NoQt())
        for package in {DOMAIN_PACKAGES!r}:
            module = importlib.import_module(package)
            for info in pkgutil.walk_packages(module.__path__, package + "."):
                if ".migrations" not in info.name and not info.name.endswith(".__main__"):
                    importlib.import_module(info.name)
        from regul.cli import main
        sys.exit(main(["demo", "--headless", "--requests", "12", "--time-limit", "1",
                       "--db", "sqlite:///{tmp_path}/noqt.sqlite"]))
        """
    )
    result = _run(sys.executable, "-c", script)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "demandes       : 12" in result.stdout
