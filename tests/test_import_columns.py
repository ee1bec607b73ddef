"""Column detection for imported tables: header synonyms, explicit mappings, mapping files."""

from pathlib import Path

import pytest

from importers.columns import (
    FIELDS,
    ColumnMapping,
    TableKind,
    apply_explicit,
    detect,
    header_score,
    load_mapping_file,
    missing_required,
)
from importers.errors import UnusableFileError

REQUEST_HEADERS = [
    ("file_number", "N° dossier"),
    ("file_number", "N dossier"),
    ("file_number", "IPP"),
    ("file_number", "Numéro de dossier"),
    ("request_id", "Numéro de demande"),
    ("last_name", "Nom"),
    ("last_name", "NOM"),
    ("first_name", "Prénom"),
    ("first_name", "PRENOM"),
    ("birth_date", "Date de naissance"),
    ("pickup_address", "Adresse de prise en charge"),
    ("pickup_address", "Adresse départ"),
    ("home_postcode", "Code postal"),
    ("home_commune", "Commune"),
    ("home_commune", "Ville"),
    ("pickup_lat", "Latitude départ"),
    ("pickup_lon", "Longitude départ"),
    ("dropoff_lat", "Latitude arrivée"),
    ("dropoff_lon", "Longitude arrivée"),
    ("establishment", "Établissement"),
    ("establishment", "ETABLISSEMENT"),
    ("dropoff_address", "Adresse destination"),
    ("dropoff_commune", "Commune destination"),
    ("date", "Date"),
    ("appointment", "Heure RDV"),
    ("appointment", "Heure de rendez-vous"),
    ("ready", "Heure de sortie"),
    ("ready", "Heure de disponibilité"),
    ("mode", "Mode prescrit"),
    ("mobility", "Position"),
    ("sharing", "Transport partagé"),
    ("sharing", "Partage possible"),
    ("care_type", "Motif"),
    ("ald", "ALD"),
    ("companion", "Accompagnant"),
    ("phone", "Téléphone"),
]

ESTABLISHMENT_HEADERS = [
    ("finess", "FINESS"),
    ("finess", "N° FINESS"),
    ("name", "Raison sociale"),
    ("activities", "Activités"),
    ("lat", "Latitude"),
]

VEHICLE_HEADERS = [
    ("carrier", "Transporteur"),
    ("siret", "SIRET"),
    ("kind", "Type de véhicule"),
    ("seated", "Places assises"),
    ("lying", "Places allongées"),
    ("wheelchair", "Places fauteuil"),
    ("shift_start", "Début de service"),
    ("shift_end", "Fin de service"),
    ("plate", "Immatriculation"),
    ("base_commune", "Commune"),
]


@pytest.mark.parametrize(("field", "header"), REQUEST_HEADERS)
def test_request_headers_are_detected(field: str, header: str) -> None:
    """Each header hospitals actually write lands on its field, alone in the row."""
    assert detect([header], TableKind.REQUESTS).columns == {field: 0}


@pytest.mark.parametrize(("field", "header"), ESTABLISHMENT_HEADERS)
def test_establishment_headers_are_detected(field: str, header: str) -> None:
    """FINESS exports and hand-made lists name establishment columns their own way."""
    assert detect([header], TableKind.ESTABLISHMENTS).columns == {field: 0}


@pytest.mark.parametrize(("field", "header"), VEHICLE_HEADERS)
def test_vehicle_headers_are_detected(field: str, header: str) -> None:
    """Carriers' fleet lists are read with their usual column names."""
    assert detect([header], TableKind.VEHICLES).columns == {field: 0}


def test_request_number_is_the_request_id_not_the_file_number() -> None:
    """'Numéro de demande' is the hospital's request id; the patient file is a different key."""
    columns = detect(["Numéro de demande", "N° dossier"], TableKind.REQUESTS).columns
    assert columns == {"request_id": 0, "file_number": 1}


@pytest.mark.parametrize(
    "header",
    [
        "  heure  de RENDEZ-VOUS ",
        "HEURE DE RENDEZ VOUS",
        "heure-de-rendez-vous",
        "Heure de rendez-vous :",
        "heurederendezvous",
        "Heure_de_Rendez_Vous",
    ],
)
def test_header_case_accents_punctuation_and_spaces_do_not_matter(header: str) -> None:
    """Headers are typed by hand; spelling noise must not lose the column."""
    assert detect([header], TableKind.REQUESTS).columns == {"appointment": 0}


def test_accentless_headers_still_match() -> None:
    """Exports from old systems drop accents: 'Telephone', 'Etablissement', 'Prenom'."""
    columns = detect(["Telephone", "Etablissement", "Prenom"], TableKind.REQUESTS).columns
    assert columns == {"phone": 0, "establishment": 1, "first_name": 2}


@pytest.mark.parametrize("header", ["Médecin prescripteur", "", "Colonne1", None])
def test_unknown_header_maps_nothing(header: str | None) -> None:
    """A column no field names is ignored rather than guessed."""
    assert detect([header], TableKind.REQUESTS).columns == {}


def test_full_request_header_row_maps_each_column_and_skips_unknown_ones() -> None:
    """A realistic row maps by position, with blanks and unknown columns left out."""
    headers = ["N° dossier", None, "Nom", "Prénom", "Médecin prescripteur", "Heure RDV", "Date"]
    columns = detect(headers, TableKind.REQUESTS).columns
    assert columns == {
        "file_number": 0,
        "last_name": 2,
        "first_name": 3,
        "appointment": 5,
        "date": 6,
    }
    assert header_score(headers, TableKind.REQUESTS) == 5


def test_first_of_two_columns_for_the_same_field_wins() -> None:
    """With 'IPP' then 'N° dossier', the leftmost keeps the field; the second is ignored."""
    columns = detect(["Nom", "IPP", "N° dossier"], TableKind.REQUESTS).columns
    assert columns == {"last_name": 0, "file_number": 1}


def test_same_header_means_different_fields_per_table_kind() -> None:
    """'Commune' is the patient's home in requests but the carrier's base in vehicles."""
    assert detect(["Commune"], TableKind.REQUESTS).columns == {"home_commune": 0}
    assert detect(["Commune"], TableKind.VEHICLES).columns == {"base_commune": 0}
    assert detect(["Commune"], TableKind.ESTABLISHMENTS).columns == {"commune": 0}


# --- explicit mappings -------------------------------------------------------------------------


HEADERS = ["Dossier patient", "Nom", "Heure RDV", "Heure de sortie", "Médecin"]


def test_apply_explicit_maps_a_column_detection_missed() -> None:
    """A centre-specific header is named once in a mapping file and then imported."""
    detected = detect(HEADERS, TableKind.REQUESTS)
    assert "file_number" not in detected.columns
    mapping = apply_explicit(
        HEADERS, TableKind.REQUESTS, {"file_number": "dossier PATIENT"}, detected
    )
    assert mapping.columns == {"file_number": 0, "last_name": 1, "appointment": 2, "ready": 3}


def test_apply_explicit_overrides_detection_and_frees_the_column() -> None:
    """Pointing a field at a column removes whatever field detection had put there."""
    detected = detect(HEADERS, TableKind.REQUESTS)
    assert detected.columns["ready"] == 3
    mapping = apply_explicit(
        HEADERS, TableKind.REQUESTS, {"appointment": "Heure de sortie"}, detected
    )
    assert mapping.get("appointment") == 3
    assert mapping.get("ready") is None
    assert 2 not in mapping.columns.values()


def test_apply_explicit_does_not_change_the_detected_mapping() -> None:
    """The detected mapping is kept intact so the wizard can show both."""
    detected = detect(HEADERS, TableKind.REQUESTS)
    before = dict(detected.columns)
    apply_explicit(HEADERS, TableKind.REQUESTS, {"notes": "Médecin"}, detected)
    assert detected.columns == before


def test_apply_explicit_unknown_field_is_an_unusable_file() -> None:
    """A typo in the mapping file's field names must stop the import, listing valid names."""
    detected = detect(HEADERS, TableKind.REQUESTS)
    with pytest.raises(UnusableFileError, match="champ inconnu « numero_dossier »") as caught:
        apply_explicit(HEADERS, TableKind.REQUESTS, {"numero_dossier": "Nom"}, detected)
    assert "file_number" in str(caught.value)


def test_apply_explicit_header_absent_from_file_is_an_unusable_file() -> None:
    """A mapping naming a column the file lacks must fail rather than import nothing."""
    detected = detect(HEADERS, TableKind.REQUESTS)
    with pytest.raises(UnusableFileError, match="« IPP patient »"):
        apply_explicit(HEADERS, TableKind.REQUESTS, {"file_number": "IPP patient"}, detected)


# --- mapping files -----------------------------------------------------------------------------


def test_load_mapping_file_reads_toml(tmp_path: Path) -> None:
    """Centres keep their column names in a small TOML file."""
    path = tmp_path / "colonnes.toml"
    path.write_text('file_number = "Dossier patient"\nappointment = "Heure d\'arrivée"\n', "utf-8")
    assert load_mapping_file(path) == {
        "file_number": "Dossier patient",
        "appointment": "Heure d'arrivée",
    }


def test_load_mapping_file_reads_json(tmp_path: Path) -> None:
    """JSON mapping files (from other tools) are read the same way."""
    path = tmp_path / "colonnes.json"
    path.write_text('{"file_number": "Dossier patient", "last_name": "Patient"}', "utf-8")
    assert load_mapping_file(path) == {"file_number": "Dossier patient", "last_name": "Patient"}


def test_load_mapping_file_missing_file(tmp_path: Path) -> None:
    """A mistyped mapping path is reported with the path, not as a traceback."""
    path = tmp_path / "absent.toml"
    with pytest.raises(UnusableFileError, match="introuvable") as caught:
        load_mapping_file(path)
    assert str(path) in str(caught.value)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("cassé.toml", 'file_number = "Dossier\n'),
        ("cassé.json", '{"file_number": '),
        ("latin1.toml", 'file_number = "N° dossier"\n'.encode("latin-1")),
    ],
)
def test_load_mapping_file_invalid_syntax(tmp_path: Path, name: str, content: str | bytes) -> None:
    """A broken mapping file is refused with its path, never half-read."""
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, "utf-8")
    with pytest.raises(UnusableFileError, match="illisible") as caught:
        load_mapping_file(path)
    assert str(path) in str(caught.value)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("nombres.toml", "file_number = 3\n"),
        ("table.toml", '[file_number]\nheader = "Dossier"\n'),
        ("liste.json", '["file_number", "Dossier"]'),
        ("nombre.json", '{"file_number": 3}'),
        ("nul.json", '{"file_number": null}'),
    ],
)
def test_load_mapping_file_non_string_values(tmp_path: Path, name: str, content: str) -> None:
    """Only field = "Header" pairs make sense; numbers, tables or lists are refused."""
    path = tmp_path / name
    path.write_text(content, "utf-8")
    with pytest.raises(UnusableFileError, match="attendu des paires") as caught:
        load_mapping_file(path)
    assert str(path) in str(caught.value)


# --- required fields ---------------------------------------------------------------------------


def test_missing_required_lists_unmapped_required_fields() -> None:
    """Without a file number and a name a request cannot be imported: both are named."""
    mapping = detect(["Heure RDV", "Date"], TableKind.REQUESTS)
    missing = missing_required(mapping, TableKind.REQUESTS)
    names = [spec.name for spec in missing]
    assert names[:2] == ["file_number", "last_name"]
    assert all(spec.required for spec in missing)
    assert "appointment" not in names
    assert "date" not in names
    assert "first_name" not in names  # optional, so never listed


def test_missing_required_drops_fields_once_mapped() -> None:
    """Mapping a required column takes it off the list; optional fields never block."""
    mapping = detect(["IPP", "Nom"], TableKind.REQUESTS)
    names = [spec.name for spec in missing_required(mapping, TableKind.REQUESTS)]
    assert "file_number" not in names
    assert "last_name" not in names
    everything = ColumnMapping({spec.name: i for i, spec in enumerate(FIELDS[TableKind.REQUESTS])})
    assert missing_required(everything, TableKind.REQUESTS) == []


def test_missing_required_for_vehicles_and_establishments() -> None:
    """Each table kind has its own required fields, labelled in French for the report."""
    vehicles = missing_required(ColumnMapping({"carrier": 0, "plate": 1}), TableKind.VEHICLES)
    assert [(spec.name, spec.label) for spec in vehicles] == [
        ("siret", "SIRET"),
        ("kind", "Type de véhicule"),
    ]
    establishments = missing_required(ColumnMapping({}), TableKind.ESTABLISHMENTS)
    assert [spec.name for spec in establishments] == ["finess", "name"]
