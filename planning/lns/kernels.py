"""Compiled inner loops of the search: is a route feasible, and where does a request fit best.

A route is an array of node numbers, its vehicle's start node first and end node last. Its
timing is a simple temporal network: each node's start of service lies in its window, follows
the previous node by that node's service and the travel between them, a passenger rides at
most the request's limit (drop-off start minus the end of pickup service) and the route lasts
at most the vehicle's duration. Raising every time to the least value these constraints allow,
until nothing moves, gives the earliest schedule; the route is feasible exactly when that
schedule respects every window's end. Waiting is allowed anywhere.

Two rules do not depend on time: the distance a passenger rides (the detour rule) and, in a
VSL, the distance between two pickups made while someone is aboard.

A route may also cost fares: each passenger's fare depends on the vehicle's fare class and on
the most patients aboard together over a leg of its ride (shared-ride discounts), weighed
against distance by ``Network.fare_weight``.

These run thousands of times a second in the search, hence numba.
"""

from typing import NamedTuple

import numpy as np
from numba import njit

_EPS = 1e-9


class Network(NamedTuple):
    """Per node (N of them): what every route shares."""

    distance: np.ndarray  # (N, N)
    travel: np.ndarray  # (N, N)
    service: np.ndarray
    early: np.ndarray
    late: np.ndarray
    load: np.ndarray  # (N, D)
    partner: np.ndarray  # a pickup's delivery node, -1 elsewhere
    request_of: np.ndarray  # -1 at depots
    ride_limit: np.ndarray  # at pickups: time from the end of pickup service to the drop-off
    ride_distance: np.ndarray  # at pickups: distance aboard
    fare: np.ndarray  # (R, C, P): by request, fare class, patients aboard at most (1..P)
    fare_weight: float  # distance one unit of fare weighs; 0: fares left out


class Scratch(NamedTuple):
    """Working space, reused call after call: no allocation in the inner loops."""

    position: np.ndarray  # (N,), -1 between uses
    route: np.ndarray  # (longest route,)
    times: np.ndarray  # (longest route,)


class Fleet(NamedTuple):
    """Per vehicle (K of them), and which vehicle may carry which request."""

    capacity: np.ndarray  # (K, D)
    max_duration: np.ndarray
    pickup_spacing: np.ndarray  # between two pickups while someone is aboard
    kind: np.ndarray  # equal for interchangeable vehicles
    allowed: np.ndarray  # (R, K)
    fare_class: np.ndarray  # index into Network.fare's second axis


@njit(cache=True)
def earliest_schedule(
    route: np.ndarray,
    length: int,
    net: Network,
    max_duration: float,
    position: np.ndarray,
    out: np.ndarray,
) -> bool:
    """Fill ``out[:length]`` with the earliest start of service at each node; False if none.

    ``position`` is scratch space of one entry per node, all -1 on entry and on return.
    """
    for k in range(length):
        position[route[k]] = k
    feasible = True
    out[0] = net.early[route[0]]
    start = 1
    settled = False
    for _round in range(length + 2):
        for k in range(start, length):
            prev = route[k - 1]
            t = out[k - 1] + net.service[prev] + net.travel[prev, route[k]]
            out[k] = max(t, net.early[route[k]]) if _round == 0 else max(t, out[k])
            if out[k] > net.late[route[k]] + _EPS:
                feasible = False
                break
        if not feasible:
            break
        # A pickup too early for its passenger's ride limit, or a departure too early for the
        # route's duration, is pushed later; the sweep then resumes from the first one moved.
        start = length
        for k in range(1, length - 1):
            node = route[k]
            if net.partner[node] >= 0:
                drop = position[net.partner[node]]
                least = out[drop] - net.ride_limit[node] - net.service[node]
                if least > out[k] + _EPS:
                    out[k] = least
                    if out[k] > net.late[node] + _EPS:
                        feasible = False
                        break
                    start = min(start, k + 1)
        if not feasible:
            break
        least = out[length - 1] - max_duration
        if least > out[0] + _EPS:
            out[0] = least
            if out[0] > net.late[route[0]] + _EPS:
                feasible = False
                break
            start = 1
        if start == length:
            settled = True
            break
    # still moving after every possible round: the constraints contradict each other
    feasible = feasible and settled
    for k in range(length):
        position[route[k]] = -1
    return feasible


@njit(cache=True)
def distances_allowed(
    route: np.ndarray, length: int, net: Network, spacing: float, position: np.ndarray
) -> bool:
    """Each passenger's distance aboard within its limit, and VSL pickups close enough."""
    travelled = np.empty(length)
    travelled[0] = 0.0
    for k in range(1, length):
        travelled[k] = travelled[k - 1] + net.distance[route[k - 1], route[k]]
        position[route[k]] = k
    ok = True
    aboard = 0
    last_pickup = -1
    for k in range(1, length - 1):
        node = route[k]
        if net.partner[node] >= 0:
            ridden = travelled[position[net.partner[node]]] - travelled[k]
            if ridden > net.ride_distance[node] + _EPS:
                ok = False
                break
            if aboard > 0 and net.distance[last_pickup, node] > spacing + _EPS:
                ok = False
                break
            aboard += 1
            last_pickup = node
        elif net.request_of[node] >= 0:
            aboard -= 1
    for k in range(1, length):
        position[route[k]] = -1
    return ok


@njit(cache=True)
def route_feasible(
    route: np.ndarray,
    length: int,
    net: Network,
    max_duration: float,
    spacing: float,
    position: np.ndarray,
    out: np.ndarray,
) -> bool:
    """Every rule on one route; ``out`` gets its earliest schedule."""
    if not earliest_schedule(route, length, net, max_duration, position, out):
        return False
    return distances_allowed(route, length, net, spacing, position)


@njit(cache=True)
def route_fare(route: np.ndarray, length: int, net: Network, fare_class: int) -> float:
    """The fares of a route's passengers: each at the most patients aboard together over a
    leg of positive distance during its ride, as ``planning.kpis.most_sharing`` counts them.

    ``net.load[:, 3]`` counts patients (the day's "patients" dimension); fares are only ever
    set on day instances, whose loads have it.
    """
    if net.fare_weight == 0.0:
        return 0.0
    aboard = np.empty(length, dtype=np.int64)  # requests aboard, in boarding order
    most = np.ones(length, dtype=np.int64)  # the most patients each has ridden with
    count = 0
    patients = 0
    total = 0.0
    for k in range(1, length - 1):
        node = route[k]
        if net.partner[node] >= 0:
            aboard[count] = node
            most[count] = 1
            count += 1
            patients += net.load[node, 3]
        elif net.request_of[node] >= 0:
            for m in range(count):
                if net.partner[aboard[m]] == node:
                    shared = min(most[m], net.fare.shape[2])
                    total += net.fare[net.request_of[node], fare_class, shared - 1]
                    for h in range(m, count - 1):
                        aboard[h] = aboard[h + 1]
                        most[h] = most[h + 1]
                    count -= 1
                    patients += net.load[node, 3]
                    break
        # only a leg driven counts as riding together (not boarding where another leaves)
        if net.distance[node, route[k + 1]] > 0.0:
            for m in range(count):
                most[m] = max(most[m], patients)
    return total


@njit(cache=True)
def best_insertion(
    route: np.ndarray,
    length: int,
    pickup: int,
    net: Network,
    capacity: np.ndarray,
    max_duration: float,
    spacing: float,
    scratch: Scratch,
    current_times: np.ndarray,
    fare_class: int,
) -> tuple[float, int, int]:
    """The cheapest feasible insertion of a request: (added distance, plus the weighed change
    of the route's fares when fares count, i, j).

    The pickup goes before the node now at ``i`` and the drop-off before the node now at ``j``
    (``j >= i``; equal when the drop-off directly follows the pickup). (inf, -1, -1) if none.

    ``current_times`` is the route's earliest schedule. Inserting only ever delays the nodes
    after it, so a delay beyond a node's forward slack (how late it may start without pushing
    a later node out of its window) rules a position out before the full check (Savelsbergh,
    ORSA Journal on Computing 4(2), 1992).
    """
    delivery = net.partner[pickup]
    distance, travel, service = net.distance, net.travel, net.service
    early, late, load = net.early, net.late, net.load
    best = np.inf
    best_i = -1
    best_j = -1
    dims = load.shape[1]
    # Without ride, distance or duration limits the slack tests below are exact, and the
    # full check can be skipped: that is most of the time on wide-window routes.
    limited = max_duration < np.inf or spacing < np.inf
    limited = limited or net.ride_limit[pickup] < np.inf or net.ride_distance[pickup] < np.inf
    for k in range(1, length - 1):
        node = route[k]
        if net.ride_limit[node] < np.inf or net.ride_distance[node] < np.inf:
            limited = True
    # Fares: sharing only lowers fares, so the route's passengers can at best all reach their
    # lowest fare, and the newcomer its own; that bounds what a position can gain.
    fares = net.fare_weight > 0.0
    fare_before = 0.0
    fare_bound = 0.0
    if fares:
        fare_before = route_fare(route, length, net, fare_class)
        least = net.fare[net.request_of[pickup], fare_class].min()
        for k in range(1, length - 1):
            if net.partner[route[k]] >= 0:
                least += net.fare[net.request_of[route[k]], fare_class].min()
        fare_bound = net.fare_weight * (least - fare_before)
    slack = np.empty(length)
    slack[length - 1] = late[route[length - 1]] - current_times[length - 1]
    for k in range(length - 2, -1, -1):
        node = route[k]
        wait = current_times[k + 1] - (
            current_times[k] + service[node] + travel[node, route[k + 1]]
        )
        slack[k] = min(late[node] - current_times[k], wait + slack[k + 1])
    carried = np.zeros((length, dims), dtype=load.dtype)
    for k in range(1, length):
        for d in range(dims):
            carried[k, d] = carried[k - 1, d] + load[route[k - 1], d]
    for i in range(1, length):
        a = route[i - 1]
        b = route[i]
        at_pickup = max(current_times[i - 1] + service[a] + travel[a, pickup], early[pickup])
        if at_pickup > late[pickup] + _EPS:
            continue
        after_pickup = at_pickup + service[pickup]
        if after_pickup + travel[pickup, delivery] > late[delivery] + _EPS:
            continue
        pickup_cost = distance[a, pickup] + distance[pickup, b] - distance[a, b]
        # arrival at route[j] once the pickup is in, for j = i, i+1, ...
        shifted = after_pickup + travel[pickup, b]
        for j in range(i, length):
            if j > i:
                prev = route[j - 1]
                shifted = max(shifted, current_times[j - 1])  # now the start at route[j-1]
                # delayed beyond its slack, route[j-1] or a node after it misses its window,
                # wherever the drop-off goes from here on (it only adds time)
                if shifted - current_times[j - 1] > slack[j - 1] + _EPS:
                    break
                shifted += service[prev] + travel[prev, route[j]]
            # capacity: the load after node j-1 (now also carrying the request) must fit
            over = False
            for d in range(dims):
                if carried[j, d] + load[pickup, d] > capacity[d]:
                    over = True
            if over:
                break
            if j == i:
                at_delivery = after_pickup + travel[pickup, delivery]
                cost = distance[a, pickup] + distance[pickup, delivery] + distance[delivery, b]
                cost -= distance[a, b]
            else:
                c = route[j - 1]
                ready = max(shifted - service[c] - travel[c, route[j]], current_times[j - 1])
                at_delivery = ready + service[c] + travel[c, delivery]
                e = route[j]
                cost = pickup_cost + distance[c, delivery] + distance[delivery, e]
                cost -= distance[c, e]
            if cost + fare_bound >= best - _EPS:
                continue
            if at_delivery > late[delivery] + _EPS:
                continue
            at_delivery = max(at_delivery, early[delivery])
            after = at_delivery + service[delivery] + travel[delivery, route[j]]
            if after - current_times[j] > slack[j] + _EPS:
                continue
            if not limited and not fares:
                best, best_i, best_j = cost, i, j
                continue
            n = 0
            trial = scratch.route
            for k in range(length):
                if k == i:
                    trial[n] = pickup
                    n += 1
                if k == j:
                    trial[n] = delivery
                    n += 1
                trial[n] = route[k]
                n += 1
            if fares:
                cost += net.fare_weight * (route_fare(trial, n, net, fare_class) - fare_before)
                if cost >= best - _EPS:
                    continue
            if not limited or route_feasible(
                trial, n, net, max_duration, spacing, scratch.position, scratch.times
            ):
                best, best_i, best_j = cost, i, j
    if best_i < 0:
        return np.inf, -1, -1
    return best, best_i, best_j


@njit(cache=True)
def open_vehicles(lengths: np.ndarray, kind: np.ndarray, max_routes: int) -> np.ndarray:
    """Vehicles a request may go to: those in use, and one idle vehicle of each kind while
    fewer than ``max_routes`` are in use (idle vehicles of a kind are interchangeable)."""
    count = len(lengths)
    allowed = lengths > 2
    if allowed.sum() >= max_routes:
        return allowed
    seen = np.zeros(kind.max() + 1, dtype=np.bool_)
    for k in range(count):
        if not allowed[k] and not seen[kind[k]]:
            seen[kind[k]] = True
            allowed[k] = True
    return allowed


@njit(cache=True)
def regret_insert(
    pending: np.ndarray,
    routes: np.ndarray,
    lengths: np.ndarray,
    times: np.ndarray,
    net: Network,
    fleet: Fleet,
    pickups: np.ndarray,
    max_routes: int,
    vehicle_cost: float,
    bias: np.ndarray,
    regret: int,
    scratch: Scratch,
) -> int:
    """Insert the ``pending`` requests, the one with most to lose from waiting first.

    ``regret`` 1 is plain greedy; k > 1 ranks a request by how much worse its k-1 next best
    vehicles are than its best. ``bias`` is added to any insertion into each vehicle.
    Routes, lengths and times are updated in place. Returns how many requests could not be
    placed; they are left at the head of ``pending``.
    """
    count = len(pending)
    vehicles = routes.shape[0]
    cost = np.full((count, vehicles), np.inf)
    at_i = np.full((count, vehicles), -1, dtype=np.int64)
    at_j = np.full((count, vehicles), -1, dtype=np.int64)
    active = np.ones(count, dtype=np.bool_)
    open_now = open_vehicles(lengths, fleet.kind, max_routes)
    for k in range(vehicles):
        if open_now[k]:
            for q in range(count):
                _evaluate(
                    q, k, pending, routes, lengths, times, net, fleet, pickups, vehicle_cost,
                    bias, scratch, cost, at_i, at_j,
                )  # fmt: skip
    remaining = count
    smallest = np.empty(max(regret, 1))
    while remaining > 0:
        chosen = -1
        chosen_loss = -np.inf
        chosen_best = np.inf
        for q in range(count):
            if not active[q]:
                continue
            # the ``regret`` lowest costs of this request, in order
            smallest[:] = np.inf
            for k in range(vehicles):
                value = cost[q, k]
                if value < smallest[regret - 1]:
                    h = regret - 1
                    while h > 0 and smallest[h - 1] > value:
                        smallest[h] = smallest[h - 1]
                        h -= 1
                    smallest[h] = value
            if smallest[0] == np.inf:
                continue
            loss = 0.0
            for h in range(1, regret):
                loss += (smallest[h] if smallest[h] < np.inf else 1e12) - smallest[0]
            if loss > chosen_loss or (loss == chosen_loss and smallest[0] < chosen_best):
                chosen, chosen_loss, chosen_best = q, loss, smallest[0]
        if chosen < 0:
            break
        k = int(np.argmin(cost[chosen]))
        _place(routes, lengths, k, pickups[pending[chosen]], net.partner, at_i[chosen, k],
               at_j[chosen, k])  # fmt: skip
        earliest_schedule(
            routes[k], lengths[k], net, fleet.max_duration[k], scratch.position, times[k]
        )
        active[chosen] = False
        remaining -= 1
        now_open = open_vehicles(lengths, fleet.kind, max_routes)
        for v in range(vehicles):
            if now_open[v] and (v == k or not open_now[v]):
                for q in range(count):
                    if active[q]:
                        _evaluate(
                            q, v, pending, routes, lengths, times, net, fleet, pickups,
                            vehicle_cost, bias, scratch, cost, at_i, at_j,
                        )  # fmt: skip
            elif open_now[v] and not now_open[v]:
                cost[:, v] = np.inf
        open_now = now_open
    left = 0
    for q in range(count):
        if active[q]:
            pending[left] = pending[q]
            left += 1
    return left


@njit(cache=True)
def _evaluate(
    q: int,
    k: int,
    pending: np.ndarray,
    routes: np.ndarray,
    lengths: np.ndarray,
    times: np.ndarray,
    net: Network,
    fleet: Fleet,
    pickups: np.ndarray,
    vehicle_cost: float,
    bias: np.ndarray,
    scratch: Scratch,
    cost: np.ndarray,
    at_i: np.ndarray,
    at_j: np.ndarray,
) -> None:
    """Cost and place of request ``pending[q]``'s best insertion into vehicle ``k``."""
    request = pending[q]
    if not fleet.allowed[request, k] or lengths[k] + 2 > routes.shape[1]:
        cost[q, k] = np.inf
        return
    best, i, j = best_insertion(
        routes[k], lengths[k], pickups[request], net, fleet.capacity[k], fleet.max_duration[k],
        fleet.pickup_spacing[k], scratch, times[k], fleet.fare_class[k],
    )  # fmt: skip
    if best < np.inf:
        best += bias[k] + (vehicle_cost if lengths[k] == 2 else 0.0)
    cost[q, k] = best
    at_i[q, k] = i
    at_j[q, k] = j


@njit(cache=True)
def _place(
    routes: np.ndarray,
    lengths: np.ndarray,
    k: int,
    pickup: int,
    partner: np.ndarray,
    i: int,
    j: int,
) -> None:
    """Put the pickup before position ``i`` and its drop-off before position ``j``."""
    n = lengths[k]
    route = routes[k]
    for m in range(n - 1, j - 1, -1):
        route[m + 2] = route[m]
    route[j + 1] = partner[pickup]
    for m in range(j - 1, i - 1, -1):
        route[m + 1] = route[m]
    route[i] = pickup
    lengths[k] = n + 2


@njit(cache=True)
def remove_nodes(
    routes: np.ndarray,
    lengths: np.ndarray,
    times: np.ndarray,
    gone: np.ndarray,
    net: Network,
    fleet: Fleet,
    position: np.ndarray,
) -> None:
    """Drop every node flagged in ``gone`` from the routes and reschedule those that changed."""
    for k in range(routes.shape[0]):
        n = 0
        for m in range(lengths[k]):
            node = routes[k, m]
            if not gone[node]:
                routes[k, n] = node
                n += 1
        if n != lengths[k]:
            lengths[k] = n
            earliest_schedule(routes[k], n, net, fleet.max_duration[k], position, times[k])


@njit(cache=True)
def removal_gains(routes: np.ndarray, lengths: np.ndarray, net: Network, gains: np.ndarray) -> None:
    """Distance saved by taking each routed request out of its route (``gains`` by request)."""
    distance = net.distance
    for k in range(routes.shape[0]):
        route = routes[k]
        for m in range(1, lengths[k] - 1):
            node = route[m]
            if net.partner[node] < 0:
                continue
            e = m + 1
            while route[e] != net.partner[node]:
                e += 1
            a, b = route[m - 1], route[m + 1]
            if e == m + 1:
                after = route[e + 1]
                gain = distance[a, node] + distance[node, b] + distance[b, after]
                gain -= distance[a, after]
            else:
                c, f = route[e - 1], route[e + 1]
                gain = distance[a, node] + distance[node, b] - distance[a, b]
                gain += distance[c, route[e]] + distance[route[e], f] - distance[c, f]
            gains[net.request_of[node]] = gain


@njit(cache=True)
def total_fare(routes: np.ndarray, lengths: np.ndarray, net: Network, fleet: Fleet) -> float:
    """The fares of every passenger on the routes (0 when fares are left out)."""
    total = 0.0
    if net.fare_weight == 0.0:
        return total
    for k in range(routes.shape[0]):
        if lengths[k] > 2:
            total += route_fare(routes[k], lengths[k], net, fleet.fare_class[k])
    return total


@njit(cache=True)
def total_distance(routes: np.ndarray, lengths: np.ndarray, distance: np.ndarray) -> float:
    """The distance the vehicles in use drive (an idle vehicle stays at its base)."""
    total = 0.0
    for k in range(routes.shape[0]):
        if lengths[k] <= 2:
            continue
        for m in range(1, lengths[k]):
            total += distance[routes[k, m - 1], routes[k, m]]
    return total
