"""French words for the values the console shows, through Qt's translation system."""

from console.i18n import tr
from models.enums import CareType, Direction, MissionStatus, Mobility, Role, TransportMode
from planning.model import clock as planning_clock
from regul.day_view import Status


def mode(value: TransportMode) -> str:
    return {
        TransportMode.TAXI: tr("Taxi"),
        TransportMode.VSL: tr("VSL"),
        TransportMode.AMBULANCE: tr("Ambulance"),
    }[value]


def role(value: Role) -> str:
    return {
        Role.ADMIN: tr("administrateur"),
        Role.REGULATOR: tr("régulateur"),
        Role.CARRIER_DISPATCHER: tr("répartiteur de transporteur"),
    }[value]


def mobility(value: Mobility) -> str:
    return {
        Mobility.SEATED: tr("Assis"),
        Mobility.LYING: tr("Allongé"),
        Mobility.WHEELCHAIR: tr("Fauteuil"),
    }[value]


def direction(value: Direction) -> str:
    return {
        Direction.OUTBOUND: tr("Aller"),
        Direction.RETURN: tr("Retour"),
        Direction.TRANSFER: tr("Transfert"),
    }[value]


def care_type(value: CareType) -> str:
    return {
        CareType.DIALYSIS: tr("Dialyse"),
        CareType.CHEMOTHERAPY: tr("Chimiothérapie"),
        CareType.RADIOTHERAPY: tr("Radiothérapie"),
        CareType.REHABILITATION: tr("SMR"),
        CareType.DAY_HOSPITAL: tr("Hôpital de jour"),
        CareType.CONSULTATION: tr("Consultation"),
        CareType.HOSPITALISATION: tr("Hospitalisation"),
        CareType.DISCHARGE: tr("Sortie d'hospitalisation"),
        CareType.TRANSFER: tr("Transfert"),
        CareType.OTHER: tr("Autre"),
    }[value]


def status(value: Status) -> str:
    return {
        Status.PLANNED: tr("Planifiée"),
        Status.UNSERVED: tr("Non affectée"),
        Status.UNPLANNABLE: tr("Non planifiable"),
        Status.WAITING: tr("À planifier"),
    }[value]


def mission_status(value: MissionStatus | None) -> str:
    """Where a trip stands with its carrier, as the grid and the carrier's inbox say it."""
    if value is None:
        return ""
    return {
        MissionStatus.PROPOSED: tr("Proposée"),
        MissionStatus.ACCEPTED: tr("Acceptée"),
        MissionStatus.REFUSED: tr("Refusée"),
        MissionStatus.EXPIRED: tr("Expirée"),
        MissionStatus.SUPERSEDED: tr("Retirée"),
        MissionStatus.DONE: tr("Effectuée"),
        MissionStatus.CANCELLED: tr("Annulée"),
    }[value]


def clock(seconds: int | None) -> str:
    """« 08:15 » (French times have no a.m./p.m.); nothing when there is no time."""
    return "" if seconds is None else planning_clock(seconds)
