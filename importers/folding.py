"""Folding text for comparison: case, accents, punctuation and spacing do not matter."""

import re
import unicodedata
from functools import lru_cache

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=65_536)  # the same words (modes, communes, yes/no) recur on every row
def fold(text: str) -> str:
    """'  N° de Dossier ' → 'n de dossier'; 'Allongé' → 'allonge'; 'Œ' → 'oe'."""
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_ALNUM.sub(" ", stripped.lower()).strip()


def fold_compact(text: str) -> str:
    """Folded, with the spaces removed too: 'Code postal' and 'CodePostal' meet."""
    return fold(text).replace(" ", "")
