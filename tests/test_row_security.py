"""On PostgreSQL the database keeps each carrier to its own rows, whatever the client runs.

Every test here migrates a fresh schema with group roles of its own (a unique
REGUL_PG_ROLE_PREFIX) and login roles of its own, all dropped afterwards even on failure: roles
are shared by the whole server, where other tests run at the same time.
"""

import io
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

import pytest
from alembic import command
from sqlalchemy import URL, Connection, create_engine, select, text
from sqlalchemy.exc import DBAPIError, ProgrammingError

from models import (
    AuditEntry,
    Carrier,
    DayPlan,
    Mission,
    Patient,
    Route,
    Stop,
    TransportRequest,
    Vehicle,
    VehicleAvailability,
)
from models.enums import (
    CareType,
    Coverage,
    Direction,
    MissionStatus,
    Mobility,
    Role,
    StopKind,
    TransportMode,
)
from models.errors import AccessDeniedError, NotFoundError
from models.migrate import alembic_config, upgrade
from models.repositories.audit import record_action
from models.repositories.missions import change_status, missions_of_day
from models.repositories.users import add_user, set_active
from models.session import Database
from models.timezone import PARIS
from regul.carrier_view import load_carrier_day
from regul.cli import main
from regul.login import WRONG_CREDENTIALS, authenticate
from tests.conftest import PG_URL

DAY = date(2026, 12, 3)
PASSWORD = "un mot de passe assez long"
SIRET_A, SIRET_B = "73282932000074", "55210055400013"
_INSUFFICIENT_PRIVILEGE = "42501"
_RLS_VIOLATION = "42501"  # "new row violates row-level security policy" shares the code


def at(hour: int, minute: int = 0) -> datetime:
    return datetime.combine(DAY, time(hour, minute), tzinfo=PARIS)


@dataclass
class Server:
    """A migrated schema with its own group roles, and the logins created on it."""

    url: URL  # the owner's (the migration user's) connection
    prefix: str
    logins: list[str]

    def login(self, name: str) -> str:
        """A login unique to this test, remembered for clean-up."""
        login = f"{name}.{self.prefix[-10:]}"
        self.logins.append(login)
        return login

    def url_as(self, login: str) -> URL:
        return self.url.set(username=login, password=PASSWORD)

    def group(self, suffix: str) -> str:
        return f"{self.prefix}_{suffix}"


@pytest.fixture
def server(pg_schema_url: URL, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    """A schema migrated with group roles of its own; every role is dropped afterwards."""
    prefix = f"regul_t{uuid.uuid4().hex[:10]}"
    monkeypatch.setenv("REGUL_PG_ROLE_PREFIX", prefix)
    found = Server(pg_schema_url, prefix, [])
    try:
        owner = Database(pg_schema_url)
        try:
            upgrade(owner)
        finally:
            owner.dispose()
        yield found
    finally:
        _drop_roles([*found.logins, *(found.group(s) for s in ("admin", "regulator", "carrier"))])


def _drop_roles(names: list[str]) -> None:
    engine = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            for name in names:
                exists = connection.scalar(
                    text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": name}
                )
                if exists:
                    quoted = '"' + name.replace('"', '""') + '"'
                    # Privileges and policies in this database go first, then the role.
                    connection.execute(text(f"DROP OWNED BY {quoted}"))
                    connection.execute(text(f"DROP ROLE {quoted}"))
    finally:
        engine.dispose()


@dataclass
class Day:
    """Who is who on the day built by ``day``."""

    admin: str
    regulator: str
    carrier_a: str
    carrier_b: str
    missions_a: list[int]
    missions_b: list[int]
    requests_a: set[str]
    requests_b: set[str]


@pytest.fixture
def day(server: Server) -> Day:
    """Two carriers with a vehicle, a route and missions each, a request nobody holds, and an
    administrator, a regulator and a dispatcher per carrier."""
    owner = Database(server.url)
    try:
        with owner.transaction("test-setup") as session:
            carrier_a = Carrier(name="Taxis Alpha", siret=SIRET_A)
            carrier_b = Carrier(name="Ambulances Bravo", siret=SIRET_B)
            vehicle_a = _vehicle(carrier_a, "AA-001-AA")
            vehicle_b = _vehicle(carrier_b, "BB-002-BB")
            plan = DayPlan(service_date=DAY, solver_params={}, kpis={})
            requests = {
                "A-1": _request("A-1", "ALPHA", at(8)),
                "A-2": _request("A-2", "ALPHA-DEUX", at(10)),
                "B-1": _request("B-1", "BRAVO", at(9)),
                "X-1": _request("X-1", "CHARLIE", at(11)),  # planned for nobody yet
            }
            route_a = _route(plan, vehicle_a, [requests["A-1"], requests["A-2"]])
            route_b = _route(plan, vehicle_b, [requests["B-1"]])
            missions_a = [_mission(vehicle_a, requests[r]) for r in ("A-1", "A-2")]
            missions_b = [_mission(vehicle_b, requests["B-1"])]
            days_off = [
                VehicleAvailability(
                    vehicle=vehicle, service_date=DAY, available=True, shift_start=time(8)
                )
                for vehicle in (vehicle_a, vehicle_b)
            ]
            session.add_all(
                [plan, route_a, route_b, *missions_a, *missions_b, requests["X-1"], *days_off]
            )
            session.flush()
            names = {
                "admin": server.login("chef"),
                "regulator": server.login("regul"),
                "carrier_a": server.login("alpha"),
                "carrier_b": server.login("bravo"),
            }
            add_user(session, names["admin"], Role.ADMIN, PASSWORD)
            add_user(session, names["regulator"], Role.REGULATOR, PASSWORD)
            add_user(session, names["carrier_a"], Role.CARRIER_DISPATCHER, PASSWORD, None, SIRET_A)
            add_user(session, names["carrier_b"], Role.CARRIER_DISPATCHER, PASSWORD, None, SIRET_B)
            return Day(
                **names,
                missions_a=[m.id for m in missions_a],
                missions_b=[m.id for m in missions_b],
                requests_a={"A-1", "A-2"},
                requests_b={"B-1"},
            )
    finally:
        owner.dispose()


def _vehicle(carrier: Carrier, plate: str) -> Vehicle:
    return Vehicle(
        carrier=carrier,
        plate=plate,
        kind=TransportMode.TAXI,
        seated_places=3,
        lying_places=0,
        wheelchair_places=0,
        shift_start=time(7),
        shift_end=time(19),
    )


def _request(external_id: str, last_name: str, appointment: datetime) -> TransportRequest:
    patient = Patient(
        issuer="590000011",
        file_number=f"IPP-{external_id}",
        last_name=last_name,
        first_name="Jeanne",
        birth_date=date(1941, 2, 3),
        phone="06 00 00 00 00",
    )
    return TransportRequest(
        external_id=external_id,
        service_date=DAY,
        patient=patient,
        direction=Direction.OUTBOUND,
        pickup_address="3 rue des Lilas",
        pickup_commune="Roubaix",
        pickup_lat=50.69,
        pickup_lon=3.17,
        dropoff_address="1 rue de l'Hôpital",
        dropoff_commune="Lille",
        dropoff_lat=50.61,
        dropoff_lon=3.03,
        care_unit="Hémodialyse",
        appointment_at=appointment,
        prescribed_mode=TransportMode.TAXI,
        mobility=Mobility.SEATED,
        oxygen=True,
        care_type=CareType.DIALYSIS,
        coverage=Coverage.ALD,
        notes="code porte 1234",
    )


def _route(plan: DayPlan, vehicle: Vehicle, requests: list[TransportRequest]) -> Route:
    route = Route(plan=plan, vehicle=vehicle)
    stops = [Stop(sequence=0, kind=StopKind.START, lat=50.7, lon=3.18, planned_at=at(7))]
    for request in requests:
        for kind in (StopKind.PICKUP, StopKind.DROPOFF):
            stops.append(
                Stop(
                    sequence=len(stops),
                    kind=kind,
                    request=request,
                    lat=50.6,
                    lon=3.1,
                    planned_at=request.appointment_at or at(12),
                )
            )
    route.stops = stops
    return route


def _mission(vehicle: Vehicle, request: TransportRequest) -> Mission:
    appointment = request.appointment_at or at(12)
    return Mission(
        service_date=DAY,
        request=request,
        carrier=vehicle.carrier,
        vehicle=vehicle,
        status=MissionStatus.PROPOSED,
        pickup_at=appointment,
        dropoff_at=appointment,
        pickup_sequence=1,
        dropoff_sequence=2,
        shared_with=[],
        proposed_at=at(6),
        proposed_by="test-setup",
        changed_at=at(6),
    )


def _as(server: Server, login: str) -> Iterator[Connection]:
    engine = create_engine(server.url_as(login))
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def _column(connection: Connection, sql: str) -> list[Any]:
    return list(connection.scalars(text(sql)))


def _sqlstate(error: DBAPIError) -> str | None:
    return getattr(error.orig, "sqlstate", None)


def test_each_carrier_sees_exactly_its_own_rows(server: Server, day: Day) -> None:
    """Plain SQL as either carrier's role returns its own rows of every table, no other's."""
    for login, siret, plate, requests, names in (
        (day.carrier_a, SIRET_A, "AA-001-AA", day.requests_a, {"ALPHA", "ALPHA-DEUX"}),
        (day.carrier_b, SIRET_B, "BB-002-BB", day.requests_b, {"BRAVO"}),
    ):
        for connection in _as(server, login):
            assert _column(connection, "SELECT siret FROM carriers") == [siret]
            assert _column(connection, "SELECT plate FROM vehicles") == [plate]
            assert _column(
                connection,
                "SELECT v.plate FROM vehicle_availability a JOIN vehicles v ON v.id = a.vehicle_id",
            ) == [plate]
            assert len(_column(connection, "SELECT id FROM routes")) == 1
            stops = _column(connection, "SELECT count(*) FROM stops")[0]
            assert stops == 1 + 2 * len(requests)
            missions = _column(connection, "SELECT carrier_id FROM missions")
            assert len(missions) == len(requests) and len(set(missions)) == 1
            assert set(_column(connection, "SELECT external_id FROM transport_requests")) == (
                requests
            )
            assert set(_column(connection, "SELECT last_name FROM patients")) == names
            assert _column(connection, "SELECT login FROM users") == [login]


def test_another_carriers_rows_cannot_be_read_or_changed(server: Server, day: Day) -> None:
    """The other carrier's rows are invisible, its mission unchangeable, requests read-only."""
    other_mission = day.missions_b[0]
    for connection in _as(server, day.carrier_a):
        assert _column(connection, f"SELECT id FROM missions WHERE id = {other_mission}") == []
        assert (
            _column(connection, "SELECT id FROM transport_requests WHERE external_id = 'B-1'") == []
        )
        assert _column(connection, "SELECT id FROM patients WHERE last_name = 'BRAVO'") == []
        changed = connection.execute(
            text(
                "UPDATE missions SET status = 'ACCEPTED', answered_by = 'intrus' "
                f"WHERE id = {other_mission}"
            )
        )
        assert changed.rowcount == 0
        connection.commit()
        for statement in (
            "UPDATE transport_requests SET pickup_address = 'ailleurs'",
            "UPDATE patients SET phone = '00'",
            "DELETE FROM missions",
            "INSERT INTO carriers (name, siret, certified, sefi_geolocated, version) "
            "VALUES ('Faux', '00000000000000', true, false, 1)",
        ):
            with pytest.raises(ProgrammingError) as refused:
                connection.execute(text(statement))
            assert _sqlstate(refused.value) == _INSUFFICIENT_PRIVILEGE
            connection.rollback()
    for connection in _as(server, day.regulator):
        status = _column(connection, f"SELECT status FROM missions WHERE id = {other_mission}")
        assert status == ["PROPOSED"]


@pytest.mark.parametrize(
    "query",
    [
        "SELECT care_type FROM transport_requests",
        "SELECT coverage FROM transport_requests",
        "SELECT notes, oxygen FROM transport_requests",
        "SELECT care_unit FROM transport_requests",
        "SELECT * FROM transport_requests",
        "SELECT birth_date FROM patients",
        "SELECT file_number FROM patients",
        "SELECT password_hash FROM users",
        "SELECT * FROM day_plans",
        "SELECT * FROM assignments",
        "SELECT * FROM establishments",
    ],
)
def test_clinical_and_administrative_fields_are_refused_to_a_carrier(
    server: Server, day: Day, query: str
) -> None:
    """Columns a driver does not need, and tables out of reach, raise 'permission denied'."""
    for connection in _as(server, day.carrier_a):
        with pytest.raises(ProgrammingError) as refused:
            connection.execute(text(query))
        assert _sqlstate(refused.value) == _INSUFFICIENT_PRIVILEGE


def test_a_carrier_changes_only_the_answer_of_its_own_open_missions(
    server: Server, day: Day
) -> None:
    """A carrier may accept or refuse its open mission, not reassign, withdraw or re-answer it."""
    own, other = day.missions_a[0], day.missions_b[0]
    for connection in _as(server, day.carrier_a):
        with pytest.raises(ProgrammingError) as moved:
            connection.execute(text(f"UPDATE missions SET carrier_id = 2 WHERE id = {own}"))
        assert _sqlstate(moved.value) == _INSUFFICIENT_PRIVILEGE
        connection.rollback()
        with pytest.raises(ProgrammingError) as withdrawn:
            connection.execute(text(f"UPDATE missions SET status = 'SUPERSEDED' WHERE id = {own}"))
        assert _sqlstate(withdrawn.value) == _RLS_VIOLATION
        assert "row-level security" in str(withdrawn.value)
        connection.rollback()
        refused = connection.execute(
            text(
                f"UPDATE missions SET status = 'REFUSED', refusal_reason = 'panne' WHERE id = {own}"
            )
        )
        assert refused.rowcount == 1
        connection.commit()
        again = connection.execute(
            text(f"UPDATE missions SET status = 'ACCEPTED' WHERE id = {own}")
        )
        assert again.rowcount == 0
        connection.commit()
    for connection in _as(server, day.carrier_b):
        accepted = connection.execute(
            text(f"UPDATE missions SET status = 'ACCEPTED' WHERE id = {other}")
        )
        assert accepted.rowcount == 1
        connection.commit()


def test_a_carrier_answers_through_the_application_as_its_own_role(
    server: Server, day: Day
) -> None:
    """As carrier A's role, the app's own code lists and accepts A's missions, never B's."""
    owner = Database(server.url)
    as_a = Database(server.url_as(day.carrier_a))
    try:
        principal = authenticate(owner, day.carrier_a, PASSWORD)
        assert (principal.role, principal.carrier_siret) == (Role.CARRIER_DISPATCHER, SIRET_A)
        with as_a.reader() as session:
            everything_visible = missions_of_day(session, DAY)
            own_listing = missions_of_day(session, DAY, SIRET_A)
        assert {m.request_id for m in everything_visible} == day.requests_a
        assert own_listing == everything_visible
        assert {m.patient_last_name for m in own_listing} == {"ALPHA", "ALPHA-DEUX"}
        window = load_carrier_day(as_a, principal, DAY)  # what the carrier's window shows
        assert [v.id for v in window.problem.vehicles] == ["AA-001-AA"]
        assert {m.request_id for m in window.missions} == day.requests_a
        mission = own_listing[0]
        with as_a.transaction(principal.login) as session:
            change_status(session, mission.id, mission.version, MissionStatus.ACCEPTED)
            record_action(session, "accept", "missions", str(mission.id), mission.request_id)
        with pytest.raises(NotFoundError), as_a.transaction(principal.login) as session:
            change_status(session, day.missions_b[0], 1, MissionStatus.ACCEPTED)
        with owner.reader() as session:
            stored = session.get(Mission, mission.id)
            assert stored is not None and stored.status is MissionStatus.ACCEPTED
            assert stored.answered_by == day.carrier_a
            other = session.get(Mission, day.missions_b[0])
            assert other is not None and other.status is MissionStatus.PROPOSED
            actors = session.scalars(
                select(AuditEntry.actor).where(
                    AuditEntry.entity == "missions", AuditEntry.actor != "test-setup"
                )
            ).all()
        assert actors == [day.carrier_a, day.carrier_a]  # the row change, and the action
    finally:
        as_a.dispose()
        owner.dispose()


def test_a_carrier_appends_to_the_audit_log_under_its_name_only(server: Server, day: Day) -> None:
    """A carrier cannot edit, erase or forge history, and reads back only its own entries."""
    insert = (
        "INSERT INTO audit_log (at, actor, action, entity, changes) "
        "VALUES (now(), :actor, 'note', 'missions', '{}')"
    )
    for connection in _as(server, day.carrier_a):
        connection.execute(text(insert), {"actor": day.carrier_a})
        connection.commit()
        for statement in ("UPDATE audit_log SET actor = 'personne'", "DELETE FROM audit_log"):
            with pytest.raises(ProgrammingError) as refused:
                connection.execute(text(statement))
            assert _sqlstate(refused.value) == _INSUFFICIENT_PRIVILEGE
            connection.rollback()
        with pytest.raises(ProgrammingError) as forged:
            connection.execute(text(insert), {"actor": day.regulator})
        assert "row-level security" in str(forged.value)
        connection.rollback()
        assert _column(connection, "SELECT actor FROM audit_log") == [day.carrier_a]
    for connection in _as(server, day.regulator):
        assert len(_column(connection, "SELECT actor FROM audit_log")) > 1


def test_the_regulator_and_the_administrator_read_everything(server: Server, day: Day) -> None:
    """Both read every row and column; only the administrator may also edit accounts."""
    for login in (day.regulator, day.admin):
        for connection in _as(server, login):
            assert len(_column(connection, "SELECT id FROM missions")) == 3
            assert len(_column(connection, "SELECT care_type FROM transport_requests")) == 4
            assert len(_column(connection, "SELECT birth_date FROM patients")) == 4
            assert len(_column(connection, "SELECT siret FROM carriers")) == 2
            assert len(_column(connection, "SELECT login FROM users")) == 4
            changed = connection.execute(text("UPDATE transport_requests SET notes = 'vu'"))
            assert changed.rowcount == 4
            connection.rollback()
    for connection in _as(server, day.regulator):
        with pytest.raises(ProgrammingError) as refused:
            connection.execute(text("UPDATE users SET display_name = 'x'"))
        assert _sqlstate(refused.value) == _INSUFFICIENT_PRIVILEGE
    for connection in _as(server, day.admin):
        assert connection.execute(text("UPDATE users SET display_name = 'x'")).rowcount == 4
        connection.rollback()


def test_a_disabled_dispatcher_sees_nothing_and_cannot_sign_in(server: Server, day: Day) -> None:
    """Disabling empties an open session's view at once and refuses the next sign-in."""
    owner = Database(server.url)
    try:
        for connection in _as(server, day.carrier_a):
            assert len(_column(connection, "SELECT id FROM missions")) == 2
            connection.commit()
            with owner.transaction(day.admin) as session:
                set_active(session, day.carrier_a, False)
            assert _column(connection, "SELECT id FROM missions") == []
            assert _column(connection, "SELECT id FROM transport_requests") == []
        with pytest.raises(AccessDeniedError, match="désactivé"):
            authenticate(owner, day.carrier_a, PASSWORD)
        with pytest.raises(AccessDeniedError) as unknown:
            authenticate(owner, server.login("personne"), PASSWORD)
        assert str(unknown.value) == WRONG_CREDENTIALS
    finally:
        owner.dispose()


def _users(
    monkeypatch: pytest.MonkeyPatch, url: URL, *args: str, stdin: str = PASSWORD + "\n"
) -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return main(["users", *args, "--db", url.render_as_string(hide_password=False)])


def _groups_of(server: Server, login: str) -> list[str]:
    engine = create_engine(server.url)
    try:
        with engine.connect() as connection:
            return list(
                connection.scalars(
                    text(
                        "SELECT g.rolname FROM pg_auth_members m "
                        "JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member "
                        "WHERE u.rolname = :login ORDER BY 1"
                    ),
                    {"login": login},
                )
            )
    finally:
        engine.dispose()


def test_users_commands_manage_database_roles(
    server: Server, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`regul users` creates, regroups and disables database roles; no hash stays in users."""
    owner = Database(server.url)
    try:
        with owner.transaction("test-setup") as session:
            session.add(Carrier(name="Taxis Alpha", siret=SIRET_A))
    finally:
        owner.dispose()
    chef, alpha = server.login("chef"), server.login("alpha")
    assert _users(monkeypatch, server.url, "add", chef, "--role", "admin", "--password-stdin") == 0
    assert _groups_of(server, chef) == [server.group("admin")]
    as_chef = server.url_as(chef)
    assert _users(monkeypatch, as_chef, "add", alpha, "--role", "carrier", "--carrier", SIRET_A,
                  "--password-stdin") == 0  # fmt: skip
    assert _groups_of(server, alpha) == [server.group("carrier")]
    assert _users(monkeypatch, server.url_as(alpha), "list") == 1
    assert "non autorisé" in capsys.readouterr().err
    assert _users(monkeypatch, server.url_as(alpha), "passwd", alpha, "--password-stdin",
                  stdin="mon propre mot de passe\n") == 0  # fmt: skip
    assert _users(monkeypatch, as_chef, "grant", alpha, "--role", "regulator") == 0
    assert _groups_of(server, alpha) == [server.group("regulator")]
    assert _users(monkeypatch, as_chef, "passwd", alpha, "--password-stdin",
                  stdin="un tout autre mot de passe\n") == 0  # fmt: skip
    assert _users(monkeypatch, as_chef, "disable", alpha) == 0
    engine = create_engine(server.url)
    try:
        with engine.connect() as connection:
            hashes = list(connection.scalars(text("SELECT password_hash FROM users")))
            can_login, verifier = connection.execute(
                text("SELECT rolcanlogin, rolpassword FROM pg_authid WHERE rolname = :login"),
                {"login": alpha},
            ).one()
            actors = set(connection.scalars(text("SELECT DISTINCT actor FROM audit_log")))
    finally:
        engine.dispose()
    assert hashes == [None, None]
    assert not can_login and verifier.startswith("SCRAM-SHA-256$")
    assert actors == {"test-setup", "postgres", chef, alpha}


def test_downgrade_leaves_no_policy_and_keeps_the_shared_roles(server: Server) -> None:
    """Back to 0004 no policy, row security or grant is left; the shared group roles stay."""
    owner = Database(server.url)
    try:
        with owner.engine.begin() as connection:
            command.downgrade(alembic_config(connection), "0004")
        with owner.engine.connect() as connection:
            policies = connection.scalar(
                text("SELECT count(*) FROM pg_policies WHERE schemaname = current_schema()")
            )
            secured = connection.scalar(
                text(
                    "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = current_schema() AND c.relrowsecurity"
                )
            )
            grants = connection.scalar(
                text(
                    "SELECT count(*) FROM information_schema.role_table_grants "
                    "WHERE table_schema = current_schema() AND grantee LIKE :prefix"
                ),
                {"prefix": f"{server.prefix}%"},
            )
            groups = connection.scalar(
                text("SELECT count(*) FROM pg_roles WHERE rolname LIKE :prefix"),
                {"prefix": f"{server.prefix}%"},
            )
        assert (policies, secured, grants, groups) == (0, 0, 0, 3)
        upgrade(owner)
        with owner.engine.connect() as connection:
            assert connection.scalar(text("SELECT count(*) FROM pg_policies")) > 0
    finally:
        owner.dispose()


def test_a_dispatchers_desk_is_set_up_on_the_server_without_touching_the_centre(
    server: Server, day: Day
) -> None:
    """The wizard's probe and set-up, connected as a dispatcher: its role is named, nothing it
    may not read is counted, and the centre's département (a regulator's setting) stays."""
    from planning.departements import departement
    from regul.config import load_config
    from regul.setup import DeskSetup, apply_setup, probe

    nord, pas_de_calais = departement("59"), departement("62")
    assert nord is not None and pas_de_calais is not None
    apply_setup(DeskSetup(server.url_as(day.regulator), nord, day.regulator))
    regulator = probe(server.url_as(day.regulator), "anyone")
    assert regulator.departement == "59" and regulator.requests == 4
    found = probe(server.url_as(day.carrier_a), "anyone")
    assert found.usable and found.principal is not None and found.principal.is_carrier
    assert found.principal.login == day.carrier_a and found.departement == ""
    apply_setup(DeskSetup(server.url_as(day.carrier_a), pas_de_calais, day.carrier_a))
    config = load_config()
    assert config is not None and (config.departement, config.login) == ("62", day.carrier_a)
    assert probe(server.url_as(day.regulator), "anyone").departement == "59"
