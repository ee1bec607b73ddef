"""The sign-in dialog: a login and a password, checked by ``regul.login``.

A refusal is shown in the dialog, which stays open for another try. Once signed in, the dialog
holds the principal and the database address to work with: on PostgreSQL the user's own role,
so that the server enforces what the role may see and change.
"""

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import URL

from console.i18n import tr
from models.errors import RegulDataError
from models.session import Database
from regul.access import Principal
from regul.login import authenticate, user_url


class LoginDialog(QDialog):
    def __init__(
        self, db: Database, parent: QWidget | None = None, login: str | None = None
    ) -> None:
        super().__init__(parent)
        self._db = db
        self.principal: Principal | None = None
        self.database_url: URL | None = None
        self.setWindowTitle(tr("Connexion à Régul"))

        self.login = QLineEdit()
        self.login.setObjectName("login")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        self.error.hide()

        form = QFormLayout()
        form.addRow(tr("Identifiant"), self.login)
        form.addRow(tr("Mot de passe"), self.password)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Se connecter"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Annuler"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("Identifiez-vous pour ouvrir la console.")))
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.login.setText(login or "")
        (self.password if login else self.login).setFocus()

    def accept(self) -> None:
        login, password = self.login.text().strip(), self.password.text()
        if not login or not password:
            self._refuse(tr("Saisissez votre identifiant et votre mot de passe."))
            return
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            principal = authenticate(self._db, login, password)
        except RegulDataError as refused:
            self._refuse(str(refused))
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.principal = principal
        self.database_url = user_url(self._db.url, login, password)
        self.password.clear()
        super().accept()

    def _refuse(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.password.clear()
        self.password.setFocus()


def sign_in(
    db: Database, parent: QWidget | None = None, login: str | None = None
) -> tuple[Principal, URL] | None:
    """Ask who is there (``login`` filled in: the desk's last user); None if the user gave up."""
    dialog = LoginDialog(db, parent, login)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    assert dialog.principal is not None and dialog.database_url is not None
    return dialog.principal, dialog.database_url
