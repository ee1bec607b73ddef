"""What the two benchmark formats read alike: whitespace-separated numbers, Euclidean travel."""

from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from planning.benchmarks.errors import InstanceError


def numbers(path: Path, width: int, header: int) -> tuple[list[float], NDArray[np.float64]]:
    """The header's first ``header`` values and one row of ``width`` numbers per other line."""
    lines = [
        (number, text.split())
        for number, text in enumerate(path.read_text(errors="replace").splitlines(), start=1)
        if text.strip()
    ]
    if not lines:
        raise InstanceError(path, 1, "fichier vide")
    rows = []
    for position, (number, fields) in enumerate(lines):
        wanted = header if position == 0 else width
        if len(fields) < wanted:
            raise InstanceError(path, number, f"{wanted} valeurs attendues, {len(fields)} lues")
        try:
            rows.append([float(v) for v in fields[:wanted]])
        except ValueError:
            raise InstanceError(path, number, f"valeur non numérique dans {fields!r}") from None
    if len(rows) < 3:
        raise InstanceError(path, lines[-1][0], "pas assez de nœuds")
    return rows[0], np.array(rows[1:])


def euclidean(xy: NDArray[np.float64]) -> NDArray[np.float64]:
    """Distances between every pair of points, in double precision, never rounded: both
    benchmarks use them as travel times and costs alike."""
    distance: NDArray[np.float64] = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
    return distance
