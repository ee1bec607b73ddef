"""The centre's own département, chosen when a desk is set up and shared by every desk.

It prices the trips whose addresses carry no postcode (the taxi km rate is per département)
and so must be the same on every desk of a centre: it is a centre-wide setting in the database.
"""

from sqlalchemy.orm import Session

from models.errors import InvalidSettingError
from models.repositories.settings import get_setting, put_setting
from planning.departements import Departement, departement

DEPARTEMENT_SETTING = "centre.departement"


def centre_departement(session: Session) -> str:
    """The centre's département code, "" when none was chosen."""
    value = get_setting(session, DEPARTEMENT_SETTING)
    return value if isinstance(value, str) else ""


def set_centre_departement(session: Session, code: str) -> Departement:
    found = departement(code)
    if found is None:
        raise InvalidSettingError(
            f"département inconnu : {code!r} (code INSEE attendu : 59, 2A, 974…)"
        )
    put_setting(session, DEPARTEMENT_SETTING, found.code)
    return found
