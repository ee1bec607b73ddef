"""The desk's log: what Régul did, kept in a few rotating files for support.

Lines say what happened to which database, schema or job, never whose transport it was:
patients' names, addresses and telephone numbers stay out of the log.
"""

import logging
import logging.handlers
import os
from pathlib import Path

import platformdirs

from models.db import APP_NAME

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
