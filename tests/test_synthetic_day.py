"""The synthetic day looks like a real one and obeys the prescriptions' own logic."""

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from importers.identifiers import luhn_valid
from importers.synthetic import generate_day, load_communes
from models import TransportRequest, Vehicle
from models.enums import CareType, Direction, Mobility, Payer, TransportMode
from models.repositories.audit import history
from models.repositories.common import Outcome
from models.session import Database
from regul.demo import load_demo_day

DAY = date(2026, 11, 24)


@pytest.fixture(scope="module")
def day():  # type: ignore[no-untyped-def]
    return generate_day(DAY, requests=400, seed=3)


def test_same_seed_same_day_other_seed_other_day() -> None:
    """Generation is deterministic for a seed and date."""
    assert generate_day(DAY, 50, seed=1) == generate_day(DAY, 50, seed=1)
    assert generate_day(DAY, 50, seed=1) != generate_day(DAY, 50, seed=2)


def test_sizes_match_a_departement_day(day) -> None:  # type: ignore[no-untyped-def]
    """Requested count exactly, about six requests per vehicle, several carriers and sites."""
    assert len(day.requests) == 400
    assert len(day.vehicles) == round(400 / 6)
    assert len(day.carriers) >= 8
    assert len(day.establishments) == 10
    assert len({r.external_id for r in day.requests}) == 400
    assert len({v.plate for v in day.vehicles}) == len(day.vehicles)


def test_identifiers_carry_valid_keys(day) -> None:  # type: ignore[no-untyped-def]
    """FINESS and SIRET numbers pass their Luhn check."""
    assert all(luhn_valid(e.finess) and len(e.finess) == 9 for e in day.establishments)
    assert all(luhn_valid(c.siret) and len(c.siret) == 14 for c in day.carriers)


def test_prescriptions_are_coherent(day) -> None:  # type: ignore[no-untyped-def]
    """Lying patients go by ambulance and never share; times bind each direction correctly."""
    for request in day.requests:
        if request.mobility is Mobility.LYING:
            assert request.prescribed_mode is TransportMode.AMBULANCE
            assert not request.sharing_compatible
        else:
            assert request.prescribed_mode is not TransportMode.AMBULANCE
        if request.direction is Direction.OUTBOUND:
            assert request.appointment_at is not None and request.ready_at is None
            assert request.dropoff.establishment_finess is not None
        else:
            assert request.ready_at is not None and request.appointment_at is None
            assert request.pickup.establishment_finess is not None
        assert request.payer is (
            Payer.ESTABLISHMENT
            if request.direction is Direction.TRANSFER
            else Payer.ASSURANCE_MALADIE
        )
        when = request.appointment_at or request.ready_at
        assert when is not None and when.date() == DAY and 7 <= when.hour <= 19


def test_returns_follow_their_outbound_trip(day) -> None:  # type: ignore[no-untyped-def]
    """A patient's return is ready after the appointment that brought them."""
    by_patient: dict[str, list] = {}  # type: ignore[type-arg]
    for request in day.requests:
        by_patient.setdefault(request.patient.file_number, []).append(request)
    pairs = [trips for trips in by_patient.values() if len(trips) == 2]
    assert len(pairs) > 100
    for outbound, back in pairs:
        assert (outbound.direction, back.direction) == (Direction.OUTBOUND, Direction.RETURN)
        assert back.ready_at > outbound.appointment_at
        assert back.dropoff == outbound.pickup


def test_mix_of_care_types_modes_and_vehicles(day) -> None:  # type: ignore[no-untyped-def]
    """Every care type appears, taxis dominate, the fleet carries lying and wheelchair patients."""
    care = Counter(r.care_type for r in day.requests)
    assert set(care) >= {
        c
        for c in CareType
        if c not in (CareType.HOSPITALISATION, CareType.OTHER, CareType.TRANSFER)
    }
    modes = Counter(r.prescribed_mode for r in day.requests)
    assert modes[TransportMode.TAXI] > modes[TransportMode.VSL] > modes[TransportMode.AMBULANCE] > 0
    kinds = Counter(v.kind for v in day.vehicles)
    assert kinds[TransportMode.AMBULANCE] > 0 and kinds[TransportMode.VSL] > 0
    assert any(v.wheelchair_places for v in day.vehicles)
    assert 0.3 < sum(r.sharing_compatible for r in day.requests) / len(day.requests) < 0.8


def test_places_lie_in_the_nord_departement(day) -> None:  # type: ignore[no-untyped-def]
    """Every position is within the département's bounding box, postcodes start with 59."""
    communes = load_communes()
    assert len(communes) >= 50
    for request in day.requests:
        for place in (request.pickup, request.dropoff):
            assert place.position is not None
            assert 49.9 < place.position.lat < 51.15 and 2.0 < place.position.lon < 4.3
            assert place.postcode is not None and place.postcode.startswith("59")


def test_loading_twice_changes_nothing(db: Database, tmp_path: Path) -> None:
    """The second load finds every record unchanged: no new version, only the import log lines."""
    day = generate_day(DAY, requests=60, seed=5)
    first = load_demo_day(db, day, tmp_path, actor="demo")
    assert first.count(Outcome.CREATED) == (
        len(day.establishments) + len(day.carriers) + len(day.vehicles) + 60
    )
    with db.reader() as session:
        entries = len(history(session, limit=10_000))
    second = load_demo_day(db, day, tmp_path, actor="demo")
    assert (second.count(Outcome.CREATED), second.count(Outcome.UPDATED)) == (0, 0)
    with db.reader() as session:
        everything = history(session, limit=10_000)
        new_entries = everything[: len(everything) - entries]
        assert [e.action for e in new_entries] == ["import"] * 3
        assert {r.version for r in session.query(TransportRequest)} == {1}
        assert {v.version for v in session.query(Vehicle)} == {1}
    assert second.summary.requests == 60
