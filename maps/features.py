"""What a day's map shows, as plain values: markers and lines in named layers.

Kept apart from the HTML so that it can be checked without a browser: each served request has
its pickup and drop-off markers in its route's colour, each leg of a route is empty (deadhead),
loaded, or shared (two patients or more aboard), and unserved requests sit in their own layer.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from planning.kpis import stop_point
from planning.model import Direction, Point, Problem, clock
from planning.plan import Plan, StopKind


class MarkerKind(StrEnum):
    BASE = "base"
    SITE = "site"  # a care site: the drop-off of an outbound trip, the pickup of a return
    PICKUP = "pickup"
    DROPOFF = "dropoff"
    UNSERVED = "unserved"


class LegKind(StrEnum):
    EMPTY = "empty"
    LOADED = "loaded"
    SHARED = "shared"


@dataclass(frozen=True)
class Marker:
    kind: MarkerKind
    point: Point
    layer: str
    colour: str
    text: str  # shown on hover, as plain text
    request: str | None = None  # what a click selects


@dataclass(frozen=True)
class Line:
    kind: LegKind
    points: tuple[Point, ...]
    layer: str
    colour: str
    text: str
    vehicle: str


@dataclass(frozen=True)
class MapFeatures:
    markers: tuple[Marker, ...]
    lines: tuple[Line, ...]
    layers: tuple[str, ...]  # in the order the layer control lists them


# Distinct colours that stay readable on a light map (Tableau 20, darker half first).
PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd",
    "#e6550d", "#31a354", "#756bb1", "#636363",
)  # fmt: skip
BASE_COLOUR = "#222222"
SITE_COLOUR = "#005a9c"
UNSERVED_COLOUR = "#c00000"

LAYER_BASES = "Bases"
LAYER_SITES = "Établissements"
LAYER_UNSERVED = "Non affectées"


def route_colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def map_features(
    problem: Problem, plan: Plan, labels: Mapping[str, str] | None = None
) -> MapFeatures:
    """The markers and lines of a plan; ``labels`` names requests for the hover text
    (request id → e.g. the patient's name), the id alone otherwise."""
    labels = labels or {}
    markers: list[Marker] = []
    lines: list[Line] = []
    carriers: list[str] = []

    def named(request: str) -> str:
        label = labels.get(request)
        return f"{request} — {label}" if label else request

    bases: dict[Point, list[str]] = {}
    for vehicle in problem.vehicles:
        bases.setdefault(vehicle.base, []).append(vehicle.id)
    for point, plates in bases.items():
        markers.append(
            Marker(MarkerKind.BASE, point, LAYER_BASES, BASE_COLOUR, "Base : " + ", ".join(plates))
        )
    sites: dict[Point, int] = {}
    for request in problem.requests:
        site = request.dropoff if request.direction is Direction.OUTBOUND else request.pickup
        if request.direction is not Direction.TRANSFER:
            sites[site] = sites.get(site, 0) + 1
    for point, count in sites.items():
        text = f"Établissement : {count} transport{'s' if count > 1 else ''}"
        markers.append(Marker(MarkerKind.SITE, point, LAYER_SITES, SITE_COLOUR, text))

    fleet = {v.id for v in problem.vehicles}
    for index, route in enumerate(plan.routes):
        if not route.requests or route.vehicle not in fleet:  # the checker names the latter
            continue
        vehicle = problem.vehicle(route.vehicle)
        colour = route_colour(index)
        if vehicle.carrier not in carriers:
            carriers.append(vehicle.carrier)
        layer = vehicle.carrier
        title = f"{vehicle.id} ({vehicle.kind.value.lower()}, {vehicle.carrier})"
        for leg in route.legs():
            start, end = (
                stop_point(problem, vehicle, leg.start),
                stop_point(problem, vehicle, leg.end),
            )
            if start != end:
                kind = LegKind.EMPTY if not leg.aboard else LegKind.LOADED
                kind = LegKind.SHARED if len(leg.aboard) > 1 else kind
                on = ", ".join(sorted(leg.aboard)) if leg.aboard else "à vide"
                lines.append(Line(kind, (start, end), layer, colour, f"{title} — {on}", vehicle.id))
        for stop in route.stops:
            if stop.request is None:
                continue
            point = stop_point(problem, vehicle, stop)
            if stop.kind is StopKind.PICKUP:
                text = f"Prise en charge {named(stop.request)} à {clock(stop.time)} — {title}"
                markers.append(Marker(MarkerKind.PICKUP, point, layer, colour, text, stop.request))
            elif stop.kind is StopKind.DROPOFF:
                text = f"Dépose {named(stop.request)} à {clock(stop.time)} — {title}"
                markers.append(Marker(MarkerKind.DROPOFF, point, layer, colour, text, stop.request))

    for request_id, reason in plan.unassigned.items():
        request = problem.request(request_id)
        text = f"Non affectée : {named(request_id)} — {reason}"
        markers.append(
            Marker(MarkerKind.UNSERVED, request.pickup, LAYER_UNSERVED, UNSERVED_COLOUR, text,
                   request_id)
        )  # fmt: skip
    layers = (LAYER_BASES, LAYER_SITES, *sorted(carriers), LAYER_UNSERVED)
    return MapFeatures(tuple(markers), tuple(lines), layers)
