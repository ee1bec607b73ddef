"""A synthetic day stored, planned repeatably and pushed to its carriers, for the tests of the
carriers' documents; and missions as plain values for the tests that need no database."""

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, time

from importers.synthetic import SyntheticDay, generate_day
from models.enums import Direction, MissionStatus, Mobility, TransportMode
from models.records import PlaceRecord, Position
from models.repositories.missions import MissionView
from models.repositories.reference import save_carrier, save_establishment, save_vehicle
from models.repositories.requests import save_requests
from models.session import Database
from models.timezone import PARIS
from planning.optimiser import SolveParams
from regul.access import principal_for
from regul.dispatch import push
from regul.planning_run import plan_day

DAY = date(2026, 11, 24)
ACTOR = "test-runner"


def store_day(
    db: Database, requests: int = 60, seed: int = 1, names: Sequence[tuple[str, str]] = ()
) -> SyntheticDay:
    """The synthetic day saved directly (no spreadsheets); ``names`` (last, first) replace the
    names of the day's first patients, in order."""
    day = generate_day(DAY, requests=requests, seed=seed)
    patients = list(dict.fromkeys(r.patient.file_number for r in day.requests))
    renamed = dict(zip(patients, names, strict=False))
    records = tuple(
        replace(
            r, patient=replace(r.patient, last_name=renamed[key][0], first_name=renamed[key][1])
        )
        if (key := r.patient.file_number) in renamed
        else r
        for r in day.requests
    )
    with db.transaction(ACTOR) as session:
        for establishment in day.establishments:
            save_establishment(session, establishment)
        for carrier in day.carriers:
            save_carrier(session, carrier)
        session.flush()
        for vehicle in day.vehicles:
            save_vehicle(session, vehicle)
        session.flush()
        save_requests(session, records)
    return replace(day, requests=records)


def plan_and_push(db: Database) -> None:
    """The same plan every run (seed and iterations), every planned trip proposed."""
    plan_day(db, DAY, SolveParams(time_limit_s=20, seed=3, iterations=200), ACTOR)
    report = push(db, principal_for(db, ACTOR), DAY)
    assert report.proposed, "the planned day should have trips to propose"


def at(hour: int, minute: int) -> datetime:
    return datetime.combine(DAY, time(hour, minute), tzinfo=PARIS)


def mission(
    mission_id: int,
    request_id: str,
    name: tuple[str, str],
    pickup: tuple[datetime, int, tuple[float, float]],
    dropoff: tuple[datetime, int, tuple[float, float]],
    shared_with: Sequence[str] = (),
    plate: str = "AB-123-CD",
    status: MissionStatus = MissionStatus.PROPOSED,
    mobility: Mobility = Mobility.SEATED,
) -> MissionView:
    """A mission as a carrier's desk reads it, without a database."""
    return MissionView(
        id=mission_id,
        version=1,
        service_date=DAY,
        request_id=request_id,
        carrier_siret="73282932000074",
        carrier_name="Taxis de l'Avesnois",
        vehicle_plate=plate,
        vehicle_kind=TransportMode.TAXI,
        status=status,
        pickup_at=pickup[0],
        dropoff_at=dropoff[0],
        pickup_sequence=pickup[1],
        dropoff_sequence=dropoff[1],
        shared_with=tuple(shared_with),
        proposed_at=at(5, 0),
        proposed_by="regulation",
        expires_at=at(6, 0),
        changed_at=at(5, 0),
        answered_by=None,
        refusal_reason=None,
        patient_last_name=name[0],
        patient_first_name=name[1],
        patient_phone="06 12 34 56 78",
        direction=Direction.OUTBOUND,
        pickup=PlaceRecord("3 rue des Lilas", "59100", "Roubaix", Position(*pickup[2])),
        dropoff=PlaceRecord("2 avenue Oscar Lambret", "59000", "Lille", Position(*dropoff[2])),
        appointment_at=at(9, 0),
        ready_at=None,
        mobility=mobility,
        companion=False,
    )
