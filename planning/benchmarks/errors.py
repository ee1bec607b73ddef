from pathlib import Path


class InstanceError(ValueError):
    """A benchmark file that cannot be read, with the line at fault."""

    def __init__(self, path: Path, line: int, reason: str) -> None:
        super().__init__(f"{path}, ligne {line} : {reason}")
        self.path = path
        self.line = line
