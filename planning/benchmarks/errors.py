from pathlib import Path

import numpy as np
from numpy.typing import NDArray


class InstanceError(ValueError):
    """A benchmark file that cannot be read, with the line at fault."""

    def __init__(self, path: Path, line: int, reason: str) -> None:
        super().__init__(f"{path}, ligne {line} : {reason}")
        self.path = path
        self.line = line


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
