"""A plan: each vehicle's ordered stops with planned times, and the requests left unserved."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


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
class Route:
    vehicle: str
    stops: tuple[Stop, ...]

    @property
    def requests(self) -> tuple[str, ...]:
        return tuple(s.request for s in self.stops if s.kind is StopKind.PICKUP and s.request)


@dataclass(frozen=True)
class Plan:
    routes: tuple[Route, ...]
    unassigned: Mapping[str, str] = field(default_factory=dict)  # request id → reason (French)
