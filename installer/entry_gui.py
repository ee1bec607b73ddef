"""Frozen entry point of ``regul-gui`` (regul-gui.exe): the console, with no terminal; with
arguments, the same command line as ``regul``."""

import multiprocessing
import sys

from regul.launcher import main_gui

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main_gui())
