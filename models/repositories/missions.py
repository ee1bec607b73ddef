"""Missions: trips proposed to carriers, their answers, and what a carrier's desk may read.

Reads go through explicit column lists, never whole rows: on a shared server a carrier
dispatcher's database role may read only the request and patient fields a driver needs, and a
query naming any other column would be refused by the database.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from models.enums import LIVE_MISSION_STATUSES, Direction, MissionStatus, Mobility, TransportMode
from models.errors import ConflictError, InvalidTransitionError, NotFoundError
from models.fleet import Carrier, Vehicle
from models.missions import Mission
from models.patients import Patient
from models.plans import Assignment, Route
from models.records import PlaceRecord, Position
from models.repositories.common import update
from models.requests import TransportRequest
from models.timezone import now

ALLOWED_TRANSITIONS: Mapping[MissionStatus, frozenset[MissionStatus]] = {
    MissionStatus.PROPOSED: frozenset(
        {
            MissionStatus.ACCEPTED,
            MissionStatus.REFUSED,
            MissionStatus.EXPIRED,
            MissionStatus.SUPERSEDED,
            MissionStatus.CANCELLED,
        }
    ),
    # An accepted trip the regulator changes afterwards is withdrawn (and proposed anew).
    MissionStatus.ACCEPTED: frozenset(
        {MissionStatus.DONE, MissionStatus.SUPERSEDED, MissionStatus.CANCELLED}
    ),
    MissionStatus.REFUSED: frozenset(),
    MissionStatus.EXPIRED: frozenset(),
    MissionStatus.SUPERSEDED: frozenset(),
    MissionStatus.DONE: frozenset(),
    MissionStatus.CANCELLED: frozenset(),
}


@dataclass(frozen=True)
class MissionView:
    """One mission with the request fields a driver needs, and nothing clinical."""

    id: int
    version: int
    service_date: date
    request_id: str  # the hospital's external id
    carrier_siret: str
    carrier_name: str
    vehicle_plate: str
    vehicle_kind: TransportMode
    status: MissionStatus
    pickup_at: datetime
    dropoff_at: datetime
    pickup_sequence: int
    dropoff_sequence: int
    shared_with: tuple[str, ...]  # external ids of the patients aboard at the same time
    proposed_at: datetime
    proposed_by: str
    expires_at: datetime | None
    changed_at: datetime
    answered_by: str | None
    refusal_reason: str | None
    patient_last_name: str
    patient_first_name: str
    patient_phone: str | None
    direction: Direction
    pickup: PlaceRecord
    dropoff: PlaceRecord
    appointment_at: datetime | None
    ready_at: datetime | None
    mobility: Mobility
    companion: bool

    @property
    def patient(self) -> str:
        return f"{self.patient_last_name.upper()} {self.patient_first_name}".strip()


@dataclass(frozen=True)
class NewMission:
    """A request to propose to the carrier of ``vehicle_plate``, as it stands in the plan."""

    request_id: str
    vehicle_plate: str
    pickup_at: datetime
    dropoff_at: datetime
    pickup_sequence: int
    dropoff_sequence: int
    shared_with: tuple[str, ...]


def _view_query() -> Select[*tuple[Any, ...]]:
    request, patient = TransportRequest, Patient
    return (
        select(
            Mission.id,
            Mission.version,
            Mission.service_date,
            request.external_id,
            Carrier.siret,
            Carrier.name,
            Vehicle.plate,
            Vehicle.kind,
            Mission.status,
            Mission.pickup_at,
            Mission.dropoff_at,
            Mission.pickup_sequence,
            Mission.dropoff_sequence,
            Mission.shared_with,
            Mission.proposed_at,
            Mission.proposed_by,
            Mission.expires_at,
            Mission.changed_at,
            Mission.answered_by,
            Mission.refusal_reason,
            patient.last_name,
            patient.first_name,
            patient.phone,
            request.direction,
            request.pickup_address,
            request.pickup_postcode,
            request.pickup_commune,
            request.pickup_lat,
            request.pickup_lon,
            request.dropoff_address,
            request.dropoff_postcode,
            request.dropoff_commune,
            request.dropoff_lat,
            request.dropoff_lon,
            request.appointment_at,
            request.ready_at,
            request.mobility,
            request.companion,
        )
        .join(request, Mission.request_id == request.id)
        .join(patient, request.patient_id == patient.id)
        .join(Carrier, Mission.carrier_id == Carrier.id)
        .join(Vehicle, Mission.vehicle_id == Vehicle.id)
    )


def _view(row: Sequence[Any]) -> MissionView:
    (
        mission_id, version, service_date, external_id, siret, carrier_name, plate, kind,
        status, pickup_at, dropoff_at, pickup_sequence, dropoff_sequence, shared_with,
        proposed_at, proposed_by, expires_at, changed_at, answered_by, refusal_reason,
        last_name, first_name, phone, direction,
        p_address, p_postcode, p_commune, p_lat, p_lon,
        d_address, d_postcode, d_commune, d_lat, d_lon,
        appointment_at, ready_at, mobility, companion,
    ) = row  # fmt: skip
    return MissionView(
        id=mission_id,
        version=version,
        service_date=service_date,
        request_id=external_id,
        carrier_siret=siret,
        carrier_name=carrier_name,
        vehicle_plate=plate,
        vehicle_kind=kind,
        status=status,
        pickup_at=pickup_at,
        dropoff_at=dropoff_at,
        pickup_sequence=pickup_sequence,
        dropoff_sequence=dropoff_sequence,
        shared_with=tuple(shared_with or ()),
        proposed_at=proposed_at,
        proposed_by=proposed_by,
        expires_at=expires_at,
        changed_at=changed_at,
        answered_by=answered_by,
        refusal_reason=refusal_reason,
        patient_last_name=last_name,
        patient_first_name=first_name,
        patient_phone=phone,
        direction=direction,
        pickup=PlaceRecord(p_address, p_postcode, p_commune, Position.of(p_lat, p_lon)),
        dropoff=PlaceRecord(d_address, d_postcode, d_commune, Position.of(d_lat, d_lon)),
        appointment_at=appointment_at,
        ready_at=ready_at,
        mobility=mobility,
        companion=companion,
    )


def missions_of_day(
    session: Session,
    day: date,
    carrier_siret: str | None = None,
    statuses: Iterable[MissionStatus] | None = None,
) -> list[MissionView]:
    """The day's missions, one carrier's or all, in the order its vehicles drive them."""
    query = _view_query().where(Mission.service_date == day)
    if carrier_siret is not None:
        query = query.where(Carrier.siret == carrier_siret)
    if statuses is not None:
        query = query.where(Mission.status.in_(list(statuses)))
    query = query.order_by(Vehicle.plate, Mission.pickup_at, Mission.pickup_sequence, Mission.id)
    return [_view(row) for row in session.execute(query)]


def missions_by_id(session: Session, mission_ids: Iterable[int]) -> list[MissionView]:
    wanted = list(mission_ids)
    rows = session.execute(_view_query().where(Mission.id.in_(wanted))).all()
    found = {row[0]: _view(row) for row in rows}
    missing = [m for m in wanted if m not in found]
    if missing:
        raise NotFoundError(f"mission n°{missing[0]} introuvable")
    return [found[m] for m in wanted]


def live_missions(session: Session, day: date) -> dict[str, MissionView]:
    """The mission each request of the day is held by (proposed, accepted or done)."""
    return {m.request_id: m for m in missions_of_day(session, day, statuses=LIVE_MISSION_STATUSES)}


def latest_missions(session: Session, day: date) -> dict[str, MissionView]:
    """Each request's most recent mission of the day, whatever its status."""
    return latest_of(missions_of_day(session, day))


def latest_of(missions: Iterable[MissionView]) -> dict[str, MissionView]:
    """Each request's most recent mission among ``missions``."""
    return {m.request_id: m for m in sorted(missions, key=lambda m: m.id)}


def excluded_vehicles(session: Session, day: date) -> dict[str, frozenset[str]]:
    """The vehicles each request may no longer go to: the one whose carrier refused it, and
    every vehicle of a carrier that let the proposal expire."""
    closed = missions_of_day(session, day, statuses=(MissionStatus.REFUSED, MissionStatus.EXPIRED))
    fleets: dict[str, list[str]] = {}
    if any(m.status is MissionStatus.EXPIRED for m in closed):
        for siret, plate in session.execute(
            select(Carrier.siret, Vehicle.plate).join(Vehicle, Vehicle.carrier_id == Carrier.id)
        ):
            fleets.setdefault(siret, []).append(plate)
    excluded: dict[str, set[str]] = {}
    for mission in closed:
        plates = (
            [mission.vehicle_plate]
            if mission.status is MissionStatus.REFUSED
            else fleets.get(mission.carrier_siret, [mission.vehicle_plate])
        )
        excluded.setdefault(mission.request_id, set()).update(plates)
    return {rid: frozenset(plates) for rid, plates in excluded.items()}


def propose(
    session: Session,
    day: date,
    entries: Sequence[NewMission],
    expires_at: datetime | None,
) -> list[int]:
    """New proposed missions; the database refuses one for a request another mission holds."""
    if not entries:
        return []
    requests: dict[str, int] = {
        external_id: request_id
        for external_id, request_id in session.execute(
            select(TransportRequest.external_id, TransportRequest.id).where(
                TransportRequest.service_date == day,
                TransportRequest.external_id.in_([e.request_id for e in entries]),
            )
        )
    }
    vehicles = {
        plate: (vehicle_id, carrier_id)
        for plate, vehicle_id, carrier_id in session.execute(
            select(Vehicle.plate, Vehicle.id, Vehicle.carrier_id).where(
                Vehicle.plate.in_([e.vehicle_plate for e in entries])
            )
        )
    }
    actor = str(session.info.get("actor", ""))
    stamp = now()
    missions = []
    for entry in entries:
        if entry.request_id not in requests:
            raise NotFoundError(f"demande {entry.request_id} du {day:%d/%m/%Y} introuvable")
        if entry.vehicle_plate not in vehicles:
            raise NotFoundError(f"véhicule {entry.vehicle_plate} introuvable")
        vehicle_id, carrier_id = vehicles[entry.vehicle_plate]
        missions.append(
            Mission(
                service_date=day,
                request_id=requests[entry.request_id],
                carrier_id=carrier_id,
                vehicle_id=vehicle_id,
                status=MissionStatus.PROPOSED,
                pickup_at=entry.pickup_at,
                dropoff_at=entry.dropoff_at,
                pickup_sequence=entry.pickup_sequence,
                dropoff_sequence=entry.dropoff_sequence,
                shared_with=list(entry.shared_with),
                proposed_at=stamp,
                proposed_by=actor,
                expires_at=expires_at,
                changed_at=stamp,
            )
        )
    session.add_all(missions)
    session.flush()
    return [m.id for m in missions]


def change_status(
    session: Session,
    mission_id: int,
    expected_version: int,
    new_status: MissionStatus,
    reason: str | None = None,
) -> Mission:
    """Move a mission on in its life cycle, as the desk that read it at ``expected_version``."""
    mission = session.get(Mission, mission_id)
    if mission is None:
        raise NotFoundError(f"mission n°{mission_id} introuvable")
    if mission.version != expected_version:
        # Another desk moved it on since it was read: a conflict to reload, checked before
        # the transition, which this desk judged on the state it read (withdrawing a mission
        # another push withdrew first is no impossible move, only a late one).
        raise ConflictError(
            f"mission n°{mission_id} modifiée par un autre poste (désormais « "
            f"{mission.status.value} ») : rechargez puis refaites la modification"
        )
    current = mission.status
    if new_status not in ALLOWED_TRANSITIONS[current]:
        raise InvalidTransitionError(
            f"mission n°{mission_id} : passage de « {current.value} » à « {new_status.value} » "
            "impossible"
        )
    if new_status is MissionStatus.REFUSED and not (reason and reason.strip()):
        raise InvalidTransitionError("un refus doit être motivé")
    changes: dict[str, object] = {"status": new_status, "changed_at": now()}
    if new_status in (MissionStatus.ACCEPTED, MissionStatus.REFUSED, MissionStatus.DONE):
        changes["answered_by"] = str(session.info.get("actor", ""))
    if new_status is MissionStatus.REFUSED:
        changes["refusal_reason"] = (reason or "").strip()[:500]
    return update(session, Mission, mission_id, expected_version, changes)


def due_to_expire(session: Session, moment: datetime) -> list[MissionView]:
    """Proposals left unanswered past their deadline, every day included."""
    query = _view_query().where(
        Mission.status == MissionStatus.PROPOSED,
        Mission.expires_at.is_not(None),
        Mission.expires_at <= moment,
    )
    return [_view(row) for row in session.execute(query.order_by(Mission.id))]


def stranded_requests(session: Session, day: date) -> set[str]:
    """Requests the day's stored plan still gives to a vehicle they may no longer go to (its
    carrier refused them, or let the proposal expire): what the dispatch sweep must move."""
    still_there = {
        MissionStatus.REFUSED: Route.vehicle_id == Mission.vehicle_id,
        MissionStatus.EXPIRED: Vehicle.carrier_id == Mission.carrier_id,
    }
    found: set[str] = set()
    for status, condition in still_there.items():
        found.update(
            session.scalars(
                select(TransportRequest.external_id)
                .join(Mission, Mission.request_id == TransportRequest.id)
                .join(Assignment, Assignment.request_id == Mission.request_id)
                .join(Route, Assignment.route_id == Route.id)
                .join(Vehicle, Route.vehicle_id == Vehicle.id)
                .where(Mission.service_date == day, Mission.status == status, condition)
            )
        )
    return found


def retime(session: Session, mission_id: int, expected_version: int, wanted: NewMission) -> Mission:
    """New times, stop order and companions for a mission its carrier keeps: the plan moved it
    a little, the answer stands, and the carrier's next read shows what changed."""
    return update(
        session,
        Mission,
        mission_id,
        expected_version,
        {
            "pickup_at": wanted.pickup_at,
            "dropoff_at": wanted.dropoff_at,
            "pickup_sequence": wanted.pickup_sequence,
            "dropoff_sequence": wanted.dropoff_sequence,
            "shared_with": list(wanted.shared_with),
            "changed_at": now(),
        },
    )
