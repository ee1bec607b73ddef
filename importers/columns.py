"""Which spreadsheet column holds which field: header synonyms, detection, explicit mappings.

Headers are compared folded and without spaces, so 'N° Dossier', 'n dossier' and 'NDOSSIER'
meet. An explicit mapping (TOML or JSON: field = "header as written") overrides detection.
"""

import json
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from importers.errors import UnusableFileError
from importers.folding import fold_compact


class TableKind(StrEnum):
    REQUESTS = "requests"
    ESTABLISHMENTS = "establishments"
    VEHICLES = "vehicles"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str  # French, as shown in reports and the wizard
    synonyms: tuple[str, ...]
    required: bool = False


def _f(name: str, label: str, *synonyms: str, required: bool = False) -> FieldSpec:
    return FieldSpec(name, label, (label, *synonyms), required)


REQUEST_FIELDS: tuple[FieldSpec, ...] = (
    _f(
        "request_id",
        "Numéro de demande",
        "N° demande",
        "Référence",
        "Réf transport",
        "ID transport",
        "Request id",
    ),
    _f(
        "file_number",
        "N° dossier",
        "N dossier",
        "Numéro de dossier",
        "IPP",
        "NDA",
        "N° patient",
        "File number",
        required=True,
    ),
    _f(
        "last_name",
        "Nom",
        "Nom patient",
        "Nom de naissance",
        "Nom d'usage",
        "Last name",
        "Surname",
        required=True,
    ),
    _f("first_name", "Prénom", "Prénom patient", "First name"),
    _f("birth_date", "Date de naissance", "Né le", "DDN", "Birth date"),
    _f("phone", "Téléphone", "Tél", "Tel patient", "Portable", "Phone"),
    _f("home_address", "Adresse", "Adresse patient", "Adresse domicile", "Domicile", "Address"),
    _f("home_postcode", "Code postal", "CP", "Postcode", "Zip"),
    _f("home_commune", "Commune", "Ville", "Localité", "City"),
    _f(
        "pickup_address",
        "Adresse de prise en charge",
        "Adresse départ",
        "Lieu de prise en charge",
        "Pickup address",
    ),
    _f("pickup_postcode", "Code postal départ", "CP départ", "CP prise en charge"),
    _f("pickup_commune", "Commune départ", "Ville départ", "Commune de prise en charge"),
    _f("pickup_lat", "Latitude départ", "Lat départ", "Pickup latitude"),
    _f("pickup_lon", "Longitude départ", "Lon départ", "Lng départ", "Pickup longitude"),
    _f(
        "establishment",
        "Établissement",
        "Etablissement de soins",
        "Site",
        "Hôpital",
        "Lieu de soins",
        "FINESS",
        "Establishment",
    ),
    _f("care_unit", "Service", "Unité", "UF", "Unité de soins"),
    _f(
        "dropoff_address",
        "Adresse destination",
        "Adresse arrivée",
        "Adresse de destination",
        "Dropoff address",
    ),
    _f("dropoff_postcode", "Code postal destination", "CP destination", "CP arrivée"),
    _f(
        "dropoff_commune",
        "Commune destination",
        "Ville destination",
        "Commune arrivée",
        "Ville arrivée",
    ),
    _f(
        "dropoff_lat", "Latitude arrivée", "Lat arrivée", "Latitude destination", "Dropoff latitude"
    ),
    _f(
        "dropoff_lon",
        "Longitude arrivée",
        "Lon arrivée",
        "Longitude destination",
        "Dropoff longitude",
    ),
    _f("date", "Date", "Date du transport", "Date transport", "Jour", "Date de RDV"),
    _f(
        "appointment",
        "Heure RDV",
        "Heure de rendez-vous",
        "Heure rendez vous",
        "RDV",
        "Heure d'arrivée souhaitée",
        "Appointment",
    ),
    _f(
        "ready",
        "Heure de sortie",
        "Heure de disponibilité",
        "Heure dispo",
        "Disponible à",
        "Heure de retour",
        "Ready time",
    ),
    _f("direction", "Sens", "Aller/Retour", "Aller Retour", "A/R", "Type de trajet", "Direction"),
    _f(
        "mode",
        "Mode prescrit",
        "Mode de transport",
        "Mode",
        "Type de véhicule",
        "Transport",
        required=True,
    ),
    _f("mobility", "Position", "Mobilité", "Installation", "Position du patient"),
    _f(
        "sharing",
        "Transport partagé",
        "Partage possible",
        "Partage",
        "Partageable",
        "Compatible partage",
    ),
    _f(
        "care_type",
        "Motif",
        "Motif du transport",
        "Type de soins",
        "Nature des soins",
        "Soins",
        "Care type",
    ),
    _f("coverage", "Couverture", "Prise en charge", "Taux", "Régime"),
    _f("ald", "ALD", "Affection longue durée", "Exonération ALD"),
    _f("companion", "Accompagnant", "Accompagnement", "Accompagné"),
    _f("oxygen", "Oxygène", "O2", "Oxygénothérapie"),
    _f("prior_approval", "Accord préalable", "Entente préalable", "DAP"),
    _f("chosen_carrier", "Transporteur choisi", "Choix du transporteur", "SIRET transporteur"),
    _f("notes", "Commentaire", "Observations", "Remarques", "Notes"),
)

ESTABLISHMENT_FIELDS: tuple[FieldSpec, ...] = (
    _f("finess", "FINESS", "N° FINESS", "Numéro FINESS", "FINESS ET", required=True),
    _f("name", "Nom", "Raison sociale", "Établissement", "Libellé", "Name", required=True),
    _f("address", "Adresse", "Adresse postale", "Address"),
    _f("postcode", "Code postal", "CP", "Postcode"),
    _f("commune", "Commune", "Ville", "City"),
    _f("lat", "Latitude", "Lat"),
    _f("lon", "Longitude", "Lon", "Lng"),
    _f("activities", "Activités", "Activité", "Spécialités", "Soins"),
)

VEHICLE_FIELDS: tuple[FieldSpec, ...] = (
    _f(
        "carrier",
        "Transporteur",
        "Société",
        "Entreprise",
        "Raison sociale",
        "Carrier",
        required=True,
    ),
    _f("siret", "SIRET", "N° SIRET", required=True),
    _f("base_address", "Adresse", "Adresse du siège", "Adresse base"),
    _f("base_postcode", "Code postal", "CP"),
    _f("base_commune", "Commune", "Ville", "Commune base", "Base"),
    _f("base_lat", "Latitude", "Lat"),
    _f("base_lon", "Longitude", "Lon", "Lng"),
    _f("phone", "Téléphone", "Tél"),
    _f("kind", "Type de véhicule", "Type", "Catégorie", "Véhicule", "Kind", required=True),
    _f("seated", "Places assises", "Assis", "Nb places", "Places", "Seats"),
    _f("lying", "Places allongées", "Brancards", "Allongé"),
    _f("wheelchair", "Places fauteuil", "Places fauteuil roulant", "Fauteuil", "UFR", "TPMR"),
    _f("shift_start", "Début de service", "Heure début", "Début", "Prise de service"),
    _f("shift_end", "Fin de service", "Heure fin", "Fin"),
    _f("plate", "Immatriculation", "Plaque", "Immat", "Plate", required=True),
)

FIELDS: Mapping[TableKind, tuple[FieldSpec, ...]] = {
    TableKind.REQUESTS: REQUEST_FIELDS,
    TableKind.ESTABLISHMENTS: ESTABLISHMENT_FIELDS,
    TableKind.VEHICLES: VEHICLE_FIELDS,
}


@dataclass(frozen=True)
class ColumnMapping:
    """Field name → column index in the table's header row."""

    columns: Mapping[str, int]

    def get(self, field: str) -> int | None:
        return self.columns.get(field)


def header_score(headers: Sequence[object], kind: TableKind) -> int:
    """How many fields a candidate header row names: the header row is the best-scoring one."""
    return len(detect(headers, kind).columns)


def detect(headers: Sequence[object], kind: TableKind) -> ColumnMapping:
    """Map each field to the first column whose header is one of its synonyms."""
    index = _synonym_index(kind)
    columns: dict[str, int] = {}
    for position, header in enumerate(headers):
        if header is None:
            continue
        field = index.get(fold_compact(str(header)))
        if field is not None and field not in columns:
            columns[field] = position
    return ColumnMapping(columns)


def apply_explicit(
    headers: Sequence[object], kind: TableKind, explicit: Mapping[str, str], detected: ColumnMapping
) -> ColumnMapping:
    """Overlay an explicit field → header mapping on the detected one."""
    known = {spec.name for spec in FIELDS[kind]}
    by_header = {fold_compact(str(h)): i for i, h in enumerate(headers) if h is not None}
    columns = dict(detected.columns)
    for field, header in explicit.items():
        if field not in known:
            raise UnusableFileError(
                f"correspondance de colonnes : champ inconnu « {field} » "
                f"(champs possibles : {', '.join(sorted(known))})"
            )
        position = by_header.get(fold_compact(header))
        if position is None:
            raise UnusableFileError(
                f"correspondance de colonnes : la colonne « {header} » (pour {field}) "
                "n'existe pas dans le fichier"
            )
        for other, taken in list(columns.items()):
            if taken == position and other != field:
                del columns[other]
        columns[field] = position
    return ColumnMapping(columns)


def missing_required(mapping: ColumnMapping, kind: TableKind) -> list[FieldSpec]:
    return [spec for spec in FIELDS[kind] if spec.required and spec.name not in mapping.columns]


def load_mapping_file(path: Path) -> dict[str, str]:
    """A TOML or JSON file of `field = "Header"` pairs."""
    try:
        raw = path.read_bytes()
        data = (
            tomllib.loads(raw.decode("utf-8"))
            if path.suffix.lower() == ".toml"
            else json.loads(raw)
        )
    except FileNotFoundError as exc:
        raise UnusableFileError(f"{path} : fichier de correspondance introuvable") from exc
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise UnusableFileError(f"{path} : fichier de correspondance illisible ({exc})") from exc
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise UnusableFileError(f'{path} : attendu des paires champ = "En-tête"')
    return dict(data)


def _synonym_index(kind: TableKind) -> dict[str, str]:
    index: dict[str, str] = {}
    for spec in FIELDS[kind]:
        for synonym in spec.synonyms:
            index.setdefault(fold_compact(synonym), spec.name)
    return index
