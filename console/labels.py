"""French words for the values the console shows, through Qt's translation system."""

from PySide6.QtCore import QCoreApplication

from models.enums import CareType, Direction, Mobility, TransportMode
from regul.day_view import Status

_CONTEXT = "labels"


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def mode(value: TransportMode) -> str:
    return {
        TransportMode.TAXI: _tr("Taxi"),
        TransportMode.VSL: _tr("VSL"),
        TransportMode.AMBULANCE: _tr("Ambulance"),
    }[value]


def mobility(value: Mobility) -> str:
    return {
        Mobility.SEATED: _tr("Assis"),
        Mobility.LYING: _tr("Allongé"),
        Mobility.WHEELCHAIR: _tr("Fauteuil"),
    }[value]


def direction(value: Direction) -> str:
    return {
        Direction.OUTBOUND: _tr("Aller"),
        Direction.RETURN: _tr("Retour"),
        Direction.TRANSFER: _tr("Transfert"),
    }[value]


def care_type(value: CareType) -> str:
    return {
        CareType.DIALYSIS: _tr("Dialyse"),
        CareType.CHEMOTHERAPY: _tr("Chimiothérapie"),
        CareType.RADIOTHERAPY: _tr("Radiothérapie"),
        CareType.REHABILITATION: _tr("SMR"),
        CareType.DAY_HOSPITAL: _tr("Hôpital de jour"),
        CareType.CONSULTATION: _tr("Consultation"),
        CareType.HOSPITALISATION: _tr("Hospitalisation"),
        CareType.DISCHARGE: _tr("Sortie d'hospitalisation"),
        CareType.TRANSFER: _tr("Transfert"),
        CareType.OTHER: _tr("Autre"),
    }[value]


def status(value: Status) -> str:
    return {
        Status.PLANNED: _tr("Planifiée"),
        Status.UNSERVED: _tr("Non affectée"),
        Status.UNPLANNABLE: _tr("Non planifiable"),
        Status.WAITING: _tr("À planifier"),
    }[value]


def clock(seconds: int | None) -> str:
    """« 08:15 » (French times have no a.m./p.m.)."""
    if seconds is None:
        return ""
    return f"{seconds // 3600 % 24:02d}:{seconds // 60 % 60:02d}"
