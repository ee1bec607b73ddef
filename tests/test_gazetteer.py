"""Offline commune gazetteer and the directory of known establishments."""

import pytest

from importers.directory import EstablishmentDirectory, KnownEstablishment
from importers.gazetteer import Gazetteer, Place, commune_key, shipped_gazetteer
from importers.synthetic import Commune, load_communes
from models.enums import CareType
from models.records import Position
from planning.geometry import great_circle_km


def km(a: Position, lat: float, lon: float) -> float:
    return great_circle_km(a.lat, a.lon, lat, lon)


def found(postcode: str | None, commune: str | None) -> Place:
    place = shipped_gazetteer().find(postcode, commune)
    assert isinstance(place, Place), place
    return place


def reason(postcode: str | None, commune: str | None) -> str:
    answer = shipped_gazetteer().find(postcode, commune)
    assert isinstance(answer, str), answer
    return answer


# --- gazetteer ---------------------------------------------------------------------------------


def test_shipped_gazetteer_covers_france() -> None:
    """The offline list must hold all French communes, not a regional sample."""
    assert len(shipped_gazetteer()) > 30_000


def test_lille_is_found_at_its_centre() -> None:
    """The basic lookup: postcode and name give the commune centre."""
    place = found("59000", "Lille")
    assert place.commune == "Lille"
    assert place.postcode == "59000"
    assert km(place.position, 50.633, 3.0586) < 2


@pytest.mark.parametrize(
    ("postcode", "written", "expected"),
    [
        ("59230", "St-Amand les Eaux", "Saint-Amand-les-Eaux"),
        ("59230", "SAINT AMAND LES EAUX", "Saint-Amand-les-Eaux"),
        ("59650", "VILLENEUVE D ASCQ", "Villeneuve-d'Ascq"),
        ("59650", "Villeneuve-d'Ascq", "Villeneuve-d'Ascq"),
        ("59700", "Marcq en Baroeul", "Marcq-en-Barœul"),
    ],
)
def test_spelling_variants_find_the_same_commune(
    postcode: str, written: str, expected: str
) -> None:
    """Exports write 'St', capitals and spaces for hyphens; the commune is the same."""
    place = found(postcode, written)
    assert commune_key(place.commune) == commune_key(expected)
    assert place.commune == expected


def test_st_and_saint_share_a_key() -> None:
    """'St-Amand les Eaux' and 'Saint-Amand-les-Eaux' are one commune key."""
    assert commune_key("St-Amand les Eaux") == commune_key("Saint-Amand-les-Eaux")
    assert commune_key("Ste-Marie") == "sainte marie"


def test_postcode_typo_in_same_department_still_finds_the_commune() -> None:
    """'Roubaix 59101' is a typo for 59100; the name and département settle it."""
    place = found("59101", "Roubaix")
    assert place.commune == "Roubaix"
    assert place.postcode == "59100"


def test_commune_name_unique_in_france_is_found_without_postcode() -> None:
    """Many exports omit the postcode; a name that exists once is enough."""
    place = found(None, "Wambrechies")
    assert place.postcode == "59118"
    assert km(place.position, 50.6828, 3.0478) < 2


def test_homonymous_commune_without_postcode_is_ambiguous() -> None:
    """Bailleul exists in several départements: guessing would send a taxi 100 km away."""
    message = reason(None, "Bailleul")
    assert "ambiguë" in message
    assert "code postal" in message


def test_bailleul_with_postcode_is_the_nord_one() -> None:
    """With its postcode the homonym is resolved to the right département."""
    place = found("59270", "Bailleul")
    assert km(place.position, 50.739, 2.735) < 3


def test_unknown_commune_is_reported() -> None:
    """A misspelt or invented commune is reported, never placed somewhere."""
    assert "inconnue" in reason(None, "Trifouillis-les-Oies-du-Nord")


def test_postcode_alone_shared_by_several_communes_asks_for_the_commune() -> None:
    """59310 serves several villages: the postcode alone cannot place the patient."""
    message = reason("59310", None)
    assert "précisez la commune" in message


def test_postcode_alone_for_one_commune_is_enough() -> None:
    """A postcode serving a single commune places it without the name."""
    assert found("59100", None).commune == "Roubaix"


def test_nothing_given_is_reported() -> None:
    """An address with neither commune nor postcode cannot be placed."""
    assert reason(None, None) == "ni commune ni code postal"


def test_extra_locality_lomme_is_found() -> None:
    """Lomme (commune associée of Lille) is missing from GeoNames but hospitals write it."""
    place = found("59160", "Lomme")
    assert place.commune == "Lomme"
    assert km(place.position, 50.6436, 2.9875) < 1


@pytest.mark.parametrize("commune", load_communes(), ids=lambda c: c.name)
def test_every_synthetic_commune_resolves_near_its_listed_position(commune: Commune) -> None:
    """The demo data and the gazetteer must agree, or demo trips would be placed wrongly."""
    place = found(commune.postcode, commune.name)
    distance = km(place.position, commune.position.lat, commune.position.lon)
    assert distance < 3, f"{commune.name} {commune.postcode}: {distance:.1f} km"


def test_small_gazetteer_distinguishes_homonyms_by_department() -> None:
    """Two same-named communes in different départements: the postcode's département wins."""
    gazetteer = Gazetteer(
        [
            Place("59270", "Bailleul", Position(50.74, 2.74)),
            Place("61160", "Bailleul", Position(48.80, 0.00)),
            Place("59000", "Lille", Position(50.63, 3.06)),
        ]
    )
    assert len(gazetteer) == 3
    near_nord = gazetteer.find("59999", "Bailleul")
    assert isinstance(near_nord, Place)
    assert near_nord.postcode == "59270"
    assert "ambiguë (2 communes" in str(gazetteer.find(None, "Bailleul"))
    assert "inconnu" in str(gazetteer.find("75001", None))


# --- establishment directory -------------------------------------------------------------------


def establishment(finess: str, name: str, commune: str) -> KnownEstablishment:
    return KnownEstablishment(
        finess=finess,
        name=name,
        address=None,
        postcode=None,
        commune=commune,
        position=Position(50.6, 3.1),
        activities=(CareType.CONSULTATION,),
    )


CHU = establishment("590780193", "Centre hospitalier universitaire de Lille", "Lille")
CH_ROUBAIX = establishment("590782421", "Centre hospitalier de Roubaix", "Roubaix")
DIALYSE_LILLE = establishment("590012345", "Centre de dialyse de Lille", "Lille")
DIALYSE_DOUAI = establishment("590067890", "Centre de dialyse du Douaisis", "Douai")


@pytest.fixture
def directory() -> EstablishmentDirectory:
    return EstablishmentDirectory([CHU, CH_ROUBAIX, DIALYSE_LILLE, DIALYSE_DOUAI])


def test_directory_size(directory: EstablishmentDirectory) -> None:
    """Every establishment given is kept."""
    assert len(directory) == 4


@pytest.mark.parametrize("written", ["590780193", "590 780 193", " 59 078 0193 "])
def test_find_by_finess_even_with_spaces(directory: EstablishmentDirectory, written: str) -> None:
    """FINESS numbers are often written in groups; the spaces must not matter."""
    assert directory.find(written) == CHU


def test_unknown_finess_names_the_number(directory: EstablishmentDirectory) -> None:
    """A FINESS that is not in the directory is reported with the number to check."""
    answer = directory.find("590 000 000")
    assert isinstance(answer, str)
    assert "590000000" in answer


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Centre hospitalier universitaire de Lille", CHU),
        ("CENTRE HOSPITALIER UNIVERSITAIRE DE LILLE", CHU),
        ("CHU Lille", CHU),
        ("CHU de Lille", CHU),
        ("CH de Roubaix", CH_ROUBAIX),
        ("CH Roubaix", CH_ROUBAIX),
        ("Centre hospitalier de Roubaix", CH_ROUBAIX),
        ("Centre de dialyse de Lille", DIALYSE_LILLE),
        ("Dialyse Douaisis", DIALYSE_DOUAI),
    ],
)
def test_find_by_name_or_usual_abbreviation(
    directory: EstablishmentDirectory, written: str, expected: KnownEstablishment
) -> None:
    """Exports write full names or 'CHU Lille'; both must give the one establishment meant."""
    assert directory.find(written) == expected


def test_exact_name_wins_over_a_longer_name_containing_it() -> None:
    """'Centre hospitalier de Roubaix' is exact for one and partial for another: exact wins."""
    annex = establishment("590000011", "Centre hospitalier de Roubaix annexe Tourcoing", "Roubaix")
    directory = EstablishmentDirectory([CH_ROUBAIX, annex])
    assert directory.find("CH de Roubaix") == CH_ROUBAIX


def test_partial_name_matching_several_is_refused(directory: EstablishmentDirectory) -> None:
    """Two dialysis centres match 'Centre de dialyse': the regulator must choose, never a guess."""
    answer = directory.find("Centre de dialyse")
    assert isinstance(answer, str)
    assert "plusieurs" in answer
    assert "Centre de dialyse de Lille" in answer
    assert "Centre de dialyse du Douaisis" in answer


def test_unknown_establishment_is_reported(directory: EstablishmentDirectory) -> None:
    """A name matching nothing is reported as unknown, with what to do."""
    answer = directory.find("Clinique des Quatre Vents")
    assert isinstance(answer, str)
    assert "inconnu" in answer
    assert "Clinique des Quatre Vents" in answer


def test_empty_name_is_reported(directory: EstablishmentDirectory) -> None:
    """Stop words alone ('de la') name nothing."""
    answer = directory.find("de la")
    assert isinstance(answer, str)
    assert "vide" in answer


def test_a_town_with_several_postcodes_is_one_place() -> None:
    """'Dunkerque' alone is one town under 59140, 59240…: its centre, not an ambiguity."""
    place = shipped_gazetteer().find(None, "Dunkerque")
    assert not isinstance(place, str)
    assert great_circle_km(place.position.lat, place.position.lon, 51.034, 2.377) < 3
