"""Files Régul writes for the user, readable by that user only.

Exports, import reports, manifests, invoice previews and the map page hold patients' names,
addresses and care. Each is written to a temporary file beside its target, which
:func:`tempfile.mkstemp` creates with mode 0600 whatever the umask, then moved onto the target
with :func:`os.replace`: the file appears whole and already private, never half written nor
readable by others for a moment, and a world-readable file of the same name from before is
replaced, not rewritten with its old mode. A failed write leaves the target as it was.

On Windows the mode only sets the read-only flag; there, files in the user's own folders are
already the user's alone through the access lists they inherit from the profile, and nothing
more is done.
"""

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def private_file(target: Path) -> Iterator[Path]:
    """A path beside ``target`` to write to, created user-only; moved onto ``target`` when the
    block ends, removed if it raises."""
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.stem}-", suffix=f"{target.suffix}.partiel"
    )
    os.close(descriptor)
    partial = Path(name)
    try:
        yield partial
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def write_private_text(target: Path, text: str) -> Path:
    """``text`` in ``target`` (UTF-8), user-only."""
    with private_file(target) as partial:
        partial.write_text(text, encoding="utf-8")
    return target
