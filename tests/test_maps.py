"""The day's map: what it shows, that it needs no network, and that names stay text."""

import re
from dataclasses import replace
from datetime import date

from maps.assets import LEAFLET_DIR
from maps.features import LegKind, MarkerKind, map_features
from maps.route_map import render_map
from planning.model import Direction, Problem
from planning.plan import Plan, Route, Stop, StopKind
from tests.planning_factories import CLINIC, RULES, H, trip, vehicle

HOSTILE = "<img src=x onerror=alert(1)></script><script>alert(2)</script>"


def _shared_day() -> tuple[Problem, Plan]:
    """Two patients share the taxi to the clinic; a third is left out; a VSL stays idle."""
    a, b = trip("A", 50.70, 3.16), trip("B", 50.68, 3.12)
    c = trip("C", 50.60, 3.00, direction=Direction.RETURN, pickup=CLINIC, ready=16 * H)
    problem = Problem(
        date(2026, 11, 24),
        (a, b, c),
        (vehicle("AB-123-CD"), vehicle("EF-456-GH", carrier=HOSTILE)),
        RULES,
    )
    stops = (
        Stop(StopKind.START, 6 * H),
        Stop(StopKind.PICKUP, 7 * H, "A"),
        Stop(StopKind.PICKUP, 7 * H + 600, "B"),
        Stop(StopKind.DROPOFF, 7 * H + 1800, "A"),
        Stop(StopKind.DROPOFF, 7 * H + 1900, "B"),
        Stop(StopKind.END, 8 * H),
    )
    plan = Plan(
        (Route("AB-123-CD", stops), Route("EF-456-GH", ())),
        {"C": "aucun véhicule libre"},
    )
    return problem, plan


def test_legs_are_empty_loaded_or_shared_by_who_is_aboard() -> None:
    problem, plan = _shared_day()
    features = map_features(problem, plan, labels={"A": "Mme Martin"})
    kinds = [line.kind for line in features.lines]
    # base → A empty, A → B loaded, B → clinic shared; both drop-offs at the clinic, then home
    assert kinds == [LegKind.EMPTY, LegKind.LOADED, LegKind.SHARED, LegKind.EMPTY]
    by_kind = {m.kind: m for m in features.markers if m.request == "A"}
    assert set(by_kind) == {MarkerKind.PICKUP, MarkerKind.DROPOFF}
    assert "Mme Martin" in by_kind[MarkerKind.PICKUP].text
    assert "07:00" in by_kind[MarkerKind.PICKUP].text
    unserved = [m for m in features.markers if m.kind is MarkerKind.UNSERVED]
    assert [m.request for m in unserved] == ["C"]
    assert "aucun véhicule libre" in unserved[0].text
    # the idle vehicle draws nothing but its base; its carrier has no layer of its own
    assert features.layers == ("Bases", "Établissements", "Taxis du Nord", "Non affectées")


def test_the_page_loads_leaflet_from_the_installed_package_and_nothing_from_the_web() -> None:
    problem, plan = _shared_day()
    page = render_map(problem, plan, tiles=False)
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert (LEAFLET_DIR / "leaflet.js").as_uri() in sources
    assert (LEAFLET_DIR / "leaflet.css").as_uri() in sources
    assert all(not s.startswith(("http:", "https:", "//")) for s in sources), sources
    assert (LEAFLET_DIR / "leaflet.js").is_file()


def test_tiles_are_the_only_thing_fetched_online() -> None:
    problem, plan = _shared_day()
    page = render_map(problem, plan, tiles=True)
    remote = set(re.findall(r"https?://[^\"' )]+", page))
    assert remote == {"https://tile.openstreetmap.org/{z}/{x}/{y}.png"}, remote


def test_hostile_names_reach_the_page_only_as_text() -> None:
    problem, plan = _shared_day()
    hostile = replace(problem, vehicles=(vehicle("AB-123-CD", carrier=HOSTILE),))
    hostile_plan = Plan(plan.routes[:1], {"C": HOSTILE})
    page = render_map(hostile, hostile_plan, labels={"A": HOSTILE}, tiles=False)
    assert HOSTILE in map_features(hostile, hostile_plan).layers  # the name did reach the page
    assert "<img src=x" not in page
    assert "</script><script>alert(2)" not in page
    assert page.count("<script>alert") == 0
