"""Refresh the console's translation catalogues after its French texts changed.

    .venv/bin/python scripts/update_translations.py

``pyside6-lupdate`` adds the new ``tr("…")`` texts of ``console/`` to each
``console/translations/regul_<lang>.ts`` (keeping the translations already made, dropping
texts no longer used); translate them with Qt Linguist (``pyside6-linguist``) or in the XML,
then run this again: ``pyside6-lrelease`` compiles each catalogue to the ``.qm`` the console
loads. A test fails while a text has no translation.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "console" / "translations"
TOOLS = Path(sys.executable).parent


def main() -> None:
    sources = sorted(str(p) for p in (ROOT / "console").glob("*.py"))
    for catalogue in sorted(FOLDER.glob("regul_*.ts")):
        subprocess.run(
            [str(TOOLS / "pyside6-lupdate"), "-no-obsolete", *sources, "-ts", str(catalogue)],
            check=True,
        )
        compiled = catalogue.with_suffix(".qm")
        subprocess.run(
            [str(TOOLS / "pyside6-lrelease"), str(catalogue), "-qm", str(compiled)], check=True
        )


if __name__ == "__main__":
    main()
