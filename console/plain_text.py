"""Names, addresses and messages from the database or from files shown as written, never as
markup.

Qt guesses for each string whether a tooltip, a label or a message box holds rich text
(``Qt.mightBeRichText``): a patient registered as « <b>Martin » or « <img src=…> », or a file
named so, would be drawn as markup in the regulator's console, or load an image. Labels that
show such text are set to plain text; tooltips and message boxes, whose format cannot be set,
get the text escaped inside a paragraph that keeps its line breaks, which Qt always takes for
rich text and so shows exactly as written.
"""

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget


def as_written(text: str) -> str:
    """``text`` for a tooltip or a message box: shown as written, line breaks kept."""
    return f'<p style="white-space:pre-wrap">{html.escape(text, quote=False)}</p>'


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A label that never reads its text as markup."""
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label
