"""Faults of a local SQLite file, made as they happen on a desk: another program holding the
write lock, a file or folder that cannot be written, a full disk, a file from a newer Régul.

Read-only and full are made with real mounts (a read-only bind mount, a tiny tmpfs), since
root, which the CI runs as, ignores file permissions; without the right to mount they cannot
be made faithfully and :class:`MountUnavailable` says why.
"""

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

_HOLDER = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN EXCLUSIVE")
print("held", flush=True)
time.sleep(600)
"""


class MountUnavailable(Exception):
    """This process may not mount file systems (not root, or no CAP_SYS_ADMIN)."""


@contextlib.contextmanager
def write_lock_held(path: Path) -> Iterator[None]:
    """Another process holds ``path``'s exclusive lock (as a stuck desk or a backup tool
    would) until the block ends."""
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None
        if holder.stdout.readline().strip() != "held":
            raise RuntimeError(f"le verrou sur {path} n'a pas pu être pris")
        yield
    finally:
        holder.kill()
        holder.wait()


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """``path`` (a file or a folder) cannot be written, even by root, until the block ends."""
    _mount("--bind", str(path), str(path))
    try:
        _mount("-o", "remount,bind,ro", str(path))
        yield
    finally:
        _umount(path)


@contextlib.contextmanager
def small_disk(size_kb: int) -> Iterator[Path]:
    """A folder on a file system of ``size_kb`` KiB of its own, removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="regul-full-"))
    try:
        _mount("-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(folder))
        try:
            yield folder
        finally:
            _umount(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def fill(folder: Path, leave_kb: int) -> Path:
    """Fill ``folder``'s file system but ``leave_kb`` KiB; returns the filler to delete."""
    filler = folder / "remplissage"
    free = shutil.disk_usage(folder).free - leave_kb * 1024
    with filler.open("wb") as out:
        out.write(b"\0" * max(free, 0))
    return filler


def make_too_new(path: Path, revision: str = "ffffffffffff") -> None:
    """Stamp the file as migrated by a later Régul than this one."""
    with contextlib.closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (revision,))


def _mount(*args: str) -> None:
    if os.geteuid() != 0:
        raise MountUnavailable("monter un système de fichiers demande d'être root")
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise MountUnavailable(f"mount {' '.join(args)} : {done.stderr.strip()}")


def _umount(path: Path) -> None:
    subprocess.run(["umount", str(path)], check=True, capture_output=True)
