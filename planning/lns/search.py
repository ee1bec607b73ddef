"""Adaptive large-neighbourhood search for pickup and delivery with ride limits.

Ropke & Pisinger's scheme (Transportation Science 40(4), 2006): remove a few requests
(at random, the costliest, related ones, or a whole route), put them back by regret
insertion, accept the result by simulated annealing, and let the operators that pay earn more
turns. The other removal family, ``strings``, takes out runs of consecutive stops from routes
near a random stop instead (Christiaens & Vanden Berghe's slack induction by string removals,
Transportation Science 54(2), 2020): on long routes with wide windows it frees a stretch of a
route in one piece, which the classic removals rarely do. Insertions are only ever feasible
(``planning.lns.kernels``), so every route the search holds is legal; what cannot be placed
waits in a bank at a large penalty.

The objective is distance, plus each vehicle's fixed cost, plus the weighted imbalance of
trips among carriers when a rotation weight is set, plus the weighted fares when the instance
has them. With ``vehicles_first`` (Li & Lim's
ranking) the search first tries to empty a route at a time, then spends the rest of its time
on distance.
"""

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from planning.lns.instance import Floats, Ints, PdpInstance
from planning.lns.kernels import (
    Scratch,
    earliest_schedule,
    regret_insert,
    removal_gains,
    remove_nodes,
    route_feasible,
    total_distance,
    total_fare,
)

_SCORE_BEST, _SCORE_BETTER, _SCORE_ACCEPTED = 33.0, 9.0, 13.0
_SEGMENT = 100  # iterations between operator weight updates
_REACTION = 0.1
_START_WORSE, _START_ODDS = 0.05, 0.5  # a 5 % worse plan is first accepted half the time
_END_TEMPERATURE_SHARE = 0.002
_VEHICLE_PHASE_SHARE = 0.5  # of the time, at most, spent removing vehicles
# requests taken out per iteration: at least, at most, and at most this share of them all
_REMOVE_LEAST, _REMOVE_MOST, _REMOVE_SHARE = 4, 60, 0.4
_STRING_LONGEST = 10  # stops in one removed string, at most

Removals = Literal["classic", "strings"]


@dataclass(frozen=True)
class SearchParams:
    time_limit_s: float = 60.0
    seed: int = 0
    iterations: int | None = None  # a fixed count makes the run repeatable for its seed
    # "classic": random, worst, related and route removal, adaptively weighted; "strings":
    # strings of consecutive stops only
    removals: Removals = "classic"

    def __post_init__(self) -> None:
        if self.time_limit_s <= 0:
            raise ValueError("time_limit_s must be positive")
        if self.removals not in ("classic", "strings"):
            raise ValueError(f"unknown removals {self.removals!r}")


@dataclass(frozen=True)
class Solution:
    routes: tuple[Ints, ...]  # per vehicle, start and end nodes included
    unassigned: frozenset[int]  # requests left out
    distance: float
    vehicles: int

    def schedule(self, instance: PdpInstance, vehicle: int) -> Floats:
        """Earliest start of service at each node of the vehicle's route."""
        route = self.routes[vehicle]
        times = np.empty(len(route))
        ok = earliest_schedule(
            route,
            len(route),
            instance.network,
            float(instance.fleet.max_duration[vehicle]),
            np.full(len(instance.service), -1, dtype=np.int64),
            times,
        )
        if not ok:
            raise ValueError(f"route {vehicle} has no feasible schedule")
        return times


Progress = Callable[[float, int], None]


@dataclass(frozen=True)
class _Deadline:
    clock: float  # time.monotonic() value
    iteration: int | None  # when the run counts iterations instead


def solve(
    instance: PdpInstance,
    params: SearchParams,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
    start: Sequence[Sequence[int]] | None = None,
) -> Solution:
    """The best solution found: fewest left out, then (with ``vehicles_first``) fewest
    vehicles, then distance plus the vehicles' fixed cost.

    ``start`` gives a route per vehicle (its stops, without the depots) to start from, such as
    another solver's plan; a route that breaks a rule here is dropped and its requests placed
    again.
    """
    return _Search(instance, params, progress, should_stop).run(start)


class _State:
    """Routes under change, one row per vehicle, with their earliest schedules."""

    def __init__(self, routes: Ints, lengths: Ints, times: Floats, bank: Ints) -> None:
        self.routes = routes
        self.lengths = lengths
        self.times = times
        self.bank = bank  # requests left out

    def copy(self) -> "_State":
        return _State(self.routes.copy(), self.lengths.copy(), self.times.copy(), self.bank.copy())

    def used(self) -> int:
        return int((self.lengths > 2).sum())

    def route(self, vehicle: int) -> Ints:
        return self.routes[vehicle, : self.lengths[vehicle]]


class _Search:
    def __init__(
        self,
        instance: PdpInstance,
        params: SearchParams,
        progress: Progress | None,
        should_stop: Callable[[], bool] | None,
    ) -> None:
        self.instance = instance
        self.params = params
        self.progress = progress
        self.should_stop = should_stop
        self.rng = np.random.default_rng(params.seed)
        nodes = len(instance.service)
        self.position = np.full(nodes, -1, dtype=np.int64)
        self.longest = _longest_route(instance)
        self.scratch = Scratch(
            self.position, np.empty(self.longest, dtype=np.int64), np.empty(self.longest)
        )
        self.gone = np.zeros(nodes, dtype=np.bool_)
        self.max_distance = float(instance.distance.max()) or 1.0
        most_fare = instance.fare_weight * float(instance.network.fare.max())
        self.penalty = 1000.0 * self.max_distance + 10.0 * (instance.vehicle_cost + most_fare)
        self.max_routes = instance.vehicles
        self.no_bias = np.zeros(instance.vehicles)
        self.started = time.monotonic()
        self.iteration = 0
        self.destroy: list[Callable[[_State, int], None]] = (
            [self._strings]
            if params.removals == "strings"
            else [self._random, self._worst, self._related, self._route]
        )
        self.regrets = [1, 2, 3]
        self.hardness = np.ones(instance.requests)  # iterations each request spent left out
        self.emptying = False  # in the vehicle phase
        kinds = len(self.destroy)
        self.weights = {"destroy": np.ones(kinds), "repair": np.ones(3)}
        self.scores = {"destroy": np.zeros(kinds), "repair": np.zeros(3)}
        self.uses = {"destroy": np.zeros(kinds), "repair": np.zeros(3)}

    # -- the loop ---------------------------------------------------------------------------

    def run(self, start: Sequence[Sequence[int]] | None) -> Solution:
        inst = self.instance
        routes = np.zeros((inst.vehicles, self.longest), dtype=np.int64)
        routes[:, 0] = inst.vehicle_start
        routes[:, 1] = inst.vehicle_end
        lengths = np.full(inst.vehicles, 2, dtype=np.int64)
        times = np.zeros((inst.vehicles, self.longest))
        state = _State(routes, lengths, times, np.arange(inst.requests, dtype=np.int64))
        for k in range(inst.vehicles):
            self._schedule(state, k)
        if start is not None:
            self._adopt(state, start)
        self._insert(state, regret=2)
        best = state
        if inst.vehicles_first:
            best = self._fewer_vehicles(state)
            self.max_routes = best.used()
        best = self._anneal(best, self._deadline(1.0))
        return self._solution(best)

    def _adopt(self, state: _State, start: Sequence[Sequence[int]]) -> None:
        """Take the given routes that hold here; their requests leave the bank."""
        inst = self.instance
        if len(start) != inst.vehicles:
            raise ValueError(f"{len(start)} start routes for {inst.vehicles} vehicles")
        placed: list[int] = []
        for k, stops in enumerate(start):
            if not stops:
                continue
            route = np.array([inst.vehicle_start[k], *stops, inst.vehicle_end[k]], dtype=np.int64)
            stops_at = {int(node): m for m, node in enumerate(route)}
            pickups = route[1:-1][inst.network.partner[route[1:-1]] >= 0]
            whole = len(stops_at) == len(route) and 2 * len(pickups) == len(route) - 2
            whole = whole and all(
                stops_at.get(int(inst.network.partner[p]), -1) > stops_at[int(p)] for p in pickups
            )
            loads = np.cumsum(inst.load[route], axis=0)
            if not whole or (loads > inst.capacity[k]).any():
                continue
            if not bool(inst.fleet.allowed[inst.network.request_of[pickups], k].all()):
                continue
            fits = route_feasible(
                route,
                len(route),
                inst.network,
                float(inst.fleet.max_duration[k]),
                float(inst.fleet.pickup_spacing[k]),
                self.position,
                state.times[k],
            )
            if fits:
                state.routes[k, : len(route)] = route
                state.lengths[k] = len(route)
                placed.extend(int(q) for q in inst.network.request_of[pickups])
            else:
                self._schedule(state, k)  # the check wrote its times over the empty route's
        state.bank = np.setdiff1d(state.bank, np.array(placed, dtype=np.int64))

    def _fewer_vehicles(self, state: _State) -> _State:
        """Empty one route at a time until the others cannot absorb its requests."""
        best = state
        deadline = self._deadline(_VEHICLE_PHASE_SHARE)
        least = least_vehicles(self.instance)
        while not len(best.bank) and best.used() > least and not self._out_of_time(deadline):
            self.max_routes = best.used() - 1
            trial = best.copy()
            self._remove_route(trial, smallest=True)
            found = self._anneal(trial, deadline, emptying=True)
            if len(found.bank):
                break
            best = found
        return best

    def _anneal(self, start: _State, deadline: _Deadline, emptying: bool = False) -> _State:
        """Simulated annealing over destroy and repair; the best state seen.

        ``emptying`` (the vehicle phase) stops as soon as nothing is left out, and weighs each
        left-out request by how long it has been left out, so that the search keeps the hard
        ones in and lets the easy ones wait their turn (the penalty counters of Nagata and
        Bräysy's route minimisation, Operations Research Letters 37(5), 2009).
        """
        self.emptying = emptying
        current = best = start
        current_cost = self._cost(start, weighted=emptying)
        best_rank = self._rank(start)
        first = -_START_WORSE * max(self._distance(start), 1.0) / math.log(_START_ODDS)
        phase_start = (time.monotonic(), self.iteration)
        while not self._out_of_time(deadline):
            if emptying:
                if not len(best.bank):
                    break
                self.hardness[current.bank] += 1
                current_cost = self._cost(current, weighted=True)
            temperature = first * _END_TEMPERATURE_SHARE ** self._phase_progress(
                phase_start, deadline
            )
            d = self._pick("destroy")
            r = self._pick("repair")
            trial = current.copy()
            self.destroy[d](trial, self._removal_count())
            self._insert(trial, regret=self.regrets[r])
            cost = self._cost(trial, weighted=emptying)
            rank = self._rank(trial)
            score = 0.0
            if rank[0] < best_rank[0] or (
                rank[0] == best_rank[0] and rank[1] < best_rank[1] - 1e-9
            ):
                best, best_rank, score = trial, rank, _SCORE_BEST
                if self.progress is not None:
                    self.progress(self._distance(best), self.instance.requests - len(best.bank))
            if cost < current_cost - 1e-9:
                score = max(score, _SCORE_BETTER)
                current, current_cost = trial, cost
            elif self.rng.random() < math.exp((current_cost - cost) / temperature):
                score = max(score, _SCORE_ACCEPTED)
                current, current_cost = trial, cost
            self._reward(d, r, score)
            self.iteration += 1
        self.emptying = False
        return best

    # -- destroy ----------------------------------------------------------------------------

    def _removal_count(self) -> int:
        requests = self.instance.requests
        low = min(_REMOVE_LEAST, requests)
        high = max(low, min(_REMOVE_MOST, int(_REMOVE_SHARE * requests)))
        return int(self.rng.integers(low, high + 1))

    def _routed(self, state: _State) -> Ints:
        """The requests on a route."""
        width = state.routes.shape[1]
        inside = np.arange(width)[None, :] < state.lengths[:, None]
        pickups = state.routes[inside & (self.instance.network.partner[state.routes] >= 0)]
        routed: Ints = self.instance.network.request_of[pickups]
        return routed

    def _take_out(self, state: _State, requests: Ints) -> None:
        inst = self.instance
        self.gone[inst.pickups[requests]] = True
        self.gone[inst.deliveries[requests]] = True
        remove_nodes(
            state.routes, state.lengths, state.times, self.gone, inst.network, inst.fleet,
            self.position,
        )  # fmt: skip
        self.gone[:] = False
        state.bank = np.concatenate((state.bank, requests))

    def _random(self, state: _State, count: int) -> None:
        routed = self._routed(state)
        if len(routed):
            self._take_out(state, self.rng.choice(routed, min(count, len(routed)), replace=False))

    def _worst(self, state: _State, count: int) -> None:
        """The requests whose removal saves the most distance, with some randomness."""
        inst = self.instance
        routed = self._routed(state)
        gains = np.zeros(inst.requests)
        removal_gains(state.routes, state.lengths, inst.network, gains)
        order = routed[np.argsort(-gains[routed], kind="stable")]
        self._take_out(state, self._biased(order, count, power=3.0))

    def _related(self, state: _State, count: int) -> None:
        """Requests near one another in space and time (Shaw removal)."""
        inst = self.instance
        routed = self._routed(state)
        if not len(routed):
            return
        when = np.zeros(len(inst.service))
        for k in range(inst.vehicles):
            when[state.route(k)] = state.times[k, : state.lengths[k]]
        p, d = inst.pickups, inst.deliveries
        if self.emptying and len(state.bank):  # make room for a left-out request
            weights = self.hardness[state.bank]
            seed = state.bank[self.rng.choice(len(state.bank), p=weights / weights.sum())]
            when[p[seed]] = 0.5 * (inst.early[p[seed]] + inst.late[p[seed]])
            when[d[seed]] = 0.5 * (inst.early[d[seed]] + inst.late[d[seed]])
        else:
            seed = routed[self.rng.integers(len(routed))]
        space = inst.distance[p[seed], p[routed]] + inst.distance[d[seed], d[routed]]
        timing = np.abs(when[p[seed]] - when[p[routed]]) + np.abs(when[d[seed]] - when[d[routed]])
        relatedness = space / self.max_distance + timing / (float(timing.max()) or 1.0)
        order = routed[np.argsort(relatedness, kind="stable")]
        self._take_out(state, self._biased(order, count, power=6.0))

    def _route(self, state: _State, count: int) -> None:
        self._remove_route(state, smallest=False)

    def _strings(self, state: _State, count: int) -> None:
        """Strings of consecutive stops, one per route, from the routes nearest a random stop.

        ``count`` sets how many stops go in all, about; each string is at most
        ``_STRING_LONGEST`` stops and no longer than the routes are on average. A stop's
        partner leaves with it, wherever it is.
        """
        inst = self.instance
        used = np.flatnonzero(state.lengths > 2)
        if not len(used):
            return
        vehicle_of = np.full(len(inst.service), -1, dtype=np.int64)
        for vehicle in used:
            vehicle_of[state.route(int(vehicle))[1:-1]] = vehicle
        stops = np.flatnonzero(vehicle_of >= 0)
        seed = stops[self.rng.integers(len(stops))]
        longest = min(float(_STRING_LONGEST), float((state.lengths[used] - 2).mean()))
        strings = int(self.rng.uniform(1, 4 * count / (1 + longest)))
        touched: set[int] = set()
        removed: list[Ints] = []
        for node in stops[np.argsort(inst.distance[seed, stops], kind="stable")]:
            owner = int(vehicle_of[node])
            if owner in touched:
                continue
            touched.add(owner)
            route = state.route(owner)
            length = int(self.rng.uniform(1, min(len(route) - 2, longest) + 1))
            at = int(np.flatnonzero(route == node)[0])
            first = min(max(1, at - int(self.rng.integers(length))), len(route) - 1 - length)
            removed.append(inst.network.request_of[route[first : first + length]])
            if len(touched) >= strings:
                break
        self._take_out(state, np.unique(np.concatenate(removed)))

    def _remove_route(self, state: _State, smallest: bool) -> None:
        used = np.flatnonzero(state.lengths > 2)
        if not len(used):
            return
        if smallest:
            sizes = state.lengths[used]
            used = used[sizes == sizes.min()]
        vehicle = int(used[self.rng.integers(len(used))])
        nodes = state.route(vehicle)[1:-1]
        pickups = nodes[self.instance.network.partner[nodes] >= 0]
        self._take_out(state, self.instance.network.request_of[pickups])

    def _biased(self, order: Ints, count: int, power: float) -> Ints:
        """Take ``count`` from a ranked array, favouring its head."""
        remaining = list(order)
        chosen: list[int] = []
        while remaining and len(chosen) < count:
            index = int(len(remaining) * self.rng.random() ** power)
            chosen.append(remaining.pop(index))
        return np.array(chosen, dtype=np.int64)

    # -- repair -----------------------------------------------------------------------------

    def _insert(self, state: _State, regret: int) -> None:
        inst = self.instance
        pending = np.sort(state.bank)
        left = regret_insert(
            pending, state.routes, state.lengths, state.times, inst.network, inst.fleet,
            inst.pickups, self.max_routes, inst.vehicle_cost, self._bias(state), regret,
            self.scratch,
        )  # fmt: skip
        state.bank = pending[:left].copy()

    # -- bookkeeping ------------------------------------------------------------------------

    def _schedule(self, state: _State, vehicle: int) -> None:
        inst = self.instance
        ok = earliest_schedule(
            state.routes[vehicle],
            state.lengths[vehicle],
            inst.network,
            float(inst.fleet.max_duration[vehicle]),
            self.position,
            state.times[vehicle],
        )
        if not ok:
            raise ValueError(f"{inst.name}: vehicle {vehicle} cannot even leave and come back")

    def _distance(self, state: _State) -> float:
        return float(total_distance(state.routes, state.lengths, self.instance.distance))

    def _cost(self, state: _State, weighted: bool = False) -> float:
        """What the search minimises; ``weighted`` counts each left-out request by its
        hardness instead of once."""
        inst = self.instance
        banked = float(self.hardness[state.bank].sum()) if weighted else len(state.bank)
        return (
            self._distance(state)
            + inst.vehicle_cost * state.used()
            + self.penalty * banked
            + inst.rotation_weight * self._imbalance(state)
            + inst.fare_weight * total_fare(state.routes, state.lengths, inst.network, inst.fleet)
        )

    def _rank(self, state: _State) -> tuple[int, float]:
        """How the best state is kept: fewest left out, then the plain cost."""
        return len(state.bank), self._cost(state)

    def _surplus(self, state: _State) -> Floats:
        """Trips each owner has beyond its fair share (negative: short of it)."""
        inst = self.instance
        assert inst.owner is not None and inst.owner_share is not None
        trips = (state.lengths - 2) / 2
        per_owner = np.bincount(inst.owner, weights=trips, minlength=len(inst.owner_share))
        surplus: Floats = per_owner - inst.owner_share * trips.sum()
        return surplus

    def _imbalance(self, state: _State) -> float:
        """Trips that would have to change hands for every owner to have its fair share."""
        if self.instance.rotation_weight == 0:
            return 0.0
        return 0.5 * float(np.abs(self._surplus(state)).sum())

    def _bias(self, state: _State) -> Floats:
        """What one more trip for each vehicle's owner does to the imbalance, weighted."""
        inst = self.instance
        if inst.rotation_weight == 0:
            return self.no_bias
        assert inst.owner is not None and inst.owner_share is not None  # the instance checks it
        surplus = self._surplus(state)
        shares = inst.owner_share
        # one trip more in all moves every fair share up by the owner's share of it
        others = np.abs(surplus - shares) - np.abs(surplus)
        change = 0.5 * (others.sum() - others + np.abs(surplus + 1 - shares) - np.abs(surplus))
        bias: Floats = inst.rotation_weight * change[inst.owner]
        return bias

    def _pick(self, family: str) -> int:
        weights = self.weights[family]
        index = int(self.rng.choice(len(weights), p=weights / weights.sum()))
        self.uses[family][index] += 1
        return index

    def _reward(self, destroy: int, repair: int, score: float) -> None:
        self.scores["destroy"][destroy] += score
        self.scores["repair"][repair] += score
        if self.iteration % _SEGMENT:
            return
        for family in ("destroy", "repair"):
            used = self.uses[family]
            gained = np.divide(self.scores[family], used, out=np.zeros_like(used), where=used > 0)
            self.weights[family] = np.where(
                used > 0,
                (1 - _REACTION) * self.weights[family] + _REACTION * gained,
                self.weights[family],
            )
            self.weights[family] = np.maximum(self.weights[family], 0.05)
            self.scores[family][:] = 0
            used[:] = 0

    def _deadline(self, share: float) -> _Deadline:
        """The point ``share`` of the way through the budget, in seconds and iterations."""
        iterations = self.params.iterations
        return _Deadline(
            self.started + share * self.params.time_limit_s,
            None if iterations is None else int(share * iterations),
        )

    def _out_of_time(self, deadline: _Deadline) -> bool:
        if self.should_stop is not None and self.should_stop():
            return True
        if deadline.iteration is not None and self.iteration >= deadline.iteration:
            return True
        return time.monotonic() >= deadline.clock

    def _phase_progress(self, start: tuple[float, int], deadline: _Deadline) -> float:
        """How far through its phase the search is, 0 to 1: what cools the temperature."""
        if deadline.iteration is not None:
            span = max(deadline.iteration - start[1], 1)
            return min(1.0, (self.iteration - start[1]) / span)
        return min(1.0, (time.monotonic() - start[0]) / max(deadline.clock - start[0], 1e-9))

    def _solution(self, state: _State) -> Solution:
        return Solution(
            routes=tuple(state.route(k).copy() for k in range(self.instance.vehicles)),
            unassigned=frozenset(int(q) for q in state.bank),
            distance=self._distance(state),
            vehicles=state.used(),
        )


def least_vehicles(instance: PdpInstance) -> int:
    """A lower bound on the vehicles needed: every stop's service and the shortest way into it
    must fit in the longest shift. Reaching it ends the search for fewer vehicles early."""
    stops = np.concatenate((instance.pickups, instance.deliveries))
    into = instance.travel[:, stops].astype(np.float64)
    into[stops, np.arange(len(stops))] = np.inf  # not from the stop itself
    work = float((instance.service[stops] + into.min(axis=0)).sum())
    shift = np.minimum(
        instance.late[instance.vehicle_end] - instance.early[instance.vehicle_start],
        instance.max_duration,
    )
    return max(1, math.ceil(work / float(shift.max()) - 1e-9))


def _longest_route(instance: PdpInstance) -> int:
    """Room for the longest possible route: every stop, or as many as service times allow
    within the widest shift (a day's fleet would otherwise hold 4,000 slots per vehicle)."""
    every = 2 * instance.requests + 2
    stops = instance.service[np.concatenate((instance.pickups, instance.deliveries))]
    least = float(stops.min()) if len(stops) else 0.0
    if least <= 0:
        return every
    span = float(
        (instance.late[instance.vehicle_end] - instance.early[instance.vehicle_start]).max()
    )
    return min(every, int(span / least) + 3)
