"""A plan: each vehicle's ordered stops with planned times, and the requests left unserved."""

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property


class StopKind(StrEnum):
    START = "START"
    PICKUP = "PICKUP"
    DROPOFF = "DROPOFF"
    END = "END"


@dataclass(frozen=True)
class Stop:
    kind: StopKind
    time: int  # seconds after midnight: leaving the base, or starting service at the stop
    request: str | None = None  # pickups and drop-offs only


@dataclass(frozen=True)
class Leg:
    """From one stop to the next, with who is aboard: empty, one patient, or shared."""

    start: Stop
    end: Stop
    aboard: frozenset[str]


@dataclass(frozen=True)
class Route:
    vehicle: str
    stops: tuple[Stop, ...]

    @cached_property  # asked often of the same route (hand edits, the dispatch's re-offers)
    def requests(self) -> tuple[str, ...]:
        return tuple(s.request for s in self.stops if s.kind is StopKind.PICKUP and s.request)

    def keeping(self, requests: Collection[str]) -> "Route":
        """The route with only the stops of ``requests`` (and its start and end)."""
        return Route(
            self.vehicle, tuple(s for s in self.stops if s.request is None or s.request in requests)
        )

    def legs(self) -> tuple[Leg, ...]:
        aboard: set[str] = set()
        legs = []
        for start, end in zip(self.stops, self.stops[1:], strict=False):
            if start.kind is StopKind.PICKUP and start.request:
                aboard.add(start.request)
            elif start.kind is StopKind.DROPOFF and start.request:
                aboard.discard(start.request)
            legs.append(Leg(start, end, frozenset(aboard)))
        return tuple(legs)


@dataclass(frozen=True)
class Plan:
    routes: tuple[Route, ...]
    unassigned: Mapping[str, str] = field(default_factory=dict)  # request id → reason (French)
