"""ORM model of the whole mission, database access and repositories (no Qt)."""

from models.audit import AuditEntry
from models.base import Base
from models.establishments import Establishment
from models.fleet import Carrier, Vehicle, VehicleAvailability
from models.geocache import GeocodeCacheEntry
from models.imports import ImportMapping
from models.missions import Mission
from models.patients import Patient
from models.plans import Assignment, DayPlan, Route, Stop, UnservedRequest
from models.requests import TransportRequest
from models.series import RequestSeries
from models.settings import Setting
from models.statistics import DayStatistics
from models.users import User

__all__ = [
    "Assignment",
    "AuditEntry",
    "Base",
    "Carrier",
    "DayPlan",
    "DayStatistics",
    "Establishment",
    "GeocodeCacheEntry",
    "ImportMapping",
    "Mission",
    "Patient",
    "RequestSeries",
    "Route",
    "Setting",
    "Stop",
    "TransportRequest",
    "UnservedRequest",
    "User",
    "Vehicle",
    "VehicleAvailability",
]
