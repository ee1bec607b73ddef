"""This desk's own settings: which database it works on, its centre's département, who last
signed in. Written by the first-run wizard (or ``regul setup``), read at every start.

They live in a small JSON file in the user's configuration folder, readable by the user only.
Passwords are never stored: a shared server asks for one at each sign-in.
"""

import json
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import make_url

from models.db import APP_NAME, ENV_VAR
from models.errors import RegulDataError

CONFIG_VERSION = 1


class ConfigError(RegulDataError):
    pass


@dataclass(frozen=True)
class DeskConfig:
    database_url: str | None = None  # None: the local file in the user's data folder
    departement: str | None = None
    login: str | None = None


def config_path() -> Path:
    """%LOCALAPPDATA%\\Regul\\Regul\\regul.json on Windows, ~/.config/Regul/regul.json on Linux."""
    return Path(platformdirs.user_config_dir(APP_NAME, APP_NAME, roaming=False)) / "regul.json"


def load_config(path: Path | None = None) -> DeskConfig | None:
    """The desk's settings; None when it was never set up."""
    path = path or config_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(
            f"{path} : réglages illisibles ({exc}) ; supprimez ce fichier pour refaire la "
            "configuration du poste"
        ) from exc
    if not isinstance(raw, dict) or raw.get("version") != CONFIG_VERSION:
        raise ConfigError(
            f"{path} : réglages d'une autre version de Régul ; supprimez ce fichier pour refaire "
            "la configuration du poste"
        )
    known = {field.name for field in fields(DeskConfig)}
    values: dict[str, Any] = {key: value for key, value in raw.items() if key in known}
    wrong = [key for key, value in values.items() if not isinstance(value, str | None)]
    if wrong:
        raise ConfigError(f"{path} : valeur invalide pour {', '.join(sorted(wrong))}")
    return DeskConfig(**values)


def save_config(config: DeskConfig, path: Path | None = None) -> Path:
    """Write atomically (a crash leaves the old file or the new one), readable by the user only."""
    path = path or config_path()
    if config.database_url and make_url(config.database_url).password:
        raise ConfigError("un mot de passe ne s'enregistre pas dans les réglages du poste")
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"version": CONFIG_VERSION, **asdict(config)}, ensure_ascii=False, indent=2)
    partial = path.with_name(path.name + ".tmp")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text + "\n")
        file.flush()
        os.fsync(file.fileno())
    os.replace(partial, path)
    return path


def configured_url(explicit: str | None, config: DeskConfig | None) -> str | None:
    """The database asked for, in order: ``--db``, $REGUL_DB, this desk's settings; None means
    the local file."""
    return explicit or os.environ.get(ENV_VAR) or (config.database_url if config else None)


def needs_first_run(explicit: str | None, config: DeskConfig | None) -> bool:
    """A desk is set up once, unless told on the command line or by $REGUL_DB where to work."""
    return config is None and configured_url(explicit, None) is None
