"""The console's words go through ``tr``: written in French, translated when a translation of
the console is installed (``console/translations/``).

One translation context for the whole console keeps the catalogue simple: ``pyside6-lupdate``
finds every ``tr("…")`` call, and the same French text always gets the same translation.
"""

from PySide6.QtCore import QCoreApplication


def tr(text: str) -> str:
    return QCoreApplication.translate("", text)
