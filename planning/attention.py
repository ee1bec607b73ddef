"""Points on a request a regulator should look at, though the request stays valid.

Flags are stored on the request as codes; :func:`describe` gives the French text. The limits
come from the rule set in force, never from here.
"""

from dataclasses import dataclass
from enum import StrEnum

from planning.rules import RuleSet


class Flag(StrEnum):
    PRIOR_APPROVAL_NEEDED = "PRIOR_APPROVAL_NEEDED"
    SHARING_CARE_TYPE_NOT_ELIGIBLE = "SHARING_CARE_TYPE_NOT_ELIGIBLE"
    SHARING_MODE_NOT_ALLOWED = "SHARING_MODE_NOT_ALLOWED"


@dataclass(frozen=True)
class TripFacts:
    """What the checks need to know of one request (names of the models' enum members)."""

    care_type: str
    mode: str
    sharing_compatible: bool
    prior_approval_given: bool
    straight_km: float | None  # pickup to drop-off as the crow flies, None if unknown


def attention_flags(trip: TripFacts, rules: RuleSet) -> tuple[Flag, ...]:
    flags: list[Flag] = []
    if (
        trip.straight_km is not None
        and not trip.prior_approval_given
        and trip.straight_km * rules.road_factor > rules.prior_approval_km
    ):
        flags.append(Flag.PRIOR_APPROVAL_NEEDED)
    if trip.sharing_compatible:
        if not rules.sharing_allowed_in(trip.mode):
            flags.append(Flag.SHARING_MODE_NOT_ALLOWED)
        if not rules.sharing_allowed_for(trip.care_type):
            flags.append(Flag.SHARING_CARE_TYPE_NOT_ELIGIBLE)
    return tuple(flags)


def describe(flag: str, rules: RuleSet) -> str:
    """The French sentence for a stored flag code (unknown codes are shown as they are)."""
    texts = {
        Flag.PRIOR_APPROVAL_NEEDED: (
            f"accord préalable nécessaire : plus de {rules.prior_approval_km:.0f} km aller "
            "(distance routière estimée)"
        ),
        Flag.SHARING_CARE_TYPE_NOT_ELIGIBLE: (
            "partage indiqué possible, mais ce motif de soins n'ouvre pas droit au transport "
            "partagé : la demande sera planifiée seule"
        ),
        Flag.SHARING_MODE_NOT_ALLOWED: (
            "partage indiqué possible, mais ce mode de transport (ambulance) n'est jamais "
            "partagé : la demande sera planifiée seule"
        ),
    }
    return texts[Flag(flag)] if flag in Flag.__members__ else flag
