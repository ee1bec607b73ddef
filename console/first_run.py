"""The first-run wizard: where this desk's data lives, who works here, the centre's
département, and a demo day to try the console on.

Each page checks what it can before going on (the server answers, its schema is one this Régul
can use, the account is valid); the last page does the set-up off the window's thread with
``regul.setup.apply_setup``, which writes the desk's settings only once everything else worked.
"""

import getpass
import re
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)
from sqlalchemy import URL

from console import labels
from console.background import BackgroundJob
from console.i18n import tr
from models.db import default_sqlite_path, local_url
from models.enums import Role
from models.errors import RegulDataError
from models.repositories.users import InvalidUserError, validate_login, validate_password
from planning.departements import Departement, departements
from planning.tariffs import tariffs_on
from regul.cli_common import current_actor
from regul.setup import (
    DEMO_PLAN_SECONDS,
    DEMO_REQUESTS,
    DeskSetup,
    FirstAccount,
    Probe,
    SchemaStatus,
    SetupReport,
    probe,
)

CONNECT_TIMEOUT_S = 5


@dataclass(frozen=True)
class FirstRun:
    """What the desk was set up with: the database to open now (with the password typed, kept
    in memory only) and the login to sign in with."""

    url: URL
    login: str | None
    report: SetupReport


class DatabasePage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(tr("Où sont les données ?"))
        self.setSubTitle(
            tr(
                "Un poste seul garde ses données dans un fichier sur cet ordinateur. Les postes "
                "d'un centre partagent une base PostgreSQL sur un serveur."
            )
        )
        self.probed: Probe | None = None
        self.local = QRadioButton(tr("Sur ce poste (fichier local)"))
        self.local.setObjectName("local")
        self.shared = QRadioButton(tr("Sur le serveur partagé du centre (PostgreSQL)"))
        self.shared.setObjectName("shared")
        choice = QButtonGroup(self)
        choice.addButton(self.local)
        choice.addButton(self.shared)
        self.local.setChecked(True)
        path = QLabel(str(default_sqlite_path()))
        path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        path.setStyleSheet("color: #555; margin-left: 22px")

        self.host = QLineEdit()
        self.host.setObjectName("host")
        self.host.setPlaceholderText(tr("nom ou adresse du serveur"))
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = QLineEdit("regul")
        self.database.setObjectName("database")
        self.login = QLineEdit()
        self.login.setObjectName("login")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.ssl = QComboBox()
        for mode, label in _ssl_modes():
            self.ssl.addItem(label, mode)
        form = QFormLayout()
        form.addRow(tr("Serveur"), self.host)
        form.addRow(tr("Port"), self.port)
        form.addRow(tr("Base"), self.database)
        form.addRow(tr("Identifiant"), self.login)
        form.addRow(tr("Mot de passe"), self.password)
        form.addRow(tr("Chiffrement (TLS)"), self.ssl)
        self.test_button = QPushButton(tr("Tester la connexion"))
        self.test_button.setObjectName("test")
        self.test_button.clicked.connect(self.test_connection)
        self.result = QLabel()
        self.result.setObjectName("result")
        self.result.setWordWrap(True)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addStretch()
        self.server = QGroupBox(tr("Serveur partagé"))
        server_layout = QVBoxLayout(self.server)
        server_layout.addLayout(form)
        server_layout.addLayout(test_row)

        layout = QVBoxLayout(self)
        layout.addWidget(self.local)
        layout.addWidget(path)
        layout.addWidget(self.shared)
        layout.addWidget(self.server)
        layout.addWidget(self.result)
        layout.addStretch()
        for field in (self.host, self.database, self.login, self.password):
            field.textEdited.connect(self._forget_probe)
        self.port.valueChanged.connect(self._forget_probe)
        self.ssl.currentIndexChanged.connect(self._forget_probe)
        self.local.toggled.connect(self._forget_probe)
        self.local.toggled.connect(self._show_choice)
        self._show_choice()

    def url(self) -> URL:
        if self.local.isChecked():
            return local_url()
        return URL.create(
            "postgresql+psycopg",
            username=self.login.text().strip() or None,
            password=self.password.text() or None,
            host=self.host.text().strip(),
            port=self.port.value(),
            database=self.database.text().strip(),
            query={"sslmode": self.ssl.currentData(), "connect_timeout": str(CONNECT_TIMEOUT_S)},
        )

    def test_connection(self) -> bool:
        """Probe the chosen database and say what was found; True when a desk can use it."""
        if self.shared.isChecked() and not (
            self.host.text().strip() and self.database.text().strip() and self.login.text()
        ):
            self._say(tr("Renseignez le serveur, la base et l'identifiant."), ok=False)
            return False
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            found = probe(self.url(), self.login.text().strip() or current_actor())
        except RegulDataError as refused:
            self._say(str(refused), ok=False)
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.probed = found
        self._say(_describe(found), ok=found.usable)
        self.completeChanged.emit()
        return found.usable

    def validatePage(self) -> bool:
        if self.probed is not None and self.probed.url == self.url():
            return self.probed.usable
        return self.test_connection()

    def _forget_probe(self) -> None:
        self.probed = None
        self.result.clear()
        self.completeChanged.emit()

    def _show_choice(self) -> None:
        self.server.setEnabled(self.shared.isChecked())

    def _say(self, text: str, ok: bool) -> None:
        self.result.setText(text)
        self.result.setStyleSheet("color: #1b5e20" if ok else "color: #b00020")


def _ssl_modes() -> tuple[tuple[str, str], ...]:
    """libpq's sslmode values, as a regulator would choose them."""
    return (
        ("prefer", tr("si le serveur le propose")),
        ("require", tr("exigé")),
        ("verify-full", tr("exigé, certificat du serveur vérifié")),
        ("disable", tr("désactivé")),
    )


def _describe(found: Probe) -> str:
    words = {
        SchemaStatus.EMPTY: tr("Connexion réussie : base vide, Régul y créera ses tables."),
        SchemaStatus.CURRENT: tr("Connexion réussie : base à jour, {0} demandes de transport."),
        SchemaStatus.OUTDATED: tr("Connexion réussie : le schéma de la base sera mis à jour."),
        SchemaStatus.TOO_NEW: tr("Base trop récente pour cette version de Régul."),
    }
    text = words[found.status].format(found.requests)
    if not found.usable:
        return f"{text}\n{found.message}"
    if found.principal is not None:
        role = labels.role(found.principal.role)
        text += "\n" + tr("Vous travaillerez en tant que « {0} » ({1}).").format(
            found.principal.login, role
        )
    return text


class AccountPage(QWizardPage):
    """The first account of a local file (its administrator), else who will sign in."""

    def __init__(self, database: DatabasePage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self.setTitle(tr("Qui travaille sur ce poste ?"))
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.login = QLineEdit()
        self.login.setObjectName("account_login")
        self.display_name = QLineEdit()
        self.display_name.setObjectName("account_name")
        self.role = QLabel()
        self.role.setObjectName("account_role")
        self.password = QLineEdit()
        self.password.setObjectName("account_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit()
        self.confirm.setObjectName("account_confirm")
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.form = QFormLayout()
        self.form.addRow(tr("Rôle"), self.role)
        self.form.addRow(tr("Identifiant"), self.login)
        self.form.addRow(tr("Nom affiché"), self.display_name)
        self.form.addRow(tr("Mot de passe"), self.password)
        self.form.addRow(tr("Confirmation"), self.confirm)
        self.error = QLabel()
        self.error.setObjectName("account_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addStretch()
        self.login.setText(_suggested_login())

    def creates_account(self) -> bool:
        found = self._database.probed
        return self._database.local.isChecked() and (found is None or not found.has_users)

    def initializePage(self) -> None:
        self.error.clear()
        found = self._database.probed
        creating = self.creates_account()
        for field in (self.display_name, self.password, self.confirm):
            self.form.setRowVisible(field, creating)
        self.login.setReadOnly(not self._database.local.isChecked())
        if creating:
            self.setSubTitle(tr("Créez le compte administrateur de ce poste."))
            self.explanation.setText(
                tr(
                    "Le premier compte d'une base en est l'administrateur : il régule, et il "
                    "crée ensuite les comptes des autres régulateurs et des répartiteurs des "
                    "transporteurs (commande « regul users add »). Le mot de passe sera "
                    "demandé à chaque ouverture de la console."
                )
            )
            self.role.setText(labels.role(Role.ADMIN))
        elif self._database.local.isChecked():
            self.setSubTitle(tr("Cette base a déjà des comptes."))
            self.explanation.setText(
                tr("Vous vous identifierez avec votre compte à l'ouverture de la console.")
            )
            self.role.setText(tr("celui de votre compte"))
        else:
            assert found is not None
            self.setSubTitle(tr("Le serveur du centre connaît votre compte."))
            self.explanation.setText(
                tr(
                    "Sur un serveur partagé, votre identifiant est votre compte PostgreSQL : le "
                    "serveur décide de ce que vous voyez et modifiez. Votre mot de passe sera "
                    "demandé à chaque ouverture de la console ; il n'est pas enregistré."
                )
            )
            self.login.setText(self._database.login.text().strip())
            role = found.principal.role if found.principal else Role.ADMIN
            self.role.setText(labels.role(role))

    def validatePage(self) -> bool:
        if not self.creates_account():
            return True
        try:
            validate_login(self.login.text().strip())
            validate_password(self.password.text())
        except InvalidUserError as refused:
            self.error.setText(str(refused))
            return False
        if self.password.text() != self.confirm.text():
            self.error.setText(tr("Les deux mots de passe diffèrent."))
            return False
        return True

    def account(self) -> FirstAccount | None:
        if not self.creates_account():
            return None
        return FirstAccount(
            self.login.text().strip(), self.password.text(), self.display_name.text().strip()
        )


def _suggested_login() -> str:
    """The computer's login, made into a valid Régul one when it can be."""
    suggested = re.sub(r"[^a-z0-9._-]", "", getpass.getuser().lower())
    try:
        return validate_login(suggested)
    except InvalidUserError:
        return ""


class DepartementPage(QWizardPage):
    def __init__(self, database: DatabasePage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self.setTitle(tr("Département du centre"))
        self.setSubTitle(
            tr(
                "Il donne le tarif kilométrique des taxis des trajets dont l'adresse n'a pas de "
                "code postal, et les jours fériés locaux."
            )
        )
        self.choice = QComboBox()
        self.choice.setObjectName("departement")
        self.choice.setEditable(True)  # type "59" or "Nord" to find it
        self.choice.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.choice.addItem(tr("Choisissez…"), None)
        for each in departements():
            self.choice.addItem(str(each), each)
        self.rate = QLabel()
        self.rate.setObjectName("rate")
        self.rate.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.choice)
        layout.addWidget(self.rate)
        layout.addStretch()
        self.choice.currentIndexChanged.connect(self._changed)
        self.choice.editTextChanged.connect(self._typed)

    def initializePage(self) -> None:
        found = self._database.probed
        if found is not None and found.departement and self.chosen() is None:
            self.select(found.departement)  # the centre's, chosen on another desk

    def chosen(self) -> Departement | None:
        value = self.choice.currentData()
        return value if isinstance(value, Departement) else None

    def select(self, code: str) -> None:
        for index in range(self.choice.count()):
            item = self.choice.itemData(index)
            if isinstance(item, Departement) and item.code == code:
                self.choice.setCurrentIndex(index)

    def isComplete(self) -> bool:
        return self.chosen() is not None

    def _typed(self, text: str) -> None:
        """Typing "59", "nord" or picking the completion chooses, without Enter."""
        wanted = text.strip().casefold()
        for index in range(1, self.choice.count()):
            item = self.choice.itemData(index)
            if wanted in (str(item).casefold(), item.code.casefold(), item.name.casefold()):
                if index != self.choice.currentIndex():
                    self.choice.setCurrentIndex(index)
                return

    def _changed(self) -> None:
        chosen = self.chosen()
        self.rate.clear()
        if chosen is not None:
            tariffs = tariffs_on(date.today())  # noqa: DTZ011 - the desk's own calendar day
            rate, listed = tariffs.taxi.km_rate(chosen.code)
            line = (
                tr("Taxi : {0} € par km au tarif de ce département (barème du {1}).")
                if listed
                else tr("Taxi : {0} € par km, tarif par défaut de Régul (barème du {1}).")
            )
            self.rate.setText(line.format(f"{rate:.2f}".replace(".", ","), tariffs.valid_from))
        self.completeChanged.emit()


class DemoPage(QWizardPage):
    def __init__(self, database: DatabasePage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self.setTitle(tr("Journée de démonstration"))
        self.setSubTitle(tr("Pour essayer la console avant d'importer vos propres demandes."))
        self.demo = QCheckBox(
            tr("Charger une journée de démonstration ({0} demandes fictives dans le Nord)").format(
                DEMO_REQUESTS
            )
        )
        self.demo.setObjectName("demo")
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.demo)
        layout.addWidget(self.explanation)
        layout.addStretch()

    def initializePage(self) -> None:
        found = self._database.probed
        empty = found is None or found.requests == 0
        local = self._database.local.isChecked()
        self.demo.setEnabled(empty)
        self.demo.setChecked(empty and local)
        if not empty:
            self.explanation.setText(
                tr("Cette base contient déjà des demandes : la démonstration n'y est pas chargée.")
            )
        else:
            self.explanation.setText(
                tr(
                    "Les fichiers d'une journée (établissements, flotte des transporteurs, "
                    "demandes) sont écrits puis importés comme de vrais fichiers, et la journée "
                    "est planifiée en {0} secondes."
                ).format(DEMO_PLAN_SECONDS)
                + ("" if local else "\n" + tr("Attention : elle sera visible de tout le centre."))
            )


class FirstRunWizard(QWizard):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Bienvenue dans Régul"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setButtonText(QWizard.WizardButton.NextButton, tr("Suivant >"))
        self.setButtonText(QWizard.WizardButton.BackButton, tr("< Précédent"))
        self.setButtonText(QWizard.WizardButton.FinishButton, tr("Terminer"))
        self.setButtonText(QWizard.WizardButton.CancelButton, tr("Annuler"))
        self.database_page = DatabasePage(self)
        self.account_page = AccountPage(self.database_page, self)
        self.departement_page = DepartementPage(self.database_page, self)
        self.demo_page = DemoPage(self.database_page, self)
        for page in (
            self.database_page, self.account_page, self.departement_page, self.demo_page
        ):  # fmt: skip
            self.addPage(page)
        self.outcome: FirstRun | None = None
        self._job: BackgroundJob | None = None
        self._progress: QProgressDialog | None = None
        self.resize(640, 520)

    def desk_setup(self) -> DeskSetup:
        chosen = self.departement_page.chosen()
        assert chosen is not None
        url = None if self.database_page.local.isChecked() else self.database_page.url()
        return DeskSetup(
            url=url,
            departement=chosen,
            actor=current_actor(),
            account=self.account_page.account(),
            login=self.account_page.login.text().strip() or None,
            demo=self.demo_page.demo.isChecked() and self.demo_page.demo.isEnabled(),
        )

    def accept(self) -> None:
        """Finish: set the desk up off the window's thread, then close."""
        if self._job is not None:
            return
        setup = self.desk_setup()
        from regul.setup import apply_setup

        self._job = BackgroundJob(lambda step: apply_setup(setup, step))
        self._progress = QProgressDialog(tr("Configuration du poste…"), "", 0, 0, self)
        self._progress.setCancelButton(None)
        self._progress.setWindowModality(Qt.WindowModality.WindowModal)
        self._progress.setMinimumDuration(0)
        self._job.progressed.connect(lambda step: self._show_step(step))
        self._job.succeeded.connect(lambda report: self._done(setup, report))
        self._job.failed.connect(self._failed)
        self._job.start()
        self._progress.show()

    def _show_step(self, step: str) -> None:
        if self._progress is not None:
            self._progress.setLabelText(step)  # the set-up's own French

    def _done(self, setup: DeskSetup, report: SetupReport) -> None:
        self._end_job()
        login = setup.account.login if setup.account else self.account_page.login.text().strip()
        self.outcome = FirstRun(url=report.url, login=login or None, report=report)
        super().accept()

    def _failed(self, message: str) -> None:
        self._end_job()
        QMessageBox.critical(self, tr("Configuration impossible"), message)

    def _end_job(self) -> None:
        if self._job is not None:
            self._job.wait()
            self._job = None
        if self._progress is not None:
            self._progress.close()
            self._progress.deleteLater()
            self._progress = None


def run_first_run(parent: QWidget | None = None) -> FirstRun | None:
    """Set this desk up; None when the user gave up (nothing was saved)."""
    wizard = FirstRunWizard(parent)
    if wizard.exec() != QWizard.DialogCode.Accepted:
        return None
    return wizard.outcome
