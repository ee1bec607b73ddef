"""THIRD-PARTY-LICENSES.txt: what the Windows bundle ships that Régul did not write, and under
which terms.

The list is the runtime dependency closure of the installed ``regul`` distribution, read from
``importlib.metadata``: its Requires-Dist, then theirs, with each requirement's environment
marker evaluated for this machine and the extras actually asked for (``psycopg[binary]`` brings
``psycopg-binary``; a test extra brings nothing). Beside them come what the bundle carries that
no distribution declares: the Python runtime, PyInstaller's bootloader, Leaflet (inside
XStatic-Leaflet) and the GeoNames data of the offline gazetteer.

For each: name, version, licence, home page and the full text of every licence file its
dist-info ships. The output is sorted and stable: the same environment gives the same bytes.

    python installer/licences.py [OUT]      (default: dist/THIRD-PARTY-LICENSES.txt)
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import sysconfig
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from packaging.markers import UndefinedEnvironmentName
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT_DISTRIBUTION = "regul"
FILE_NAME = "THIRD-PARTY-LICENSES.txt"
# Inno Setup reads a UTF-8 text file with a BOM as UTF-8 on every 6.x; Notepad too.
ENCODING = "utf-8-sig"
RULE = "=" * 78
THIN_RULE = "-" * 78

_LICENCE_FILE = re.compile(r"^(LICEN[CS]E|COPYING|NOTICE|COPYRIGHT)", re.IGNORECASE)
_HOME_LABELS = ("homepage", "home", "home-page", "source", "repository", "source code", "code")

QT_NOTE = """\
Qt and Qt for Python (PySide6, shiboken6) are used under the GNU Lesser General Public
License version 3 (LGPL-3.0). Régul links them dynamically: they are the separate library
files installed in the program's _internal folder (Qt6*.dll and the QtWebEngineProcess
program under _internal\\PySide6, the PySide6 and shiboken6 modules beside them). You may
replace them with another build of the same Qt and PySide6 version, for instance one you
compiled from modified sources, and Régul will use it.

The source code of Qt is available at https://download.qt.io/official_releases/qt/
(see also https://www.qt.io/download-open-source), the source of Qt for Python at
https://download.qt.io/official_releases/QtForPython/ and
https://code.qt.io/cgit/pyside/pyside-setup.git/ (tag v{version}). Qt WebEngine contains
Chromium, whose own third-party licences are listed at
https://doc.qt.io/qt-6/qtwebengine-licensing.html.

psycopg (LGPL-3.0) is installed as its source files under _internal\\psycopg, which may be
replaced in the same way.

The text of the LGPL-3.0 follows{where}, then that of the GNU General Public License
version 3, which it supplements."""

# The GPL-3.0 as the Free Software Foundation publishes it (verbatim copying is permitted).
GPL3_FILE = Path(__file__).resolve().parent / "GPL-3.0.txt"

LEAFLET_LICENCE = """\
BSD 2-Clause License

{copyright}
All rights reserved.

Redistribution and use in source and binary forms, with or without modification, are
permitted provided that the following conditions are met:

   1. Redistributions of source code must retain the above copyright notice, this list of
      conditions and the following disclaimer.

   2. Redistributions in binary form must reproduce the above copyright notice, this list
      of conditions and the following disclaimer in the documentation and/or other
      materials provided with the distribution.

THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND ANY
EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED WARRANTIES OF
MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE DISCLAIMED. IN NO EVENT SHALL THE
COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL,
EXEMPLARY, OR CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF
SUBSTITUTE GOODS OR SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION)
HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY, OR
TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE OF THIS
SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE."""

GEONAMES_NOTE = """\
The offline gazetteer of French communes (importers/data/gazetteer_fr.csv.gz) is built from
the GeoNames postal code data, © GeoNames (https://www.geonames.org), under the Creative
Commons Attribution 4.0 licence: https://creativecommons.org/licenses/by/4.0/. Régul
reduced it to one position per commune and postal code."""

# Distributions whose metadata says too little on its own.
NOTES = {
    "xstatic-leaflet": "Leaflet packaged for Python: the files are Leaflet's (see Leaflet).",
}

PYINSTALLER_NOTE = """\
The two programs (regul.exe, regul-gui.exe) start with PyInstaller's bootloader. It is
licensed under the GNU GPL version 2 or later with the PyInstaller bootloader exception,
which allows it to be distributed with programs under any licence; its text follows."""


@dataclass(frozen=True)
class LicenceText:
    name: str  # the file's path inside its dist-info, or a label
    text: str


@dataclass(frozen=True)
class Component:
    name: str
    version: str
    licence: str
    home_page: str
    texts: tuple[LicenceText, ...] = ()
    note: str = ""

    @property
    def key(self) -> str:
        return canonicalize_name(self.name)


# --- the dependency closure -------------------------------------------------------------------


def runtime_distributions(root: str = ROOT_DISTRIBUTION) -> dict[str, metadata.Distribution]:
    """Every distribution the installed ``root`` needs at run time on this machine, by
    canonical name, ``root`` excluded. Raises when ``root`` or a dependency is not installed:
    the bundle would then miss it too."""
    try:
        root_dist = metadata.distribution(root)
    except metadata.PackageNotFoundError:
        raise SystemExit(
            f"{root} is not installed in this environment: pip install -e '.[installer]'"
        ) from None
    found: dict[str, metadata.Distribution] = {}
    extras_seen: dict[str, set[str]] = {canonicalize_name(root): set()}
    pending: list[tuple[metadata.Distribution, frozenset[str]]] = [(root_dist, frozenset())]
    while pending:
        dist, extras = pending.pop()
        for requirement in _applicable(dist, extras):
            key = canonicalize_name(requirement.name)
            wanted = set(requirement.extras)
            if key in extras_seen and wanted <= extras_seen[key]:
                continue
            extras_seen.setdefault(key, set()).update(wanted)
            try:
                dependency = metadata.distribution(requirement.name)
            except metadata.PackageNotFoundError:
                raise SystemExit(
                    f"{requirement.name} (needed by {dist.metadata['Name']}) is not installed"
                ) from None
            if key != canonicalize_name(root):
                found[key] = dependency
            pending.append((dependency, frozenset(extras_seen[key])))
    return dict(sorted(found.items()))


def _applicable(dist: metadata.Distribution, extras: frozenset[str]) -> Iterable[Requirement]:
    for line in dist.requires or []:
        requirement = Requirement(line)
        if requirement.marker is None:
            yield requirement
            continue
        for extra in sorted(extras) or [""]:
            try:
                applies = requirement.marker.evaluate({"extra": extra})
            except UndefinedEnvironmentName:
                applies = False
            if applies:
                yield requirement
                break


# --- one distribution ---------------------------------------------------------------------------


def describe(dist: metadata.Distribution) -> Component:
    meta = dist.metadata
    return Component(
        name=meta["Name"],
        version=meta["Version"],
        licence=licence_of(dist),
        home_page=home_page_of(dist),
        texts=licence_texts(dist),
        note=NOTES.get(canonicalize_name(meta["Name"]), ""),
    )


def licence_of(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    expression = (meta.get("License-Expression") or "").strip()
    if expression:
        return expression
    declared = (meta.get("License") or "").strip()
    if declared and "\n" not in declared and len(declared) <= 120:
        return declared
    classifiers = [
        c.split("::")[-1].strip()
        for c in meta.get_all("Classifier") or []
        if c.startswith("License ::")
    ]
    if classifiers:
        return " / ".join(sorted(set(classifiers)))
    if declared:
        return declared.splitlines()[0][:120]
    return "not stated in its metadata (see the texts below)"


def home_page_of(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    if meta.get("Home-page"):
        return str(meta["Home-page"]).strip()
    urls: list[tuple[str, str]] = []
    for entry in meta.get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        urls.append((label.strip().lower(), url.strip()))
    for wanted in _HOME_LABELS:
        for label, url in urls:
            if label == wanted:
                return url
    return urls[0][1] if urls else "-"


def licence_texts(dist: metadata.Distribution) -> tuple[LicenceText, ...]:
    """The licence files of a distribution's metadata folder: its License-File entries (in
    ``licenses/`` since metadata 2.4, at the top before) and any LICENSE/COPYING/NOTICE file
    there. A long License field with no file stands in for one."""
    names: set[str] = set()
    for entry in dist.metadata.get_all("License-File") or []:
        for candidate in (f"licenses/{entry}", entry):
            if dist.read_text(candidate) is not None:
                names.add(candidate)
                break
    meta_dir = _metadata_folder(dist)
    for file in dist.files or []:
        parts = file.parts
        if not parts or parts[0] != meta_dir:
            continue
        inner = "/".join(parts[1:])
        if inner.startswith("licenses/") or _LICENCE_FILE.match(parts[-1]):
            names.add(inner)
    texts = []
    for name in sorted(names):
        text = dist.read_text(name)
        if text is not None and text.strip():
            texts.append(LicenceText(name, normalise(text)))
    declared = (dist.metadata.get("License") or "").strip()
    if not texts and ("\n" in declared or len(declared) > 120):
        texts.append(LicenceText("License (metadata field)", normalise(declared)))
    return tuple(texts)


def _metadata_folder(dist: metadata.Distribution) -> str:
    for file in dist.files or []:
        if file.parts and file.parts[0].endswith((".dist-info", ".egg-info")):
            return file.parts[0]
    return ""


def normalise(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip("\n")


# --- what no distribution declares -----------------------------------------------------------


def python_runtime() -> Component:
    candidates = [
        Path(sys.base_prefix) / "LICENSE.txt",  # Windows, python.org and the Store
        Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt",  # POSIX builds
    ]
    texts: tuple[LicenceText, ...] = ()
    for path in candidates:
        if path.is_file():
            text = normalise(path.read_text(encoding="utf-8", errors="replace"))
            texts = (LicenceText("LICENSE.txt", text),)
            break
    version = ".".join(str(part) for part in sys.version_info[:3])
    return Component(
        name="Python",
        version=version,
        licence="PSF-2.0",
        home_page="https://www.python.org",
        texts=texts,
        note="" if texts else "Text: https://docs.python.org/3/license.html",
    )


def pyinstaller_bootloader() -> Component | None:
    try:
        dist = metadata.distribution("pyinstaller")
    except metadata.PackageNotFoundError:
        return None
    texts = tuple(t for t in licence_texts(dist) if "COPYING" in t.name.upper())
    return Component(
        name="PyInstaller bootloader",
        version=dist.version,
        licence="GPL-2.0-or-later WITH Bootloader-exception",
        home_page="https://pyinstaller.org",
        texts=texts or licence_texts(dist),
        note=PYINSTALLER_NOTE,
    )


def leaflet() -> Component | None:
    try:
        from xstatic.pkg import leaflet as package
    except ImportError:
        return None
    source = Path(package.BASE_DIR) / "leaflet-src.js"
    header = source.read_text(encoding="utf-8")[:400] if source.is_file() else ""
    holders = re.findall(r"\(c\) (\d{4}-\d{4} [^,\n]+)", header)
    copyright_lines = "\n".join(f"Copyright (c) {h.strip()}" for h in holders) or (
        "Copyright (c) 2010-2022, Vladimir Agafonkin\nCopyright (c) 2010-2011, CloudMade"
    )
    return Component(
        name="Leaflet",
        version=str(package.VERSION),
        licence="BSD-2-Clause",
        home_page="https://leafletjs.com",
        texts=(LicenceText("LICENSE", LEAFLET_LICENCE.format(copyright=copyright_lines)),),
        note="Shipped inside XStatic-Leaflet: the map's JavaScript and its images.",
    )


def geonames() -> Component:
    return Component(
        name="GeoNames postal code data",
        version="-",
        licence="CC-BY-4.0",
        home_page="https://www.geonames.org",
        note=GEONAMES_NOTE,
    )


# --- the file -------------------------------------------------------------------------------


def components(root: str = ROOT_DISTRIBUTION) -> list[Component]:
    found = [describe(dist) for dist in runtime_distributions(root).values()]
    extra = [python_runtime(), pyinstaller_bootloader(), leaflet(), geonames()]
    everything = {c.key: c for c in found}
    for component in extra:
        if component is not None:
            everything.setdefault(component.key, component)
    return sorted(everything.values(), key=lambda c: (c.name.casefold(), c.key))


def _is_qt(component: Component) -> bool:
    return component.key.startswith(("pyside6", "shiboken6"))


def _lgpl3_text(items: list[Component]) -> tuple[str, str] | None:
    """An LGPL-3.0 text some component already ships (psycopg does), and whose it is."""
    for component in items:
        for text in component.texts:
            if "GNU LESSER GENERAL PUBLIC LICENSE" in text.text and "Version 3" in text.text:
                return component.name, text.text
    return None


def render(items: list[Component], product_version: str) -> str:
    out: list[str] = [
        f"Régul {product_version} — logiciels et données de tiers / third-party software and data",
        RULE,
        "",
        "Régul est distribué avec les composants ci-dessous, chacun sous sa propre licence,",
        "dont le texte suit. Régul ships with the components below, each under its own",
        "licence, whose text follows.",
        "",
    ]
    width = max(len(c.name) for c in items)
    vwidth = max(len(c.version) for c in items)
    out += [f"  {c.name:<{width}}  {c.version:<{vwidth}}  {c.licence}" for c in items]
    lgpl = _lgpl3_text(items)
    qt = [c for c in items if _is_qt(c)]
    if qt:
        pyside = next((c for c in qt if c.key == "pyside6"), qt[0])
        where = (
            f", as {lgpl[0]} ships it" if lgpl else ": https://www.gnu.org/licenses/lgpl-3.0.txt"
        )
        out += ["", RULE, "Qt, Qt for Python and the LGPL", RULE, ""]
        out.append(QT_NOTE.format(version=pyside.version, where=where))
        if lgpl:
            out += ["", THIN_RULE, lgpl[1]]
        out += ["", THIN_RULE, GPL3_FILE.read_text(encoding="utf-8")]
    seen: dict[str, str] = {}
    for component in items:
        out += ["", RULE, f"{component.name} {component.version}", RULE]
        out.append(f"Licence : {component.licence}")
        out.append(f"Site    : {component.home_page}")
        if _is_qt(component):
            out.append("See « Qt, Qt for Python and the LGPL » above.")
        if component.note:
            out += ["", component.note]
        if not component.texts and not component.note and not _is_qt(component):
            out += ["", "No licence file ships with this distribution: see its site."]
        for text in component.texts:
            digest = hashlib.sha256(text.text.encode()).hexdigest()
            out += ["", f"--- {text.name} ---"]
            if digest in seen:
                out.append(f"(the same text as {seen[digest]} above)")
            else:
                seen[digest] = f"{component.name}'s {text.name}"
                out.append(text.text)
    return "\n".join(out) + "\n"


def product_version(root: str = ROOT_DISTRIBUTION) -> str:
    return metadata.version(root)


def write(target: Path, root: str = ROOT_DISTRIBUTION) -> Path:
    text = render(components(root), product_version(root))
    target.parent.mkdir(parents=True, exist_ok=True)
    # CRLF: the file is read on Windows, in the installer's page and in Notepad.
    with target.open("w", encoding=ENCODING, newline="\r\n") as handle:
        handle.write(text)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parent.parent / "dist" / FILE_NAME
    parser.add_argument("out", nargs="?", type=Path, default=default)
    args = parser.parse_args(argv)
    path = write(args.out)
    print(f"{path} ({len(components())} components)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
