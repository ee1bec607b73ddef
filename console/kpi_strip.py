"""The KPI strip: the day's figures beside the solo baseline, so the gain is in plain sight."""

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from console.i18n import tr


class KpiStrip(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 2)
        self._labels = {
            key: QLabel(self) for key in ("served", "km", "empty", "shared", "cost", "violations")
        }
        for label in self._labels.values():
            label.setTextFormat(Qt.TextFormat.PlainText)
            layout.addWidget(label)
        layout.addStretch(1)
        self.show_kpis({}, 0)

    def text(self) -> str:
        return " | ".join(label.text() for label in self._labels.values())

    def show_kpis(self, kpis: Mapping[str, Any], violations: int) -> None:
        locale = QLocale()  # the console's language, set when it starts

        def number(value: float, decimals: int = 0) -> str:
            return locale.toString(float(value), "f", decimals)

        if not kpis:
            for label in self._labels.values():
                label.setText("")
            self._labels["served"].setText(tr("Pas encore de plan pour ce jour"))
            return
        solo = kpis.get("solo_baseline", {})
        cost = kpis.get("cost", {})
        self._labels["served"].setText(
            tr("Servies : {0} / {1}").format(kpis.get("served", 0), kpis.get("requests", 0))
        )
        self._labels["km"].setText(
            tr("{0} km (seuls : {1} km, × {2})").format(
                number(kpis.get("total_km", 0)),
                number(solo.get("total_km", 0)),
                number(kpis.get("km_vs_solo") or 0, 2),
            )
        )
        self._labels["empty"].setText(
            tr("À vide : {0} % (seuls : {1} %)").format(
                number(100 * kpis.get("empty_km_share", 0)),
                number(100 * solo.get("empty_km_share", 0)),
            )
        )
        self._labels["shared"].setText(
            tr("Partagés : {0} %").format(number(100 * kpis.get("shared_patient_share", 0)))
        )
        self._labels["cost"].setText(
            tr("Assurance Maladie : {0} € (seuls : {1} €)").format(
                number(cost.get("insurer_pays_eur", 0)),
                number(cost.get("solo_insurer_pays_eur", 0)),
            )
        )
        self._labels["violations"].setText(
            tr("Aucune infraction")
            if violations == 0
            else tr("{0} infraction(s)").format(violations)
        )
        self._labels["violations"].setStyleSheet("" if violations == 0 else "color: #b00020;")
