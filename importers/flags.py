"""The attention flags of a request record, from the rules in force on its day."""

from dataclasses import replace

from models.records import RequestRecord
from planning.attention import Flag, TripFacts, attention_flags
from planning.geometry import great_circle_km
from planning.rules import rules_on


def flags_of(record: RequestRecord) -> tuple[Flag, ...]:
    pickup, dropoff = record.pickup.position, record.dropoff.position
    distance = (
        great_circle_km(pickup.lat, pickup.lon, dropoff.lat, dropoff.lon)
        if pickup and dropoff
        else None
    )
    return attention_flags(
        TripFacts(
            care_type=record.care_type.value,
            mode=record.prescribed_mode.value,
            sharing_compatible=record.sharing_compatible,
            prior_approval_given=record.prior_approval,
            straight_km=distance,
        ),
        rules_on(record.service_date),
    )


def with_flags(record: RequestRecord) -> RequestRecord:
    return replace(record, flags=tuple(flag.value for flag in flags_of(record)))
