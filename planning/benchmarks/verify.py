"""An independent check of a benchmark solution, from its routes and their stated times.

It shares nothing with the search: it reads the times a solver reports (its own or VROOM's)
and tests every constraint of the benchmark's definition on them, so a solver bug cannot
hide behind itself. Distances are recomputed from the instance.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from planning.lns.instance import PdpInstance

_TOLERANCE = 1e-6  # reported times are rounded floats


@dataclass(frozen=True)
class Visit:
    node: int  # node of the problem (not the file's label)
    start: float  # start of service; departure at the start depot


@dataclass(frozen=True)
class Verdict:
    cost: float
    vehicles: int
    violations: tuple[str, ...]

    @property
    def feasible(self) -> bool:
        return not self.violations


def verify(problem: PdpInstance, routes: Sequence[Sequence[Visit]]) -> Verdict:
    """Every rule the benchmark states, on every route; each breach said in words."""
    faults: list[str] = []
    visits: dict[int, tuple[int, int, float]] = {}  # node -> (route, position, start)
    cost = 0.0
    used = 0
    if len(routes) > problem.vehicles:
        faults.append(f"{len(routes)} routes for {problem.vehicles} vehicles")
    for r, route in enumerate(routes):
        if len(route) < 2:
            faults.append(f"route {r}: fewer than two visits")
            continue
        vehicle = min(r, problem.vehicles - 1)
        if route[0].node != problem.vehicle_start[vehicle]:
            faults.append(f"route {r}: does not leave from the depot")
        if route[-1].node != problem.vehicle_end[vehicle]:
            faults.append(f"route {r}: does not end at the depot")
        if len(route) > 2:
            used += 1
        carried = 0
        for position, visit in enumerate(route):
            node = visit.node
            early, late = problem.early[node], problem.late[node]
            if not early - _TOLERANCE <= visit.start <= late + _TOLERANCE:
                faults.append(
                    f"route {r}: node {node} served at {visit.start:.3f}, "
                    f"outside [{early:g}, {late:g}]"
                )
            if position:
                before = route[position - 1]
                leg = problem.distance[before.node, node]
                cost += leg
                ready = (
                    before.start + problem.service[before.node] + problem.travel[before.node, node]
                )
                if visit.start < ready - _TOLERANCE:
                    faults.append(
                        f"route {r}: node {node} at {visit.start:.3f}, cannot arrive before "
                        f"{ready:.3f}"
                    )
            if 0 < position < len(route) - 1:
                if node in visits:
                    faults.append(f"node {node} visited twice")
                visits[node] = (r, position, visit.start)
                carried += int(problem.load[node].sum())
                if carried > int(problem.capacity[vehicle].sum()):
                    faults.append(f"route {r}: {carried} on board after node {node}")
        duration = route[-1].start - route[0].start
        if duration > problem.max_duration[vehicle] + _TOLERANCE:
            faults.append(
                f"route {r}: lasts {duration:.3f}, more than {problem.max_duration[vehicle]:g}"
            )
    for request, (pickup, delivery) in enumerate(
        zip(problem.pickups, problem.deliveries, strict=True)
    ):
        if pickup not in visits or delivery not in visits:
            faults.append(f"request {request} (node {pickup}) not served")
            continue
        (r1, p1, t1), (r2, p2, t2) = visits[int(pickup)], visits[int(delivery)]
        if r1 != r2 or p1 > p2:
            faults.append(f"request {request}: drop-off {delivery} not after pickup {pickup}")
            continue
        ride = t2 - (t1 + problem.service[pickup])
        if ride > problem.ride_limit[request] + _TOLERANCE:
            faults.append(
                f"request {request}: rides {ride:.3f}, more than {problem.ride_limit[request]:g}"
            )
    return Verdict(cost, used, tuple(faults))
