"""Recognising a known establishment from what a hospital export writes in its column.

Exports name sites by FINESS, by full name, or by the usual abbreviation ('CHU Lille',
'CH de Roubaix'). A match must be unique: two candidates is an error for the regulator to fix,
never a guess.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from importers.folding import fold
from models.enums import CareType
from models.records import Position
from models.repositories.reference import list_establishments

_ABBREVIATIONS = {
    "chu": "centre hospitalier universitaire",
    "chru": "centre hospitalier regional universitaire",
    "chr": "centre hospitalier regional",
    "ch": "centre hospitalier",
    "chi": "centre hospitalier intercommunal",
    "clcc": "centre de lutte contre le cancer",
    "smr": "soins medicaux de readaptation",
    "hdj": "hopital de jour",
    "ctre": "centre",
    "st": "saint",
    "ste": "sainte",
}
_STOP_WORDS = {"de", "du", "des", "la", "le", "les", "l", "d", "et", "a", "au", "aux", "en"}
_FINESS = re.compile(r"^\d[\dAB]\d{7}$")


@dataclass(frozen=True)
class KnownEstablishment:
    finess: str
    name: str
    address: str | None
    postcode: str | None
    commune: str | None
    position: Position | None
    activities: tuple[CareType, ...] = ()


class EstablishmentDirectory:
    def __init__(self, establishments: Iterable[KnownEstablishment]) -> None:
        self._all = tuple(establishments)
        self._by_finess = {e.finess: e for e in self._all}
        self._tokens = {e.finess: _tokens(f"{e.name} {e.commune or ''}") for e in self._all}
        self._names = {e.finess: _tokens(e.name) for e in self._all}

    def __len__(self) -> int:
        return len(self._all)

    def find(self, written: str) -> KnownEstablishment | str:
        """The establishment meant, or the reason (French) it cannot be told."""
        compact = written.replace(" ", "").upper()
        if _FINESS.match(compact):
            found = self._by_finess.get(compact)
            return found or f"aucun établissement de FINESS {compact} n'est connu"
        wanted = _tokens(written)
        if not wanted:
            return "nom d'établissement vide"
        exact = [e for e in self._all if self._names[e.finess] == wanted]
        if len(exact) == 1:
            return exact[0]
        candidates = [e for e in self._all if wanted <= self._tokens[e.finess]]
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            names = " ; ".join(e.name for e in candidates[:3])
            return f"« {written} » peut désigner plusieurs établissements ({names}) : précisez"
        return (
            f"établissement inconnu « {written} » : importez d'abord la liste des "
            "établissements, ou écrivez son nom ou son FINESS"
        )


def _tokens(text: str) -> frozenset[str]:
    words: list[str] = []
    for word in fold(text).split():
        words.extend(_ABBREVIATIONS.get(word, word).split())
    return frozenset(w for w in words if w not in _STOP_WORDS)


def load_directory(session: Session) -> EstablishmentDirectory:
    """Every stored establishment, ready to be recognised in a file or a form."""
    return EstablishmentDirectory(
        KnownEstablishment(
            e.finess,
            e.name,
            e.address,
            e.postcode,
            e.commune,
            Position.of(e.lat, e.lon),
            tuple(CareType(a) for a in e.activities),
        )
        for e in list_establishments(session)
    )
