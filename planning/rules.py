"""The rule set in force on a date, read from versioned data files (planning/data/rules/).

Numbers that law or convention can change live in those files with their source, never in code;
a regulator's centre can add a newer file without touching Régul.
"""

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

# Every rule the checker knows; a rule file switches each on or off.
CHECKS = frozenset(
    {
        "lying_only_in_ambulance",
        "ambulance_single_patient",
        "prescribed_mode",
        "tap_interchangeable",
        "wheelchair_place",
        "capacity",
        "max_patients",
        "sharing_only_shareable",
        "detour_limit",
        "vsl_pickup_spacing",
        "care_site_window",
        "return_after_ready",
        "total_wait",
        "shifts",
    }
)


@dataclass(frozen=True)
class RoadModel:
    """How far and how long by road, when no road network is configured."""

    road_factor: float
    overhead_minutes: float
    urban_km: float
    urban_speed_kmh: float
    open_road_speed_kmh: float
    pickup_minutes: float
    dropoff_minutes: float
    lying_extra_minutes: float


@dataclass(frozen=True)
class RuleSet:
    version: str
    valid_from: date
    source: str
    max_patients: Mapping[str, int]
    eligible_care_types: frozenset[str]
    shareable_modes: frozenset[str]
    detour_km_per_extra_patient: float
    max_detour_km: float
    vsl_max_km_between_pickups: float
    max_total_wait_minutes: int
    prior_approval_km: float
    road_factor: float
    max_early_arrival_minutes: int
    checks: frozenset[str]  # the checks switched on
    roads: RoadModel

    def sharing_allowed_for(self, care_type: str) -> bool:
        return care_type in self.eligible_care_types

    def sharing_allowed_in(self, mode: str) -> bool:
        return mode in self.shareable_modes

    def applies(self, check: str) -> bool:
        return check in self.checks


class RulesError(ValueError):
    """A rule file is missing a value or holds one of the wrong type."""


@cache
def load_rule_sets(folder: Path | None = None) -> tuple[RuleSet, ...]:
    """Every shipped (or given) rule set, oldest first (read once per process: they are
    versioned files, a new one takes effect at the next start)."""
    if folder is None:
        files = [
            entry
            for entry in resources.files("planning").joinpath("data/rules").iterdir()
            if entry.name.endswith(".toml")
        ]
        texts = [(entry.name, entry.read_text("utf-8")) for entry in files]
    else:
        texts = [(path.name, path.read_text("utf-8")) for path in folder.glob("*.toml")]
    sets = [_parse(name, tomllib.loads(text)) for name, text in texts]
    return tuple(sorted(sets, key=lambda rule_set: rule_set.valid_from))


def rules_on(day: date, rule_sets: tuple[RuleSet, ...] | None = None) -> RuleSet:
    """The rule set in force on ``day`` (the earliest one for days before any version)."""
    candidates = rule_sets or load_rule_sets()
    in_force = [rule_set for rule_set in candidates if rule_set.valid_from <= day]
    return in_force[-1] if in_force else candidates[0]


def _parse(name: str, data: Mapping[str, Any]) -> RuleSet:
    try:
        meta, sharing, roads = data["meta"], data["sharing"], data["roads"]
        return RuleSet(
            version=str(meta["version"]),
            valid_from=_as_date(meta["valid_from"]),
            source=str(meta["source"]),
            max_patients={str(k): int(v) for k, v in data["capacity"]["max_patients"].items()},
            eligible_care_types=frozenset(map(str, sharing["eligible_care_types"])),
            shareable_modes=frozenset(map(str, sharing["shareable_modes"])),
            detour_km_per_extra_patient=float(sharing["detour_km_per_extra_patient"]),
            max_detour_km=float(sharing["max_detour_km"]),
            vsl_max_km_between_pickups=float(sharing["vsl_max_km_between_pickups"]),
            max_total_wait_minutes=int(sharing["max_total_wait_minutes"]),
            prior_approval_km=float(data["prior_approval"]["one_way_km"]),
            road_factor=float(roads["road_factor"]),
            max_early_arrival_minutes=int(data["care_site"]["max_early_arrival_minutes"]),
            checks=_checks(name, data["checks"]),
            roads=RoadModel(
                **{field: float(roads[field]) for field in RoadModel.__dataclass_fields__}
            ),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise RulesError(f"règles {name} : valeur manquante ou invalide ({exc})") from exc


def _checks(name: str, written: Mapping[str, Any]) -> frozenset[str]:
    """The switched-on checks; every known check must be given, and nothing else."""
    given = {key for key in written if key != "source"}
    if unknown := given - CHECKS:
        raise RulesError(f"règles {name} : contrôle inconnu {', '.join(sorted(unknown))}")
    if missing := CHECKS - given:
        raise RulesError(f"règles {name} : contrôle non précisé {', '.join(sorted(missing))}")
    if not all(isinstance(written[key], bool) for key in given):
        raise RulesError(f"règles {name} : chaque contrôle vaut true ou false")
    return frozenset(key for key in given if written[key])


def _as_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
