"""What a desk changes about a day besides its plan: here, which vehicles are available."""

from datetime import date

from models.repositories.roster import set_available
from models.session import Database


def set_vehicle_available(
    db: Database, day: date, plate: str, available: bool, expected_version: int, actor: str
) -> None:
    """Mark a vehicle available or not that day (a ``ConflictError`` if another desk changed
    it since it was read); the next optimisation plans with the fleet as marked."""
    with db.transaction(actor) as session:
        set_available(session, plate, day, available, expected_version)
