"""Typed errors the data layer raises; each message is meant to be shown to a user as is."""


class RegulDataError(Exception):
    """Base of every error the data layer reports to a user."""


class DatabaseUrlError(RegulDataError):
    """The database location cannot be used (malformed, unsupported backend)."""


class DatabaseUnavailableError(RegulDataError):
    """The database server or file cannot be reached."""


class DatabaseBusyError(RegulDataError):
    """Another desk kept the local database locked for longer than Régul waits."""


class SchemaTooNewError(RegulDataError):
    """The database was migrated by a newer Régul than this one."""


class SchemaOutdatedError(RegulDataError):
    """A shared database needs migrating, which is an administrator's explicit act."""


class ConflictError(RegulDataError):
    """Another desk changed the same row since it was read: reload, then redo the edit."""


class NotFoundError(RegulDataError):
    """A row asked for by id or key does not exist (any more)."""


class MissingActorError(RegulDataError):
    """A write was attempted without saying who makes it; the audit log needs one."""


class InvalidTransitionError(RegulDataError):
    """A status change that the mission life cycle does not allow."""


class AccessDeniedError(RegulDataError):
    """The user's role does not allow this action, or not on this carrier's data."""


class InvalidSettingError(RegulDataError):
    """A centre-wide setting given a value outside what it accepts."""


class BackupError(RegulDataError):
    """A copy of the local database that cannot be made, trusted or put back."""


class ConnectionLostError(DatabaseUnavailableError):
    """The server went away during the work: nothing of it was kept, or, when the link broke
    while the commit was on its way (``in_doubt``), the server may have kept all of it."""

    def __init__(self, message: str, in_doubt: bool = False) -> None:
        super().__init__(message)
        self.in_doubt = in_doubt


class DatabaseReadOnlyError(RegulDataError):
    """The local database file, or its folder, cannot be written by this user."""


class DiskFullError(RegulDataError):
    """The disk holding the local database is full: the write was undone, nothing is lost."""
