"""Régul application shell: command line and wiring between the domain packages."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("regul")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
