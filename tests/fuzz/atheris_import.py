"""Coverage-guided fuzzing of the importer's readers with atheris, run by hand.

atheris (libFuzzer for Python) installs from a wheel without compiling, but a fuzzing run is
minutes to hours, so it is no test: CI runs the hypothesis form (tests/test_import_fuzz.py),
which also imports each file into a base. Here libFuzzer mutates real files, guided by the
branches they reach in :mod:`importers.readers` and openpyxl, and stops at the first input
that raises anything but :class:`UnusableFileError` (a crash, saved as ``crash-<sha1>``) or
takes longer than ``-timeout`` seconds (a hang, saved as ``timeout-<sha1>``)::

    pip install --target /tmp/atheris atheris
    PYTHONPATH=/tmp/atheris .venv/bin/python -m tests.fuzz.atheris_import \\
        -max_total_time=600 -timeout=60 -rss_limit_mb=4096 /tmp/corpus-import

The corpus folder is seeded with the files of :mod:`tests.fuzz.hostile_files` when empty.
An input's first byte says how to name it (even: .xlsx, odd: .csv); the rest is the file.
"""

import sys
import tempfile
from pathlib import Path

import atheris  # type: ignore[import-not-found]

with atheris.instrument_imports():
    import openpyxl  # noqa: F401 - instrumented for coverage, used through the readers

    from importers.columns import TableKind, header_score
    from importers.errors import UnusableFileError
    from importers.readers import read_table

from tests.fuzz.hostile_files import seeds

_FOLDER = Path(tempfile.mkdtemp(prefix="regul-atheris-"))


def one_input(data: bytes) -> None:
    if not data:
        return
    path = _FOLDER / ("entree.csv" if data[0] % 2 else "entree.xlsx")
    path.write_bytes(data[1:])
    try:
        read_table(path, lambda headers: header_score(headers, TableKind.REQUESTS))
    except UnusableFileError as exc:
        if path.name not in str(exc):
            raise AssertionError(f"the message does not name the file: {exc}") from exc


def _seed(corpus: Path) -> None:
    corpus.mkdir(parents=True, exist_ok=True)
    if any(corpus.iterdir()):
        return
    for seed in seeds(Path(tempfile.mkdtemp(prefix="regul-graines-"))):
        prefix = b"\x01" if seed.suffix == ".csv" else b"\x00"
        (corpus / seed.name).write_bytes(prefix + seed.data)


def main() -> None:
    folders = [Path(a) for a in sys.argv[1:] if not a.startswith("-")]
    for corpus in folders[:1]:
        _seed(corpus)
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
