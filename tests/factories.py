"""Rows with every column set to a non-default value, to prove what the database keeps."""

from datetime import date, datetime, time

from models import (
    Assignment,
    Carrier,
    DayPlan,
    DayStatistics,
    Establishment,
    GeocodeCacheEntry,
    ImportMapping,
    Mission,
    Patient,
    RequestSeries,
    Route,
    Setting,
    Stop,
    TransportRequest,
    UnservedRequest,
    User,
    Vehicle,
    VehicleAvailability,
)
from models.enums import (
    CareType,
    Coverage,
    Direction,
    MissionStatus,
    Mobility,
    Payer,
    Role,
    StopKind,
    TransportMode,
)
from models.timezone import PARIS

DAY = date(2026, 3, 29)  # the night Paris switches to summer time


def at(hour: int, minute: int = 0) -> datetime:
    return datetime.combine(DAY, time(hour, minute), tzinfo=PARIS)


def full_graph() -> list[object]:
    """One row of every table, linked together, all optional fields filled."""
    establishment = Establishment(
        finess="590000011",
        name="Centre hospitalier de Test",
        address="1 rue de l'Hôpital",
        postcode="59000",
        commune="Lille",
        lat=50.61,
        lon=3.03,
        activities=["DIALYSIS", "CHEMOTHERAPY"],
    )
    carrier = Carrier(
        name="Taxis de Test",
        siret="73282932000074",
        base_address="5 rue du Garage",
        base_postcode="59100",
        base_commune="Roubaix",
        base_lat=50.69,
        base_lon=3.17,
        phone="03 20 00 00 00",
        email="contact@taxis-test.fr",
        certified=False,
        sefi_geolocated=True,
    )
    vehicle = Vehicle(
        carrier=carrier,
        plate="AB-123-CD",
        kind=TransportMode.VSL,
        seated_places=2,
        lying_places=0,
        wheelchair_places=1,
        shift_start=time(6, 30),
        shift_end=time(18, 0),
        in_service=False,
        base_lat=50.7,
        base_lon=3.18,
    )
    availability = VehicleAvailability(
        vehicle=vehicle,
        service_date=DAY,
        available=False,
        shift_start=time(8, 0),
        shift_end=time(12, 0),
        note="contrôle technique",
    )
    patient = Patient(
        issuer="590000011",
        file_number="12345678",
        last_name="DUPONT",
        first_name="Jeanne",
        birth_date=date(1941, 2, 3),
        phone="06 00 00 00 00",
    )
    request = TransportRequest(
        external_id="CH-2026-0001",
        service_date=DAY,
        patient=patient,
        direction=Direction.OUTBOUND,
        pickup_address="3 rue des Lilas",
        pickup_postcode="59100",
        pickup_commune="Roubaix",
        pickup_lat=50.69,
        pickup_lon=3.17,
        dropoff_address="1 rue de l'Hôpital",
        dropoff_postcode="59000",
        dropoff_commune="Lille",
        dropoff_lat=50.61,
        dropoff_lon=3.03,
        dropoff_establishment=establishment,
        care_unit="Hémodialyse",
        appointment_at=at(7, 30),
        ready_at=at(11, 45),
        prescribed_mode=TransportMode.VSL,
        mobility=Mobility.WHEELCHAIR,
        oxygen=True,
        companion=True,
        sharing_compatible=True,
        sharing_refused=True,
        care_type=CareType.DIALYSIS,
        coverage=Coverage.ALD,
        payer=Payer.ESTABLISHMENT,
        prior_approval=True,
        chosen_carrier=carrier,
        flags=["accord préalable"],
        notes="sonner deux fois",
    )
    plan = DayPlan(
        service_date=DAY,
        computed_at=at(5, 0),
        solver_params={"seed": 7, "time_limit_s": 60},
        kpis={"served_share": 1.0},
    )
    route = Route(
        plan=plan, vehicle=vehicle, locked=True, distance_m=42_000, empty_distance_m=9_000
    )
    route.stops = [
        Stop(sequence=0, kind=StopKind.START, lat=50.7, lon=3.18, planned_at=at(6, 30)),
        Stop(
            sequence=1,
            kind=StopKind.PICKUP,
            request=request,
            lat=50.69,
            lon=3.17,
            planned_at=at(6, 55),
        ),
        Stop(
            sequence=2,
            kind=StopKind.DROPOFF,
            request=request,
            lat=50.61,
            lon=3.03,
            planned_at=at(7, 20),
        ),
        Stop(sequence=3, kind=StopKind.END, lat=50.7, lon=3.18, planned_at=at(7, 50)),
    ]
    assignment = Assignment(
        plan=plan,
        request=request,
        route=route,
        locked=True,
    )
    mission = Mission(
        service_date=DAY,
        request=request,
        carrier=carrier,
        vehicle=vehicle,
        status=MissionStatus.REFUSED,
        pickup_at=at(7, 0),
        dropoff_at=at(7, 20),
        pickup_sequence=1,
        dropoff_sequence=2,
        shared_with=["CH-2026-0009"],
        proposed_at=at(5, 45),
        proposed_by="regulation.nord",
        expires_at=at(6, 0),
        changed_at=at(5, 55),
        answered_by="dispatch.taxis",
        refusal_reason="véhicule en panne",
    )
    unserved_request = TransportRequest(
        external_id="CH-2026-0002",
        service_date=DAY,
        patient=patient,
        direction=Direction.RETURN,
        pickup_establishment=establishment,
        dropoff_address="3 rue des Lilas",
        ready_at=at(16, 0),
        prescribed_mode=TransportMode.AMBULANCE,
        mobility=Mobility.LYING,
        care_type=CareType.DISCHARGE,
    )
    unserved = UnservedRequest(plan=plan, request=unserved_request, reason="aucune ambulance libre")
    series = RequestSeries(
        patient=patient,
        establishment=establishment,
        weekdays=[1, 3, 5],
        valid_from=DAY,
        valid_until=date(2026, 6, 30),
        appointment_time=time(7, 30),
        return_time=time(12, 0),
        home_address="3 rue des Lilas",
        home_postcode="59100",
        home_commune="Roubaix",
        home_lat=50.69,
        home_lon=3.17,
        care_unit="Hémodialyse",
        prescribed_mode=TransportMode.VSL,
        mobility=Mobility.WHEELCHAIR,
        care_type=CareType.DIALYSIS,
        coverage=Coverage.ALD,
        sharing_compatible=True,
        companion=True,
        oxygen=True,
        notes="badge parking",
    )
    request.series = series
    cache_entry = GeocodeCacheEntry(
        provider="ban",
        query_key="3 rue des lilas|59100|roubaix",
        lat=50.6901,
        lon=3.1702,
        precision="address",
        source="Base Adresse Nationale",
        created_at=at(4, 0),
    )
    mapping = ImportMapping(
        kind="requests",
        signature="0123456789abcdef",
        source_name="sorties-chu.xlsx",
        mapping={"appointment": "H. arrivée"},
        updated_at=at(4, 30),
    )
    user = User(
        login="dispatch.taxis",
        display_name="Régulation Taxis de Test",
        role=Role.CARRIER_DISPATCHER,
        carrier=carrier,
        password_hash="scrypt$placeholder-hash-for-test",
        active=False,
    )
    return [
        establishment,
        carrier,
        vehicle,
        availability,
        patient,
        request,
        unserved_request,
        plan,
        route,
        assignment,
        unserved,
        series,
        cache_entry,
        mapping,
        user,
        mission,
        Setting(key="dispatch.expiry_minutes", value=20),
        DayStatistics(
            service_date=date(2025, 3, 28),
            recorded_at=at(5, 0),
            recorded_by="admin",
            requests=412,
            cancelled=9,
            sharing_compatible=150,
            by_direction={"OUTBOUND": 205, "RETURN": 207},
            by_mode={"TAXI": 300, "VSL": 70, "AMBULANCE": 42},
            by_care_type={"DIALYSIS": 60},
            by_mobility={"SEATED": 370},
            by_status={"PLANNED": 403, "CANCELLED": 9},
            missions_by_status={"ACCEPTED": 380, "REFUSED": 12},
            routes=57,
            distance_m=8_123_400,
            empty_distance_m=2_010_000,
            plan_kpis={"served": 398, "total_km": 8123.4},
        ),
    ]
