"""Splitting a département's day into areas the solver can handle, then mending the seams.

One OR-Tools model of 2,000 requests and 330 vehicles neither fits in memory nor finds a first
solution in minutes. Requests are grouped by where they happen (k-means on the middle of each
trip, a patient's outbound and return kept together) and each area gets vehicles in proportion
to its requests of each kind, nearest bases first. Areas are solved one after the other within
the time budget; the requests left over are then offered to the vehicles no area used.
"""

import math
from collections import defaultdict
from dataclasses import replace

import numpy as np

from planning.model import Kind, Problem, Request, Vehicle
from planning.plan import Plan

AREA_REQUESTS = 320  # an area the solver improves well within half a minute
_TOLERANCE = 1.3  # an area may grow this much over AREA_REQUESTS before it is cut again
_KMEANS_ROUNDS = 25
EVENING_S = 18 * 3600 + 30 * 60  # a vehicle still on duty then can take the evening returns


def areas(problem: Problem, seed: int = 0) -> list[Problem]:
    """The day cut into independent sub-problems (one when it is small enough)."""
    requests = problem.requests
    if len(requests) <= AREA_REQUESTS * _TOLERANCE:
        return [problem]
    area_requests = [
        [request for group in part for request in group]
        for part in _split(_patient_groups(requests), seed)
    ]
    area_centres = [
        np.mean([_centre([r]) for r in members], axis=0) if members else np.zeros(2)
        for members in area_requests
    ]
    # A vehicle a request is pinned to goes where that request is; the rest are shared out.
    pinned = {r.vehicle: a for a, members in enumerate(area_requests) for r in members if r.vehicle}
    fleets = _share_fleet(
        tuple(v for v in problem.vehicles if v.id not in pinned), area_requests, area_centres
    )
    for vehicle in problem.vehicles:
        if vehicle.id in pinned:
            fleets[pinned[vehicle.id]].append(vehicle)
    return [
        replace(problem, requests=tuple(members), vehicles=tuple(fleet))
        for members, fleet in zip(area_requests, fleets, strict=True)
        if members
    ]


def leftovers(problem: Problem, plans: list[Plan]) -> Problem:
    """What no area served, with the vehicles no area used."""
    used = {route.vehicle for plan in plans for route in plan.routes}
    unserved = {rid for plan in plans for rid in plan.unassigned}
    return replace(
        problem,
        requests=tuple(r for r in problem.requests if r.id in unserved),
        vehicles=tuple(v for v in problem.vehicles if v.id not in used),
    )


def _split(groups: list[list[Request]], seed: int) -> list[list[list[Request]]]:
    """Patient groups cut into areas of at most about AREA_REQUESTS requests each.

    k-means alone leaves a dense city as one huge area, so big areas are cut again; when
    k-means cannot separate them (all at one site), they are halved by position.
    """
    size = sum(len(group) for group in groups)
    if size <= AREA_REQUESTS * _TOLERANCE or len(groups) < 2:
        return [groups]
    count = math.ceil(size / AREA_REQUESTS)
    centres = np.array([_centre(group) for group in groups])
    labels = _kmeans(centres, count, seed)
    parts = [
        [g for g, label in zip(groups, labels, strict=True) if label == k] for k in range(count)
    ]
    parts = [part for part in parts if part]
    if len(parts) == 1:
        order = np.argsort(centres[:, 0] + centres[:, 1])
        half = len(groups) // 2
        parts = [[groups[i] for i in order[:half]], [groups[i] for i in order[half:]]]
    return [area for part in parts for area in _split(part, seed)]


def _patient_groups(requests: tuple[Request, ...]) -> list[list[Request]]:
    by_patient: dict[str, list[Request]] = defaultdict(list)
    for request in requests:
        by_patient[request.patient].append(request)
    return list(by_patient.values())


def _centre(group: list[Request]) -> tuple[float, float]:
    lats = [p.lat for r in group for p in (r.pickup, r.dropoff)]
    lons = [p.lon for r in group for p in (r.pickup, r.dropoff)]
    return sum(lats) / len(lats), sum(lons) / len(lons)


def _kmeans(points: np.ndarray, count: int, seed: int) -> np.ndarray:
    """Plain k-means on (lat, lon scaled to km-like units); deterministic for a seed."""
    scaled = points * np.array([1.0, math.cos(math.radians(float(points[:, 0].mean())))])
    rng = np.random.default_rng(seed)
    centres = scaled[rng.choice(len(scaled), size=count, replace=False)]
    labels = np.zeros(len(scaled), dtype=np.int64)
    for _ in range(_KMEANS_ROUNDS):
        distances = ((scaled[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        labels = distances.argmin(axis=1)
        for k in range(count):
            members = scaled[labels == k]
            if len(members):
                centres[k] = members.mean(axis=0)
    return labels


def _share_fleet(
    vehicles: tuple[Vehicle, ...],
    area_requests: list[list[Request]],
    area_centres: list[np.ndarray],
) -> list[list[Vehicle]]:
    """Vehicles split by each area's demand for their kind and their hours, nearest first.

    A vehicle on duty in the evening goes where evening trips are (dialysis returns), one that
    stops mid-afternoon where the day's trips are: an area given only early crews would leave
    its evening returns to vehicles from the far end of the département.
    """
    fleets: list[list[Vehicle]] = [[] for _ in area_requests]
    for kind in Kind:
        for evening in (False, True):
            pool = [v for v in vehicles if v.kind is kind and _evening(v) is evening]
            if not pool:
                continue
            demand = [
                sum(1 for r in members if _needs(r, kind) and _late(r) is evening)
                for members in area_requests
            ]
            _allot(pool, demand, area_centres, fleets)
    return fleets


def _allot(
    pool: list[Vehicle],
    demand: list[int],
    area_centres: list[np.ndarray],
    fleets: list[list[Vehicle]],
) -> None:
    total = sum(demand) or len(demand)
    quotas = [max(1 if d else 0, round(len(pool) * d / total)) for d in demand]
    free = set(range(len(pool)))
    # Areas with the largest demand choose first, each taking its nearest free vehicles.
    for area in sorted(range(len(demand)), key=lambda a: -demand[a]):
        centre = area_centres[area]
        nearest = sorted(free, key=lambda i: _distance(pool[i], centre))[: quotas[area]]
        for index in nearest:
            fleets[area].append(pool[index])
            free.discard(index)
    for index in free:  # rounding leftovers go to the area nearest their base
        area = min(range(len(demand)), key=lambda a: _distance(pool[index], area_centres[a]))
        fleets[area].append(pool[index])


def _evening(vehicle: Vehicle) -> bool:
    return vehicle.shift_end >= EVENING_S


def _late(request: Request) -> bool:
    moment = request.appointment if request.appointment is not None else request.ready
    return moment is not None and moment >= EVENING_S - 2 * 3600


def _needs(request: Request, kind: Kind) -> bool:
    if kind is Kind.AMBULANCE:
        return request.lying or request.mode is Kind.AMBULANCE
    return not (request.lying or request.mode is Kind.AMBULANCE)


def _distance(vehicle: Vehicle, centre: np.ndarray) -> float:
    return float((vehicle.base.lat - centre[0]) ** 2 + (vehicle.base.lon - centre[1]) ** 2)
