"""The console is written in French with tr(); its English catalogue is complete and loads."""

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QApplication

from console.app import TRANSLATIONS
from console.i18n import tr

CONSOLE = Path(__file__).resolve().parent.parent / "console"


def _messages(catalogue: Path) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for message in ET.parse(catalogue).iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        done = translation is not None and translation.get("type") is None
        found[source] = translation.text if done and translation is not None else None
    return found


def test_every_text_of_the_console_has_its_english_translation(tmp_path: Path) -> None:
    """lupdate finds every tr("…") in console/; each must be translated in regul_en.ts."""
    fresh = tmp_path / "fresh.ts"
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    sources = sorted(str(p) for p in CONSOLE.glob("*.py"))
    subprocess.run([str(lupdate), *sources, "-ts", str(fresh)], check=True, capture_output=True)
    in_code = set(_messages(fresh))
    catalogue = _messages(TRANSLATIONS / "regul_en.ts")
    assert len(in_code) > 100
    assert in_code <= set(catalogue), sorted(in_code - set(catalogue))  # run update_translations
    untranslated = sorted(s for s in in_code if not catalogue[s])
    assert untranslated == []


def test_the_compiled_catalogue_is_the_current_one() -> None:
    """regul_en.qm says what regul_en.ts says (scripts/update_translations.py compiles it)."""
    words = QTranslator()
    assert words.load(str(TRANSLATIONS / "regul_en.qm"))
    stale = {
        source: translation
        for source, translation in _messages(TRANSLATIONS / "regul_en.ts").items()
        if words.translate("", source) != translation
    }
    assert stale == {}


def test_the_compiled_english_catalogue_translates_the_console(qapp: QApplication) -> None:
    words = QTranslator()
    assert words.load(str(TRANSLATIONS / "regul_en.qm"))
    assert tr("Optimiser") == "Optimiser"  # French without a translator
    QCoreApplication.installTranslator(words)
    try:
        assert tr("Optimiser") == "Optimise"
        assert tr("Servies : {0} / {1}").format(3, 4) == "Served: 3 / 4"
    finally:
        QCoreApplication.removeTranslator(words)
    assert tr("Optimiser") == "Optimiser"
