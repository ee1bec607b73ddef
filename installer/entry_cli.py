"""Frozen entry point of ``regul`` (regul.exe): the command line, in a terminal."""

import multiprocessing
import sys

from regul.launcher import main_cli

if __name__ == "__main__":
    # A worker process of the benchmarks' process pool re-enters here: let it do its work.
    multiprocessing.freeze_support()
    sys.exit(main_cli())
