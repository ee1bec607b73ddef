"""Closed vocabularies of the domain, stored by member name.

Each enum mirrors a notion of ../shared/domain.md; labels for the UI live with the console.
"""

from enum import StrEnum


class TransportMode(StrEnum):
    """A prescribed mode, and equally the kind of a vehicle."""

    TAXI = "TAXI"
    VSL = "VSL"
    AMBULANCE = "AMBULANCE"


class Mobility(StrEnum):
    """How the patient travels (the prescription's position)."""

    SEATED = "SEATED"
    LYING = "LYING"
    WHEELCHAIR = "WHEELCHAIR"


class Direction(StrEnum):
    """Outbound trips are bound by an appointment, returns by a ready time."""

    OUTBOUND = "OUTBOUND"
    RETURN = "RETURN"
    TRANSFER = "TRANSFER"


class CareType(StrEnum):
    """The reason for the trip; which ones allow sharing is rule data, not this list."""

    DIALYSIS = "DIALYSIS"
    CHEMOTHERAPY = "CHEMOTHERAPY"
    RADIOTHERAPY = "RADIOTHERAPY"
    REHABILITATION = "REHABILITATION"  # soins médicaux de réadaptation (SMR)
    DAY_HOSPITAL = "DAY_HOSPITAL"
    CONSULTATION = "CONSULTATION"
    HOSPITALISATION = "HOSPITALISATION"
    DISCHARGE = "DISCHARGE"
    TRANSFER = "TRANSFER"
    OTHER = "OTHER"


class Coverage(StrEnum):
    """Why the trip is reimbursed at 55 % (STANDARD) or 100 % (every other case)."""

    STANDARD = "STANDARD"
    ALD = "ALD"
    WORK_ACCIDENT = "WORK_ACCIDENT"  # AT/MP
    MATERNITY = "MATERNITY"
    NEWBORN = "NEWBORN"
    C2S = "C2S"
    AME = "AME"
    ALSACE_MOSELLE = "ALSACE_MOSELLE"
    INTER_ESTABLISHMENT = "INTER_ESTABLISHMENT"


class Payer(StrEnum):
    """Who is invoiced: the Assurance Maladie, or the establishment (article 80 transfers)."""

    ASSURANCE_MALADIE = "ASSURANCE_MALADIE"
    ESTABLISHMENT = "ESTABLISHMENT"


class RequestStatus(StrEnum):
    """Whether the request still has to be carried; dispatch progress lives on the assignment."""

    OPEN = "OPEN"
    CANCELLED = "CANCELLED"


class CancellationReason(StrEnum):
    PATIENT_CANCELLED = "PATIENT_CANCELLED"
    NO_SHOW = "NO_SHOW"
    HOSPITAL_DELAY = "HOSPITAL_DELAY"
    LATE_CANCELLATION = "LATE_CANCELLATION"


class MissionStatus(StrEnum):
    """Life of a trip sent to a carrier: proposed → accepted/refused/expired → done.

    A proposal the regulator changed or withdrew afterwards is SUPERSEDED (the carrier sees
    it withdrawn); one whose request was cancelled is CANCELLED.
    """

    PROPOSED = "PROPOSED"
    ACCEPTED = "ACCEPTED"
    REFUSED = "REFUSED"
    EXPIRED = "EXPIRED"
    SUPERSEDED = "SUPERSEDED"
    DONE = "DONE"
    CANCELLED = "CANCELLED"


# A request has at most one mission in these: the carrier holds it.
LIVE_MISSION_STATUSES = frozenset(
    {MissionStatus.PROPOSED, MissionStatus.ACCEPTED, MissionStatus.DONE}
)


class StopKind(StrEnum):
    START = "START"
    PICKUP = "PICKUP"
    DROPOFF = "DROPOFF"
    END = "END"


class Role(StrEnum):
    ADMIN = "ADMIN"
    REGULATOR = "REGULATOR"
    CARRIER_DISPATCHER = "CARRIER_DISPATCHER"
