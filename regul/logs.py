"""The desk's log: what Régul did, kept in a few rotating files for support.

Lines say what happened to which database, schema or job, never whose transport it was:
patients' names, addresses and telephone numbers stay out of the log.
"""

import logging
import logging.handlers
import os
import platform
import sys
import traceback
from pathlib import Path
from types import TracebackType

import platformdirs
from sqlalchemy.exc import DBAPIError, StatementError

from models.db import APP_NAME
from models.timezone import now

LOG_FILE = "regul.log"
_MAX_BYTES = 1_000_000
_KEPT = 5  # regul.log and regul.log.1 … .5: a few days of a busy desk
_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s"


def log_folder() -> Path:
    """%LOCALAPPDATA%\\Regul\\Regul\\Logs on Windows, ~/.local/state/Regul/log on Linux."""
    return Path(platformdirs.user_log_dir(APP_NAME, APP_NAME))


def start_logging(folder: Path | None = None, level: int = logging.INFO) -> Path:
    """Send Régul's log records to the rotating file (once per process); returns its path."""
    folder = folder or log_folder()
    path = folder / LOG_FILE
    root = logging.getLogger()
    for handler in root.handlers:
        if getattr(handler, "baseFilename", None) == str(path):
            return path
    folder.mkdir(parents=True, exist_ok=True)
    if not path.exists():  # created readable by the user only, before the handler opens it
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=_MAX_BYTES, backupCount=_KEPT, encoding="utf-8", delay=True
    )
    handler.setFormatter(logging.Formatter(_FORMAT))
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    # Alembic describes its machinery at every start; models.migrate logs what changed.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    return path


def recent_lines(count: int, folder: Path | None = None) -> list[str]:
    """The last ``count`` lines of the log, oldest first (from the rotated file if needed)."""
    folder = folder or log_folder()
    lines: list[str] = []
    for name in (LOG_FILE, *(f"{LOG_FILE}.{n}" for n in range(1, _KEPT + 1))):
        path = folder / name
        if not path.is_file():
            break
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines() + lines
        if len(lines) >= count:
            break
    return lines[-count:]


# Exceptions whose messages speak of the program (types, names in the code, limits), never of
# the data it was handling; every other message is left out of a crash report, since it may
# quote a spreadsheet's cell, a patient's name or an address.
_MESSAGE_KEPT = (
    AttributeError,
    ImportError,
    MemoryError,
    NameError,
    NotImplementedError,
    RecursionError,
    TypeError,
    ZeroDivisionError,
)
_CHAIN_LIMIT = 10
_DATA_EXCEPTION = "22"  # PostgreSQL's class of errors about a value


def write_crash_report(error: BaseException, folder: Path | None = None) -> Path:
    """Write what support needs of an unexpected failure to its own file (user-only) beside the
    log; returns its path. See :func:`crash_report` for what it holds."""
    folder = folder or log_folder()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = now()
    path = folder / f"crash-{stamp:%Y%m%d-%H%M%S}-{os.getpid()}.log"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(crash_report(error))
    return path


def crash_report(error: BaseException) -> str:
    """Régul's version, the platform, and each exception of the chain: its type, its frames
    (file, line, function, the line of code) and its message only when it cannot carry data.
    A database error keeps the server's own first line and error code, which name the
    constraint or table, not the values (engines are made with ``hide_parameters``)."""
    from regul import __version__  # regul/__init__ reads the installed version

    lines = [
        f"Régul {__version__} — rapport d'erreur du {now():%d/%m/%Y %H:%M:%S}",
        f"système : {platform.platform()} ; Python {platform.python_version()}"
        + (" ; programme installé" if getattr(sys, "frozen", False) else ""),
        "Les messages qui pourraient contenir des données de patients sont omis.",
        "",
    ]
    for depth, (exception, link) in enumerate(reversed(_chain(error))):
        if depth and link:
            lines += ["", link, ""]
        lines.append("Traceback (most recent call last):")
        lines += _frames(exception.__traceback__)
        lines.append(f"{_qualified(type(exception))}: {_safe_message(exception)}")
    return "\n".join(lines) + "\n"


def _chain(error: BaseException) -> list[tuple[BaseException, str]]:
    """The exception and those it came from, most recent first, each with the words (Python's
    own) that link it to the exception it came from ("" for the first of all)."""
    found: list[tuple[BaseException, str]] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen and len(found) < _CHAIN_LIMIT:
        seen.add(id(current))
        origin: BaseException | None = None
        link = ""
        if current.__cause__ is not None:
            origin = current.__cause__
            link = "The above exception was the direct cause of the following exception:"
        elif current.__context__ is not None and not current.__suppress_context__:
            origin = current.__context__
            link = "During handling of the above exception, another exception occurred:"
        found.append((current, link))
        current = origin
    return found


def _frames(tb: TracebackType | None) -> list[str]:
    lines = []
    for frame in traceback.extract_tb(tb):
        lines.append(
            f'  File "{_short_path(frame.filename)}", line {frame.lineno}, in {frame.name}'
        )
        if frame.line:
            lines.append(f"    {frame.line.strip()}")
    return lines


def _short_path(filename: str) -> str:
    """Paths from the package folder on (site-packages/…, regul/…): the rest names the user."""
    parts = Path(filename).parts
    for anchor in ("site-packages", "lib-dynload"):
        if anchor in parts:
            return "/".join(parts[parts.index(anchor) + 1 :])
    for package in ("regul", "models", "planning", "importers", "console", "maps", "tests"):
        if package in parts:
            return "/".join(parts[len(parts) - parts[::-1].index(package) - 1 :])
    return Path(filename).name


def _qualified(kind: type[BaseException]) -> str:
    module = kind.__module__
    return kind.__qualname__ if module == "builtins" else f"{module}.{kind.__qualname__}"


def _safe_message(error: BaseException) -> str:
    if isinstance(error, DBAPIError):
        return _database_message(error)
    if isinstance(error, StatementError):
        return "(message omis)"
    if isinstance(error, OSError):
        # its file name may be a patient's spreadsheet; the error number says what happened
        return f"[Errno {error.errno}] {error.strerror}" if error.errno else "(message omis)"
    if isinstance(error, _MESSAGE_KEPT):
        return str(error)
    return f"(message omis, {len(str(error))} caractères)"


def _database_message(error: DBAPIError) -> str:
    original = error.orig
    diagnostic = getattr(original, "diag", None)
    if diagnostic is not None:  # psycopg: the primary line, never DETAIL (it quotes the row)
        sqlstate = getattr(original, "sqlstate", None) or "?"
        # a data exception's primary line quotes the value refused ("invalid input syntax for
        # type date: «…»"): its code says enough
        primary = "" if sqlstate.startswith(_DATA_EXCEPTION) else diagnostic.message_primary
        parts = [f"SQLSTATE {sqlstate}", primary or ""]
        for label, value in (
            ("table", diagnostic.table_name),
            ("contrainte", diagnostic.constraint_name),
            ("colonne", diagnostic.column_name),
        ):
            if value:
                parts.append(f"{label} {value}")
        return " ; ".join(part for part in parts if part)
    # sqlite3: its messages name constraints and columns ("UNIQUE constraint failed: t.c")
    name = getattr(original, "sqlite_errorname", None)
    first = str(original).strip().splitlines()[0] if str(original).strip() else ""
    return " ; ".join(part for part in (name, first) if part) or "(message omis)"
