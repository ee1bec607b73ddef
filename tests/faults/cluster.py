"""A throwaway PostgreSQL cluster to restart and kill at will: the shared test server is
never touched, since other tests use it at the same time.

It lives in a temporary folder (data, socket, log), listens on 127.0.0.1 on a free port, and
runs as the ``postgres`` system user when the tests run as root (PostgreSQL refuses root).
"""

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import URL, create_engine, text
from sqlalchemy.engine import make_url

SERVER_USER = "postgres"


class ClusterUnavailable(Exception):
    """No PostgreSQL binaries, or a cluster that would not start: the reason says which."""


class Cluster:
    def __init__(self, root: Path, port: int, bin_dir: Path) -> None:
        self.root, self.port, self._bin = root, port, bin_dir
        self.data = root / "data"

    @classmethod
    def start(cls) -> "Cluster":
        bin_dir = _bin_dir()
        root = Path(tempfile.mkdtemp(prefix="regul-pg-"))
        cluster = cls(root, _free_port(), bin_dir)
        try:
            if os.geteuid() == 0:
                shutil.chown(root, SERVER_USER)
            cluster._run("initdb", "-D", str(cluster.data), "-A", "trust", "-U", "postgres")
            cluster._pg_ctl("start")
        except (OSError, subprocess.CalledProcessError, LookupError) as exc:
            cluster.remove()
            detail = getattr(exc, "stderr", None) or str(exc)
            raise ClusterUnavailable(f"cluster PostgreSQL jetable impossible : {detail}") from exc
        return cluster

    def url(self, database: str = "postgres") -> URL:
        return make_url(f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}")

    def new_database(self, name: str) -> URL:
        """An empty database of its own for one scenario."""
        admin = create_engine(self.url(), isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        finally:
            admin.dispose()
        return self.url(name)

    def restart(self, mode: str = "fast") -> float:
        """Stop the server (``fast``: connections are cut, ``immediate``: as a crash, recovered
        from the WAL at start) and start it again; returns when it accepts connections again
        (``time.monotonic()``)."""
        self._pg_ctl("restart", "-m", mode)
        return time.monotonic()

    def stop(self, mode: str = "fast") -> None:
        self._pg_ctl("stop", "-m", mode)

    def resume(self) -> float:
        """Start the stopped server; returns when it accepts connections (monotonic time)."""
        self._pg_ctl("start")
        return time.monotonic()

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.CalledProcessError):
                self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    def _pg_ctl(self, action: str, *options: str) -> None:
        settings = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=on"
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-w", "-t", "60",
            "-o", settings, action, *options,
        )  # fmt: skip

    def _run(self, program: str, *args: str) -> None:
        command = [str(self._bin / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", SERVER_USER, "--", *command]
        subprocess.run(command, check=True, capture_output=True, text=True, cwd=self.root)


def _bin_dir() -> Path:
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name)
    )
    if found:
        return found[-1].parent
    on_path = shutil.which("pg_ctl")
    if on_path is None:
        raise LookupError("ni /usr/lib/postgresql/*/bin/pg_ctl ni pg_ctl dans le PATH")
    return Path(on_path).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """A PostgreSQL cluster of the test session's own. Under CI=true a cluster that cannot be
    started fails the test: a green CI must mean the restart was tested."""
    try:
        cluster = Cluster.start()
    except ClusterUnavailable as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(str(exc))
        pytest.skip(str(exc))
    try:
        yield cluster
    finally:
        cluster.remove()
