"""The words hospitals use for modes, positions, care types, coverage and direction.

Keys are folded (see :func:`importers.folding.fold`); the first key of each value is the name
shown back to the regulator when a cell is not understood.
"""

from collections.abc import Mapping

from models.enums import CareType, Coverage, Direction, Mobility, TransportMode

MODES: Mapping[str, TransportMode] = {
    "taxi": TransportMode.TAXI,
    "taxi conventionne": TransportMode.TAXI,
    "tc": TransportMode.TAXI,
    "t": TransportMode.TAXI,
    "vsl": TransportMode.VSL,
    "v": TransportMode.VSL,
    "v s l": TransportMode.VSL,
    "vehicule sanitaire leger": TransportMode.VSL,
    "ambulance": TransportMode.AMBULANCE,
    "amb": TransportMode.AMBULANCE,
    "a": TransportMode.AMBULANCE,
}

MOBILITIES: Mapping[str, Mobility] = {
    "assis": Mobility.SEATED,
    "assise": Mobility.SEATED,
    "a": Mobility.SEATED,
    "s": Mobility.SEATED,
    "seated": Mobility.SEATED,
    "allonge": Mobility.LYING,
    "allongee": Mobility.LYING,
    "couche": Mobility.LYING,
    "couchee": Mobility.LYING,
    "brancard": Mobility.LYING,
    "demi assis": Mobility.LYING,  # half-sitting needs an ambulance stretcher too
    "l": Mobility.LYING,
    "lying": Mobility.LYING,
    "fauteuil roulant": Mobility.WHEELCHAIR,
    "fauteuil": Mobility.WHEELCHAIR,
    "fr": Mobility.WHEELCHAIR,
    "ufr": Mobility.WHEELCHAIR,
    "tpmr": Mobility.WHEELCHAIR,
    "wheelchair": Mobility.WHEELCHAIR,
}

CARE_TYPES: Mapping[str, CareType] = {
    "dialyse": CareType.DIALYSIS,
    "hemodialyse": CareType.DIALYSIS,
    "epuration extrarenale": CareType.DIALYSIS,
    "hd": CareType.DIALYSIS,
    "chimiotherapie": CareType.CHEMOTHERAPY,
    "chimio": CareType.CHEMOTHERAPY,
    "traitement anticancereux": CareType.CHEMOTHERAPY,
    "radiotherapie": CareType.RADIOTHERAPY,
    "radiotherapie externe": CareType.RADIOTHERAPY,
    "rth": CareType.RADIOTHERAPY,
    "smr": CareType.REHABILITATION,
    "soins medicaux de readaptation": CareType.REHABILITATION,
    "reeducation": CareType.REHABILITATION,
    "readaptation": CareType.REHABILITATION,
    "ssr": CareType.REHABILITATION,
    "hopital de jour": CareType.DAY_HOSPITAL,
    "hdj": CareType.DAY_HOSPITAL,
    "hospitalisation de jour": CareType.DAY_HOSPITAL,
    "ambulatoire": CareType.DAY_HOSPITAL,
    "consultation": CareType.CONSULTATION,
    "consult": CareType.CONSULTATION,
    "cs": CareType.CONSULTATION,
    "rendez vous": CareType.CONSULTATION,
    "examen": CareType.CONSULTATION,
    "imagerie": CareType.CONSULTATION,
    "hospitalisation": CareType.HOSPITALISATION,
    "entree": CareType.HOSPITALISATION,
    "admission": CareType.HOSPITALISATION,
    "sortie": CareType.DISCHARGE,
    "sortie d hospitalisation": CareType.DISCHARGE,
    "retour a domicile": CareType.DISCHARGE,
    "transfert": CareType.TRANSFER,
    "mutation": CareType.TRANSFER,
    "transfert inter etablissement": CareType.TRANSFER,
    "autre": CareType.OTHER,
}

COVERAGES: Mapping[str, Coverage] = {
    "droit commun": Coverage.STANDARD,
    "standard": Coverage.STANDARD,
    "normal": Coverage.STANDARD,
    "55": Coverage.STANDARD,
    "ald": Coverage.ALD,
    "100": Coverage.ALD,
    "affection longue duree": Coverage.ALD,
    "at mp": Coverage.WORK_ACCIDENT,
    "at": Coverage.WORK_ACCIDENT,
    "mp": Coverage.WORK_ACCIDENT,
    "accident du travail": Coverage.WORK_ACCIDENT,
    "maladie professionnelle": Coverage.WORK_ACCIDENT,
    "maternite": Coverage.MATERNITY,
    "nouveau ne": Coverage.NEWBORN,
    "c2s": Coverage.C2S,
    "cmu": Coverage.C2S,
    "cmuc": Coverage.C2S,
    "ame": Coverage.AME,
    "alsace moselle": Coverage.ALSACE_MOSELLE,
    "transfert inter etablissement": Coverage.INTER_ESTABLISHMENT,
}

DIRECTIONS: Mapping[str, Direction] = {
    "aller": Direction.OUTBOUND,
    "a": Direction.OUTBOUND,
    "outbound": Direction.OUTBOUND,
    "retour": Direction.RETURN,
    "r": Direction.RETURN,
    "return": Direction.RETURN,
    "sortie": Direction.RETURN,
    "transfert": Direction.TRANSFER,
    "t": Direction.TRANSFER,
    "transfer": Direction.TRANSFER,
}

# Written in a direction column, these make the row a round trip (outbound and return).
ROUND_TRIP: frozenset[str] = frozenset({"ar", "a r", "aller retour", "aller et retour", "a et r"})
