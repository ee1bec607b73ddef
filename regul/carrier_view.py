"""One carrier's day as its dispatcher sees it: the missions it was sent, drawn as routes.

Built only from the carrier's missions and its own vehicles, which is all a dispatcher's
database role may read on a shared server; the regulator's plan in progress never shows here.
The missions still held (proposed, accepted, done) become routes so that the same map and
timeline as the regulator's draw them.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.enums import LIVE_MISSION_STATUSES
from models.fleet import Carrier
from models.repositories.day import fleet_on
from models.repositories.missions import MissionView, missions_of_day
from models.session import Database
from planning.model import Direction, Kind, Load, Point, Problem, Request, Vehicle
from planning.plan import Plan, Route, Stop, StopKind
from planning.rules import rules_on
from regul.access import Principal
from regul.planning_input import clock_seconds, places_taken, seconds_in_day


@dataclass(frozen=True)
class CarrierDay:
    day: date
    carrier_siret: str
    carrier_name: str
    missions: tuple[MissionView, ...]  # every mission of the day, whatever its status
    problem: Problem  # the carrier's vehicles and the trips it holds
    plan: Plan  # those trips as routes, in the order they were sent
    labels: Mapping[str, str]  # request id → patient

    def mission(self, mission_id: int) -> MissionView:
        return next(m for m in self.missions if m.id == mission_id)


def load_carrier_day(
    db: Database, principal: Principal, day: date, carrier_siret: str | None = None
) -> CarrierDay:
    """The dispatcher's own carrier; a regulator may look at any carrier's day."""
    siret = principal.carrier_siret if principal.is_carrier else carrier_siret
    if siret is None:
        raise ValueError("a carrier's day needs a carrier")
    with db.reader() as session:
        missions = missions_of_day(session, day, siret)
        vehicles, carriers = fleet_on(session, day)
        name = _carrier_name(session, siret)
    own = [v for v in vehicles if v.carrier_siret == siret]
    base = next((c.base.position for c in carriers if c.siret == siret), None)
    held = [m for m in missions if m.status in LIVE_MISSION_STATUSES]
    fleet = {
        v.plate: Vehicle(
            id=v.plate,
            carrier=siret,
            kind=Kind(v.kind.value),
            capacity=Load(v.seated_places, v.lying_places, v.wheelchair_places),
            base=Point(base.lat, base.lon) if base else _first_point(held, v.plate),
            shift_start=clock_seconds(v.shift_start),
            shift_end=clock_seconds(v.shift_end),
        )
        for v in own
    }
    for mission in held:  # a vehicle off today's roster still shows what it was sent
        if mission.vehicle_plate not in fleet:
            fleet[mission.vehicle_plate] = Vehicle(
                id=mission.vehicle_plate,
                carrier=siret,
                kind=Kind(mission.vehicle_kind.value),
                capacity=Load(seated=4),
                base=_first_point(held, mission.vehicle_plate),
                shift_start=0,
                shift_end=24 * 3600,
            )
    requests = tuple(_request(m, day) for m in held)
    problem = Problem(day, requests, tuple(fleet.values()), rules_on(day))
    return CarrierDay(
        day=day,
        carrier_siret=siret,
        carrier_name=name or siret,
        missions=tuple(missions),
        problem=problem,
        plan=Plan(_routes(held, day)),
        labels={m.request_id: m.patient for m in missions},
    )


def _carrier_name(session: Session, siret: str) -> str | None:
    return session.scalar(select(Carrier.name).where(Carrier.siret == siret))


def _first_point(missions: list[MissionView], plate: str) -> Point:
    for mission in missions:
        if mission.vehicle_plate == plate and mission.pickup.position is not None:
            return Point(mission.pickup.position.lat, mission.pickup.position.lon)
    return Point(0.0, 0.0)


def _request(mission: MissionView, day: date) -> Request:
    pickup, dropoff = mission.pickup.position, mission.dropoff.position
    load = places_taken(mission.mobility, mission.companion)
    return Request(
        id=mission.request_id,
        patient=mission.request_id,
        direction=Direction(mission.direction.value),
        pickup=Point(pickup.lat, pickup.lon) if pickup else Point(0.0, 0.0),
        dropoff=Point(dropoff.lat, dropoff.lon) if dropoff else Point(0.0, 0.0),
        mode=Kind(mission.vehicle_kind.value),
        load=load,
        care_type="",
        sharing_compatible=bool(mission.shared_with),
        appointment=seconds_in_day(mission.appointment_at, day),
        ready=seconds_in_day(mission.ready_at, day),
    )


def _routes(held: list[MissionView], day: date) -> tuple[Route, ...]:
    """Each vehicle's held trips, stops in the order the regulator sent them."""
    stops: dict[str, list[tuple[int, int, Stop]]] = {}
    for mission in held:
        pickup_at = seconds_in_day(mission.pickup_at, day) or 0
        dropoff_at = seconds_in_day(mission.dropoff_at, day) or 0
        own = stops.setdefault(mission.vehicle_plate, [])
        pickup = Stop(StopKind.PICKUP, pickup_at, mission.request_id)
        dropoff = Stop(StopKind.DROPOFF, dropoff_at, mission.request_id)
        own.append((pickup_at, mission.pickup_sequence, pickup))
        own.append((dropoff_at, mission.dropoff_sequence, dropoff))
    routes = []
    for plate in sorted(stops):
        ordered = [stop for _, _, stop in sorted(stops[plate], key=lambda s: (s[0], s[1]))]
        start = Stop(StopKind.START, ordered[0].time)
        end = Stop(StopKind.END, ordered[-1].time)
        routes.append(Route(plate, (start, *ordered, end)))
    return tuple(routes)
