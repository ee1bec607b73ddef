"""The programs the Windows bundle installs: ``regul`` (the command line, in a terminal) and
``regul-gui`` (the Start-menu shortcut: no terminal, and with no argument the console itself).

Both set up what a frozen program lacks before any of Régul is imported: a writable cache for
Numba's compiled search loops, and somewhere for ``print`` to go when there is no terminal.
"""

import logging
import os
import sys

import platformdirs

from models.db import APP_NAME


def prepare_runtime() -> None:
    if getattr(sys, "frozen", False):
        # Numba caches compiled loops beside their source by default: read-only once installed.
        # It keys a frozen program's cache to its executable, so each program gets its own
        # folder; sharing one, each would compile again (≈ 12 s) what the other just wrote.
        cache = platformdirs.user_cache_dir(APP_NAME, APP_NAME)
        program = os.path.splitext(os.path.basename(sys.executable))[0]
        os.environ.setdefault("NUMBA_CACHE_DIR", os.path.join(cache, "numba", program))
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:  # a windowed program on Windows has no terminal
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115


def _start_log(argv: list[str]) -> None:
    """Log which command started (its name only: arguments may name patients' files)."""
    from regul import __version__
    from regul.logs import start_logging

    try:
        start_logging()
    except OSError:
        return  # a desk whose log folder cannot be written still works
    command = next((word for word in argv if not word.startswith("-")), "")
    if not command.isalpha():  # not a command's name: a file or an address given first
        command = "…"
    logging.getLogger("regul").info("Régul %s : « regul %s »", __version__, command)


def main_cli() -> int:
    prepare_runtime()
    from regul.cli import main

    _start_log(sys.argv[1:])
    return main()


def main_gui() -> int:
    prepare_runtime()
    from regul.cli import main

    argv = sys.argv[1:] or ["gui"]
    _start_log(argv)
    return main(argv)
